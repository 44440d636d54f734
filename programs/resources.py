"""Spreadsheet import and export of programs, developments and milestones (see ``cgt_tracker.spreadsheets``)."""

from import_export import fields

from cgt_tracker.spreadsheets import RecordResource

from .models import Development, Milestone, TherapyProgram


class TherapyProgramResource(RecordResource):
    # Derived from the developments: exported for reading, never imported.
    stage = fields.Field(attribute="stage", column_name="stage", readonly=True)

    class Meta:
        model = TherapyProgram
        import_id_fields = ("slug",)
        fields = (
            "slug", "name", "name_zh", "aliases", "company", "originator", "modality", "cell_source",
            "targets", "designations", "stage", "description", "sources",
        )  # fmt: skip


class DevelopmentResource(RecordResource):
    class Meta:
        model = Development
        import_id_fields = ("program", "indication", "country")
        fields = (
            "program", "indication", "country", "stage", "pathway", "status", "as_of", "as_of_precision",
            "trial_ids", "acceptance_no", "sources",
        )  # fmt: skip


class MilestoneResource(RecordResource):
    class Meta:
        model = Milestone
        import_id_fields = ("program", "kind", "source")
        fields = (
            "program", "kind", "date", "date_precision", "date_text", "authority", "description", "source",
        )  # fmt: skip
