"""A filter set made for a query holds only the filters the query gives (``SearchFilterSet.given``)."""

import django_filters
import pytest
from django.http import QueryDict
from model_bakery import baker

from programs.filters import TherapyProgramFilterSet
from programs.models import TherapyProgram


class DatedProgramFilterSet(TherapyProgramFilterSet):
    created = django_filters.DateFromToRangeFilter()  # reads created_after and created_before


def test_a_filter_set_for_a_query_holds_only_the_filters_it_gives():
    narrowed = TherapyProgramFilterSet.given(["modality", "company", "page", "fields"])
    assert set(narrowed.base_filters) == {"modality", "company"}
    assert issubclass(narrowed, TherapyProgramFilterSet)


def test_a_filter_read_from_suffixed_parameters_is_kept():
    assert "created" in DatedProgramFilterSet.given(["created_after"]).base_filters


def test_a_query_giving_every_filter_keeps_the_filter_set_itself():
    assert TherapyProgramFilterSet.given(TherapyProgramFilterSet.base_filters) is TherapyProgramFilterSet


def test_the_same_query_reuses_one_filter_set():
    assert TherapyProgramFilterSet.given(["stage", "ndr"]) is TherapyProgramFilterSet.given(["ndr", "stage"])


@pytest.mark.django_db
def test_a_narrowed_filter_set_filters_and_validates_as_the_whole_one():
    baker.make(TherapyProgram, slug="car-t", modality="car_t", _fill_optional=["name"])
    baker.make(TherapyProgram, slug="tcr-t", modality="tcr_t", _fill_optional=["name"])
    query = QueryDict("modality=car_t&created_after=2000-01-01")
    whole = DatedProgramFilterSet(query, queryset=TherapyProgram.objects.all())
    narrowed = DatedProgramFilterSet.given(query)(query, queryset=TherapyProgram.objects.all())
    assert [p.slug for p in narrowed.qs] == [p.slug for p in whole.qs] == ["car-t"]
    bad = QueryDict("modality=no_such_modality")
    assert DatedProgramFilterSet.given(bad)(bad).errors == DatedProgramFilterSet(bad).errors != {}


@pytest.mark.django_db
def test_the_browsable_api_form_still_offers_every_filter(client):
    page = client.get("/api/programs/?modality=car_t", HTTP_ACCEPT="text/html").content.decode()
    assert 'name="modality"' in page and 'name="designation"' in page and 'name="ndr"' in page
