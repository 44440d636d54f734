"""What the API refuses in a request before it reads any record, and the headers every response carries."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from model_bakery import baker
from rest_framework.test import APIClient

from cgt_tracker.api.cache import API_CONTENT_SECURITY_POLICY
from cgt_tracker.filters import SEARCH_MAX_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_an_unknown_query_parameter_is_a_400_naming_the_allowed_ones(api):
    response = api.get("/api/programs/", {"stag": "phase_2"})

    assert response.status_code == 400
    message = response.json()["stag"][0]
    assert "Unknown query parameter" in message
    assert all(name in message for name in ("stage", "stage_min", "page", "page_size", "format", "search"))


def test_an_unknown_query_parameter_on_a_detail_is_a_400(api):
    baker.make("programs.TherapyProgram", slug="zeta", name="Zeta")

    assert api.get("/api/programs/zeta/", {"verbose": "1"}).status_code == 400


@pytest.mark.parametrize("params", [{"format": "json"}, {"stage": "phase_2", "page": "1", "page_size": "5"}])
def test_format_and_documented_parameters_pass(api, params):
    assert api.get("/api/programs/", params).status_code == 200


def test_a_search_longer_than_the_limit_is_a_400(api):
    response = api.get("/api/companies/", {"search": "x" * (SEARCH_MAX_LENGTH + 1)})

    assert response.status_code == 400
    assert f"at most {SEARCH_MAX_LENGTH} characters" in response.json()["search"][0]


def test_a_search_at_the_limit_is_searched(api):
    assert api.get("/api/programs/", {"search": "x" * SEARCH_MAX_LENGTH}).status_code == 200


@pytest.mark.parametrize("ordering", ["bogus", "name,bogus", "-search_document"])
def test_ordering_outside_its_values_is_a_400(api, ordering):
    assert api.get("/api/programs/", {"ordering": ordering}).status_code == 400


def test_an_oversized_body_is_a_json_413(api):
    api.force_authenticate(User.objects.create_superuser("big", password="pw"))

    response = api.post("/api/programs/", b'{"name": "' + b"x" * 3_000_000 + b'"}', content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than the limit" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/programs/", "/api/companies/?kind=nonsense", "/api/nowhere/"])
def test_api_responses_carry_a_content_security_policy(api, url):
    assert api.get(url).has_header("Content-Security-Policy")


def test_a_json_response_repeated_from_the_cache_keeps_its_policy(api):
    api.get("/api/programs/")

    assert api.get("/api/programs/")["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "model, url", [("companies.Company", "/api/companies/"), ("policies.PolicyDocument", "/api/policies/")]
)
def test_updated_after_gives_only_the_records_changed_since(api, model, url):
    since = timezone.now()
    record = baker.make(model, slug="changed-since")

    response = api.get(url, {"updated_after": since.isoformat()})

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [record.slug]


@pytest.mark.parametrize("params", [{"updated_after": ""}, {"stage": ""}, {"stage_min": ""}, {"format": ""}])
def test_an_empty_value_where_a_date_choice_or_format_is_expected_is_a_400(api, params):
    assert api.get("/api/programs/", params).status_code == 400


@pytest.mark.parametrize("params", [{"search": ""}, {"company": ""}, {"ordering": ""}])
def test_an_empty_text_key_or_ordering_is_none(api, params):
    assert api.get("/api/programs/", params).status_code == 200


@pytest.mark.parametrize("params", [{"page": "-4"}, {"page_size": "0"}])
def test_a_csv_list_checks_its_page_parameters_too(api, params):
    assert api.get("/api/programs/", {"format": "csv", **params}).status_code == 400


def test_a_number_for_a_text_field_is_a_400():
    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("strict", password="pw"))
    baker.make("programs.Indication", slug="strict-indication", name="Strict")

    response = api.patch("/api/indications/strict-indication/", {"name": 0}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_a_decimal_is_written_as_a_string_not_a_number():
    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("decimal", password="pw"))
    source = baker.make("sources.Source", slug="decimal-source")
    body = {"region": "Pudong", "metric": "cell therapy companies", "sources": [source.slug]}

    assert api.post("/api/indicators/", {**body, "value": 0.5}, format="json").status_code == 400
    assert api.post("/api/indicators/", {**body, "value": "0.5"}, format="json").status_code == 201


def test_an_evidence_item_without_its_source_in_a_patch_is_a_400():
    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("evidence-patch", password="pw"))
    baker.make("companies.Company", slug="evidence-patch-co", name="Evidence Patch Co")

    response = api.patch("/api/companies/evidence-patch-co/", {"evidence": [{"field": None}]}, format="json")

    assert response.status_code == 400
