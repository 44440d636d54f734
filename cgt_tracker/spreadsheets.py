"""Spreadsheet import and export (django-import-export): the pieces every app's resources share.

* Related records are written by key (slug, target symbol, designation code), as in the API; lists
  (aliases, targets, sources…) as keys joined with ``;``. An unknown key is an error on its row and
  column, never a silent blank.
* Cells that would start a formula are made inert on export and restored on import
  (``cgt_tracker.formulas``), so exporting and importing an unchanged file changes nothing.
* An import is all or nothing: one transaction, rolled back on any row error or validation error.
* Each imported change enters the record's history with the importing user.
"""

from functools import partial

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext
from import_export import resources, widgets

from .api.serializers import key_field
from .formulas import escape_formula, unescape_formula

SEPARATOR = ";"


class KeyWidget(widgets.ForeignKeyWidget):
    """A related record by its key; an unknown key names itself in the row's error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            message = gettext("There is no %(model)s with %(field)s “%(value)s”.")
            raise ValueError(
                message % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class KeysWidget(widgets.ManyToManyWidget):
    """Related records as keys joined with ``;``; every key must exist."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=SEPARATOR, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        keys = [key.strip() for key in str(value or "").split(self.separator) if key.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - {getattr(record, self.field) for record in found})
        if missing:
            names = ", ".join(f"“{key}”" for key in missing)
            message = gettext("There is no %(model)s with %(field)s %(values)s.")
            raise ValueError(message % {"model": self.model._meta.verbose_name, "field": self.field, "values": names})
        return found


class ListWidget(widgets.Widget):
    """A list of strings (aliases, goals, trial ids) as one cell, entries joined with ``;``."""

    def clean(self, value, row=None, **kwargs):
        return [entry.strip() for entry in str(value or "").split(SEPARATOR) if entry.strip()]

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(value or [])


class RecordResource(resources.ModelResource):
    """Base of every resource: inert formulas, history with the importing user, all or nothing."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True  # the model's own validation: choices, constraints, clean()

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = unescape_formula(value)

    def before_save_instance(self, instance, row, **kwargs):
        # The admin's request middleware names the user too; a direct import_data(..., user=u) needs this.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("use_transactions", True)
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if isinstance(field.widget, KeyWidget):
            # The related record itself (by key), not its id: errors then name the column as written.
            field.attribute, field.widget.key_is_id = field_name, False
        return field

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.many_to_many:
            return partial(KeysWidget, model=f.related_model, field=key_field(f.related_model))
        if f.is_relation:
            return partial(KeyWidget, model=f.related_model, field=key_field(f.related_model))
        if f.get_internal_type() == "JSONField":
            return ListWidget
        return super().widget_from_django_field(f, default)
