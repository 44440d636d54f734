from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("cgt_tracker.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("changes.urls")),  # before programs: /programs/feed/ is not a program's page
    path("", include("dashboard.urls")),
    path("", include("programs.urls")),
    path("", include("companies.urls")),
    path("", include("policies.urls")),
    path("", include("sources.urls")),
]
