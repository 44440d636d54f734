from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<slug:slug>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("collaborations/", views.CollaborationListView.as_view(), name="collaboration_list"),
    path("collaborations/<slug:slug>/", views.CollaborationDetailView.as_view(), name="collaboration_detail"),
]
