from cgt_tracker.api.serializers import NearDuplicateCheck, RecordSerializer
from cgt_tracker.api.shapes import Column, IsoDateTime, Keys, ReadShape, Ref, Url, iso_date
from cgt_tracker.api.viewsets import RecordViewSet
from evidence.api import EvidenceList

from .filters import CollaborationFilterSet, CompanyFilterSet, InstitutionFilterSet
from .models import Collaboration, Company, Institution

ORGANISATION_FIELDS = [
    "slug",
    "name",
    "name_zh",
    "aliases",
    "kind",
    "city",
    "province",
    "country",
    "parent",
    "description",
    "evidence",
    "sources",
    "created",
    "updated",
    "url",
]


def organisation_shape(model, **extra):
    return ReadShape(
        model,
        {
            "slug": Column(),
            "name": Column(),
            "name_zh": Column(),
            "aliases": Column(),
            "kind": Column(),
            "city": Column(),
            "province": Column(),
            "country": Column(),
            "parent": Ref(),
            "description": Column(),
            "evidence": EvidenceList(),
            "sources": Keys(),
            "created": Column(convert=IsoDateTime),
            "updated": Column(convert=IsoDateTime),
            "url": Url(),
            **extra,
        },
    )


COMPANY_SHAPE = organisation_shape(Company, listing=Column(), website=Column())
INSTITUTION_SHAPE = organisation_shape(Institution)
COLLABORATION_SHAPE = ReadShape(
    Collaboration,
    {
        "slug": Column(),
        "title": Column(),
        "aliases": Column(),
        "kind": Column(),
        "started_on": Column(convert=iso_date),
        "started_on_precision": Column(),
        "location": Column(),
        "companies": Keys(),
        "institutions": Keys(),
        "programs": Keys(),
        "description": Column(),
        "evidence": EvidenceList(),
        "sources": Keys(),
        "created": Column(convert=IsoDateTime),
        "updated": Column(convert=IsoDateTime),
        "url": Url(),
    },
)


class CompanySerializer(NearDuplicateCheck, RecordSerializer):
    class Meta:
        model = Company
        fields = [*ORGANISATION_FIELDS, "listing", "website", "confirm_new"]


class InstitutionSerializer(NearDuplicateCheck, RecordSerializer):
    class Meta:
        model = Institution
        fields = [*ORGANISATION_FIELDS, "confirm_new"]


class CollaborationSerializer(RecordSerializer):
    class Meta:
        model = Collaboration
        fields = [
            "slug",
            "title",
            "aliases",
            "kind",
            "started_on",
            "started_on_precision",
            "location",
            "companies",
            "institutions",
            "programs",
            "description",
            "evidence",
            "sources",
            "created",
            "updated",
            "url",
        ]


class CompanyViewSet(RecordViewSet):
    """Companies that develop, license, fund or serve therapies. `parent` is written as a company slug.
    A company that still develops or originated a program cannot be deleted (409)."""

    queryset = Company.objects.with_related()
    serializer_class = CompanySerializer
    shape = COMPANY_SHAPE
    filterset_class = CompanyFilterSet


class InstitutionViewSet(RecordViewSet):
    """Hospitals, institutes, universities, regulators and other bodies. `parent` is written as an
    institution slug."""

    queryset = Institution.objects.with_related()
    serializer_class = InstitutionSerializer
    shape = INSTITUTION_SHAPE
    filterset_class = InstitutionFilterSet


class CollaborationViewSet(RecordViewSet):
    """Agreements and joint efforts. `companies`, `institutions`, `programs` and `sources` are written
    as lists of slugs."""

    queryset = Collaboration.objects.with_related()
    serializer_class = CollaborationSerializer
    shape = COLLABORATION_SHAPE
    filterset_class = CollaborationFilterSet
