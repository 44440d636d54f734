from rest_framework import serializers

from cgt_tracker.api.serializers import RecordSerializer
from cgt_tracker.api.shapes import Column, Display, IsoDateTime, Keys, ReadShape, Ref, Url, fixed_decimal, iso_date
from cgt_tracker.api.viewsets import RecordViewSet
from cgt_tracker.models import format_partial_date
from evidence.api import EvidenceList

from .filters import IndicatorFilterSet, PolicyDocumentFilterSet, PolicyLinkFilterSet
from .models import Indicator, PolicyDocument, PolicyLink

POLICY_SHAPE = ReadShape(
    PolicyDocument,
    {
        "slug": Column(),
        "title": Column(),
        "title_zh": Column(),
        "aliases": Column(),
        "kind": Column(),
        "issuer": Ref(),
        "level": Column(),
        "region": Column(),
        "period_start": Column(),
        "period_end": Column(),
        "period_display": Display(PolicyDocument.format_period, "period_start", "period_end"),
        "published_on": Column(convert=iso_date),
        "published_on_precision": Column(),
        "published_display": Display(format_partial_date, "published_on", "published_on_precision"),
        "focus": Column(),
        "summary": Column(),
        "goals": Column(),
        "evidence": EvidenceList(),
        "sources": Keys(),
        "created": Column(convert=IsoDateTime),
        "updated": Column(convert=IsoDateTime),
        "url": Url(),
    },
)
INDICATOR_SHAPE = ReadShape(
    Indicator,
    {
        "id": Column(),
        "region": Column(),
        "metric": Column(),
        "value": Column(convert=fixed_decimal(Indicator._meta.get_field("value").decimal_places)),
        "unit": Column(),
        "qualifier": Column(),
        "value_display": Display(Indicator.format_value, "value", "qualifier", "unit"),
        "as_of": Column(convert=iso_date),
        "as_of_precision": Column(),
        "as_of_text": Column(),
        "as_of_display": Display(Indicator.format_as_of, "as_of", "as_of_precision", "as_of_text"),
        "evidence": EvidenceList(),
        "sources": Keys(),
        "created": Column(convert=IsoDateTime),
        "updated": Column(convert=IsoDateTime),
        "url": Url(),
    },
    lookup="pk",
)


class PolicyDocumentSerializer(RecordSerializer):
    period_display = serializers.CharField(read_only=True)
    published_display = serializers.CharField(read_only=True)

    class Meta:
        model = PolicyDocument
        fields = [
            "slug",
            "title",
            "title_zh",
            "aliases",
            "kind",
            "issuer",
            "level",
            "region",
            "period_start",
            "period_end",
            "period_display",
            "published_on",
            "published_on_precision",
            "published_display",
            "focus",
            "summary",
            "goals",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
        ]


class IndicatorSerializer(RecordSerializer):
    value_display = serializers.CharField(read_only=True)
    as_of_display = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "region",
            "metric",
            "value",
            "unit",
            "qualifier",
            "value_display",
            "as_of",
            "as_of_precision",
            "as_of_text",
            "as_of_display",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
        ]


class PolicyLinkSerializer(RecordSerializer):
    class Meta:
        model = PolicyLink
        fields = [
            "id",
            "policy",
            "relation",
            "company",
            "institution",
            "program",
            "note",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
        ]


POLICY_LINK_SHAPE = ReadShape(
    PolicyLink,
    {
        "id": Column(),
        "policy": Ref(label="title"),
        "relation": Column(),
        "company": Ref(),
        "institution": Ref(),
        "program": Ref(),
        "note": Column(),
        "evidence": EvidenceList(),
        "sources": Keys(),
        "created": Column(convert=IsoDateTime),
        "updated": Column(convert=IsoDateTime),
        "url": Url(),
    },
    lookup="pk",
)


class PolicyDocumentViewSet(RecordViewSet):
    """Plans, guidelines, reforms and funding programs. `issuer` is written as an institution slug."""

    queryset = PolicyDocument.objects.with_related()
    serializer_class = PolicyDocumentSerializer
    shape = POLICY_SHAPE
    filterset_class = PolicyDocumentFilterSet


class IndicatorViewSet(RecordViewSet):
    """Regional statistics the sources quote, each with the sentence that gives it."""

    queryset = Indicator.objects.with_related()
    serializer_class = IndicatorSerializer
    shape = INDICATOR_SHAPE
    filterset_class = IndicatorFilterSet
    lookup_field = "pk"


class PolicyLinkViewSet(RecordViewSet):
    """The companies, institutions and programs a policy document funds or names: each link sets exactly one
    of `company`, `institution` or `program` (written as slugs)."""

    queryset = PolicyLink.objects.with_related()
    serializer_class = PolicyLinkSerializer
    shape = POLICY_LINK_SHAPE
    filterset_class = PolicyLinkFilterSet
    lookup_field = "pk"
