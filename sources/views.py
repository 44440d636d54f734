from cgt_tracker.views import FilteredListView, RecordDetailView
from evidence.text import find_quote, marked_segments
from programs.tables import program_rows

from .filters import SourceFilterSet
from .models import Source


class SourceListView(FilteredListView):
    queryset = Source.objects.with_related()
    filterset_class = SourceFilterSet
    api_resource = "sources"


class SourceDetailView(RecordDetailView):
    """An article, every record that cites it and every quote taken from it.

    The articles' rights are their publishers': the public sees the quotes, staff see the whole text
    with each quote marked and linked to the record it backs.
    """

    queryset = Source.objects.with_related()

    def related(self, source):
        quotes = quotes_in_article_order(source)
        return {
            "quotes": [item for item, _ in quotes],
            "marked_text": marked_segments(source.text, [(*span, item) for item, span in quotes if span])
            if self.request.user.is_staff
            else None,
            "programs": program_rows(source.programs_therapyprogram_set.values_list("pk", flat=True)),
            "developments": source.programs_development_set.with_related(),
            "milestones": source.milestones.with_related(),
            "companies": source.companies_company_set.all(),
            "institutions": source.companies_institution_set.all(),
            "collaborations": source.companies_collaboration_set.all(),
            "policies": source.policies_policydocument_set.all(),
            "indicators": source.policies_indicator_set.with_related(),
        }


def quotes_in_article_order(source):
    """``(evidence, span)`` for every quote from ``source``, in the order they appear (unfound ones last)."""
    items = [(item, find_quote(item.quote, source.text)) for item in source.evidence.prefetch_related("record")]
    return sorted(items, key=lambda pair: pair[1] or (len(source.text), 0))
