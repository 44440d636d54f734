from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cgt_tracker.admin import RecordAdmin
from intake.views import intake_view

from .models import Source


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "publisher", "published", "slug", "updated")
    list_filter = ("publisher",)
    search_fields = ("title", "slug", "publisher", "url")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("intake_link", *RecordAdmin.readonly_fields)

    @admin.display(description=_("Published"), ordering="published_on")
    def published(self, source):
        return source.published_display

    def get_urls(self):
        intake = self.admin_site.admin_view(lambda request, object_id: intake_view(request, self, object_id))
        return [path("<path:object_id>/intake/", intake, name="sources_source_intake"), *super().get_urls()]

    @admin.display(description=_("Intake"))
    def intake_link(self, source):
        if source.pk is None:
            return _("Save the source first.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:sources_source_intake", args=[source.pk]),
            _("Find mentions and link records…"),
        )

    def get_deleted_objects(self, objs, request):
        """Refuse, naming them, while any record cites a source through its source list (see ``Source.delete``)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected += [citation_link(record) for source in objs for record in source.citing_records()]
        return deleted, counts, perms_needed, protected


def citation_link(record):
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)])
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, record)
