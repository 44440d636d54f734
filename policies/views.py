from cgt_tracker.views import FilteredListView, RecordDetailView

from .filters import PolicyDocumentFilterSet
from .models import Indicator, PolicyDocument


class PolicyListView(FilteredListView):
    queryset = PolicyDocument.objects.with_related()
    filterset_class = PolicyDocumentFilterSet
    api_resource = "policies"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"indicators": Indicator.objects.with_related()}


class PolicyDetailView(RecordDetailView):
    queryset = PolicyDocument.objects.with_related()

    def related(self, policy):
        return {"linked_records": policy.links.select_related("company", "institution", "program")}
