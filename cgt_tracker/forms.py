"""Form pieces shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import lock_for_writing


class LinesField(forms.JSONField):
    """A JSON list of strings (aliases, goals, trial IDs) edited as text, one entry per line.

    Blank lines and surrounding spaces are dropped. A ``JSONField`` subclass, so a model
    ``JSONField`` can hand it its encoder and decoder.
    """

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def bound_data(self, data, initial):
        return initial if self.disabled else data

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(entry) for entry in value)
        return value or ""


class VersionedRecordForm(forms.ModelForm):
    """A record's admin form that carries the version (``updated``) the record had when the form was opened,
    and refuses to save over a newer one: two editors never silently overwrite each other."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False, label=_("Opened version"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: the history page's form shows an old one to revert to.
            self.fields["opened_version"].initial = self.stored_version(lock=False)

    def stored_version(self, *, lock):
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock:
            rows = lock_for_writing(rows)
        updated = rows.values_list("updated", flat=True).first()
        return updated.isoformat() if updated else ""

    def clean(self):
        cleaned_data = super().clean()
        opened = cleaned_data.get("opened_version")
        if self.instance.pk is not None and opened:
            # Locked until the admin's transaction has saved (or not): no one can slip in between.
            current = self.stored_version(lock=True)
            if current and current != opened:
                raise forms.ValidationError(
                    _(
                        "Someone else saved this %(kind)s after you opened it: you opened version %(opened)s, and "
                        "it is now at version %(current)s. Nothing was saved. Reload the page to see their changes, "
                        "then make yours again."
                    ),
                    code="stale_version",
                    params={"kind": self.instance._meta.verbose_name, "opened": opened, "current": current},
                )
        return cleaned_data
