"""Pieces shared by the filter sets of every app (used by both the API and the public pages)."""

import functools
import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

SEARCH_MAX_LENGTH = 200


def _search_label():
    return gettext("Search (at most %(max)d characters)") % {"max": SEARCH_MAX_LENGTH}


# Read in the language of each request (``%`` on a lazy string would translate it once, at import).
search_label = lazy(_search_label, str)


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with ``search``: a case-insensitive match on any of ``search_fields``.

    ``facets`` lists the filters a list page shows with counts (``cgt_tracker.facets.Facet``), declared
    here beside the filters they narrow, and read by the views.

    Search terms are at most ``SEARCH_MAX_LENGTH`` characters (a longer one is a 400): no name or phrase
    is that long, and SQLite refuses LIKE patterns of 50,000 bytes.
    """

    search_fields: tuple[str, ...] = ()
    facets: tuple = ()

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        label=search_label(),
    )

    @classmethod
    def given(cls, parameters):
        """This filter set with only the filters that the query ``parameters`` (names) give. A filter set copies
        every filter, and makes and copies a form field for each, every time it is made; an API request gives one
        or two of them, and a filter not given filters nothing. (A filter also reads ``name_<suffix>``, as a range
        does.)"""
        names = frozenset(
            name
            for name in cls.base_filters
            if any(parameter == name or parameter.startswith(f"{name}_") for parameter in parameters)
        )
        return cls if len(names) == len(cls.base_filters) else _with_only(cls, names)

    @classmethod
    def bound_facets(cls):
        return [facet.bind(cls) for facet in cls.facets]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(self.search_q(value))

    def filtered_values(self):
        """The valid filter values of the query ({} without a query)."""
        if not self.is_bound:
            return {}
        self.form.errors  # noqa: B018 (validates the form once)
        return self.form.cleaned_data

    def filter_all_but(self, queryset, *names):
        """``queryset`` filtered by every filter of the query but ``names`` (and the ordering): a facet's rows."""
        for name, value in self.filtered_values().items():
            if name not in {*names, "ordering"}:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search_q(self, value):
        return reduce(operator.or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields))


@functools.lru_cache(maxsize=256)
def _with_only(filterset_class, names):
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return narrowed


def may_be_null(model, path):
    """Whether the value at ``path`` (``company__name``) can be missing: a nullable field on the way, or a
    value the query computes (an alias)."""
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.null or not field.concrete:
            return True
        model = field.related_model
    return False


class OrderingFilter(django_filters.OrderingFilter):
    """``ordering`` where records without the value come last in either direction, on SQLite as on
    PostgreSQL (PostgreSQL sorts a NULL as the largest value, SQLite as the smallest).

    Only a value that can be missing says where NULLs go: a plain ``DESC`` is what an index read backwards
    gives on PostgreSQL, and ``DESC NULLS LAST`` would sort every row instead.
    """

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        path = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        nulls = {"nulls_last": True} if may_be_null(self.model, path) else {}
        return F(path).desc(**nulls) if descending else F(path).asc(**nulls)


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Choose a related record by its slug (or another unique field); an unknown one is a 400."""

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    @property
    def key_path(self):
        """The lookup path of the chosen record's key from the filtered rows (``targets__symbol``)."""
        return f"{self.field_name}__{self.extra['to_field_name']}"


class RelatedExistsFilter(SlugChoiceFilter):
    """Rows related to the chosen record through a to-many path (``targets``, ``developments__indication``).

    The test is an EXISTS subquery on the link table rather than a join, so a row never appears twice
    in a page and no DISTINCT is needed.
    """

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        first, _, rest = self.field_name.partition("__")
        relation = qs.model._meta.get_field(first)
        if relation.many_to_many and not relation.auto_created:  # a forward many-to-many: its through table
            through = relation.remote_field.through
            target = relation.m2m_reverse_field_name()
            links = through._default_manager.filter(
                **{relation.m2m_field_name(): OuterRef("pk"), f"{target}__{rest}" if rest else target: value}
            )
        else:  # a reverse foreign key (a program's developments), or the reverse side of a many-to-many
            lookup = relation.field.name
            links = relation.related_model._default_manager.filter(**{lookup: OuterRef("pk"), rest or "pk": value})
        return qs.filter(Exists(links))


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    """``updated_after``: records changed since a moment (ISO 8601), for clients that pull what is new."""

    def __init__(self, **kwargs):
        super().__init__(field_name="updated", lookup_expr="gt", label=_("Updated after (ISO 8601)"), **kwargs)


class TrueOrFalseField(forms.NullBooleanField):
    """``true`` or ``false`` as written in a query string; another value is an error, not quietly no filter."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value in EMPTY_VALUES:
            return None
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value):
        pass


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = TrueOrFalseField
