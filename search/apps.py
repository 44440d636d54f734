from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals  # noqa: F401
        from .index import ensure_installed

        # SQLite rebuilds a table to alter it, dropping its triggers: put them back after every migrate.
        post_migrate.connect(ensure_installed, sender=self)
