from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/compare/", views.CompareView.as_view(), name="compare"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("targets/<str:symbol>/", views.TargetView.as_view(), name="target_detail"),
    path("indications/<slug:slug>/", views.IndicationView.as_view(), name="indication_detail"),
]
