from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from cgt_tracker.admin import RecordAdmin

from .models import Indicator, PolicyDocument, PolicyLink
from .resources import PolicyDocumentResource


class PolicyLinkInline(admin.TabularInline):
    model = PolicyLink
    extra = 0
    fields = ("relation", "company", "institution", "program", "note", "sources")
    autocomplete_fields = ("company", "institution", "program", "sources")
    verbose_name = _("company, institution or program it funds or names")
    verbose_name_plural = _("companies, institutions and programs it funds or names")


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ImportExportMixin, RecordAdmin):
    resource_classes = [PolicyDocumentResource]
    inlines = [PolicyLinkInline]
    list_display = ("title", "kind", "level", "region", "period", "issuer", "updated")
    list_filter = ("kind", "level", "focus", "region")
    search_fields = ("title", "title_zh", "slug", "aliases", "region", "issuer__name")
    autocomplete_fields = ("issuer", "sources")

    @admin.display(description=_("Period"), ordering="period_start")
    def period(self, policy):
        return policy.period_display


@admin.register(Indicator)
class IndicatorAdmin(RecordAdmin):
    list_display = ("metric", "region", "figure", "dated", "updated")
    list_filter = ("region",)
    search_fields = ("region", "metric")
    autocomplete_fields = ("sources",)

    @admin.display(description=_("Value"), ordering="value")
    def figure(self, indicator):
        return indicator.value_display

    @admin.display(description=_("As of"), ordering="as_of")
    def dated(self, indicator):
        return indicator.as_of_display


@admin.register(PolicyLink)
class PolicyLinkAdmin(RecordAdmin):
    list_display = ("policy", "relation", "company", "institution", "program", "updated")
    list_filter = ("relation",)
    search_fields = ("policy__title", "company__name", "institution__name", "program__name", "note")
    autocomplete_fields = ("policy", "company", "institution", "program", "sources")
