from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .mentions import Kind, find_mentions

KINDS = [Kind.PROGRAM, Kind.COMPANY, Kind.INSTITUTION, Kind.POLICY, Kind.TARGET, Kind.NAME, Kind.STAGE, Kind.DATE]


class MentionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=KINDS,
        help_text="A known record (program, company, institution, policy, target), a proposed new record "
        "(name) or a phrase (stage, date).",
    )
    slug = serializers.CharField(
        allow_null=True, help_text="The known record's slug (a target's symbol); null otherwise."
    )
    text = serializers.CharField(help_text="The mention as the article writes it: `source.text[start:end]`.")
    start = serializers.IntegerField(help_text="Offset of the first character in the source's text.")
    end = serializers.IntegerField(help_text="Offset just past the last character.")


class MentionsMixin:
    """``GET /api/sources/{slug}/mentions/``: what the article names, for intake."""

    @extend_schema(responses=MentionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def mentions(self, request, *args, **kwargs):
        """Every mention in the article, in reading order: known programs, companies, institutions, policies
        and targets (by name, alias or Chinese name), proposed new names (drug codes, organisation-like
        phrases) and stage and date phrases."""
        source = self.get_object()
        return Response([mention.as_dict() for mention in find_mentions(source.text)])
