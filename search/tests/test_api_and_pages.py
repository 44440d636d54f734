"""One search behind the API's ``?search=`` and the list pages' search box, for every kind of record."""

import pytest
from model_bakery import baker
from rest_framework.test import APIClient

from companies.models import Company, Institution
from policies.models import PolicyDocument
from programs.models import Development, Indication, Target, TherapyProgram

pytestmark = pytest.mark.django_db


def api_slugs(resource, query):
    response = APIClient().get(f"/api/{resource}/", {"search": query, "page_size": 500})
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def page_slugs(client, path, query):
    response = client.get(path, {"search": query})
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    content = response.content.decode()
    assert all(str(row) in content for row in rows)
    return [row.slug for row in rows]


def found_everywhere(client, query):
    """The programs a search finds, checked to be the same, in the same order, in the API and on the page."""
    in_api = api_slugs("programs", query)
    assert page_slugs(client, "/programs/", query) == in_api
    return set(in_api)


@pytest.fixture
def landscape():
    """Three CAR-T programs of one company, aimed at one target, for one indication; and a bystander."""
    company = baker.make(Company, name="Quokka Biotherapeutics")
    target = baker.make(Target, symbol="ZBR9")
    indication = baker.make(Indication, name="Refractory zebrafish lymphoma")
    programs = [
        baker.make(TherapyProgram, name=name, modality="car_t", company=company, targets=[target])
        for name in ("Alpha-cel", "Beta injection", "Gamma ZBR9")
    ]
    for program in programs:
        baker.make(Development, program=program, indication=indication, stage="phase_1")
    baker.make(TherapyProgram, name="Bystander NK", modality="nk")
    return {program.slug for program in programs}


@pytest.mark.parametrize("query", ["CAR-T", "ZBR9", "zebrafish", "Quokka"])
def test_a_modality_target_indication_or_company_finds_every_matching_program(client, landscape, query):
    expected = set(TherapyProgram.objects.filter(modality="car_t").values_list("slug", flat=True))
    if query != "CAR-T":
        expected = landscape
    assert found_everywhere(client, query) == expected


def test_the_api_and_the_page_rank_name_matches_first(client, landscape):
    assert api_slugs("programs", "ZBR9")[0] == "gamma-zbr9"
    assert page_slugs(client, "/programs/", "ZBR9")[0] == "gamma-zbr9"


def test_an_explicit_ordering_wins_over_the_ranking(landscape):
    response = APIClient().get("/api/programs/", {"search": "ZBR9", "ordering": "-name"})
    assert [row["name"] for row in response.json()["results"]] == ["Gamma ZBR9", "Beta injection", "Alpha-cel"]


# --- Chinese names, whole or in part (2 and 4 characters) -----------------------------------

CHINESE_NAME = "瑞基奥仑赛注射液"
FRAGMENTS = ["奥仑", "基奥仑赛", CHINESE_NAME]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_a_program_is_found_by_its_chinese_name_or_part_of_it(client, fragment):
    program = baker.make(TherapyProgram, name="Relma-cel", name_zh=CHINESE_NAME, modality="car_t")
    assert found_everywhere(client, fragment) == {program.slug}


@pytest.mark.parametrize("fragment", FRAGMENTS)
@pytest.mark.parametrize(
    ("model", "resource", "path", "field"),
    [
        (Company, "companies", "/companies/", "name_zh"),
        (Institution, "institutions", "/institutions/", "name_zh"),
        (PolicyDocument, "policies", "/policies/", "title_zh"),
    ],
)
def test_a_record_is_found_by_its_chinese_name_or_part_of_it(client, fragment, model, resource, path, field):
    record = baker.make(model, **{field: CHINESE_NAME})
    assert api_slugs(resource, fragment) == [record.slug]
    assert page_slugs(client, path, fragment) == [record.slug]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_an_indication_is_found_by_its_chinese_name_or_part_of_it(fragment):
    indication = baker.make(Indication, name="Relmapox", name_zh=CHINESE_NAME)
    assert api_slugs("indications", fragment) == [indication.slug]


def test_the_api_shows_an_indications_chinese_name():
    indication = baker.make(Indication, name="Relmapox", name_zh=CHINESE_NAME)
    assert APIClient().get(f"/api/indications/{indication.slug}/").json()["name_zh"] == CHINESE_NAME


def test_the_pages_facets_count_the_programs_the_search_found(client, landscape):
    response = client.get("/programs/", {"search": "Quokka"})
    modality = next(values for facet, values in response.context["facets"] if facet.param == "modality")
    assert {value.value: value.count for value in modality} == {"car_t": 3}
