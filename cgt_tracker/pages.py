"""The dashboard at ``/``: what the tracker holds, at a glance."""

from dataclasses import replace

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import path, reverse
from django.utils.text import capfirst
from django.views.generic import TemplateView

from cgt_tracker.facets import FacetValue
from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
from programs.choices import Modality, Stage
from programs.models import Milestone, TherapyProgram
from programs.views import MODALITY, STAGE, TARGET
from sources.models import Source

TOTALS = [
    (TherapyProgram, "programs:program_list"),
    (Company, "companies:company_list"),
    (Institution, "companies:institution_list"),
    (Collaboration, "companies:collaboration_list"),
    (PolicyDocument, "policies:policy_list"),
    (Source, "sources:source_list"),
]


def program_counts(facet, *, include_empty=False):
    """Programs per value of a program facet, each linked to the program list filtered to it."""
    url = reverse("programs:program_list")
    return [
        replace(value, href=facet.link(url, value.value) if value.count else "")
        for value in facet.counts(TherapyProgram.objects.all(), include_empty=include_empty)
    ]


def stage_by_modality():
    """Programs per stage (rows, pipeline order) and modality (columns, those with programs), linked to the list."""
    counts = {
        (row["stage"], row["modality"]): row["count"]
        for row in TherapyProgram.objects.order_by().values("stage", "modality").annotate(count=Count("pk"))
    }
    modalities = [(value, label) for value, label in Modality.choices if any(m == value for _, m in counts)]
    url = reverse("programs:program_list")
    rows = []
    for stage, label in [*Stage.choices, (None, "Stage not stated")]:
        cells = []
        for modality, _ in modalities:
            count = counts.get((stage, modality), 0)
            href = f"{url}?stage={stage}&modality={modality}" if count and stage else ""
            cells.append({"count": count, "href": href})
        if stage or any(cell["count"] for cell in cells):
            rows.append({"stage": stage, "label": label, "cells": cells})
    return {"modalities": modalities, "rows": rows}


def milestones_per_year():
    """Dated milestones per year, oldest first, as chart values."""
    rows = (
        Milestone.objects.filter(date__isnull=False)
        .annotate(year=ExtractYear("date"))
        .order_by("year")
        .values("year")
        .annotate(count=Count("pk"))
    )
    return [FacetValue(str(row["year"]), str(row["year"]), row["count"]) for row in rows]


class DashboardView(TemplateView):
    template_name = "dashboard.html"
    latest_milestones = 8

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "totals": [
                (capfirst(model._meta.verbose_name_plural), model.objects.count(), reverse(url))
                for model, url in TOTALS
            ],
            "by_stage": program_counts(STAGE, include_empty=True),
            "without_stage": TherapyProgram.objects.filter(stage__isnull=True).count(),
            "by_modality": program_counts(MODALITY),
            "by_target": program_counts(TARGET),
            "milestones": Milestone.objects.with_related()[: self.latest_milestones],
            "stage_by_modality": stage_by_modality(),
            "milestones_per_year": milestones_per_year(),
            "policies": PolicyDocument.objects.with_related().order_by("region", "-period_start", "title"),
            "indicators": Indicator.objects.with_related(),
        }


urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
]
