import django_filters
from django.utils.translation import gettext_lazy as _

from cgt_tracker.facets import Facet
from cgt_tracker.filters import OrderingFilter, SearchFilterSet

from .models import Source


class SourceFilterSet(SearchFilterSet):
    publisher = django_filters.CharFilter(lookup_expr="icontains")
    ordering = OrderingFilter(fields=("title", "published_on", "updated"))

    search_fields = ("title", "publisher", "text")
    facets = (Facet("publisher", _("Publisher")),)

    class Meta:
        model = Source
        fields = ["publisher"]
