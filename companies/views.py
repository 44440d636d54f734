from cgt_tracker.facets import Facet
from cgt_tracker.views import FilteredListView, RecordDetailView

from .filters import CollaborationFilterSet, CompanyFilterSet, InstitutionFilterSet
from .models import Collaboration, Company, CompanyKind, Institution, InstitutionKind

COUNTRY = Facet("country", "Country")
PROVINCE = Facet("province", "Province")


class CompanyListView(FilteredListView):
    queryset = Company.objects.with_related()
    filterset_class = CompanyFilterSet
    api_resource = "companies"
    facets = [Facet("kind", "Kind", choices=CompanyKind), COUNTRY, PROVINCE, Facet("city", "City")]


class InstitutionListView(FilteredListView):
    queryset = Institution.objects.with_related()
    filterset_class = InstitutionFilterSet
    api_resource = "institutions"
    facets = [
        Facet("kind", "Kind", choices=InstitutionKind),
        COUNTRY,
        PROVINCE,
        Facet("parent", "Part of", field="parent__slug", label_field="parent__name"),
    ]


class CollaborationListView(FilteredListView):
    queryset = Collaboration.objects.with_related()
    filterset_class = CollaborationFilterSet
    api_resource = "collaborations"
    facets = [
        Facet("kind", "Kind", choices=Collaboration.Kind),
        Facet("company", "Company", field="companies__slug", label_field="companies__name"),
        Facet("institution", "Institution", field="institutions__slug", label_field="institutions__name"),
    ]


class CompanyDetailView(RecordDetailView):
    queryset = Company.objects.with_related()

    def related(self, company):
        return {
            "programs": company.programs.with_related(),
            "originated_programs": company.originated_programs.with_related(),
            "collaborations": company.collaborations.all(),
            "subsidiaries": company.subsidiaries.all(),
            "policy_links": company.policy_links.select_related("policy"),
        }


class InstitutionDetailView(RecordDetailView):
    queryset = Institution.objects.with_related()

    def related(self, institution):
        return {
            "partnerships": institution.program_partnerships.with_related(),
            "children": institution.children.all(),
            "collaborations": institution.collaborations.all(),
            "policies": institution.policies.all(),
            "milestones": institution.milestones.with_related(),
            "policy_links": institution.policy_links.select_related("policy"),
        }


class CollaborationDetailView(RecordDetailView):
    queryset = Collaboration.objects.with_related()
