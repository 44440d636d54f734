"""Pieces shared by the filter sets of every app (used by both the API and the public pages)."""

import operator
from functools import reduce

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with ``search``: a case-insensitive match on any of ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

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
