from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from cgt_tracker.admin import ListsAsLinesMixin, NearDuplicateAdminMixin, RecordAdmin

from .models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram, stage_order
from .resources import DevelopmentResource, MilestoneResource, TherapyProgramResource


@admin.register(Target)
class TargetAdmin(RecordAdmin):
    list_display = ("symbol", "name", "updated")
    search_fields = ("symbol", "name")


@admin.register(Indication)
class IndicationAdmin(RecordAdmin):
    list_display = ("name", "name_zh", "abbreviation", "therapeutic_area", "slug", "updated")
    list_filter = ("therapeutic_area",)
    search_fields = ("name", "name_zh", "abbreviation", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Designation)
class DesignationAdmin(RecordAdmin):
    list_display = ("code", "name", "updated")
    search_fields = ("code", "name")


class DevelopmentInline(ListsAsLinesMixin, admin.StackedInline):
    model = Development
    extra = 0
    fields = (
        ("indication", "stage", "status"),
        ("pathway", "country"),
        ("as_of", "as_of_precision"),
        ("trial_ids", "acceptance_no"),
        "sources",
    )
    autocomplete_fields = ("indication", "sources")


class MilestoneInline(admin.StackedInline):
    model = Milestone
    extra = 0
    fields = (("kind", "date", "date_precision"), ("date_text", "authority"), "description", "source")
    autocomplete_fields = ("authority", "source")


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    extra = 0
    autocomplete_fields = ("institution",)
    verbose_name = _("partner institution")
    verbose_name_plural = _("partner institutions")


@admin.register(TherapyProgram)
class TherapyProgramAdmin(NearDuplicateAdminMixin, ImportExportMixin, RecordAdmin):
    resource_classes = [TherapyProgramResource]
    list_display = ("name", "company", "modality", "pipeline_stage", "target_symbols", "updated")
    list_filter = ("stage", "modality", "cell_source", "designations", ("company", admin.RelatedOnlyFieldListFilter))
    # The search box (and autocompletes of programs elsewhere) use the program search, not these fields.
    search_fields = ("name",)
    autocomplete_fields = ("company", "originator", "targets", "designations", "sources")
    fields = (
        ("name", "name_zh"),
        ("slug", "aliases"),
        ("company", "originator"),
        ("modality", "cell_source", "stage"),
        "targets",
        "designations",
        "description",
        "sources",
        ("created", "updated"),
    )
    readonly_fields = (*RecordAdmin.readonly_fields, "stage")
    inlines = (DevelopmentInline, MilestoneInline, ProgramPartnerInline)

    @admin.display(description=_("Stage"), ordering=stage_order())
    def pipeline_stage(self, program):
        return program.get_stage_display()

    @admin.display(description=_("Targets"))
    def target_symbols(self, program):
        return ", ".join(target.symbol for target in program.targets.all())

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


@admin.register(Development)
class DevelopmentAdmin(ImportExportMixin, RecordAdmin):
    resource_classes = [DevelopmentResource]
    list_display = ("program", "indication", "stage", "pathway", "country", "status", "as_of")
    list_filter = ("stage", "status", "pathway", "country")
    search_fields = ("program__name", "indication__name", "indication__abbreviation", "trial_ids", "acceptance_no")
    autocomplete_fields = ("program", "indication", "sources")


@admin.register(Milestone)
class MilestoneAdmin(ImportExportMixin, RecordAdmin):
    resource_classes = [MilestoneResource]
    list_display = ("program", "kind", "dated", "authority", "source")
    list_filter = ("kind",)
    search_fields = ("program__name", "description", "date_text", "source__title")
    autocomplete_fields = ("program", "authority", "source")

    @admin.display(description=_("Date"), ordering="date")
    def dated(self, milestone):
        return milestone.date_display
