import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cgt_tracker.facets import Facet
from cgt_tracker.filters import OrderingFilter, SearchFilterSet, SlugChoiceFilter, UpdatedAfterFilter
from companies.models import Company, Institution
from programs.models import TherapyProgram

from .models import Indicator, PolicyDocument, PolicyFocus, PolicyKind, PolicyLevel, PolicyLink, PolicyRelation


class PolicyDocumentFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=PolicyKind.choices)
    level = django_filters.MultipleChoiceFilter(choices=PolicyLevel.choices)
    focus = django_filters.MultipleChoiceFilter(choices=PolicyFocus.choices)
    region = django_filters.CharFilter(lookup_expr="iexact")
    in_force_in = django_filters.NumberFilter(method="filter_in_force_in", label=_("Covers this year"))
    updated_after = UpdatedAfterFilter()
    ordering = OrderingFilter(fields=("title", "period_start", "published_on", "updated"))

    search_fields = ("title", "title_zh", "aliases", "summary", "region")
    facets = (
        Facet("kind", _("Kind")),
        Facet("level", _("Level")),
        Facet("focus", _("Focus")),
        Facet("region", _("Region")),
    )

    class Meta:
        model = PolicyDocument
        fields = ["kind", "level", "focus", "region"]

    def filter_in_force_in(self, queryset, name, value):
        return queryset.filter(
            Q(period_start__lte=value) | Q(period_start__isnull=True),
            Q(period_end__gte=value) | Q(period_end__isnull=True),
        ).exclude(period_start__isnull=True, period_end__isnull=True)


class IndicatorFilterSet(SearchFilterSet):
    region = django_filters.CharFilter(lookup_expr="iexact")

    search_fields = ("region", "metric")

    class Meta:
        model = Indicator
        fields = ["region"]


class PolicyLinkFilterSet(django_filters.FilterSet):
    policy = SlugChoiceFilter(queryset=PolicyDocument.objects.all(), label=_("Policy (slug)"))
    relation = django_filters.MultipleChoiceFilter(choices=PolicyRelation.choices, label=_("Relation"))
    company = SlugChoiceFilter(queryset=Company.objects.all(), label=_("Company (slug)"))
    institution = SlugChoiceFilter(queryset=Institution.objects.all(), label=_("Institution (slug)"))
    program = SlugChoiceFilter(queryset=TherapyProgram.objects.all(), label=_("Program (slug)"))

    class Meta:
        model = PolicyLink
        fields = ["policy", "relation", "company", "institution", "program"]
