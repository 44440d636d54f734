"""Facet counts: counting through a related record's id gives what grouping by its key and label gives."""

from collections import Counter

import pytest
from model_bakery import baker

from cgt_tracker.facets import counted_by_related, counted_by_value
from companies.filters import CollaborationFilterSet, CompanyFilterSet, InstitutionFilterSet
from companies.models import Company
from policies.filters import PolicyDocumentFilterSet
from programs.filters import TherapyProgramFilterSet
from programs.tests.factories import make_program
from sources.filters import SourceFilterSet

pytestmark = pytest.mark.django_db

FILTERSETS = [
    TherapyProgramFilterSet,
    CompanyFilterSet,
    InstitutionFilterSet,
    CollaborationFilterSet,
    PolicyDocumentFilterSet,
    SourceFilterSet,
]
RELATED_FACETS = [
    pytest.param(filterset, facet, id=f"{filterset.__name__}-{facet.param}")
    for filterset in FILTERSETS
    for facet in filterset.bound_facets()
    if "__" in facet.field
]


def columns_of(facet):
    return [facet.field, facet.label_field] if facet.label_field else [facet.field]


@pytest.mark.parametrize(("filterset", "facet"), RELATED_FACETS)
def test_a_related_facet_counts_by_id_what_grouping_by_key_and_label_counts(records, filterset, facet):
    rows = filterset._meta.model.objects.all()

    by_id = counted_by_related(rows, columns_of(facet))

    assert by_id  # the full records give every facet a value
    assert Counter(by_id) == Counter(counted_by_value(rows, columns_of(facet)))


def test_a_related_facet_counts_among_the_filtered_rows_only(records):
    facet = next(facet for facet in TherapyProgramFilterSet.bound_facets() if facet.param == "indication")
    rows = TherapyProgramFilterSet._meta.model.objects.filter(stage="phase_1")

    assert Counter(counted_by_related(rows, columns_of(facet))) == Counter(counted_by_value(rows, columns_of(facet)))


def test_the_top_values_are_those_with_most_rows_then_by_label():
    for name, programs in [("Delta", 1), ("Charlie", 2), ("Alpha", 3), ("Bravo", 2)]:
        company = baker.make(Company, name=name)
        for _ in range(programs):
            make_program(company=company)
    facet = next(facet for facet in TherapyProgramFilterSet.bound_facets() if facet.param == "company")

    top = counted_by_related(TherapyProgramFilterSet._meta.model.objects.all(), columns_of(facet), limit=3)

    assert [(label, count) for _, label, count in top] == [("Alpha", 3), ("Bravo", 2), ("Charlie", 2)]


def test_a_related_facet_of_rows_that_cannot_match_is_empty(records):
    facet = next(facet for facet in TherapyProgramFilterSet.bound_facets() if facet.param == "company")

    assert counted_by_related(TherapyProgramFilterSet._meta.model.objects.none(), columns_of(facet)) == []
