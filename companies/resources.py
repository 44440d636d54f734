"""Spreadsheet import and export of companies and institutions (see ``cgt_tracker.spreadsheets``)."""

from cgt_tracker.spreadsheets import RecordResource

from .models import Company, Institution

LOCATION = ("city", "province", "country")


class CompanyResource(RecordResource):
    class Meta:
        model = Company
        import_id_fields = ("slug",)
        fields = (
            "slug", "name", "name_zh", "aliases", "kind", *LOCATION, "listing", "website", "parent", "description",
            "sources",
        )  # fmt: skip


class InstitutionResource(RecordResource):
    class Meta:
        model = Institution
        import_id_fields = ("slug",)
        fields = ("slug", "name", "name_zh", "aliases", "kind", *LOCATION, "parent", "description", "sources")
