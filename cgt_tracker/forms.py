"""Form pieces shared by the apps."""

from django import forms


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
