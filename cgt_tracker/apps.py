from django.apps import AppConfig


class CgtTrackerConfig(AppConfig):
    name = "cgt_tracker"
    verbose_name = "CGT Tracker"
