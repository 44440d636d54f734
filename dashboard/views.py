"""The dashboard at ``/``: what the tracker holds, at a glance."""

from dataclasses import replace

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.views.generic import TemplateView

from cgt_tracker.facets import FacetValue
from cgt_tracker.models import DataVersion
from cgt_tracker.views import counted_once
from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
from programs.choices import Modality, Stage
from programs.filters import TherapyProgramFilterSet
from programs.models import Milestone, TherapyProgram
from sources.models import Source

TOTALS = [
    (TherapyProgram, "programs:program_list"),
    (Company, "companies:company_list"),
    (Institution, "companies:institution_list"),
    (Collaboration, "companies:collaboration_list"),
    (PolicyDocument, "policies:policy_list"),
    (Source, "sources:source_list"),
]


def program_counts(param, *, include_empty=False, limit=None):
    """Programs per value of a program facet, each linked to the program list filtered to it."""
    facet = next(facet for facet in TherapyProgramFilterSet.bound_facets() if facet.param == param)
    url = reverse("programs:program_list")
    return [
        replace(value, href=facet.link(url, value.value) if value.count else "")
        for value in facet.counts(TherapyProgram.objects.all(), include_empty=include_empty, limit=limit)
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
    for stage, label in [*Stage.choices, (None, gettext("Stage not stated"))]:
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


def top(values, limit):
    """The ``limit`` values with the most programs, kept in their own order (a pipeline stays a pipeline)."""
    kept = set(sorted((value for value in values if value.count), key=lambda v: -v.count)[:limit])
    return [value for value in values if value in kept]


class DashboardView(TemplateView):
    template_name = "dashboard/dashboard.html"
    latest_milestones = 8
    top_stages = 5
    top_targets = 10

    def counts(self):
        """Every count the dashboard shows (each a scan of a table), counted once per data version."""
        by_stage = program_counts("stage", include_empty=True)
        return {
            "by_stage": by_stage,
            "by_stage_top": top(by_stage, self.top_stages),
            "totals": [
                (str(capfirst(model._meta.verbose_name_plural)), model.objects.count(), reverse(url))
                for model, url in TOTALS
            ],
            "without_stage": TherapyProgram.objects.filter(stage__isnull=True).count(),
            "by_modality": program_counts("modality"),
            "by_target": program_counts("target", limit=self.top_targets),
            "stage_by_modality": stage_by_modality(),
            "milestones_per_year": milestones_per_year(),
        }

    def get_context_data(self, **kwargs):
        return (
            super().get_context_data(**kwargs)
            | counted_once(f"dashboard-counts:{DataVersion.current()}:{get_language()}", self.counts)
            | {
                "milestones": Milestone.objects.newest(self.latest_milestones),
                # Titles and periods, and the indicators with their sources: no quotes on this page.
                "policies": PolicyDocument.objects.order_by("region", "-period_start", "title"),
                "indicators": Indicator.objects.prefetch_related("sources"),
            }
        )


class AboutView(TemplateView):
    """What the tracker covers and does not, what its terms mean, and how to cite it."""

    template_name = "dashboard/about.html"

    def get_context_data(self, **kwargs):
        sources = Source.objects.order_by("published_on", "title")
        years = [source.published_on.year for source in sources if source.published_on]
        return super().get_context_data(**kwargs) | {
            "sources": sources,
            "first_year": min(years, default=None),
            "last_year": max(years, default=None),
            "stages": Stage.choices,
            "data_version": DataVersion.current(),
            "last_change": TherapyProgram.objects.aggregate(last=Max("updated"))["last"],
            "data_license": settings.DATA_LICENSE,
        }
