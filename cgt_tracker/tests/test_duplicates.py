"""Near-duplicate names are asked about before a record is added: in the API and in the admin."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from model_bakery import baker
from rest_framework.test import APIClient

from cgt_tracker.duplicates import name_key, near_duplicates
from companies.models import Company
from sources.models import Source


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Juventas Cell Therapy", "Juventas Cell Therapy Ltd."),
        ("JUVENTAS cell-therapy", "Juventas Cell Therapy"),
        ("Shenzhen Beike Biotechnology Co., Ltd.", "Shenzhen Beike Biotechnology"),
        ("深圳北科生物科技有限公司", "深圳北科生物科技"),
    ],
)
def test_names_that_differ_in_case_punctuation_or_legal_suffix_share_a_key(one, other):
    assert name_key(one) == name_key(other)


def test_different_companies_keep_different_keys():
    assert name_key("Fosun Kite") != name_key("Fosun Pharma")


@pytest.fixture
def jovanta(db):
    source = baker.make(Source, slug="probe-news")
    company = baker.make(Company, name="Jovanta Cell Therapy Ltd.", slug="jovanta-probe", aliases=["Jovanta"])
    company.sources.add(source)
    return company


def test_a_near_match_by_alias_or_chinese_name_is_found(jovanta):
    jovanta.name_zh = "合源生物"
    jovanta.save()
    assert near_duplicates(Company, ["jovanta"]) == [jovanta]
    assert near_duplicates(Company, ["合源生物有限公司"]) == [jovanta]
    assert near_duplicates(Company, ["Quasar Biologics"]) == []


@pytest.fixture
def api(db):
    client = APIClient()
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="companies"))
    client.force_authenticate(user)
    return client


def test_the_api_refuses_a_near_duplicate_naming_the_candidates(api, jovanta):
    response = api.post("/api/companies/", {"name": "Jovanta Cell Therapy", "sources": ["probe-news"]}, format="json")
    assert response.status_code == 400
    message = response.json()["name"][0]
    assert "Jovanta Cell Therapy Ltd. (jovanta-probe)" in message and "confirm_new" in message
    assert not Company.objects.filter(name="Jovanta Cell Therapy").exists()


def test_the_api_adds_a_near_duplicate_when_confirmed(api, jovanta):
    response = api.post(
        "/api/companies/",
        {"name": "Jovanta Cell Therapy", "sources": ["probe-news"], "confirm_new": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "confirm_new" not in response.json()


def test_renaming_an_existing_record_is_not_asked_about(api, jovanta):
    response = api.patch("/api/companies/jovanta-probe/", {"name": "Jovanta Cell Therapy"}, format="json")
    assert response.status_code == 200


def test_the_admin_add_form_asks_before_adding_a_near_duplicate(admin_client, jovanta):
    url = reverse("admin:companies_company_add")
    data = {
        "name": "Jovanta Cell Therapy",
        "slug": "",
        "aliases": "",
        "sources": [jovanta.sources.get().pk],
        "evidence-evidence-content_type-object_id-TOTAL_FORMS": "0",
        "evidence-evidence-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Jovanta Cell Therapy Ltd. (jovanta-probe)" in response.content.decode()
    assert not Company.objects.filter(name="Jovanta Cell Therapy").exists()
    response = admin_client.post(url, data | {"confirm_new": "on"})
    assert response.status_code == 302
    assert Company.objects.filter(name="Jovanta Cell Therapy").exists()
