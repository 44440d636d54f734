from django.apps import AppConfig


class ChangesConfig(AppConfig):
    """What changed: program histories, the change feed and Atom feeds, read from the recorded history."""

    name = "changes"
    verbose_name = "Changes"
