"""Spreadsheet import and export of policy documents (see ``cgt_tracker.spreadsheets``)."""

from cgt_tracker.spreadsheets import RecordResource

from .models import PolicyDocument


class PolicyDocumentResource(RecordResource):
    class Meta:
        model = PolicyDocument
        import_id_fields = ("slug",)
        fields = (
            "slug", "title", "title_zh", "aliases", "kind", "issuer", "level", "region", "period_start", "period_end",
            "published_on", "published_on_precision", "focus", "summary", "goals", "sources",
        )  # fmt: skip
