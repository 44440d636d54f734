from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from cgt_tracker.admin import NearDuplicateAdminMixin, RecordAdmin

from .models import Collaboration, Company, Institution
from .resources import CompanyResource, InstitutionResource


@admin.register(Company)
class CompanyAdmin(NearDuplicateAdminMixin, ImportExportMixin, RecordAdmin):
    resource_classes = [CompanyResource]
    list_display = ("name", "kind", "city", "country", "listing", "parent", "updated")
    list_filter = ("kind", "country")
    search_fields = ("name", "name_zh", "slug", "aliases")
    autocomplete_fields = ("parent", "sources")


@admin.register(Institution)
class InstitutionAdmin(NearDuplicateAdminMixin, ImportExportMixin, RecordAdmin):
    resource_classes = [InstitutionResource]
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

    @admin.display(description=_("Started"), ordering="started_on")
    def started(self, collaboration):
        return collaboration.started_display
