from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("policies/", views.PolicyListView.as_view(), name="policy_list"),
    path("policies/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy_detail"),
]
