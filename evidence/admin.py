from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence

NOT_EVIDENCED = {"id", "slug", "created", "updated", "search_document", "evidence"}


def field_choices(model):
    """The fields of ``model`` a quote can support, by label, after "the whole record"."""
    fields = [
        field
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
        if not field.auto_created and field.name not in NOT_EVIDENCED and not field.name.endswith("_precision")
        if not field.generated  # the database's function of other fields, which a quote supports instead
    ]
    return [("", _("the whole record")), *((field.name, str(field.verbose_name)) for field in fields)]


class EvidenceInline(GenericTabularInline):
    """The quotes backing a record, edited with it; a quote not in its source is an error on that row."""

    model = Evidence
    extra = 0
    fields = ("source", "field", "quote")
    autocomplete_fields = ("source",)
    verbose_name = _("quote (evidence)")
    verbose_name_plural = _("evidence: quotes from the sources")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            return forms.ChoiceField(choices=field_choices(self.parent_model), required=False, label=_("Supports"))
        if db_field.name == "quote":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    """Every quote of every record; each is edited best with its record, where the inline lists them."""

    list_display = ("quote", "record", "field", "source")
    list_filter = ("content_type", "source")
    search_fields = ("quote",)
    list_select_related = ("source", "content_type")
    autocomplete_fields = ("source",)
    fields = ("content_type", "object_id", "field", "source", "quote", "created", "updated")
    readonly_fields = ("created", "updated")
