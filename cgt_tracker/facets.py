"""Facets of the public list pages: how many of the filtered rows have each value of a filter, as Datasette shows."""

from dataclasses import dataclass, replace

from django.db.models import Count
from django.http import QueryDict

from .filters import SlugChoiceFilter


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    href: str = ""


@dataclass(frozen=True)
class Facet:
    """One filter of a filter set, shown on its list page with how many rows have each value.

    Declared in the filter set's ``facets`` by filter name and title; the rest comes from the filter
    itself when the facet is ``bound`` to the filter set: ``field``, the lookup path of the value
    (``targets__symbol``), and ``choices``, the labels and their order for a choice filter. ``label``
    names a field of the chosen record to show instead of its key (``name`` for a company).
    """

    param: str
    title: str
    label: str = ""
    field: str = ""
    label_field: str = ""
    choices: tuple = ()

    def bind(self, filterset_class):
        """This facet with the value path and choices of its filter in ``filterset_class``."""
        flt = filterset_class.base_filters[self.param]
        if isinstance(flt, SlugChoiceFilter):
            field = flt.key_path
            label_field = f"{flt.field_name}__{self.label}" if self.label else ""
        else:
            field, label_field = flt.field_name, ""
        choices = () if isinstance(flt, SlugChoiceFilter) else tuple(flt.extra.get("choices", ()))
        return replace(self, field=field, label_field=label_field, choices=choices)

    def through_many(self, model):
        """Whether the value is reached through a to-many relation, where a row can be counted twice."""
        relation = model._meta.get_field((self.field or self.param).split("__")[0])
        return relation.many_to_many or relation.one_to_many

    def counts(self, queryset, *, include_empty=False, limit=None):
        """One query: each value of the facet among ``queryset`` and how many rows have it.

        Without choices, the values with most rows come first, and ``limit`` keeps that many (in the query:
        a company facet over 100,000 programs has thousands of values).
        """
        field = self.field or self.param
        columns = [field, self.label_field] if self.label_field else [field]
        rows = (
            queryset.order_by()
            .prefetch_related(None)
            .values(*columns)
            .annotate(count=Count("pk", distinct=self.through_many(queryset.model)))
            .order_by()
        )
        if self.choices:
            counted = {row[field]: row["count"] for row in rows if row[field]}
            return [
                FacetValue(value, str(label), counted.get(value, 0))
                for value, label in self.choices
                if include_empty or value in counted
            ]
        if limit:  # two more: the rows without a value (null or empty) are counted too, and dropped below
            rows = rows.order_by("-count", columns[-1])[: limit + 2]
        values = [
            FacetValue(str(row[field]), str(row[self.label_field] if self.label_field else row[field]), row["count"])
            for row in rows
            if row[field] not in (None, "")
        ]
        return sorted(values, key=lambda v: (-v.count, v.label.lower()))[:limit]

    def link(self, url, value):
        """``url`` filtered to rows with this value of the facet."""
        query = QueryDict(mutable=True)
        query[self.param] = value
        return f"{url}?{query.urlencode()}"


def with_query(path, query):
    return f"{path}?{query.urlencode()}" if query else path


def toggled(query, param, value, *, multiple):
    """``query`` with ``value`` of ``param`` switched: removed if chosen, else added (or, single-valued, replacing).

    Any other filter is kept; the page number is dropped, since the rows change.
    """
    query = query.copy()
    query.pop("page", None)
    values = query.getlist(param)
    if value in values:
        values.remove(value)
    elif multiple:
        values.append(value)
    else:
        values = [value]
    if values:
        query.setlist(param, values)
    else:
        query.pop(param, None)
    return query
