from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cgt_tracker.api.serializers import NearDuplicateCheck, RecordSerializer
from cgt_tracker.api.viewsets import RecordViewSet

from .filters import (
    DesignationFilterSet,
    DevelopmentFilterSet,
    IndicationFilterSet,
    MilestoneFilterSet,
    TargetFilterSet,
    TherapyProgramFilterSet,
)
from .models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram


class TargetSerializer(RecordSerializer):
    class Meta:
        model = Target
        fields = ["symbol", "name", "created", "updated", "url"]


class IndicationSerializer(RecordSerializer):
    class Meta:
        model = Indication
        fields = ["slug", "name", "name_zh", "abbreviation", "therapeutic_area", "created", "updated", "url"]


class DesignationSerializer(RecordSerializer):
    class Meta:
        model = Designation
        fields = ["code", "name", "created", "updated", "url"]


class DevelopmentSerializer(RecordSerializer):
    as_of_display = serializers.CharField(read_only=True)

    class Meta:
        model = Development
        fields = [
            "id",
            "program",
            "indication",
            "stage",
            "pathway",
            "country",
            "status",
            "as_of",
            "as_of_precision",
            "as_of_display",
            "trial_ids",
            "acceptance_no",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
        ]


class MilestoneSerializer(RecordSerializer):
    date_display = serializers.CharField(read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "program",
            "kind",
            "date",
            "date_precision",
            "date_text",
            "date_display",
            "authority",
            "description",
            "source",
            "evidence",
            "created",
            "updated",
            "url",
        ]


class ProgramDevelopmentSerializer(DevelopmentSerializer):
    """A development as part of its program (written through ``/api/developments/``)."""

    class Meta(DevelopmentSerializer.Meta):
        fields = ["id", "indication", "stage", "pathway", "country", "status", "as_of", "as_of_display", "url"]

    def csv_cell(self, value):
        indication = value["indication"]["slug"] if value["indication"] else "indication not stated"
        return f"{indication}: {value['stage']}"


class ProgramMilestoneSerializer(MilestoneSerializer):
    """A milestone as part of its program's timeline (written through ``/api/milestones/``)."""

    class Meta(MilestoneSerializer.Meta):
        fields = ["id", "kind", "date", "date_precision", "date_display", "authority", "source", "url"]

    def csv_cell(self, value):
        return f"{value['date_display']}: {value['kind']}"


class ProgramPartnerSerializer(RecordSerializer):
    class Meta:
        model = ProgramPartner
        fields = ["institution", "role"]

    def csv_cell(self, value):
        return value["institution"]["slug"]


class TherapyProgramSerializer(NearDuplicateCheck, RecordSerializer):
    developments = ProgramDevelopmentSerializer(many=True, read_only=True)
    milestones = ProgramMilestoneSerializer(many=True, read_only=True)
    partners = ProgramPartnerSerializer(source="partnerships", many=True, read_only=True)
    ndr = serializers.SerializerMethodField(
        help_text=(
            "No development reported: the tracker's sources report nothing about the program (development, "
            "milestone, citing article) within NDR_MONTHS (24) before the data set's date. It says what the "
            "sources report, not what the company did."
        ),
    )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_ndr(self, program):
        # Lists and details annotate it; a program just written is looked up.
        if hasattr(program, "ndr"):
            return program.ndr
        return TherapyProgram.objects.filter(pk=program.pk).no_development_reported().exists()

    class Meta:
        model = TherapyProgram
        fields = [
            "slug",
            "name",
            "name_zh",
            "aliases",
            "stage",
            "ndr",
            "modality",
            "cell_source",
            "company",
            "originator",
            "targets",
            "designations",
            "developments",
            "milestones",
            "partners",
            "description",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
            "confirm_new",
        ]


class TargetViewSet(RecordViewSet):
    """Antigens programs are directed at, addressed by symbol (``/api/targets/CD19/``)."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    lookup_field = "symbol"


class IndicationViewSet(RecordViewSet):
    """Diseases programs are developed for."""

    queryset = Indication.objects.all()
    serializer_class = IndicationSerializer
    filterset_class = IndicationFilterSet


class DesignationViewSet(RecordViewSet):
    """Regulatory designations a program can hold, addressed by code (``/api/designations/btd/``)."""

    queryset = Designation.objects.all()
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilterSet
    lookup_field = "code"


class TherapyProgramViewSet(RecordViewSet):
    """Cell and gene therapy programs.

    Writing a program: `company` and `originator` take a company slug (or null), `targets` a list of
    target symbols, `designations` a list of designation codes, `sources` a list of source slugs.
    `stage` is read-only: it is derived from the program's active developments. `developments` and
    `milestones` are read-only here and written through `/api/developments/` and `/api/milestones/`;
    `partners` are kept in the admin.
    """

    queryset = TherapyProgram.objects.with_related()
    serializer_class = TherapyProgramSerializer
    filterset_class = TherapyProgramFilterSet

    def get_queryset(self):
        return super().get_queryset().with_ndr()


class DevelopmentViewSet(RecordViewSet):
    """A program for one indication in one country, at one stage. Creating, changing or deleting a
    development updates its program's derived `stage` (the most advanced active development).
    `program` and `indication` are written as slugs."""

    queryset = Development.objects.with_related()
    serializer_class = DevelopmentSerializer
    filterset_class = DevelopmentFilterSet
    lookup_field = "pk"


class MilestoneViewSet(RecordViewSet):
    """Dated events of a program's timeline. `program`, `authority` (an institution) and `source` are
    written as slugs."""

    queryset = Milestone.objects.with_related()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    lookup_field = "pk"
