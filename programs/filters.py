import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cgt_tracker.filters import SearchFilterSet, SlugChoiceFilter
from companies.models import Company
from sources.models import Source

from .choices import DevelopmentStatus, MilestoneKind, Modality, Pathway, Stage
from .models import Designation, Development, Indication, Milestone, Target, TherapyProgram, stage_order


class StageOrderingFilter(django_filters.OrderingFilter):
    """Ordering where ``stage`` sorts by pipeline order, not alphabetically; ties break by name."""

    def filter(self, qs, value):
        qs = super().filter(qs.alias(stage_rank=stage_order()), value)
        return qs.order_by(*qs.query.order_by, "name") if value else qs

    def get_ordering_value(self, param):
        return super().get_ordering_value(param).replace("stage", "stage_rank")


class TherapyProgramFilterSet(SearchFilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    stage_min = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_stage_min", label=_("At least this stage")
    )
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, label=_("Modality"))
    company = SlugChoiceFilter(queryset=Company.objects.all(), label=_("Company (slug)"))
    target = SlugChoiceFilter(
        field_name="targets",
        queryset=Target.objects.all(),
        to_field_name="symbol",
        method="filter_target",
        label=_("Target (symbol)"),
    )
    indication = SlugChoiceFilter(
        field_name="developments__indication",
        queryset=Indication.objects.all(),
        method="filter_indication",
        label=_("Indication (slug)"),
    )
    designation = SlugChoiceFilter(
        field_name="designations",
        queryset=Designation.objects.all(),
        to_field_name="code",
        method="filter_designation",
        label=_("Designation (code)"),
    )
    source = SlugChoiceFilter(
        field_name="sources", queryset=Source.objects.all(), method="filter_source", label=_("Source (slug)")
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated", lookup_expr="gt", label=_("Updated after (ISO 8601)")
    )
    ordering = StageOrderingFilter(fields=("name", "stage", "updated", "created"), label=_("Order by"))

    class Meta:
        model = TherapyProgram
        fields = ["stage", "stage_min", "modality", "company", "target", "indication", "designation", "source"]

    def filter_stage_min(self, queryset, name, value):
        return queryset.at_least(value)

    # Related filters use EXISTS so a program never appears twice in a page.
    def filter_target(self, queryset, name, value):
        through = TherapyProgram.targets.through
        return queryset.filter(Exists(through.objects.filter(therapyprogram=OuterRef("pk"), target=value)))

    def filter_indication(self, queryset, name, value):
        return queryset.filter(Exists(Development.objects.filter(program=OuterRef("pk"), indication=value)))

    def filter_designation(self, queryset, name, value):
        through = TherapyProgram.designations.through
        return queryset.filter(Exists(through.objects.filter(therapyprogram=OuterRef("pk"), designation=value)))

    def filter_source(self, queryset, name, value):
        through = TherapyProgram.sources.through
        return queryset.filter(Exists(through.objects.filter(therapyprogram=OuterRef("pk"), source=value)))

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset


class TargetFilterSet(SearchFilterSet):
    search_fields = ("symbol", "name")

    class Meta:
        model = Target
        fields = []


class IndicationFilterSet(SearchFilterSet):
    search_fields = ("name", "abbreviation", "therapeutic_area")

    class Meta:
        model = Indication
        fields = ["therapeutic_area"]


class DesignationFilterSet(SearchFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = Designation
        fields = []


class DevelopmentFilterSet(django_filters.FilterSet):
    program = SlugChoiceFilter(queryset=TherapyProgram.objects.all(), label=_("Program (slug)"))
    indication = SlugChoiceFilter(queryset=Indication.objects.all(), label=_("Indication (slug)"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    status = django_filters.MultipleChoiceFilter(choices=DevelopmentStatus.choices, label=_("Status"))
    pathway = django_filters.MultipleChoiceFilter(choices=Pathway.choices, label=_("Pathway"))

    class Meta:
        model = Development
        fields = ["program", "indication", "stage", "status", "pathway"]


class MilestoneFilterSet(django_filters.FilterSet):
    program = SlugChoiceFilter(queryset=TherapyProgram.objects.all(), label=_("Program (slug)"))
    kind = django_filters.MultipleChoiceFilter(choices=MilestoneKind.choices, label=_("Kind"))
    source = SlugChoiceFilter(queryset=Source.objects.all(), label=_("Source (slug)"))

    class Meta:
        model = Milestone
        fields = ["program", "kind", "source"]
