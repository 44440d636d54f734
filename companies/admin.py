from django.contrib import admin

from cgt_tracker.admin import RecordAdmin

from .models import Collaboration, Company, Institution


@admin.register(Company)
class CompanyAdmin(RecordAdmin):
    list_display = ("name", "kind", "city", "country", "listing", "parent", "updated")
    list_filter = ("kind", "country")
    search_fields = ("name", "name_zh", "slug", "aliases")
    autocomplete_fields = ("parent", "sources")


@admin.register(Institution)
class InstitutionAdmin(RecordAdmin):
    list_display = ("name", "kind", "city", "country", "parent", "updated")
    list_filter = ("kind", "country")
    search_fields = ("name", "name_zh", "slug", "aliases")
    autocomplete_fields = ("parent", "sources")


@admin.register(Collaboration)
class CollaborationAdmin(RecordAdmin):
    list_display = ("title", "kind", "started", "location", "updated")
    list_filter = ("kind",)
    search_fields = ("title", "slug", "aliases", "location", "companies__name", "institutions__name")
    autocomplete_fields = ("companies", "institutions", "programs", "sources")

    @admin.display(description="Started", ordering="started_on")
    def started(self, collaboration):
        return collaboration.started_display
