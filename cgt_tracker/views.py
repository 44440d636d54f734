"""The two generic public views every page of the apps is made of: a filtered list and a record's detail."""

import hashlib
from dataclasses import replace
from functools import cached_property

import django_filters
from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.views.generic import DetailView
from django_filters.views import FilterView

from evidence.footnotes import Footnotes

from .api.pagination import totally_ordered
from .facets import toggled, with_query
from .models import DataVersion, EvidencedModel

API_ROOT = "/api/"
NOT_FILTERS = {"page", "ordering", "format"}
COUNTS_TIMEOUT_SECONDS = 3600


def counted_once(key, compute):
    """``compute()``, kept in the cache under ``key`` (which names the data version: a change makes it stale)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_TIMEOUT_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """A paginator whose row count (a scan of every filtered row) is counted once per filters and data version."""

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return counted_once(self.count_key, lambda: Paginator.count.func(self))


class FilteredListView(FilterView):
    """A list page driven by the model's filter set (the API's): facets with counts, search, sorting, pages, CSV.

    Subclasses name the ``queryset``, the ``filterset_class`` (whose ``facets`` are shown beside the
    rows) and the ``api_resource`` whose ``?format=csv`` serves the same rows.
    """

    paginate_by = 25
    # A value that is not understood is named in a message and not applied, rather than emptying the page.
    strict = False
    template_name_suffix = "_list"
    facet_limit = 15
    api_resource = ""
    feed_url_name = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets = [(facet, self.facet_values(facet)) for facet in self.filterset_class.bound_facets()]
        return context | {
            "title": capfirst(self.filterset.queryset.model._meta.verbose_name_plural),
            "facets": facets,
            "active_filters": self.active_filters(facets),
            "rejected_filters": self.rejected_filters(facets),
            "without_rejected": with_query(self.request.path, self.query),
            "hidden_params": [(k, v) for k, vs in self.query.lists() if k not in {"search", "page"} for v in vs],
            "csv_url": self.csv_url(),
            "feed_url": self.feed_url(),
            "ordering": (self.cleaned_data.get("ordering") or [""])[0],
            "sortable_fields": getattr(self.filterset.filters.get("ordering"), "param_map", {}),
        }

    def get_paginator(self, queryset, per_page, **kwargs):
        return CachedCountPaginator(queryset, per_page, count_key=self.counts_key("count"), **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """The page's ids first (the list's own query, which a deep page runs over thousands of rows it skips),
        then the records of those ids with everything they show, in the same order."""
        ids_queryset = (
            totally_ordered(queryset).select_related(None).prefetch_related(None).values_list("pk", flat=True)
        )
        paginator, page, ids, is_paginated = super().paginate_queryset(ids_queryset, page_size)
        page.object_list = self.rows(queryset, list(ids))
        return paginator, page, page.object_list, is_paginated

    def rows(self, queryset, ids):
        """The records of ``ids`` in that order, with everything the table shows."""
        records = queryset.order_by().filter(pk__in=ids).in_bulk()
        return [records[pk] for pk in ids if pk in records]

    @cached_property
    def data_version(self):
        return DataVersion.current()

    def counts_key(self, what, *, without=""):
        """A cache key for counts among the rows these filters (and search) select, but for ``without``."""
        filters = sorted(
            (param, value)
            for param, values in self.query.lists()
            if param not in NOT_FILTERS and param != without
            for value in values
        )
        digest = hashlib.blake2b(repr(filters).encode(), digest_size=16).hexdigest()
        # Labels are kept with the counts, so the language is part of the key.
        return f"page-counts:{self.data_version}:{get_language()}:{self.filterset_class.__name__}:{what}:{digest}"

    @property
    def cleaned_data(self):
        return self.filterset.form.cleaned_data if self.filterset.is_bound else {}

    @cached_property
    def query(self):
        """The request's query without the filters that were not understood: what links build on."""
        query = self.request.GET.copy()
        for param in self.filterset.errors:
            query.pop(param, None)
        return query

    def title_of(self, param, facets):
        titles = {facet.param: facet.title for facet, _ in facets}
        return titles.get(param) or self.filterset.filters[param].label or capfirst(param.replace("_", " "))

    def rows_without(self, name):
        """The rows filtered by every filter but ``name``: what that filter's facet counts among."""
        return self.filterset.filter_all_but(self.filterset.queryset.all(), name)

    def facet_values(self, facet):
        chosen = self.query.getlist(facet.param)
        multiple = isinstance(self.filterset.filters[facet.param], django_filters.MultipleChoiceFilter)
        return [
            replace(
                value,
                selected=value.value in chosen,
                href=with_query(self.request.path, toggled(self.query, facet.param, value.value, multiple=multiple)),
            )
            for value in counted_once(
                self.counts_key(f"facet-{facet.param}", without=facet.param),
                lambda: self.count_facet(facet)[: self.facet_limit],
            )
        ]

    def count_facet(self, facet):
        """Each value of ``facet`` and how many rows have it, among the rows every other filter selects."""
        return facet.counts(self.rows_without(facet.param), limit=self.facet_limit)

    def active_filters(self, facets):
        """Each filter value applied to the rows, with its label and a link that drops it."""
        labels = {(facet.param, value.value): value.label for facet, values in facets for value in values}
        return [
            {
                "name": self.title_of(param, facets),
                "value": labels.get((param, value), value),
                "href": with_query(self.request.path, toggled(self.query, param, value, multiple=True)),
            }
            for param, values in self.query.lists()
            if param in self.filterset.filters and param not in NOT_FILTERS
            for value in values
            if value
        ]

    def feed_url(self):
        """The Atom feed of changes to exactly these rows (same filters), where the list has one."""
        if not self.feed_url_name:
            return ""
        query = self.request.GET.copy()
        for param in ("page", "ordering"):
            query.pop(param, None)
        return with_query(reverse(self.feed_url_name), query)

    def rejected_filters(self, facets):
        """Each filter of the request that was not understood, with its values and why: none of it is applied."""
        return [
            {
                "name": self.title_of(param, facets) if param in self.filterset.filters else param,
                "values": self.request.GET.getlist(param),
                "errors": errors,
            }
            for param, errors in self.filterset.errors.items()
        ]

    def csv_url(self):
        """The API's CSV of exactly these rows: same filters, search and order, every page."""
        query = self.query.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return f"{API_ROOT}{self.api_resource}/?{query.urlencode()}"


class RecordDetailView(DetailView):
    """A record's page, found by slug (404 if unknown); ``related()`` adds the lists of records around it.

    The quotes backing the record (and the records ``footnoted()`` adds) are numbered as its footnotes.
    """

    def related(self, record):
        return {}

    def footnoted(self, record):
        return [record] if isinstance(record, EvidencedModel) else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.related(self.object)
        return context | {"footnotes": Footnotes(self.footnoted(self.object))}
