"""Evidence through the API: read on every evidenced resource, written by staff, refused when not in the text."""

import pytest

from evidence.models import Evidence

pytestmark = pytest.mark.django_db

COMPANY = "/api/companies/acme/"
QUOTE = "founded in Suzhou in 2015"


def test_a_record_carries_its_evidence(api, company, source):
    Evidence.objects.create(record=company, source=source, field="city", quote=QUOTE)
    response = api.get(COMPANY)
    assert response.status_code == 200
    assert response.json()["evidence"] == [{"source": "acme-news", "quote": QUOTE, "field": "city"}]


def test_lists_carry_evidence_too(api, company, source):
    Evidence.objects.create(record=company, source=source, quote=QUOTE)
    rows = api.get("/api/companies/", {"search": "Acme"}).json()["results"]
    assert rows[0]["evidence"] == [{"source": "acme-news", "quote": QUOTE, "field": None}]


def test_staff_add_evidence(api, editor, company):
    response = api.patch(COMPANY, {"evidence": [{"source": "acme-news", "quote": QUOTE}]}, format="json")
    assert response.status_code == 200, response.content
    assert [item.quote for item in company.evidence.all()] == [QUOTE]


def test_staff_remove_evidence(api, editor, company, source):
    Evidence.objects.create(record=company, source=source, quote=QUOTE)
    response = api.patch(COMPANY, {"evidence": []}, format="json")
    assert response.status_code == 200, response.content
    assert not company.evidence.exists()


def test_an_unchanged_item_is_kept_not_rewritten(api, editor, company, source):
    kept = Evidence.objects.create(record=company, source=source, quote=QUOTE)
    api.patch(COMPANY, {"evidence": [{"source": "acme-news", "quote": QUOTE, "field": None}]}, format="json")
    assert list(company.evidence.values_list("pk", flat=True)) == [kept.pk]


def test_a_quote_not_in_the_text_is_refused_naming_the_source_and_quote(api, editor, company):
    response = api.patch(
        COMPANY, {"evidence": [{"source": "acme-news", "quote": "founded in Beijing in 2015"}]}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["evidence"]["0"]["quote"][0]
    assert "Acme news" in message and "founded in Beijing in 2015" in message
    assert not company.evidence.exists()


def test_a_refused_quote_leaves_the_rest_of_the_write_undone(api, editor, company):
    response = api.patch(
        COMPANY,
        {"city": "Suzhou", "evidence": [{"source": "acme-news", "quote": "not in the article at all"}]},
        format="json",
    )
    assert response.status_code == 400
    company.refresh_from_db()
    assert company.city == ""


def test_a_short_quote_is_refused(api, editor, company):
    response = api.patch(COMPANY, {"evidence": [{"source": "acme-news", "quote": "Suzhou"}]}, format="json")
    assert response.status_code == 400
    assert "at least 12 characters" in response.json()["evidence"]["0"]["quote"][0]


def test_a_field_the_record_does_not_have_is_refused(api, editor, company):
    response = api.patch(
        COMPANY, {"evidence": [{"source": "acme-news", "quote": QUOTE, "field": "stage"}]}, format="json"
    )
    assert response.status_code == 400
    assert "no field “stage”" in response.json()["evidence"]["0"]["field"][0]


def test_an_unknown_source_is_refused(api, editor, company):
    response = api.patch(COMPANY, {"evidence": [{"source": "nope", "quote": QUOTE}]}, format="json")
    assert response.status_code == 400
    assert "nope" in response.json()["evidence"]["0"]["source"][0]


def test_quoting_a_source_makes_the_record_cite_it(api, editor, company, source):
    company.sources.clear()
    response = api.patch(COMPANY, {"evidence": [{"source": "acme-news", "quote": QUOTE}]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["sources"] == ["acme-news"]


def test_anonymous_users_cannot_write_evidence(api, company):
    response = api.patch(COMPANY, {"evidence": [{"source": "acme-news", "quote": QUOTE}]}, format="json")
    assert response.status_code in (401, 403)
    assert not company.evidence.exists()


def test_the_schema_documents_evidence(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    company = schema["components"]["schemas"]["Company"]["properties"]
    assert company["evidence"]["type"] == "array"
    item = schema["components"]["schemas"]["EvidenceItem"]["properties"]
    assert set(item) == {"source", "quote", "field"}
