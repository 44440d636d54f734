"""``?format=csv`` on every list: the same filtered rows, all of them, streamed as CSV (formulas made inert).

Rows are read by the resource's shape in batches of primary keys, so memory stays flat whatever the
number of rows. If anything fails midway, the error propagates out of the stream and the server aborts
the connection (gunicorn drops it without the closing chunk): a client can tell a broken download from
a finished one, instead of receiving a truncated file with status 200.
"""

import csv
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify
from rest_framework import renderers
from rest_framework.response import Response

from cgt_tracker.formulas import escape_formula

from .renderers import JSONRenderer
from .shapes import ReadContext

CHUNK_SIZE = 2000


class CSVRenderer(renderers.BaseRenderer):
    """Selects CSV in content negotiation (``?format=csv`` or ``Accept: text/csv``).

    Lists stream their rows themselves (see ``CSVListMixin``), so there is never a rendered body to produce.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by CSVListMixin.list().")


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` can feed a generator."""

    def write(self, value):
        return value


def csv_lines(shape, queryset, context, names=None):
    """The header, then one chunk of lines per batch of ``CHUNK_SIZE`` records."""
    writer = csv.writer(_Echo())
    yield writer.writerow(shape.csv_header(names))
    computed = shape.export_expressions(names)
    aliases = {f"exported_{name}": expression for name, expression in computed.items()}
    stream = queryset.annotate(**aliases).values_list("pk", *aliases).iterator(chunk_size=CHUNK_SIZE)
    while batch := list(islice(stream, CHUNK_SIZE)):
        ids = [row[0] for row in batch]
        exported = {name: {row[0]: row[i] for row in batch} for i, name in enumerate(computed, 1)}
        rows = shape.csv_rows(ids, context, names=names, using=queryset.db, exported=exported)
        yield "".join(writer.writerow(list(map(escape_formula, cells))) for cells in rows)


class CSVListMixin:
    """Adds CSV to a viewset's list: every row the filters select, in one streamed response (the list
    answers with ``csv_response`` when ``wants_csv``)."""

    def get_renderers(self):
        renderers_ = super().get_renderers()
        return [*renderers_, CSVRenderer()] if self.action == "list" else renderers_

    def wants_csv(self, request):
        return isinstance(request.accepted_renderer, CSVRenderer)

    def csv_response(self, request):
        names = self.requested_fields()
        queryset = self.filter_queryset(self.read_queryset())
        lines = csv_lines(self.shape, queryset, ReadContext(request), names)
        response = StreamingHttpResponse(lines, content_type="text/csv")
        with translation.override(None):  # the file name stays English, like the column names
            name = slugify(str(self.shape.model._meta.verbose_name_plural))
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors (a bad filter value with ?format=csv) are reported as JSON, like everywhere else.
        if isinstance(response, Response) and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
