"""ETag on every detail, If-Match on every write: a stale write is a 412 and changes nothing."""

import pytest
from django.contrib.auth.models import User
from model_bakery import baker
from rest_framework.test import APIClient

from cgt_tracker.api.etag import representation_etag
from companies.models import Company

pytestmark = pytest.mark.django_db

URL = "/api/companies/etag-co/"


@pytest.fixture
def company():
    company = baker.make(Company, name="ETag Co", slug="etag-co", city="Shanghai")
    company.sources.add(baker.make("sources.Source", slug="etag-source"))
    return company


@pytest.fixture
def staff():
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("editor", password="pw"))
    return client


def test_a_detail_carries_the_etag_of_its_body(company):
    response = APIClient().get(URL)

    assert response["ETag"] == representation_etag(response.content)


def test_the_etag_changes_with_nested_data():
    program = baker.make("programs.TherapyProgram", slug="etag-program", name="ETag program")
    before = APIClient().get("/api/programs/etag-program/")["ETag"]

    program.targets.add(baker.make("programs.Target", symbol="ETAG1"))

    assert APIClient().get("/api/programs/etag-program/")["ETag"] != before


def test_a_write_with_the_current_etag_is_applied_and_answers_the_new_one(staff, company):
    etag = staff.get(URL)["ETag"]

    response = staff.patch(URL, {"city": "Beijing"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response["ETag"] == staff.get(URL)["ETag"] == representation_etag(response.content)
    company.refresh_from_db()
    assert company.city == "Beijing"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_with_a_stale_etag_is_a_412_and_changes_nothing(staff, company, method):
    stale = staff.get(URL)["ETag"]
    staff.patch(URL, {"city": "Shenzhen"}, format="json")
    before = Company.objects.filter(pk=company.pk).values().get()

    body = {"name": "Overwritten", "city": "Nowhere", "sources": ["etag-source"]}
    response = getattr(staff, method)(URL, body, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert stale in response.json()["detail"]
    assert Company.objects.filter(pk=company.pk).values().get() == before


def test_a_weak_etag_never_matches(staff, company):
    etag = staff.get(URL)["ETag"]

    assert staff.patch(URL, {"city": "Wuhan"}, format="json", HTTP_IF_MATCH=f"W/{etag}").status_code == 412


@pytest.mark.parametrize("if_match", ['"other", {etag}', "*"])
def test_any_matching_etag_or_a_star_lets_the_write_through(staff, company, if_match):
    etag = staff.get(URL)["ETag"]

    response = staff.patch(URL, {"city": "Wuhan"}, format="json", HTTP_IF_MATCH=if_match.format(etag=etag))

    assert response.status_code == 200


def test_a_write_without_if_match_is_applied(staff, company):
    assert staff.patch(URL, {"city": "Hangzhou"}, format="json").status_code == 200
    company.refresh_from_db()
    assert company.city == "Hangzhou"


def test_a_delete_with_the_current_etag_deletes(staff, company):
    etag = staff.get(URL)["ETag"]

    assert staff.delete(URL, HTTP_IF_MATCH=etag).status_code == 204
    assert not Company.objects.filter(pk=company.pk).exists()


def test_a_created_record_answers_its_etag_and_location(staff):
    source = baker.make("sources.Source", slug="fresh-source")

    response = staff.post("/api/companies/", {"name": "Fresh Co", "sources": [source.slug]}, format="json")

    assert response.status_code == 201
    assert response["ETag"] == representation_etag(response.content)
    assert response["Location"].endswith("/api/companies/fresh-co/")


def test_an_invalid_write_is_a_400_even_with_a_stale_etag(staff, company):
    assert staff.patch(URL, {"name": ""}, format="json", HTTP_IF_MATCH='"stale"').status_code == 400
