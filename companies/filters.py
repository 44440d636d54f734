import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cgt_tracker.filters import SearchFilterSet, SlugChoiceFilter

from .models import Collaboration, Company, CompanyKind, Institution, InstitutionKind


class CompanyFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CompanyKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")
    ordering = django_filters.OrderingFilter(fields=("name", "updated", "created"))

    search_fields = ("name", "name_zh", "aliases", "description", "city", "province")

    class Meta:
        model = Company
        fields = ["kind", "country", "city", "province", "listing"]


class InstitutionFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")
    parent = SlugChoiceFilter(queryset=Institution.objects.all(), label=_("Parent institution (slug)"))
    ordering = django_filters.OrderingFilter(fields=("name", "updated", "created"))

    search_fields = ("name", "name_zh", "aliases", "description", "city", "province")

    class Meta:
        model = Institution
        fields = ["kind", "country", "city", "province", "parent"]


class CollaborationFilterSet(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Collaboration.Kind.choices)
    company = SlugChoiceFilter(
        field_name="companies", queryset=Company.objects.all(), method="filter_company", label=_("Company (slug)")
    )
    institution = SlugChoiceFilter(
        field_name="institutions",
        queryset=Institution.objects.all(),
        method="filter_institution",
        label=_("Institution (slug)"),
    )
    ordering = django_filters.OrderingFilter(fields=("title", "started_on", "updated"))

    search_fields = ("title", "aliases", "description", "location")

    class Meta:
        model = Collaboration
        fields = ["kind", "company", "institution"]

    def filter_company(self, queryset, name, value):
        through = Collaboration.companies.through
        return queryset.filter(Exists(through.objects.filter(collaboration=OuterRef("pk"), company=value)))

    def filter_institution(self, queryset, name, value):
        through = Collaboration.institutions.through
        return queryset.filter(Exists(through.objects.filter(collaboration=OuterRef("pk"), institution=value)))
