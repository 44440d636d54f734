from rest_framework import serializers

from cgt_tracker.api.serializers import RecordSerializer, StrictCharField
from cgt_tracker.api.shapes import Column, Display, IsoDateTime, ReadShape, Url, iso_date
from cgt_tracker.api.viewsets import RecordViewSet
from cgt_tracker.models import format_partial_date
from cgt_tracker.web_addresses import validate_web_address
from intake.api import MentionsMixin

from .filters import SourceFilterSet
from .models import Source

SOURCE_SHAPE = ReadShape(
    Source,
    {
        "slug": Column(),
        "title": Column(),
        "publisher": Column(),
        "published_on": Column(convert=iso_date),
        "published_on_precision": Column(),
        "published_display": Display(format_partial_date, "published_on", "published_on_precision"),
        "article_url": Column("url"),
        "text": Column(staff_only=True),
        "created": Column(convert=IsoDateTime),
        "updated": Column(convert=IsoDateTime),
        "url": Url(),
    },
)


class SourceSerializer(RecordSerializer):
    article_url = StrictCharField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        validators=[validate_web_address],
        help_text="Where the article was published: an http(s) address, or a host name as written.",
    )
    published_display = serializers.CharField(read_only=True)

    def get_fields(self):
        # The articles' rights are their publishers': only staff read the whole text (anyone with the
        # permission may still write it).
        fields = super().get_fields()
        request = self.context.get("request")
        if not (request and request.user.is_staff):
            fields["text"].write_only = True
        return fields

    class Meta:
        model = Source
        fields = [
            "slug",
            "title",
            "publisher",
            "published_on",
            "published_on_precision",
            "published_display",
            "article_url",
            "text",
            "created",
            "updated",
            "url",
        ]


class SourceViewSet(MentionsMixin, RecordViewSet):
    """The articles every record cites. `article_url` is where the article was published; `url` is the
    record in this API. The full `text` is read by staff only (the articles' rights are their publishers');
    every record's `evidence` quotes it."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    shape = SOURCE_SHAPE
    filterset_class = SourceFilterSet
