"""Policy links: the companies, institutions and programs a policy document funds or names."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from model_bakery import baker
from rest_framework.test import APIClient

from companies.models import Company, Institution
from policies.models import PolicyDocument, PolicyLink, PolicyRelation
from programs.models import TherapyProgram

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy():
    return baker.make(PolicyDocument, title="Linktest Cell Therapy Fund", region="Linkville", kind="funding_program")


@pytest.fixture
def company():
    return baker.make(Company, name="Linktest Biologics")


def test_a_link_names_exactly_one_record(policy, company):
    institution = baker.make(Institution, name="Linktest Institute", kind="hospital")

    with pytest.raises(ValidationError, match="exactly one company, institution or program"):
        PolicyLink(policy=policy, company=company, institution=institution).full_clean()
    with pytest.raises(ValidationError, match="exactly one company, institution or program"):
        PolicyLink(policy=policy).full_clean()


def test_a_policy_links_a_record_once(policy, company):
    PolicyLink.objects.create(policy=policy, company=company)

    with pytest.raises(ValidationError, match="already linked to this company"):
        PolicyLink(policy=policy, company=company, relation=PolicyRelation.FUNDS).full_clean()


def test_policy_page_lists_what_it_funds_and_names(client, policy, company):
    program = baker.make(TherapyProgram, name="Linktest CAR-T", modality="car_t")
    PolicyLink.objects.create(policy=policy, company=company, relation=PolicyRelation.FUNDS, note="Won a grant.")
    PolicyLink.objects.create(policy=policy, program=program, relation=PolicyRelation.NAMES)

    html = client.get(policy.get_absolute_url()).content.decode()

    assert "Companies, institutions and programs it funds or names" in html
    assert f'<a href="{company.get_absolute_url()}">Linktest Biologics</a>' in html
    assert f'<a href="{program.get_absolute_url()}">Linktest CAR-T</a>' in html
    assert "Won a grant." in html


@pytest.mark.parametrize("kind", ["company", "institution", "program"])
def test_linked_record_page_lists_the_policy(client, policy, kind):
    record = {
        "company": lambda: baker.make(Company, name="Linktest Co"),
        "institution": lambda: baker.make(Institution, name="Linktest Hospital", kind="hospital"),
        "program": lambda: baker.make(TherapyProgram, name="Linktest NK", modality="nk"),
    }[kind]()
    PolicyLink.objects.create(policy=policy, relation=PolicyRelation.FUNDS, **{kind: record})

    html = client.get(record.get_absolute_url()).content.decode()

    assert "Policies that fund or name it" in html
    assert f'<a href="{policy.get_absolute_url()}">Linktest Cell Therapy Fund</a>' in html


def test_staff_link_a_policy_to_a_company_through_the_api(policy, company):
    editor = User.objects.create_superuser("editor", password="pw")
    api = APIClient()
    api.force_authenticate(editor)
    source = baker.make("sources.Source", title="Linktest article", slug="linktest-article")

    response = api.post(
        "/api/policy-links/",
        {"policy": policy.slug, "relation": "funds", "company": company.slug, "sources": [source.slug]},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["company"] == {"slug": company.slug, "name": company.name}
    assert response.data["institution"] is None
    assert PolicyLink.objects.get(policy=policy).company == company


def test_api_refuses_a_link_to_two_records(policy, company):
    editor = User.objects.create_superuser("editor", password="pw")
    api = APIClient()
    api.force_authenticate(editor)
    program = baker.make(TherapyProgram, name="Linktest TIL", modality="til")
    source = baker.make("sources.Source", title="Linktest article", slug="linktest-article")

    response = api.post(
        "/api/policy-links/",
        {"policy": policy.slug, "company": company.slug, "program": program.slug, "sources": [source.slug]},
        format="json",
    )

    assert response.status_code == 400
    assert "exactly one" in str(response.data)
    assert not PolicyLink.objects.filter(policy=policy).exists()


def test_api_lists_a_company_s_policy_links(policy, company):
    PolicyLink.objects.create(policy=policy, company=company)

    response = APIClient().get("/api/policy-links/", {"company": company.slug})

    assert response.status_code == 200
    assert [link["policy"]["slug"] for link in response.data["results"]] == [policy.slug]
