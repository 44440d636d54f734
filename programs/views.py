from cgt_tracker.facets import Facet
from cgt_tracker.views import FilteredListView, RecordDetailView

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


class ProgramDetailView(RecordDetailView):
    queryset = TherapyProgram.objects.with_related().prefetch_related(
        "developments__evidence__source", "milestones__evidence__source"
    )

    def related(self, program):
        return {
            "collaborations": program.collaborations.all(),
            "policy_links": program.policy_links.select_related("policy"),
        }

    def footnoted(self, program):
        return [program, *program.developments.all(), *program.milestones.all()]
