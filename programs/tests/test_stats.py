"""Development filters hold on one development; ``/api/stats/programs/`` counts equal the list's counts."""

import pytest
from model_bakery import baker
from rest_framework.test import APIClient

from companies.models import Company
from programs.models import Target

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db

STATS = "/api/stats/programs/"
GROUPS = ["stage", "modality", "company", "target", "indication", "country"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def pipeline():
    """A program in phase 3 for myeloma in China but phase 1 for it in the US and phase 1 for lupus, and others."""
    myeloma, lupus = make_indication("stats-myeloma"), make_indication("stats-lupus")
    company = Company.objects.create(name="Stats Cell")
    target = baker.make(Target, symbol="STATS1")
    leader = make_program("Stats Leader", company=company)
    leader.targets.add(target)
    develop(leader, "phase_3", indication=myeloma, country="China")
    develop(leader, "phase_1", indication=myeloma, country="United States")
    develop(leader, "phase_1", indication=lupus, country="China")
    follower = make_program("Stats Follower", modality="car_nk")
    develop(follower, "phase_1", indication=myeloma, country="China")
    develop(follower, "phase_3", indication=lupus, country="China", status="discontinued")
    return {"leader": leader, "follower": follower, "myeloma": myeloma, "lupus": lupus}


def listed(api, **params):
    response = api.get("/api/programs/", {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def count(api, **params):
    response = api.get("/api/programs/", {**params, "page_size": 1})
    assert response.status_code == 200, response.content
    return response.json()["count"]


# --- The rule: development filters hold on the same development ---------------------------------


def test_indication_and_stage_compare_the_stage_in_that_indication(api, pipeline):
    assert "stats-leader" not in listed(api, indication="stats-lupus", stage="phase_3")
    assert "stats-leader" in listed(api, indication="stats-lupus", stage="phase_1")


def test_the_stage_in_an_indication_is_its_most_advanced_development_there(api, pipeline):
    assert "stats-leader" in listed(api, indication="stats-myeloma", stage="phase_3")
    assert "stats-leader" not in listed(api, indication="stats-myeloma", stage="phase_1")


def test_country_narrows_the_development_too(api, pipeline):
    assert "stats-leader" in listed(api, indication="stats-myeloma", country="united states", stage="phase_1")
    assert "stats-leader" not in listed(api, indication="stats-myeloma", country="United States", stage="phase_3")


def test_a_discontinued_development_has_no_stage_but_still_names_its_indication(api, pipeline):
    assert "stats-follower" not in listed(api, indication="stats-lupus", stage_min="phase_1")
    assert "stats-follower" in listed(api, indication="stats-lupus")


def test_stage_min_in_an_indication(api, pipeline):
    assert listed(api, indication="stats-myeloma", stage_min="phase_2") >= {"stats-leader"}
    assert "stats-follower" not in listed(api, indication="stats-myeloma", stage_min="phase_2")


def test_stage_alone_is_the_program_stage(api, pipeline):
    assert "stats-leader" in listed(api, stage="phase_3")
    assert "stats-leader" not in listed(api, stage="phase_1")


def test_an_unknown_country_gives_no_programs(api, pipeline):
    assert listed(api, country="Atlantis") == set()


# --- Statistics ---------------------------------------------------------------------------------

GROUPINGS = [[name] for name in GROUPS] + [["stage", name] for name in GROUPS[1:]] + [["indication", "country"]]
FILTERS = [{}, {"indication": "stats-myeloma"}, {"stage_min": "phase_1"}, {"country": "China", "modality": "car_t"}]


@pytest.mark.parametrize("group_by", GROUPINGS, ids=",".join)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_each_group_count_equals_the_list_count_for_that_group(api, pipeline, group_by, filters):
    response = api.get(STATS, {"group_by": ",".join(group_by), **filters})
    assert response.status_code == 200, response.content
    rows = response.json()
    assert rows
    for row in rows:
        values = {name: row[name] for name in group_by}
        if None in values.values() or any(filters.get(name, value) != value for name, value in values.items()):
            continue  # a list cannot ask for "no company"; a group outside the filter is not the list's
        assert row["count"] == count(api, **{**filters, **values}), row


def test_grouped_by_stage_the_counts_add_up_to_the_list_count(api, pipeline):
    for filters in FILTERS:
        rows = api.get(STATS, {"group_by": "stage", **filters}).json()
        assert sum(row["count"] for row in rows) == count(api, **filters)


def test_grouped_by_indication_a_program_counts_at_its_stage_there(api, pipeline):
    rows = api.get(STATS, {"group_by": "indication,stage", "company": "stats-cell"}).json()
    assert rows == [
        {"indication": "stats-lupus", "stage": "phase_1", "count": 1},
        {"indication": "stats-myeloma", "stage": "phase_3", "count": 1},
    ]


def test_an_unknown_group_by_is_a_400_listing_the_allowed_values(api):
    response = api.get(STATS, {"group_by": "stage,planet"})
    assert response.status_code == 400
    message = response.json()["group_by"][0]
    assert "planet" in message
    assert all(name in message for name in GROUPS)


def test_an_invalid_filter_is_a_400(api):
    assert api.get(STATS, {"stage": "phase_9"}).status_code == 400


# The data version, then the counts; grouped by indication, then the slugs of the indications counted.
@pytest.mark.parametrize(("group_by", "queries"), [("stage,modality", 2), ("indication,stage", 3), ("indication", 3)])
def test_a_stats_request_costs_a_fixed_number_of_queries(api, pipeline, django_assert_num_queries, group_by, queries):
    with django_assert_num_queries(queries):
        api.get(STATS, {"group_by": group_by})


def test_the_schema_documents_group_by_and_the_program_filters(api):
    schema = api.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/stats/programs/"]["get"]["parameters"]}
    assert {"group_by", "stage", "indication", "country", "modality", "company", "target"} <= parameters
    assert "400" in schema["paths"]["/api/stats/programs/"]["get"]["responses"]


@pytest.mark.parametrize(
    ("query", "param"),
    [("updated_after=", "updated_after"), ("group_by=", "group_by"), ("ndr=maybe", "ndr"), ("stage=", "stage")],
)
def test_stats_refuse_a_value_the_list_would_ignore(api, query, param):
    response = api.get(f"{STATS}?{query}")

    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("value", ["maybe", "null", "yes"])
def test_ndr_is_true_or_false(api, value):
    response = api.get("/api/programs/", {"ndr": value})

    assert response.status_code == 400
    assert response.json() == {"ndr": ["Enter true or false."]}


@pytest.mark.parametrize("value", ["true", "false", "True"])
def test_ndr_takes_true_and_false(api, value):
    assert api.get("/api/programs/", {"ndr": value}).status_code == 200
