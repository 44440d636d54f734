"""Read shapes: the JSON of each resource, written once and built from plain rows.

A shape names a resource's fields in output order. A read fetches the page's rows with one
``values()`` query, then one query per list of related records for the whole page (grouped by the
parent's id), and assembles plain dicts: no model instance, serializer field or ``reverse()`` per row.
Lists, details and CSV all read through the resource's shape; writes keep the DRF serializers, whose
output is the contract the shapes are tested against (``cgt_tracker/tests/test_read_shapes.py``).
"""

import functools
import json
from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import CharField, F, Func
from django.db.models.constants import LOOKUP_SEP
from django.urls import get_script_prefix
from django.utils.http import urlencode
from django.utils.translation import get_language
from rest_framework.settings import api_settings

from cgt_tracker.record_urls import route_base, url_key


class IsoDateTime(Func):
    """A timestamp as DRF's ``DateTimeField`` writes it (ISO 8601 in UTC, ``Z``, no fraction of a second when
    it is zero), formatted by the database: parsing and formatting it in Python cost more than the rest of a
    record's columns."""

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores an aware timestamp as UTC text, "2026-11-01 10:00:00[.ffffff]".
        template = (
            "REPLACE(CASE WHEN length(%(expressions)s) = 19 OR CAST(substr(%(expressions)s, 21) AS INTEGER) = 0 "
            "THEN substr(%(expressions)s, 1, 19) ELSE substr(%(expressions)s || '000000', 1, 26) END, ' ', 'T') || 'Z'"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        utc = "(%(expressions)s AT TIME ZONE 'UTC')"
        template = (
            f"CASE WHEN to_char({utc}, 'US') = '000000' THEN to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
            f'ELSE to_char({utc}, \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') END'
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def iso_date(value):
    return value.isoformat()


def fixed_decimal(places):
    """As DRF's ``DecimalField`` writes it: a string with exactly ``places`` decimals."""
    exponent = Decimal(1).scaleb(-places)

    def convert(value):
        return f"{Decimal(value).quantize(exponent):f}"

    return convert


def pg_array(values):
    """A PostgreSQL array literal of ``values`` (ids, or text keys), sent as one text parameter whose type the
    server infers: psycopg adapts a Python list element by element (~2 ms for 2,000 ids, as long as the query)."""
    ints = bool(values) and isinstance(values[0], int)
    return "{" + ",".join(map(str, values) if ints else map(_pg_quoted, values)) + "}"


def _pg_quoted(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class CompiledQuery:
    """A ``values()`` query compiled to SQL once per database, then only run: building an ORM query costs about as
    much as running a small indexed read. Django's own converters (dates, JSON, decimals) still apply to the rows,
    found once too (finding them cost more than running a detail's one-row query)."""

    def __init__(self, make_queryset):
        self.make_queryset = make_queryset  # a function returning the ``values()`` queryset
        self.compiled = {}

    def compile(self, using):
        query = self.make_queryset().query
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        self.compiled[using] = compiled = (sql, list(params), *self.reading(query, compiler))
        return compiled

    @staticmethod
    def reading(query, compiler):
        """The names of the query's columns, and what converts their values: ``(names, converters, compiler)``."""
        names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
        expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(expressions):
            raise ValueError("A compiled query reads no composite key")
        return names, compiler.get_converters(expressions), compiler

    def rows(self, using):
        sql, params, *reading = self.compiled.get(using) or self.compile(using)
        return self.run(sql, params, *reading, using=using)

    @staticmethod
    def run(sql, params, names, converters, compiler, *, using):
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row, strict=True)) for row in rows]


class IdListQuery(CompiledQuery):
    """A compiled ``values()`` query over the rows whose ``column`` is one of a page's ids, run with the whole id
    list as a single parameter (a page runs one per nested list)."""

    SENTINEL = -424242  # stands for the id list while compiling; no row has it

    def compile(self, using):
        query = self.make_queryset([self.SENTINEL]).query
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        # A text column's lookup holds the sentinel as text.
        found = [i for i, param in enumerate(params) if str(param) == str(self.SENTINEL)]
        if sql.count("IN (%s)") != 1 or len(found) != 1:
            raise ValueError(f"Cannot find the id list in {sql!r}")
        if connections[using].vendor == "postgresql":
            sql, to_param = sql.replace("IN (%s)", "= ANY(%s)"), pg_array
        else:  # SQLite: one JSON array parameter, however many ids (no limit on SQL variables)
            sql, to_param = sql.replace("IN (%s)", "IN (SELECT value FROM json_each(%s))"), json.dumps
        reading = self.reading(query, compiler)
        self.compiled[using] = compiled = (sql, list(params), found[0], to_param, *reading)
        return compiled

    def rows(self, ids, using):
        sql, params, index, to_param, *reading = self.compiled.get(using) or self.compile(using)
        params = [*params[:index], to_param(list(ids)), *params[index + 1 :]]
        return self.run(sql, params, *reading, using=using)


class ReadContext:
    """What a read needs from its request: absolute URLs of records, built from one template per route."""

    def __init__(self, request):
        self.request = request
        self._templates = {}
        fmt = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) if request is not None else None
        # DRF carries ?format= over into the links it builds; so do the shapes, for the same JSON.
        self.suffix = f"?{urlencode({api_settings.URL_FORMAT_OVERRIDE: fmt})}" if fmt and fmt != "csv" else ""

    def url_base(self, shape):
        """The absolute URL of ``shape``'s records up to their key (``http://host/api/programs/``)."""
        base = self._templates.get(shape.url_name)
        if base is None:
            path = route_base(shape.url_name, get_script_prefix())
            base = self.request.build_absolute_uri(path) if self.request is not None else path
            self._templates[shape.url_name] = base
        return base


class ReadField:
    """One key of a shape. ``columns`` are the ``values()`` lookups it reads from the record's row."""

    columns = ()
    expressions = {}  # values the database computes for it: name in the row -> expression
    staff_only = False  # read by staff only (an article's full text: the publishers' rights)
    fetches = False  # True: one query per page (``fetch(ids, using, context)``), not columns of the row

    def bind(self, name, shape):
        self.name, self.shape = name, shape

    def getter(self, fetched, context):
        """A function of a row giving this key's value (``fetched``: what ``fetch`` read for the page)."""
        raise NotImplementedError

    def export_expression(self):
        """For a field that ``fetches``: an expression the database can compute for every record of a whole CSV
        export at once, in the export's own query, where that costs less than a query per chunk; or None."""
        return None

    def fetched_from_export(self, values):
        """What ``fetch`` would read, made from ``values`` (primary key -> ``export_expression``'s value)."""
        raise NotImplementedError

    def for_csv(self):
        """This field as the CSV reads it (a nested list: only what its cell shows)."""
        return self

    def csv(self, value):
        """The value as one flat CSV cell."""
        if value is None:
            return ""
        if isinstance(value, list):
            return ";".join(self.csv(item) for item in value)
        return value

    def csv_getter(self, get):
        """A function of a row giving its CSV cell, from ``get`` (this field's getter)."""
        to_cell = self.csv
        return lambda row: to_cell(get(row))


class Column(ReadField):
    """A column of the record's own row, optionally converted: by a Python function of the value (dates,
    decimals), or by the database (``convert`` a ``Func`` such as ``IsoDateTime``)."""

    def __init__(self, lookup=None, convert=None, *, staff_only=False):
        self.lookup, self.convert, self.staff_only = lookup, convert, staff_only

    def bind(self, name, shape):
        super().bind(name, shape)
        self.lookup = self.lookup or name
        if isinstance(self.convert, type) and issubclass(self.convert, Func):
            self.alias = f"{name}_converted"
            self.expressions = {self.alias: self.convert(self.lookup)}
        else:
            self.columns = (self.lookup,)
        try:
            model_field = shape.model._meta.get_field(self.lookup)
        except FieldDoesNotExist:
            model_field = None
        choices = model_field.flatchoices if model_field else None
        self.scalar = model_field is not None and model_field.get_internal_type() != "JSONField"
        # A coded column (a choice: ``stage``) is followed in CSV by its label (``stage_label``: "Phase 2").
        self.labels = dict(choices) if choices else None

    def getter(self, fetched, context):
        lookup, convert = self.lookup, self.convert
        if self.expressions:
            return itemgetter(self.alias)
        if convert is None:
            return itemgetter(lookup)
        return lambda row: None if (value := row[lookup]) is None else convert(value)

    def csv_getter(self, get):
        # A column holding one value is its own cell: the CSV writer writes None as an empty cell and any other
        # value as ``str()`` does, which is what ``csv`` makes of it. A JSON column's list is joined.
        return get if self.scalar else super().csv_getter(get)


class Display(ReadField):
    """Text computed from columns of the row by the same function the model's property uses (the columns' values
    are hashable: dates, numbers, text)."""

    TEXTS_KEPT = 16384

    def __init__(self, function, *columns):
        self.function, self.columns = function, columns
        # The text depends on the columns and the active language only, and the same values recur (the dates of a
        # page, of an export): each is formatted once. Looking the language up per row cost more than the rest.
        self.text_of = functools.lru_cache(maxsize=self.TEXTS_KEPT)(lambda language, values: function(*values))

    def getter(self, fetched, context):
        columns, text_of, language = self.columns, self.text_of, get_language()
        read = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        return lambda row: text_of(language, read(row))


class Ref(ReadField):
    """A record pointed to: ``{"slug", "name"}``, or null (as ``RefField`` reads it)."""

    def __init__(self, relation=None, *, key="slug", label="name"):
        self.relation, self.key, self.label = relation, key, label

    def bind(self, name, shape):
        super().bind(name, shape)
        self.relation = self.relation or name
        self.columns = (f"{self.relation}__{self.key}", f"{self.relation}__{self.label}")

    def getter(self, fetched, context):
        key, label = self.columns
        return lambda row: None if row[key] is None else {"slug": row[key], "name": row[label]}

    def csv(self, value):
        return "" if value is None else value["slug"]


class Keys(ReadField):
    """A many-to-many relation as the list of the related records' keys, in the related model's order."""

    fetches = True

    def __init__(self, key="slug"):
        self.key = key

    def bind(self, name, shape):
        super().bind(name, shape)
        field = shape.model._meta.get_field(name)
        related, back = field.related_model, field.related_query_name()
        # Filtered first, then the parent read through the same join (an F() would join a second time).
        self.query = IdListQuery(
            lambda ids: related._default_manager.filter(**{f"{back}__in": ids}).values(self.key, back)
        )
        self.back = back

    def fetch(self, ids, using, context):
        grouped = {}
        for row in self.query.rows(ids, using):
            grouped.setdefault(row[self.back], []).append(row[self.key])
        return grouped

    def getter(self, fetched, context):
        return lambda row: fetched.get(row["pk"], [])


def refers_to(term, name):
    """Whether an ordering ``term`` (``"-program"``, ``"program__name"``, an expression) sorts by ``name``."""
    return isinstance(term, str) and term.lstrip("-").split(LOOKUP_SEP)[0] == name


class Nested(ReadField):
    """The records pointing to this one (a program's developments), each in ``shape``, in their model's order."""

    fetches = True

    def __init__(self, shape, parent, *, csv=None, csv_reads=None):
        """``csv``: the function writing one nested item as text in the CSV cell; ``csv_reads``: the names
        of ``shape`` it reads (by default all of them)."""
        self.nested, self.parent, self.csv_cell, self.csv_reads = shape, parent, csv, csv_reads
        manager = shape.model._default_manager
        # Rows are grouped by parent afterwards, so the parent's own order (its name: a join to every
        # parent row) is left out; the order within one parent's list stays the model's.
        ordering = [term for term in shape.model._meta.ordering if not refers_to(term, parent)]
        self.query = IdListQuery(
            lambda ids: (
                manager.filter(**{f"{parent}__in": ids})
                .order_by(*ordering)
                .values(*shape.value_names(), **shape.value_expressions(), parent_=F(parent))
            )
        )

    def fetch(self, ids, using, context):
        rows = self.query.rows(ids, using)
        grouped = {}
        for row, item in zip(rows, self.nested.assemble(rows, self.nested.fields, using, context), strict=True):
            grouped.setdefault(row["parent_"], []).append(item)
        return grouped

    def getter(self, fetched, context):
        return lambda row: fetched.get(row["pk"], [])

    def for_csv(self):
        """The same list reading only what its CSV cell shows."""
        if not self.csv_reads:
            return self
        lean = Nested(self.nested.only(*self.csv_reads), self.parent, csv=self.csv_cell)
        lean.bind(self.name, self.shape)
        return lean

    def csv(self, value):
        return ";".join(self.csv_cell(item) for item in value)


class Url(ReadField):
    """The record's own API detail URL (``HyperlinkedIdentityField``), from a template, not ``reverse()``."""

    def bind(self, name, shape):
        super().bind(name, shape)
        self.columns = (shape.lookup,)

    def getter(self, fetched, context):
        base, suffix, lookup = context.url_base(self.shape), context.suffix, self.shape.lookup
        return lambda row: f"{base}{url_key(row[lookup])}/{suffix}"

    def csv(self, value):
        return value.split("?", 1)[0]


class ReadShape:
    """The JSON of one resource: ``fields`` (name → ``ReadField``) in output order.

    ``lookup`` is the column a record is addressed by in its URL (``slug``, ``symbol``, ``code`` or ``pk``).
    """

    def __init__(self, model, fields, *, lookup="slug"):
        self.model, self.lookup = model, lookup
        self.url_name = f"api:{model._meta.model_name}-detail"
        self.fields = dict(fields)
        self._by_keys = {}  # compiled reads by keys, per lookup column and set of fields asked for
        self._csv_fields = None
        for name, field in self.fields.items():
            field.bind(name, self)

    def only(self, *names, **fields):
        """The same shape with only ``names`` (a resource as part of another: a program's developments), and
        ``fields`` in place of its own under those names (a lighter nested list)."""
        return ReadShape(
            self.model, {name: fields.get(name) or self._copy(name) for name in (*names, *fields)}, lookup=self.lookup
        )

    def _copy(self, name):
        field = self.fields[name]
        clone = object.__new__(type(field))
        clone.__dict__.update(field.__dict__)
        return clone

    def visible(self, user):
        """The names of the fields ``user`` may read."""
        return [name for name, field in self.fields.items() if user.is_staff or not field.staff_only]

    def select(self, names=None, *, csv=False):
        """The fields called ``names`` (all by default); ``csv``: as the CSV reads them (only what a cell shows)."""
        if csv and self._csv_fields is None:
            self._csv_fields = {name: field.for_csv() for name, field in self.fields.items()}
        fields = self._csv_fields if csv else self.fields
        return fields if names is None else {name: fields[name] for name in fields if name in names}

    def value_names(self, fields=None):
        """The ``values()`` lookups that ``fields`` read (all of the shape's by default)."""
        fields = self.fields if fields is None else fields
        return list(dict.fromkeys(["pk", *(column for field in fields.values() for column in field.columns)]))

    def value_expressions(self, fields=None):
        """The ``values()`` expressions that ``fields`` read, by name."""
        fields = self.fields if fields is None else fields
        return {name: expression for field in fields.values() for name, expression in field.expressions.items()}

    def build_ids(self, ids, context, *, names=None, using="default"):
        """The records with primary keys ``ids``, in that order (a page's ids, read first by its list query)."""
        return self.build_keys(ids, context, lookup="pk", names=names, using=using)

    def build_keys(self, keys, context, *, lookup, names=None, using="default"):
        """The records whose ``lookup`` column is one of ``keys``, in that order (``names``: only these keys)."""
        fields = self.select(names)
        return self.assemble(self.rows(keys, fields, lookup=lookup, names=names, using=using), fields, using, context)

    def rows(self, keys, fields, *, lookup, names, using):
        """The ``values()`` rows of the records whose ``lookup`` is one of ``keys``, in that order (the same columns
        whether ``fields`` are as the JSON or as the CSV reads them: only nested lists differ, read apart)."""
        cache_key = (lookup, None if names is None else frozenset(fields))
        query = self._by_keys.get(cache_key)
        if query is None:
            value_names = list(dict.fromkeys([*self.value_names(fields), lookup]))
            expressions = self.value_expressions(fields)
            query = self._by_keys[cache_key] = IdListQuery(
                lambda keys: (
                    self.model._default_manager.filter(**{f"{lookup}__in": keys})
                    .order_by()
                    .values(*value_names, **expressions)
                )
            )
        position = {key: i for i, key in enumerate(keys)}
        return sorted(query.rows(keys, using), key=lambda row: position[row[lookup]])

    def assemble(self, rows, fields, using, context):
        """Dicts of ``fields`` from ``rows`` (``values()`` rows), reading the nested lists for all of them at once."""
        getters = self.getters(rows, fields, using, context)
        return [{name: get(row) for name, get in getters} for row in rows]

    def getters(self, rows, fields, using, context, exported=None):
        """``(name, function of a row)`` for each of ``fields``, the nested lists of all ``rows`` read at once
        (``exported``: values computed by the export's own query, by field name, see ``export_expressions``)."""
        exported = exported or {}
        fetched = {name: fields[name].fetched_from_export(values) for name, values in exported.items()}
        if rows:
            ids = [row["pk"] for row in rows]
            fetched |= {
                name: field.fetch(ids, using, context)
                for name, field in fields.items()
                if field.fetches and name not in exported
            }
        return [(name, field.getter(fetched.get(name), context)) for name, field in fields.items()]

    def csv_header(self, names=None):
        header = []
        for name, field in self.select(names).items():
            header += [name, f"{name}_label"] if getattr(field, "labels", None) else [name]
        return header

    def export_expressions(self, names=None):
        """The fields (of ``names``) whose values a whole CSV export computes in its own query: name -> expression."""
        fields = self.select(names, csv=True)
        return {name: expression for name, field in fields.items() if (expression := field.export_expression())}

    def csv_rows(self, ids, context, *, names=None, using="default", exported=None):
        """The CSV cells of the records with primary keys ``ids``, in that order: each field's value as its
        ``csv`` writes it, a coded column's label after its code (labels translated once, not per row).

        The cells are made from the rows directly, with the lean nested lists of ``select(csv=True)``: a
        record's dict is never built, as only its cells are written."""
        fields = self.select(names, csv=True)
        rows = self.rows(ids, fields, lookup="pk", names=names, using=using)
        labels = {
            name: {value: str(label) for value, label in field.labels.items()}
            for name, field in fields.items()
            if getattr(field, "labels", None)
        }
        cells = []  # a function of the row per cell
        for name, get in self.getters(rows, fields, using, context, exported):
            cells.append(fields[name].csv_getter(get))
            if name in labels:
                cells.append(label_getter(get, labels[name]))
        for row in rows:
            yield [cell(row) for cell in cells]


def label_getter(get, label_of):
    """A function of a row giving the label of the code ``get`` reads (the code itself if it has none)."""
    return lambda row: "" if (value := get(row)) in (None, "") else label_of.get(value, value)
