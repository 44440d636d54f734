from cgt_tracker.facets import Facet
from cgt_tracker.views import FilteredListView, RecordDetailView

from .filters import SourceFilterSet
from .models import Source


class SourceListView(FilteredListView):
    queryset = Source.objects.with_related()
    filterset_class = SourceFilterSet
    api_resource = "sources"
    facets = [Facet("publisher", "Publisher")]


class SourceDetailView(RecordDetailView):
    """An article, its full text, and every record that cites it."""

    queryset = Source.objects.with_related()

    def related(self, source):
        return {
            "programs": source.programs_therapyprogram_set.with_related(),
            "developments": source.programs_development_set.with_related(),
            "milestones": source.milestones.with_related(),
            "companies": source.companies_company_set.all(),
            "institutions": source.companies_institution_set.all(),
            "collaborations": source.companies_collaboration_set.all(),
            "policies": source.policies_policydocument_set.all(),
            "indicators": source.policies_indicator_set.with_related(),
        }
