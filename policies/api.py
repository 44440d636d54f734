from rest_framework import serializers

from cgt_tracker.api.serializers import RecordSerializer
from cgt_tracker.api.viewsets import RecordViewSet

from .filters import IndicatorFilterSet, PolicyDocumentFilterSet, PolicyLinkFilterSet
from .models import Indicator, PolicyDocument, PolicyLink


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


class PolicyDocumentViewSet(RecordViewSet):
    """Plans, guidelines, reforms and funding programs. `issuer` is written as an institution slug."""

    queryset = PolicyDocument.objects.with_related()
    serializer_class = PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilterSet


class IndicatorViewSet(RecordViewSet):
    """Regional statistics the sources quote, each with the sentence that gives it."""

    queryset = Indicator.objects.with_related()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "pk"


class PolicyLinkViewSet(RecordViewSet):
    """The companies, institutions and programs a policy document funds or names: each link sets exactly one
    of `company`, `institution` or `program` (written as slugs)."""

    queryset = PolicyLink.objects.with_related()
    serializer_class = PolicyLinkSerializer
    filterset_class = PolicyLinkFilterSet
    lookup_field = "pk"
