from django.conf import settings

from cgt_tracker.facets import Facet
from cgt_tracker.views import FilteredListView, RecordDetailView

from . import ndr
from .choices import Modality, Stage
from .filters import TherapyProgramFilterSet
from .models import TherapyProgram

STAGE = Facet("stage", "Stage", choices=Stage)
MODALITY = Facet("modality", "Modality", choices=Modality)
TARGET = Facet("target", "Target", field="targets__symbol")


class ProgramListView(FilteredListView):
    queryset = TherapyProgram.objects.with_related()
    filterset_class = TherapyProgramFilterSet
    api_resource = "programs"
    feed_url_name = "changes:program_feed"
    facets = [
        STAGE,
        MODALITY,
        Facet("company", "Company", field="company__slug", label_field="company__name"),
        TARGET,
        Facet(
            "indication",
            "Indication",
            field="developments__indication__slug",
            label_field="developments__indication__name",
        ),
        Facet("designation", "Designation", field="designations__code", label_field="designations__name"),
        Facet("source", "Cited by", field="sources__slug", label_field="sources__title"),
    ]


    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reference = ndr.reference_date()
        programs = list(context["object_list"])
        unreported = set(
            TherapyProgram.objects.filter(pk__in=[program.pk for program in programs])
            .no_development_reported(since=ndr.months_before(reference, settings.NDR_MONTHS))
            .values_list("pk", flat=True)
        )
        for program in programs:
            program.ndr = program.pk in unreported
        if context.get("page_obj"):
            context["page_obj"].object_list = programs
        return context | {"object_list": programs, "ndr_reference": reference, "ndr_months": settings.NDR_MONTHS}


class ProgramDetailView(RecordDetailView):
    queryset = TherapyProgram.objects.with_related().prefetch_related(
        "developments__evidence__source", "milestones__evidence__source"
    )

    def related(self, program):
        reference = ndr.reference_date()
        since = ndr.months_before(reference, settings.NDR_MONTHS)
        return {
            "collaborations": program.collaborations.all(),
            "ndr": TherapyProgram.objects.filter(pk=program.pk).no_development_reported(since=since).exists(),
            "ndr_reference": reference,
            "ndr_months": settings.NDR_MONTHS,
        }

    def footnoted(self, program):
        return [program, *program.developments.all(), *program.milestones.all()]
