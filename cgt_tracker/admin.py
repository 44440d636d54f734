"""Admin pieces every app uses: the site's titles and one base class for every record's admin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from evidence.admin import EvidenceInline

from .duplicates import duplicate_message, near_duplicates
from .forms import LinesField, VersionedRecordForm
from .models import EvidencedModel

admin.site.site_header = admin.site.site_title = _("CGT Tracker administration")
admin.site.index_title = _("Records")


class ListsAsLinesMixin:
    """Edit JSON lists (aliases, goals, trial IDs) one entry per line rather than as raw JSON."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField) and db_field.default is list:
            return db_field.formfield(form_class=LinesField, widget=AdminTextareaWidget(attrs={"rows": 4}), **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RecordAdmin(ListsAsLinesMixin, SimpleHistoryAdmin):
    """Base admin of every record: change history, read-only time stamps, lists in few queries."""

    form = VersionedRecordForm
    readonly_fields = ("created", "updated")
    save_on_top = True
    list_per_page = 50

    def get_fields(self, request, obj=None):
        """Names first and sources and time stamps last, though base models declare them first."""
        fields = super().get_fields(request, obj)
        if self.fields:
            return fields
        name = getattr(self.model, "slug_source_field", None)
        first = [field for field in (name, f"{name}_zh", "slug", "aliases") if name and field in fields]
        last = [field for field in ("sources", "created", "updated") if field in fields]
        return [*first, *(field for field in fields if field not in first and field not in last), *last]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.with_related() if hasattr(queryset, "with_related") else queryset

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, EvidenceInline] if issubclass(self.model, EvidencedModel) else inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": ["opened_version"], "classes": ["hidden"]})]

    def history_view(self, request, object_id, extra_context=None):
        key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        key_or_404(self.model, object_id)
        key_or_404(self.model.history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def key_or_404(model, value):
    """A malformed primary key in an admin URL (``/history/abc/``) is a 404, like an unknown one."""
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404 from error


class NearDuplicateForm(VersionedRecordForm):
    """An add form that asks first when the name nearly matches an existing record's (see ``duplicates``)."""

    confirm_new = forms.BooleanField(
        required=False, label=_("Add it anyway"), help_text=_("Tick when the similar records listed are not the same.")
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("confirm_new"):
            name_field = getattr(self._meta.model, "slug_source_field", "name")
            names = [cleaned.get(name_field), cleaned.get(f"{name_field}_zh"), *(cleaned.get("aliases") or [])]
            candidates = near_duplicates(self._meta.model, names)
            if candidates:
                message = gettext("%(duplicates)s Tick “Add it anyway” if it is not.")
                raise forms.ValidationError(message % {"duplicates": duplicate_message(candidates)})
        return cleaned


class NearDuplicateAdminMixin:
    """Add forms of companies, institutions and programs ask before adding a near duplicate."""

    form = NearDuplicateForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return [*fields, "confirm_new"] if obj is None and "confirm_new" not in fields else fields
