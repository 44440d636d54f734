"""Evidence in the API: every evidenced record carries ``evidence: [{"source", "quote", "field"}]``.

Staff write the whole list with the record (a ``PUT``/``PATCH`` with ``evidence`` replaces the set);
each quote is checked against its source's text like everywhere else.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cgt_tracker.api.serializers import KeyField
from cgt_tracker.api.shapes import IdListQuery, ReadField
from sources.models import Source

from .models import Evidence, check_field, check_quote


class EvidenceItemSerializer(serializers.Serializer):
    source = KeyField(slug_field="slug", queryset=Source.objects.all(), help_text=_("The quoted source's slug."))
    quote = serializers.CharField(help_text=_("Verbatim from the source's text, at least 12 characters."))
    field = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        default=None,
        max_length=64,
        help_text=_("The field of the record the quote supports; null when it supports the whole record."),
    )

    def to_representation(self, item):
        return {"source": item.source.slug, "quote": item.quote, "field": item.field or None}

    def validate(self, attrs):
        # A PATCH makes every field optional, nested ones too; an evidence item still needs both.
        missing = [name for name in ("source", "quote") if name not in attrs]
        if missing:
            raise serializers.ValidationError({name: [_("This field is required.")] for name in missing})
        record_serializer = self.parent.parent if isinstance(self.parent, serializers.ListSerializer) else None
        try:
            if record_serializer is not None:
                check_field(record_serializer.Meta.model, attrs.get("field"))
            check_quote(attrs["source"], attrs["quote"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class EvidenceList(ReadField):
    """``evidence`` in a read shape: the quotes of every record of a page, read in one query, in the order
    the serializer gives them (by field, then as entered)."""

    fetches = True

    def bind(self, name, shape):
        super().bind(name, shape)
        self.query = IdListQuery(
            lambda ids: Evidence.objects.filter(
                content_type=ContentType.objects.get_for_model(shape.model), object_id__in=ids
            ).values("source__slug", "quote", "field", "object_id")
        )

    def fetch(self, ids, using, context):
        grouped = {}
        for row in self.query.rows(ids, using):
            item = {"source": row["source__slug"], "quote": row["quote"], "field": row["field"] or None}
            grouped.setdefault(row["object_id"], []).append(item)
        return grouped

    def getter(self, fetched, context):
        return lambda row: fetched.get(row["pk"], [])

    def csv(self, value):
        return ";".join(evidence_cell(item) for item in value)


def evidence_cell(item):
    field = f"[{item['field']}] " if item["field"] else ""
    return f"{item['source']}: {field}{item['quote']}"
