from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CgtTrackerConfig(AppConfig):
    name = "cgt_tracker"
    verbose_name = _("CGT Tracker")
