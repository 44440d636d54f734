from django.urls import path

from .feeds import ProgramChangesFeed

app_name = "changes"

urlpatterns = [
    path("programs/feed/", ProgramChangesFeed(), name="program_feed"),
]
