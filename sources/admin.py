from django.contrib import admin

from cgt_tracker.admin import RecordAdmin

from .models import Source


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "publisher", "published", "slug", "updated")
    list_filter = ("publisher",)
    search_fields = ("title", "slug", "publisher", "url")
    prepopulated_fields = {"slug": ("title",)}

    @admin.display(description="Published", ordering="published_on")
    def published(self, source):
        return source.published_display
