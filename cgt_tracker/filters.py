"""Pieces shared by the filter sets of every app (used by both the API and the public pages)."""

import operator
from functools import reduce

import django_filters
from django.db.models import Q

SEARCH_MAX_LENGTH = 200


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with ``search``: a case-insensitive match on any of ``search_fields``.

    Search terms are at most ``SEARCH_MAX_LENGTH`` characters (a longer one is a 400): no name or phrase
    is that long, and SQLite refuses LIKE patterns of 50,000 bytes.
    """

    search_fields: tuple[str, ...] = ()

    search = django_filters.CharFilter(
        method="filter_search", max_length=SEARCH_MAX_LENGTH, label=f"Search (at most {SEARCH_MAX_LENGTH} characters)"
    )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(self.search_q(value))

    def search_q(self, value):
        return reduce(operator.or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields))


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Choose a related record by its slug (or another unique field); an unknown one is a 400."""

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    """``updated_after``: records changed since a moment (ISO 8601), for clients that pull what is new."""

    def __init__(self, **kwargs):
        super().__init__(field_name="updated", lookup_expr="gt", label="Updated after (ISO 8601)", **kwargs)
