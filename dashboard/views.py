"""The dashboard at ``/``: what the tracker holds, at a glance."""

from dataclasses import replace

from django.urls import reverse
from django.utils.text import capfirst
from django.views.generic import TemplateView

from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
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


class DashboardView(TemplateView):
    template_name = "dashboard/dashboard.html"
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
            "policies": PolicyDocument.objects.with_related().order_by("region", "-period_start", "title"),
            "indicators": Indicator.objects.with_related(),
        }

