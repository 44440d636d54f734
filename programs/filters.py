import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from cgt_tracker.facets import Facet
from cgt_tracker.filters import (
    OrderingFilter,
    RelatedExistsFilter,
    SearchFilterSet,
    SlugChoiceFilter,
    TrueOrFalseFilter,
    UpdatedAfterFilter,
)
from companies.models import Company
from sources.models import Source

from .choices import DevelopmentStatus, MilestoneKind, Modality, Pathway, Stage
from .models import Designation, Development, Indication, Milestone, Target, TherapyProgram


class ProgramOrderingFilter(OrderingFilter):
    """Ordering by the program list's columns: ``stage`` in pipeline order, ``indication`` by the first
    indication's name, ``as_of`` by the date the program is as of; empty values last, ties by name."""

    def __init__(self, **kwargs):
        fields = {
            "name": "name",
            "company__name": "company",
            "modality": "modality",
            "indication_name": "indication",
            "stage_rank": "stage",
            "as_of_date": "as_of",
            "updated": "updated",
            "created": "created",
        }
        super().__init__(fields=fields, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        keys = [self.get_ordering_value(param) for param in value]
        names = [self.param_map[param.lstrip("-")] for param in value]
        return qs.with_sort_keys(names).order_by(*keys, *([] if "name" in names else ["name"]))


# Filters that hold on one and the same development (see ``TherapyProgramQuerySet.in_development``).
DEVELOPMENT_FILTERS = ("indication", "country", "stage", "stage_min")


class TherapyProgramFilterSet(SearchFilterSet):
    """Program filters. ``indication``, ``country``, ``stage`` and ``stage_min`` are applied together: a program
    matches when its stage *among its developments for that indication and country* (the most advanced active
    one) is the stage asked for, as pipelines count phase per indication."""

    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, method="filter_development", label=_("Stage"))
    stage_min = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_development", label=_("At least this stage")
    )
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, distinct=False, label=_("Modality"))
    company = SlugChoiceFilter(queryset=Company.objects.all(), label=_("Company (slug)"))
    target = RelatedExistsFilter(
        field_name="targets", queryset=Target.objects.all(), to_field_name="symbol", label=_("Target (symbol)")
    )
    indication = SlugChoiceFilter(
        field_name="developments__indication",
        queryset=Indication.objects.all(),
        method="filter_development",
        label=_("Indication (slug)"),
    )
    country = django_filters.CharFilter(
        method="filter_development", label=_("Country of a development (exact, ignoring case)")
    )
    designation = RelatedExistsFilter(
        field_name="designations",
        queryset=Designation.objects.all(),
        to_field_name="code",
        label=_("Designation (code)"),
    )
    source = RelatedExistsFilter(field_name="sources", queryset=Source.objects.all(), label=_("Source (slug)"))
    ndr = TrueOrFalseFilter(
        method="filter_ndr",
        label=_("No development reported (in the tracker's sources) for NDR_MONTHS before the data set's date"),
    )
    updated_after = UpdatedAfterFilter()
    ordering = ProgramOrderingFilter(label=_("Order by"))

    facets = (
        Facet("stage", _("Stage")),
        Facet("modality", _("Modality")),
        Facet("company", _("Company"), label="name"),
        Facet("target", _("Target")),
        Facet("indication", _("Indication"), label="name"),
        Facet("designation", _("Designation"), label="name"),
        Facet("source", _("Cited by"), label="title"),
    )

    class Meta:
        model = TherapyProgram
        fields = [
            "stage",
            "stage_min",
            "modality",
            "company",
            "target",
            "indication",
            "country",
            "designation",
            "source",
            "ndr",
        ]

    def filter_ndr(self, queryset, name, value):
        return queryset.no_development_reported(value)

    def filter_development(self, queryset, name, value):
        return queryset  # the development filters are applied together, in filter_queryset()

    def development_filters(self, *without):
        data = self.filtered_values()
        return {name: data.get(name) for name in DEVELOPMENT_FILTERS if name not in without}

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).in_development(**self.development_filters())

    def filter_all_but(self, queryset, *names):
        return super().filter_all_but(queryset, *names).in_development(**self.development_filters(*names))

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset


class TargetFilterSet(SearchFilterSet):
    search_fields = ("symbol", "name")

    class Meta:
        model = Target
        fields = []


class IndicationFilterSet(SearchFilterSet):
    search_fields = ("name", "name_zh", "abbreviation", "therapeutic_area")

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
    # Columns of the program itself: no join, so no DISTINCT (django-filter adds one by default).
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, distinct=False, label=_("Stage"))
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
