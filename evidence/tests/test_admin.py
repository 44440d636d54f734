"""Evidence in the admin: edited inline with its record; a quote not in its source is an inline form error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PREFIX = "evidence-evidence-content_type-object_id"


def change_form_data(company, quote):
    return {
        "name": company.name,
        "slug": company.slug,
        "aliases": "",
        "country": "China",
        "sources": [source.pk for source in company.sources.all()],
        f"{PREFIX}-TOTAL_FORMS": "1",
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-0-source": company.sources.get().pk,
        f"{PREFIX}-0-field": "city",
        f"{PREFIX}-0-quote": quote,
    }


def test_the_change_form_shows_the_evidence_inline(admin_client, company):
    response = admin_client.get(reverse("admin:companies_company_change", args=[company.pk]))
    assert "evidence: quotes from the sources" in response.content.decode().lower()


def test_a_quote_in_the_text_is_saved_with_the_record(admin_client, company):
    url = reverse("admin:companies_company_change", args=[company.pk])
    response = admin_client.post(url, change_form_data(company, "founded in Suzhou in 2015"))
    assert response.status_code == 302, (
        response.context and response.context["inline_admin_formsets"][-1].formset.errors
    )
    assert company.evidence.get().field == "city"


def test_a_quote_not_in_the_text_is_an_inline_error_and_nothing_is_saved(admin_client, company):
    url = reverse("admin:companies_company_change", args=[company.pk])
    data = change_form_data(company, "founded in Shanghai in 2015") | {"city": "Shanghai"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][-1].formset.errors[0]["quote"][0]
    assert "not in the text of “Acme news”" in errors and "founded in Shanghai in 2015" in errors
    company.refresh_from_db()
    assert company.city == "" and not company.evidence.exists()
