"""The company admin: field order, search, who changed what, sources required, aliases, protected deletes."""

import pytest
from django.contrib import admin
from model_bakery import baker

from cgt_tracker.tests.admin_helpers import admin_url, changelist_pks, posted
from companies.models import Company
from programs.models import TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db


def test_forms_put_names_first_and_sources_and_time_stamps_last(admin_request):
    fields = admin.site._registry[Company].get_fields(admin_request)
    assert (fields[:4], fields[-3:]) == (["name", "name_zh", "slug", "aliases"], ["sources", "created", "updated"])


def test_changelist_search_matches_an_alias(admin_client):
    wanted = baker.make(Company, name="Admintest Cell Therapeutics", aliases=["Zorblax"])
    baker.make(Company, name="Admintest Other Biotech")
    response = admin_client.get(admin_url(Company, "changelist"), {"q": "zorblax"})
    assert changelist_pks(response) == {wanted.pk}


def test_saving_a_change_records_who_made_it(admin_client, admin_user):
    company = baker.make(Company, name="Admintest Before")
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))

    response = admin_client.post(admin_url(Company, "change", company.pk), posted(page, name="Admintest After"))

    assert response.status_code == 302
    latest = company.history.latest()
    assert (latest.name, latest.history_type, latest.history_user) == ("Admintest After", "~", admin_user)


def test_history_page_names_who_made_a_change(admin_client, admin_user):
    company = baker.make(Company, name="Admintest Before")
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))
    admin_client.post(admin_url(Company, "change", company.pk), posted(page, name="Admintest After"))

    response = admin_client.get(admin_url(Company, "history", company.pk))

    assert admin_user.username in response.content.decode()


def test_a_record_without_sources_is_refused(admin_client):
    page = admin_client.get(admin_url(Company, "add"))
    response = admin_client.post(admin_url(Company, "add"), posted(page, name="Admintest Uncited", sources=[]))
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert not Company.objects.filter(name="Admintest Uncited").exists()


def test_a_record_with_a_source_is_saved(admin_client):
    source = baker.make(Source)
    page = admin_client.get(admin_url(Company, "add"))
    response = admin_client.post(
        admin_url(Company, "add"), posted(page, name="Admintest Cited", sources=[str(source.pk)])
    )
    assert response.status_code == 302
    assert list(Company.objects.get(name="Admintest Cited").sources.all()) == [source]


def test_aliases_round_trip_through_the_company_admin(admin_client):
    company = baker.make(Company, name="Admintest Lines", aliases=["First alias", "Second alias"])
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))
    assert page.context["adminform"].form["aliases"].value() == "First alias\nSecond alias"

    admin_client.post(admin_url(Company, "change", company.pk), posted(page, aliases="First alias\r\nThird alias\r\n"))

    company.refresh_from_db()
    assert company.aliases == ["First alias", "Third alias"]


def test_deleting_a_company_that_still_has_programs_is_refused(admin_client):
    company = baker.make(Company, name="Admintest Developer")
    program = baker.make(TherapyProgram, company=company)

    response = admin_client.post(admin_url(Company, "delete", company.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert "Cannot delete" in response.content.decode()
    assert Company.objects.filter(pk=company.pk).exists()
    assert TherapyProgram.objects.filter(pk=program.pk).exists()


def test_bulk_deleting_companies_with_programs_is_refused(admin_client):
    company = baker.make(Company, name="Admintest Developer")
    baker.make(TherapyProgram, company=company)
    other = baker.make(Company, name="Admintest Bystander")

    response = admin_client.post(
        admin_url(Company, "changelist"),
        {"action": "delete_selected", "_selected_action": [company.pk, other.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Company.objects.filter(pk__in=[company.pk, other.pk]).count() == 2
