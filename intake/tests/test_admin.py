"""The intake page: staff see an article's mentions and turn each into evidence, or a new record, in one click."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from model_bakery import baker

from companies.models import Company
from evidence.models import Evidence
from intake.mentions import forget_index
from sources.models import Source

pytestmark = pytest.mark.django_db

TEXT = "Acme Cell Therapy said today that it began a trial. Zenith Biotech joined it later in 2021."


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_index()


@pytest.fixture
def source():
    return baker.make(Source, slug="probe", title="Probe", text=TEXT)


@pytest.fixture
def company():
    return baker.make(Company, name="Acme Cell Therapy", slug="acme")


def intake_url(source):
    return reverse("admin:sources_source_intake", args=[source.pk])


def accept(client, source):
    start = TEXT.index("Acme")
    return client.post(intake_url(source), {"kind": "company", "slug": "acme", "start": start, "end": start + 17})


def test_the_source_change_form_links_to_intake(admin_client, source):
    html = admin_client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert intake_url(source) in html


def test_the_intake_page_lists_known_and_new_names(admin_client, source, company):
    html = admin_client.get(intake_url(source)).content.decode()
    assert 'class="kind-company"' in html and "Link with this sentence" in html
    assert "Zenith Biotech" in html and "?name=Zenith+Biotech&amp;sources=" in html


def test_one_click_links_the_record_with_the_sentence_as_evidence(admin_client, source, company):
    response = accept(admin_client, source)
    assert response.status_code == 302
    evidence = Evidence.objects.get(source=source)
    assert (evidence.record, evidence.source, evidence.quote) == (
        company,
        source,
        "Acme Cell Therapy said today that it began a trial.",
    )
    assert list(company.sources.all()) == [source]


def test_accepting_twice_adds_nothing(admin_client, source, company):
    accept(admin_client, source)
    accept(admin_client, source)
    assert Evidence.objects.filter(source=source).count() == 1


def test_a_tampered_proposal_is_refused_with_a_message(admin_client, source, company):
    response = admin_client.post(intake_url(source), {"kind": "company", "slug": "acme", "start": 5, "end": 9999})
    assert response.status_code == 302
    assert not Evidence.objects.filter(source=source).exists()


def test_staff_without_the_evidence_permission_cannot_accept(client, source, company):
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(user)
    assert client.get(intake_url(source)).status_code == 200
    assert accept(client, source).status_code == 403
    assert not Evidence.objects.filter(source=source).exists()


def test_the_add_form_opens_filled_with_the_new_name_and_the_source(admin_client, source):
    url = reverse("admin:companies_company_add") + f"?name=Zenith+Biotech&sources={source.pk}"
    form = admin_client.get(url).context["adminform"].form
    assert form.initial["name"] == "Zenith Biotech"
    assert [str(pk) for pk in form.initial["sources"]] == [str(source.pk)]


def test_a_new_name_close_to_a_known_one_shows_the_candidate(admin_client, source):
    baker.make(Company, name="Zenith Biotech Co., Ltd.", slug="zenith-probe")
    forget_index()
    source.text = "Zenith Biotech Co. joined."
    source.save()
    html = admin_client.get(intake_url(source)).content.decode()
    assert "Looks like" in html
