from django.db.models import BooleanField, ExpressionWrapper
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cgt_tracker.api.serializers import NearDuplicateCheck, RecordSerializer
from cgt_tracker.api.shapes import (
    Column,
    Display,
    IsoDateTime,
    Keys,
    Nested,
    ReadField,
    ReadShape,
    Ref,
    Url,
    iso_date,
)
from cgt_tracker.api.viewsets import RecordViewSet
from cgt_tracker.models import format_partial_date
from evidence.api import EvidenceList

from . import ndr
from .filters import (
    DesignationFilterSet,
    DevelopmentFilterSet,
    IndicationFilterSet,
    MilestoneFilterSet,
    TargetFilterSet,
    TherapyProgramFilterSet,
)
from .models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram

STAMPS = {"created": Column(convert=IsoDateTime), "updated": Column(convert=IsoDateTime)}

TARGET_SHAPE = ReadShape(Target, {"symbol": Column(), "name": Column(), **STAMPS, "url": Url()}, lookup="symbol")
INDICATION_SHAPE = ReadShape(
    Indication,
    {
        "slug": Column(),
        "name": Column(),
        "name_zh": Column(),
        "abbreviation": Column(),
        "therapeutic_area": Column(),
        **STAMPS,
        "url": Url(),
    },
)
DESIGNATION_SHAPE = ReadShape(Designation, {"code": Column(), "name": Column(), **STAMPS, "url": Url()}, lookup="code")
DEVELOPMENT_SHAPE = ReadShape(
    Development,
    {
        "id": Column(),
        "program": Ref(),
        "indication": Ref(),
        "stage": Column(),
        "pathway": Column(),
        "country": Column(),
        "status": Column(),
        "as_of": Column(convert=iso_date),
        "as_of_precision": Column(),
        "as_of_display": Display(format_partial_date, "as_of", "as_of_precision"),
        "trial_ids": Column(),
        "acceptance_no": Column(),
        "evidence": EvidenceList(),
        "sources": Keys(),
        **STAMPS,
        "url": Url(),
    },
    lookup="pk",
)


MILESTONE_SHAPE = ReadShape(
    Milestone,
    {
        "id": Column(),
        "program": Ref(),
        "kind": Column(),
        "date": Column(convert=iso_date),
        "date_precision": Column(),
        "date_text": Column(),
        "date_display": Display(Milestone.format_date, "date", "date_precision", "date_text"),
        "authority": Ref(),
        "description": Column(),
        "source": Ref(label="title"),
        "evidence": EvidenceList(),
        **STAMPS,
        "url": Url(),
    },
    lookup="pk",
)
PARTNER_SHAPE = ReadShape(ProgramPartner, {"institution": Ref(), "role": Column()}, lookup="pk")


def development_cell(value):
    indication = value["indication"]["slug"] if value["indication"] else "indication not stated"
    return f"{indication}: {value['stage']}"


class NoDevelopmentReported(ReadField):
    """``ndr`` for a whole page in one query."""

    fetches = True

    def fetch(self, ids, using, context):
        return ndr.unreported_among(ids, ndr.cutoff(), using)

    def getter(self, fetched, context):
        return lambda row: row["pk"] in fetched

    def export_expression(self):
        return ExpressionWrapper(~ndr.reported_since_among_all(ndr.cutoff()), output_field=BooleanField())

    def fetched_from_export(self, values):
        return {pk for pk, unreported in values.items() if unreported}


PROGRAM_SHAPE = ReadShape(
    TherapyProgram,
    {
        "slug": Column(),
        "name": Column(),
        "name_zh": Column(),
        "aliases": Column(),
        "stage": Column(),
        "ndr": NoDevelopmentReported(),
        "modality": Column(),
        "cell_source": Column(),
        "company": Ref(),
        "originator": Ref(),
        "targets": Keys("symbol"),
        "designations": Keys("code"),
        "developments": Nested(
            DEVELOPMENT_SHAPE.only(
                "id", "indication", "stage", "pathway", "country", "status", "as_of", "as_of_display", "url"
            ),
            "program",
            csv=development_cell,
            csv_reads=["indication", "stage"],
        ),
        "milestones": Nested(
            MILESTONE_SHAPE.only("id", "kind", "date", "date_precision", "date_display", "authority", "source", "url"),
            "program",
            csv=lambda value: f"{value['date_display']}: {value['kind']}",
            csv_reads=["date_display", "kind"],
        ),
        "partners": Nested(
            PARTNER_SHAPE, "program", csv=lambda value: value["institution"]["slug"], csv_reads=["institution"]
        ),
        "description": Column(),
        "evidence": EvidenceList(),
        "sources": Keys(),
        **STAMPS,
        "url": Url(),
    },
)


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


class ProgramMilestoneSerializer(MilestoneSerializer):
    """A milestone as part of its program's timeline (written through ``/api/milestones/``)."""

    class Meta(MilestoneSerializer.Meta):
        fields = ["id", "kind", "date", "date_precision", "date_display", "authority", "source", "url"]


class ProgramPartnerSerializer(RecordSerializer):
    class Meta:
        model = ProgramPartner
        fields = ["institution", "role"]


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
    shape = TARGET_SHAPE
    filterset_class = TargetFilterSet
    lookup_field = "symbol"


class IndicationViewSet(RecordViewSet):
    """Diseases programs are developed for."""

    queryset = Indication.objects.all()
    serializer_class = IndicationSerializer
    shape = INDICATION_SHAPE
    filterset_class = IndicationFilterSet


class DesignationViewSet(RecordViewSet):
    """Regulatory designations a program can hold, addressed by code (``/api/designations/btd/``)."""

    queryset = Designation.objects.all()
    serializer_class = DesignationSerializer
    shape = DESIGNATION_SHAPE
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
    shape = PROGRAM_SHAPE
    filterset_class = TherapyProgramFilterSet


class DevelopmentViewSet(RecordViewSet):
    """A program for one indication in one country, at one stage. Creating, changing or deleting a
    development updates its program's derived `stage` (the most advanced active development).
    `program` and `indication` are written as slugs."""

    queryset = Development.objects.with_related()
    serializer_class = DevelopmentSerializer
    shape = DEVELOPMENT_SHAPE
    filterset_class = DevelopmentFilterSet
    lookup_field = "pk"


class MilestoneViewSet(RecordViewSet):
    """Dated events of a program's timeline. `program`, `authority` (an institution) and `source` are
    written as slugs."""

    queryset = Milestone.objects.with_related()
    serializer_class = MilestoneSerializer
    shape = MILESTONE_SHAPE
    filterset_class = MilestoneFilterSet
    lookup_field = "pk"
