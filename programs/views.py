from django.conf import settings
from django.urls import reverse
from django.views.generic import TemplateView

from cgt_tracker.facets import FacetValue
from cgt_tracker.views import FilteredListView, RecordDetailView

from . import ndr
from .choices import Stage
from .filters import TherapyProgramFilterSet
from .models import Development, Indication, Target, TherapyProgram
from .stats import per_development_counts
from .tables import program_rows


class ProgramListView(FilteredListView):
    queryset = TherapyProgram.objects.all()
    filterset_class = TherapyProgramFilterSet
    api_resource = "programs"
    feed_url_name = "changes:program_feed"

    def count_facet(self, facet):
        data = self.filterset.filtered_values()
        if facet.param != "stage" or not (data.get("indication") or data.get("country")):
            return super().count_facet(facet)
        # Within an indication (or country) a program counts at its stage there, as the stage filter and the
        # statistics judge it, not at its most advanced stage anywhere.
        rows = per_development_counts(self.filterset, ["stage"], {**data, "stage": None})
        counted = {row["stage"]: row["count"] for row in rows if row["stage"]}
        return [FacetValue(value, str(label), counted[value]) for value, label in facet.choices if value in counted]

    def rows(self, queryset, ids):
        return program_rows(ids, ndr=True, using=queryset.db)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {"ndr_reference": ndr.reference_date(), "ndr_months": settings.NDR_MONTHS}


class ProgramDetailView(RecordDetailView):
    queryset = TherapyProgram.objects.with_related().prefetch_related(
        "developments__evidence__source", "milestones__evidence__source"
    )

    def related(self, program):
        reference = ndr.reference_date()
        since = ndr.months_before(reference, settings.NDR_MONTHS)
        return {
            "collaborations": program.collaborations.all(),
            "policy_links": program.policy_links.select_related("policy"),
            "ndr": TherapyProgram.objects.filter(pk=program.pk).no_development_reported(since=since).exists(),
            "ndr_reference": reference,
            "ndr_months": settings.NDR_MONTHS,
        }

    def footnoted(self, program):
        return [program, *program.developments.all(), *program.milestones.all()]


class LandscapeView(RecordDetailView):
    """Every program of a target or an indication, placed by its stage in each indication (a pipeline chart)."""

    template_name = "programs/landscape.html"

    def developments(self, record):
        raise NotImplementedError

    def related(self, record):
        developments = sorted(
            self.developments(record).select_related("program__company", "indication"),
            key=lambda development: (-Stage.rank(development.stage), development.program.name.lower()),
        )
        return {
            "developments": developments,
            "stages": Stage.choices,
            "program_count": len({development.program_id for development in developments}),
        }


class TargetView(LandscapeView):
    queryset = Target.objects.all()
    slug_field = slug_url_kwarg = "symbol"

    def developments(self, target):
        return Development.objects.filter(program__targets=target)

    def related(self, target):
        return super().related(target) | {
            "kind": "target",
            "list_url": f"{reverse('programs:program_list')}?target={target.symbol}",
            "without_development": target.programs.filter(developments__isnull=True).select_related("company"),
        }


class IndicationView(LandscapeView):
    queryset = Indication.objects.all()

    def developments(self, indication):
        return indication.developments.all()

    def related(self, indication):
        return super().related(indication) | {
            "kind": "indication",
            "list_url": f"{reverse('programs:program_list')}?indication={indication.slug}",
        }


class CompareView(TemplateView):
    """Two to four programs side by side: stage per indication, milestones, partners, sources."""

    template_name = "programs/compare.html"
    limits = (2, 4)

    def get_context_data(self, **kwargs):
        slugs = list(dict.fromkeys(self.request.GET.getlist("program")))
        found = {program.slug: program for program in TherapyProgram.objects.with_related().filter(slug__in=slugs)}
        low, high = self.limits
        return super().get_context_data(**kwargs) | {
            "programs": [found[slug] for slug in slugs if slug in found][:high],
            "unknown": [slug for slug in slugs if slug not in found],
            "too_few": len(found) < low,
            "too_many": len(found) > high,
            "limits": self.limits,
        }
