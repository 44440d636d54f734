"""``?format=csv`` on every list: the same filtered rows, all of them, streamed as CSV (formulas made inert)."""

import csv

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify
from rest_framework import renderers, serializers
from rest_framework.response import Response

from cgt_tracker.formulas import escape_formula

CHUNK_SIZE = 500


class CSVRenderer(renderers.BaseRenderer):
    """Selects CSV in content negotiation (``?format=csv`` or ``Accept: text/csv``).

    Lists stream their rows themselves (see ``CSVListMixin``), so there is never a rendered body to produce.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by CSVListMixin.list().")


def csv_cell(field, value):
    """One flat cell: related records by key, lists joined with ``;``."""
    if value is None:
        return ""
    if isinstance(field, serializers.ListSerializer):
        return ";".join(csv_cell(field.child, item) for item in value)
    if isinstance(field, serializers.ManyRelatedField):
        return ";".join(csv_cell(field.child_relation, item) for item in value)
    if isinstance(field, serializers.ListField):
        return ";".join(csv_cell(field.child, item) for item in value)
    if isinstance(field, serializers.HyperlinkedIdentityField):
        return value.split("?", 1)[0]  # DRF carries ?format=csv over into links; a row links to the JSON record
    if hasattr(field, "csv_cell"):
        return field.csv_cell(value)
    return value


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` can feed a generator."""

    def write(self, value):
        return value


def csv_columns(serializer):
    """``(header, name, field, label)`` per column: each coded field (a choice: ``stage``) is followed by its
    label (``stage_label``: "Phase 2"), so scripts keep reading the codes and people read the words."""
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        yield name, name, field, False
        if isinstance(field, serializers.ChoiceField) and not isinstance(field, serializers.MultipleChoiceField):
            yield f"{name}_label", name, field, True


def label_cell(field, value):
    return "" if value in (None, "") else str(field.choices.get(value, value))


def csv_lines(serializer, objects):
    columns = list(csv_columns(serializer))
    writer = csv.writer(_Echo())
    yield writer.writerow(header for header, *_ in columns)
    for obj in objects:
        data = serializer.to_representation(obj)
        yield writer.writerow(
            escape_formula(label_cell(field, data[name]) if label else csv_cell(field, data[name]))
            for _, name, field, label in columns
        )


class CSVListMixin:
    """Adds CSV to a viewset's list: every row the filters select, in one streamed response."""

    def get_renderers(self):
        renderers_ = super().get_renderers()
        return [*renderers_, CSVRenderer()] if self.action == "list" else renderers_

    def list(self, request, *args, **kwargs):
        if not isinstance(request.accepted_renderer, CSVRenderer):
            return super().list(request, *args, **kwargs)
        objects = self.filter_queryset(self.get_queryset()).iterator(chunk_size=CHUNK_SIZE)
        response = StreamingHttpResponse(csv_lines(self.get_serializer(), objects), content_type="text/csv")
        with translation.override(None):  # the file name stays English, like the column names
            name = slugify(str(self.get_queryset().model._meta.verbose_name_plural))
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors (a bad filter value with ?format=csv) are reported as JSON, like everywhere else.
        if isinstance(response, Response) and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
