import django_filters
from django.utils.translation import gettext_lazy as _

from cgt_tracker.facets import Facet
from cgt_tracker.filters import (
    OrderingFilter,
    RelatedExistsFilter,
    SearchFilterSet,
    SlugChoiceFilter,
    UpdatedAfterFilter,
)

from .models import Collaboration, Company, CompanyKind, Institution, InstitutionKind


class CompanyFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CompanyKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")
    updated_after = UpdatedAfterFilter()
    ordering = OrderingFilter(fields=("name", "updated", "created"))

    search_fields = ("name", "name_zh", "aliases", "description", "city", "province")
    facets = (
        Facet("kind", _("Kind")),
        Facet("country", _("Country")),
        Facet("province", _("Province")),
        Facet("city", _("City")),
    )

    class Meta:
        model = Company
        fields = ["kind", "country", "city", "province", "listing"]


class InstitutionFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")
    parent = SlugChoiceFilter(queryset=Institution.objects.all(), label=_("Parent institution (slug)"))
    ordering = OrderingFilter(fields=("name", "updated", "created"))

    search_fields = ("name", "name_zh", "aliases", "description", "city", "province")
    facets = (
        Facet("kind", _("Kind")),
        Facet("country", _("Country")),
        Facet("province", _("Province")),
        Facet("parent", _("Part of"), label="name"),
    )

    class Meta:
        model = Institution
        fields = ["kind", "country", "city", "province", "parent"]


class CollaborationFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Collaboration.Kind.choices)
    company = RelatedExistsFilter(field_name="companies", queryset=Company.objects.all(), label=_("Company (slug)"))
    institution = RelatedExistsFilter(
        field_name="institutions", queryset=Institution.objects.all(), label=_("Institution (slug)")
    )
    ordering = OrderingFilter(fields=("title", "started_on", "updated"))

    search_fields = ("title", "aliases", "description", "location")
    facets = (
        Facet("kind", _("Kind")),
        Facet("company", _("Company"), label="name"),
        Facet("institution", _("Institution"), label="name"),
    )

    class Meta:
        model = Collaboration
        fields = ["kind", "company", "institution"]
