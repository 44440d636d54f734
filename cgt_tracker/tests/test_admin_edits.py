"""The admin: an edit made on a version someone else has since replaced is refused; odd history URLs are 404s."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from model_bakery import baker

from companies.models import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    client = Client()
    client.force_login(User.objects.create_superuser("admin-edit", password="pw"))
    return client


@pytest.fixture
def company():
    source = baker.make("sources.Source", slug="admin-edit-source")
    company = baker.make(Company, slug="admin-edit-co", name="Admin Edit Co", city="Suzhou")
    company.sources.add(source)
    return company


def change_url(company):
    return f"/admin/companies/company/{company.pk}/change/"


def opened_form(client, company):
    """The change form's fields as the browser would submit them (inlines left empty)."""
    context = client.get(change_url(company)).context
    form = context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["aliases"] = ""
    data["sources"] = [str(pk) for pk in data["sources"]]
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): 0 for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    return {key: ("" if value is None else value) for key, value in data.items()}


def test_the_change_form_carries_the_version_it_was_opened_at(editor, company):
    html = editor.get(change_url(company)).content.decode()

    assert re.search(rf'type="hidden" name="opened_version" value="{re.escape(company.updated.isoformat())}"', html)


def test_a_save_from_the_current_version_is_applied(editor, company):
    data = opened_form(editor, company) | {"city": "Hangzhou"}

    response = editor.post(change_url(company), data)

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.city == "Hangzhou"


def test_a_save_over_a_newer_version_is_refused_naming_both_and_overwrites_nothing(editor, company):
    mine = opened_form(editor, company) | {"city": "Mine"}
    theirs = opened_form(editor, company) | {"city": "Theirs"}
    editor.post(change_url(company), theirs)
    company.refresh_from_db()

    response = editor.post(change_url(company), mine)

    assert response.status_code == 200
    message = str(response.context["adminform"].form.non_field_errors())
    assert mine["opened_version"] in message and company.updated.isoformat() in message
    company.refresh_from_db()
    assert company.city == "Theirs"


@pytest.mark.parametrize("path", ["{pk}/history/abc/", "{pk}/history/1.5/", "abc/history/", "abc/history/1/"])
def test_a_malformed_id_in_a_history_url_is_a_404(editor, company, path):
    assert editor.get("/admin/companies/company/" + path.format(pk=company.pk)).status_code == 404
