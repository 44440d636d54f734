from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    """What changed: program histories, the change feed and Atom feeds, read from the recorded history."""

    name = "changes"
    verbose_name = _("Changes")
