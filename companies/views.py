from django.db.models import Q

from cgt_tracker.views import FilteredListView, RecordDetailView
from programs.models import Milestone
from programs.tables import program_rows

from .filters import CollaborationFilterSet, CompanyFilterSet, InstitutionFilterSet
from .models import Collaboration, Company, Institution


class CompanyListView(FilteredListView):
    queryset = Company.objects.with_related()
    filterset_class = CompanyFilterSet
    api_resource = "companies"


class InstitutionListView(FilteredListView):
    queryset = Institution.objects.with_related()
    filterset_class = InstitutionFilterSet
    api_resource = "institutions"


class CollaborationListView(FilteredListView):
    queryset = Collaboration.objects.with_related()
    filterset_class = CollaborationFilterSet
    api_resource = "collaborations"


class CompanyDetailView(RecordDetailView):
    queryset = Company.objects.with_related()

    def related(self, company):
        return {
            "programs": program_rows(company.programs.values_list("pk", flat=True)),
            "originated_programs": program_rows(company.originated_programs.values_list("pk", flat=True)),
            "collaborations": company.collaborations.all(),
            "subsidiaries": company.subsidiaries.all(),
            "policy_links": company.policy_links.select_related("policy"),
            "milestones": Milestone.objects.with_related().filter(program__company=company),
            "institutions": Institution.objects.filter(
                Q(program_partnerships__program__company=company) | Q(collaborations__companies=company)
            ).distinct(),
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
