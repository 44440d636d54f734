"""Paging of every list: ``?page=`` (numbered pages) or ``?cursor=`` (keyset), with a count that is
counted once per filter and data version, not on every page."""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cgt_tracker.models import DataVersion

COUNT_TIMEOUT_SECONDS = 600
# Parameters that choose a page or a representation, not which rows: one count serves them all.
NOT_FILTERS = {"page", "page_size", "cursor", "fields", "format"}


def data_version(request):
    """The data version, as ``CachedReadMiddleware`` read it for this request, or read now."""
    version = getattr(request._request, "data_version", None)
    return DataVersion.current() if version is None else version


def count_key(request, model):
    filters = sorted((k, v) for k, values in request.query_params.lists() if k not in NOT_FILTERS for v in values)
    digest = hashlib.blake2b(repr(filters).encode(), digest_size=16).hexdigest()
    return f"api-count:{data_version(request)}:{model._meta.label_lower}:{digest}"


class CountedPaginator(Paginator):
    """A paginator whose count is kept in the cache under ``count_key``: the filtered rows are counted once
    per data version, and every other page of the same list reuses the number."""

    def __init__(self, object_list, per_page, *, count_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        count = cache.get(self.count_key)
        if count is None:
            count = self.object_list.count()
            cache.set(self.count_key, count, COUNT_TIMEOUT_SECONDS)
        return count


class InvalidCursor(exceptions.ParseError):
    default_detail = gettext_lazy(
        "Invalid cursor: use the `next` or `previous` link of a list response as it was given."
    )
    default_code = "invalid_cursor"


class OrderKey:
    """One column of a list's order: its lookup, direction, and whether NULLs come after the other values."""

    def __init__(self, lookup, descending, nulls_after):
        self.lookup, self.descending, self.nulls_after = lookup, descending, nulls_after

    def reversed(self):
        return OrderKey(self.lookup, not self.descending, not self.nulls_after)

    def order_by(self, column):
        nulls = {"nulls_last": True} if self.nulls_after else {"nulls_first": True}
        return F(column).desc(**nulls) if self.descending else F(column).asc(**nulls)

    def signature(self):
        return f"{'-' if self.descending else ''}{self.lookup}"


def ordering_of(queryset):
    """The terms ``queryset`` is ordered by: its own ``order_by()``, else its model's default ordering."""
    query = queryset.query
    return query.order_by or (queryset.model._meta.ordering if query.default_ordering else [])


def order_keys(queryset):
    """The list's order as ``OrderKey``s, relations expanded to their model's order, ending with the primary key."""
    nulls_largest = connections[queryset.db].vendor == "postgresql"
    ordering = ordering_of(queryset)
    keys = []

    def add(model, item, prefix="", flip=False):
        nulls = None
        if isinstance(item, OrderBy):
            name, descending = item.expression.name, item.descending
            nulls = True if item.nulls_last else False if item.nulls_first else None
        else:
            name, descending = item.lstrip("-"), item.startswith("-")
        descending ^= flip
        field = next((f for f in model._meta.concrete_fields if name in (f.name, f.attname)), None)
        if field is not None and field.is_relation and name == field.name:
            # Ordering by a relation orders by the related model's own ordering, as Django does.
            for related in field.related_model._meta.ordering or ["pk"]:
                add(field.related_model, related, f"{prefix}{name}__", descending)
            return
        name = "pk" if name == "id" else name
        if nulls is None:
            nulls = nulls_largest != descending
        elif flip:
            nulls = not nulls
        keys.append(OrderKey(f"{prefix}{name}", descending, nulls))

    for item in ordering:
        add(queryset.model, item)
    if not any(key.lookup == "pk" for key in keys):
        # In the direction of the key before it, so that an index on that key, read backwards, serves both.
        descending = bool(keys) and keys[-1].descending
        keys.append(OrderKey("pk", descending, nulls_largest != descending))
    return keys


def totally_ordered(queryset):
    """``queryset`` in its own order with ties broken by primary key as a cursor breaks them (``order_keys``),
    so that numbered pages neither repeat nor skip a row whose sort value it shares with another (the
    database orders a tie as it likes)."""
    ordering = ordering_of(queryset)
    if any(item in {"pk", "-pk", "id", "-id"} for item in ordering):
        return queryset
    return queryset.order_by(*ordering, "-pk" if order_keys(queryset)[-1].descending else "pk")


def after(keys, values):
    """Rows strictly after ``values`` in the order of ``keys`` (a row-value comparison that knows NULLs)."""
    condition = Q(pk__in=[])
    equal = Q()
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        column = f"cursor_{i}"
        if value is None:
            beyond = Q(pk__in=[]) if key.nulls_after else Q(**{f"{column}__isnull": False})
            same = Q(**{f"{column}__isnull": True})
        else:
            beyond = Q(**{f"{column}__{'lt' if key.descending else 'gt'}": value})
            if key.nulls_after:
                beyond |= Q(**{f"{column}__isnull": True})
            same = Q(**{column: value})
        condition |= equal & beyond
        equal &= same
    return condition


def plain(value):
    """A cursor value as JSON can carry it (the database reads the text back as the column's type)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def positive_integer(request, name, maximum=None):
    """The query parameter ``name`` as an integer from 1 to ``maximum``, None if absent; anything else is a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = 0
    if raw.isascii() and raw.isdigit():
        # Past 18 digits it is past any page (and beyond any maximum): no need to read a thousand-digit number.
        value = int(raw) if len(raw) <= 18 else 10**18
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is not None:
            message = gettext("Expected a whole number from 1 to %(maximum)s, not “%(value)s”.")
        else:
            message = gettext("Expected a whole number of 1 or more, not “%(value)s”.")
        raise exceptions.ValidationError({name: [message % {"maximum": maximum, "value": raw}]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most ``max_page_size``; a value that is not a whole number in range is
    a 400, never silently replaced; a page past the last is a 404), or ``?cursor=``: a signed, opaque keyset
    position.

    ``paginate_queryset`` returns the page as a queryset (rows still to be read, by the resource's shape)
    in ``?page=`` mode, or as a list of primary keys in cursor mode.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    cursor_salt = "cgt_tracker.api.cursor"
    last_page_strings = ()

    def check_query_parameters(self, request):
        """400 unless ``page`` and ``page_size``, where given, are in range (CSV lists check them too)."""
        positive_integer(request, self.page_query_param)
        positive_integer(request, self.page_size_query_param, self.max_page_size)

    def get_page_size(self, request):
        return positive_integer(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.check_query_parameters(request)
        self.request = request
        self.page_size_ = self.get_page_size(request)
        self.counted = CountedPaginator(
            totally_ordered(queryset), self.page_size_, count_key=count_key(request, queryset.model)
        )
        self.cursor_mode = self.cursor_query_param in request.query_params
        if self.cursor_mode:
            return self.paginate_by_cursor(queryset, request.query_params[self.cursor_query_param])
        page_number = request.query_params.get(self.page_query_param) or 1
        try:
            self.page = self.counted.page(page_number)
        except InvalidPage as exc:
            raise exceptions.NotFound(self.invalid_page_message.format(page_number=page_number, message=exc)) from exc
        return self.page.object_list

    def get_paginated_response(self, data):
        if self.cursor_mode:
            next_link, previous_link = self.cursor_links()
        else:
            next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return Response({"count": self.counted.count, "next": next_link, "previous": previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "Rows the filters select, counted once per filter and data version (every page of a list reuses it)."
        )
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return [
            *parameters,
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset paging: send it empty for the first page, then follow `next`/`previous`. Opaque and "
                    "signed; any filter and `ordering` combine with it; a page deep in the list costs what the "
                    "first does. A changed or malformed cursor is a 400."
                ),
                "schema": {"type": "string"},
            },
        ]

    # Cursor paging

    def paginate_by_cursor(self, queryset, token):
        self.keys = order_keys(queryset)
        signature = [key.signature() for key in self.keys]
        backwards, values = False, None
        if token:
            try:
                backwards, signed_keys, values = signing.loads(token, salt=self.cursor_salt)
            except (signing.BadSignature, ValueError, TypeError) as exc:
                raise InvalidCursor() from exc
            if signed_keys != signature:
                raise InvalidCursor("This cursor was made for another ordering: restart without it.")
        keys = [key.reversed() for key in self.keys] if backwards else self.keys
        queryset = queryset.annotate(**{f"cursor_{i}": F(key.lookup) for i, key in enumerate(keys)})
        queryset = queryset.order_by(*(key.order_by(f"cursor_{i}") for i, key in enumerate(keys)))
        if values is not None:
            queryset = queryset.filter(after(keys, values))
        names = [f"cursor_{i}" for i in range(len(keys))]
        rows = list(queryset.values_list(*names)[: self.page_size_ + 1])
        more = len(rows) > self.page_size_
        rows = rows[: self.page_size_]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = values is not None, more
        else:
            self.has_next, self.has_previous = more, values is not None
        self.rows = rows
        pk = next(i for i, key in enumerate(self.keys) if key.lookup == "pk")
        return [row[pk] for row in rows]

    def cursor_links(self):
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        signature = [key.signature() for key in self.keys]

        def link(backwards, row):
            token = signing.dumps([backwards, signature, [plain(v) for v in row]], salt=self.cursor_salt)
            return replace_query_param(url, self.cursor_query_param, token)

        next_link = link(False, self.rows[-1]) if self.has_next and self.rows else None
        previous_link = link(True, self.rows[0]) if self.has_previous and self.rows else None
        return next_link, previous_link
