from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from companies.api import CollaborationViewSet, CompanyViewSet, InstitutionViewSet
from policies.api import IndicatorViewSet, PolicyDocumentViewSet
from programs.api import (
    DesignationViewSet,
    DevelopmentViewSet,
    IndicationViewSet,
    MilestoneViewSet,
    TargetViewSet,
    TherapyProgramViewSet,
)
from sources.api import SourceViewSet

app_name = "api"

router = DefaultRouter()
router.register("programs", TherapyProgramViewSet)
router.register("developments", DevelopmentViewSet)
router.register("milestones", MilestoneViewSet)
router.register("companies", CompanyViewSet)
router.register("institutions", InstitutionViewSet)
router.register("collaborations", CollaborationViewSet)
router.register("policies", PolicyDocumentViewSet)
router.register("indicators", IndicatorViewSet)
router.register("sources", SourceViewSet)
router.register("targets", TargetViewSet)
router.register("indications", IndicationViewSet)
router.register("designations", DesignationViewSet)

# The docs UIs style themselves with inline styles (Redoc also searches in a worker it builds from a blob);
# scripts stay limited to our own files.
swagger_csp = csp_update({"style-src": ["'unsafe-inline'"]})
redoc_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path(
        "redoc/",
        redoc_csp(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
    *router.urls,
]
