"""Read shapes: the JSON of each resource, written once and built from plain rows.

A shape names a resource's fields in output order. A read fetches the page's rows with one
``values()`` query, then one query per list of related records for the whole page (grouped by the
parent's id), and assembles plain dicts: no model instance, serializer field or ``reverse()`` per row.
Lists, details and CSV all read through the resource's shape; writes keep the DRF serializers, whose
output is the contract the shapes are tested against (``tests/test_read_shapes.py``).
"""

from datetime import UTC
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.settings import api_settings


def iso_datetime(value):
    """As DRF's ``DateTimeField`` writes it: ISO 8601 in UTC, ``Z`` for the offset."""
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value):
    return value.isoformat()


def fixed_decimal(places):
    """As DRF's ``DecimalField`` writes it: a string with exactly ``places`` decimals."""
    exponent = Decimal(1).scaleb(-places)

    def convert(value):
        return f"{Decimal(value).quantize(exponent):f}"

    return convert


class ReadContext:
    """What a read needs from its request: absolute URLs of records, built from one template per route."""

    def __init__(self, request):
        self.request = request
        self._templates = {}
        fmt = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) if request is not None else None
        # DRF carries ?format= over into the links it builds; so do the shapes, for the same JSON.
        self.suffix = f"?{urlencode({api_settings.URL_FORMAT_OVERRIDE: fmt})}" if fmt and fmt != "csv" else ""

    def url(self, shape, key):
        template = self._templates.get(shape.url_name)
        if template is None:
            path = reverse(shape.url_name, kwargs={shape.lookup: "0"})[:-2]  # "…/0/" without the key
            base = self.request.build_absolute_uri(path) if self.request is not None else path
            template = self._templates[shape.url_name] = base
        return f"{template}{quote(str(key), safe='')}/{self.suffix}"


class ReadField:
    """One key of a shape. ``columns`` are the ``values()`` lookups it reads from the record's row."""

    columns = ()
    fetches = False  # True: one query per page (``fetch``), not columns of the row

    def bind(self, name, shape):
        self.name, self.shape = name, shape

    def value(self, row, fetched, context):
        raise NotImplementedError

    def csv(self, value):
        """The value as one flat CSV cell."""
        if value is None:
            return ""
        if isinstance(value, list):
            return ";".join(self.csv(item) for item in value)
        return value


class Column(ReadField):
    """A column of the record's own row, optionally converted (dates, decimals)."""

    def __init__(self, lookup=None, convert=None):
        self.lookup, self.convert = lookup, convert

    def bind(self, name, shape):
        super().bind(name, shape)
        self.lookup = self.lookup or name
        self.columns = (self.lookup,)
        try:
            choices = shape.model._meta.get_field(self.lookup).flatchoices
        except FieldDoesNotExist:
            choices = None
        # A coded column (a choice: ``stage``) is followed in CSV by its label (``stage_label``: "Phase 2").
        self.labels = dict(choices) if choices else None

    def value(self, row, fetched, context):
        value = row[self.lookup]
        return value if value is None or self.convert is None else self.convert(value)


class Display(ReadField):
    """Text computed from columns of the row by the same function the model's property uses."""

    def __init__(self, function, *columns):
        self.function, self.columns = function, columns

    def value(self, row, fetched, context):
        return self.function(*(row[column] for column in self.columns))


class Ref(ReadField):
    """A record pointed to: ``{"slug", "name"}``, or null (as ``RefField`` reads it)."""

    def __init__(self, relation=None, *, key="slug", label="name"):
        self.relation, self.key, self.label = relation, key, label

    def bind(self, name, shape):
        super().bind(name, shape)
        self.relation = self.relation or name
        self.columns = (f"{self.relation}__{self.key}", f"{self.relation}__{self.label}")

    def value(self, row, fetched, context):
        key, label = (row[column] for column in self.columns)
        return None if key is None else {"slug": key, "name": label}

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
        self.related_model, self.back = field.related_model, field.related_query_name()

    def fetch(self, ids, context, names=None):
        grouped = {}
        rows = self.related_model._default_manager.filter(**{f"{self.back}__in": ids}).values_list(self.back, self.key)
        for parent, key in rows:
            grouped.setdefault(parent, []).append(key)
        return grouped

    def value(self, row, fetched, context):
        return fetched.get(row["pk"], [])


class Nested(ReadField):
    """The records pointing to this one (a program's developments), each in ``shape``, in their model's order."""

    fetches = True

    def __init__(self, shape, parent, *, csv=None):
        self.nested, self.parent, self.csv_cell = shape, parent, csv

    def fetch(self, ids, context, names=None):
        queryset = self.nested.model._default_manager.filter(**{f"{self.parent}__in": ids})
        grouped = {}
        for parent, item in self.nested.build(queryset, context, extra={"parent_": F(self.parent)}):
            grouped.setdefault(parent, []).append(item)
        return grouped

    def value(self, row, fetched, context):
        return fetched.get(row["pk"], [])

    def csv(self, value):
        return ";".join(self.csv_cell(item) for item in value)


class Url(ReadField):
    """The record's own API detail URL (``HyperlinkedIdentityField``), from a template, not ``reverse()``."""

    def bind(self, name, shape):
        super().bind(name, shape)
        self.columns = (shape.lookup,)

    def value(self, row, fetched, context):
        return context.url(self.shape, row[self.shape.lookup])

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
        for name, field in self.fields.items():
            field.bind(name, self)

    def only(self, *names):
        """The same shape with only ``names`` (a resource as part of another: a program's developments)."""
        return ReadShape(self.model, {name: self._copy(name) for name in names}, lookup=self.lookup)

    def _copy(self, name):
        field = self.fields[name]
        clone = object.__new__(type(field))
        clone.__dict__.update(field.__dict__)
        return clone

    def select(self, names=None):
        return self.fields if names is None else {name: self.fields[name] for name in self.fields if name in names}

    def columns(self, fields):
        return [column for field in fields.values() for column in field.columns]

    def build_ids(self, ids, context, *, names=None):
        """The records with primary keys ``ids``, in that order."""
        position = {pk: i for i, pk in enumerate(ids)}
        queryset = self.model._default_manager.filter(pk__in=ids).order_by()
        return self.build(queryset, context, names=names, order=position.__getitem__)

    def build(self, queryset, context, *, names=None, extra=None, order=None):
        """The records of ``queryset`` as dicts (``names``: only these keys), in the queryset's order (or
        sorted by ``order``, a function of the primary key).

        With ``extra`` (name → expression), yields ``(row["parent_"], dict)`` pairs instead, for nesting.
        """
        fields = self.select(names)
        rows = list(queryset.values(*dict.fromkeys(["pk", *self.columns(fields)]), **(extra or {})))
        if order is not None:
            rows.sort(key=lambda row: order(row["pk"]))
        fetched = {}
        if rows:
            ids = [row["pk"] for row in rows]
            fetched = {name: field.fetch(ids, context) for name, field in fields.items() if field.fetches}
        items = [{name: field.value(row, fetched.get(name), context) for name, field in fields.items()} for row in rows]
        if extra:
            return [(row["parent_"], item) for row, item in zip(rows, items, strict=True)]
        return items

    def csv_header(self, names=None):
        header = []
        for name, field in self.select(names).items():
            header += [name, f"{name}_label"] if getattr(field, "labels", None) else [name]
        return header

    def csv_row(self, item, names=None):
        row = []
        for name, field in self.select(names).items():
            value = item[name]
            row.append(field.csv(value))
            if getattr(field, "labels", None):
                row.append("" if value in (None, "") else str(field.labels.get(value, value)))
        return row
