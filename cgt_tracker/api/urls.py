from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from changes.api import ChangeListView, ProgramHistoryView
from companies.api import CollaborationViewSet, CompanyViewSet, InstitutionViewSet
from policies.api import IndicatorViewSet, PolicyDocumentViewSet, PolicyLinkViewSet
from programs.api import (
    DesignationViewSet,
    DevelopmentViewSet,
    IndicationViewSet,
    MilestoneViewSet,
    TargetViewSet,
    TherapyProgramViewSet,
)
from programs.stats import ProgramStatsView
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
router.register("policy-links", PolicyLinkViewSet)
router.register("sources", SourceViewSet)
router.register("targets", TargetViewSet)
router.register("indications", IndicationViewSet)
router.register("designations", DesignationViewSet)

# The docs UIs style themselves with inline styles (Redoc also searches in a worker it builds from a blob);
# scripts stay limited to our own files.
swagger_csp = csp_update({"style-src": ["'unsafe-inline'"]})
redoc_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})


@csrf_exempt  # it changes nothing, so a DELETE or a PATCH is a 404 too, not the CSRF failure page
def not_found(request, *args, **kwargs):
    """Any other path under /api/ (``/api/programs/cnct19/extra/``): a JSON 404 like every API error, not the HTML page.

    Only paths ending in a slash, so that a missing one is still redirected to the resource (APPEND_SLASH).
    """
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path(
        "redoc/",
        redoc_csp(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
    path("changes/", ChangeListView.as_view(), name="change-list"),
    path("stats/programs/", ProgramStatsView.as_view(), name="stats-programs"),
    path("programs/<slug:slug>/history/", ProgramHistoryView.as_view(), name="program-history"),
    *router.urls,
    re_path(r"^.*/$", not_found),
]
