"""Evidence in the API: every evidenced record carries ``evidence: [{"source", "quote", "field"}]``.

Staff write the whole list with the record (a ``PUT``/``PATCH`` with ``evidence`` replaces the set);
each quote is checked against its source's text like everywhere else.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cgt_tracker.api.serializers import KeyField
from sources.models import Source

from .models import check_field, check_quote


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

    def csv_cell(self, value):
        field = f"[{value['field']}] " if value["field"] else ""
        return f"{value['source']}: {field}{value['quote']}"
