"""Evidence on the pages: footnotes on record pages, quotes for the public and marked text for staff on source pages."""

import pytest

from evidence.models import Evidence

pytestmark = pytest.mark.django_db

QUOTE = "founded in Suzhou in 2015"


@pytest.fixture
def quoted(company, source):
    return Evidence.objects.create(record=company, source=source, field="city", quote=QUOTE)


def test_a_record_page_footnotes_its_quotes_with_a_link_to_the_source(client, company, quoted):
    html = client.get(company.get_absolute_url()).content.decode()
    assert f"<blockquote>{QUOTE}</blockquote>" in html
    assert f'href="/sources/acme-news/#q-{quoted.pk}"' in html


def test_a_program_page_marks_a_fact_with_its_footnote_number(client, source):
    from model_bakery import baker

    from programs.models import TherapyProgram

    program = baker.make(TherapyProgram, name="ACM-01", slug="acm-01", modality="car_t")
    Evidence.objects.create(record=program, source=source, field="modality", quote="“ACM-01” CAR-T program")
    html = client.get(program.get_absolute_url()).content.decode()
    assert '<sup class="cite"><a href="#fn-1"' in html and 'id="fn-1"' in html


def test_the_public_source_page_shows_quotes_but_never_the_whole_text(client, source, quoted):
    html = client.get(source.get_absolute_url()).content.decode()
    assert QUOTE in html
    assert f'id="q-{quoted.pk}"' in html
    assert "The trial is recruiting patients" not in html


def test_staff_see_the_whole_text_with_each_quote_marked_and_linked(admin_client, company, source, quoted):
    html = admin_client.get(source.get_absolute_url()).content.decode()
    assert "The trial is recruiting patients" in html
    assert f'<mark id="q-{quoted.pk}"><a href="{company.get_absolute_url()}"' in html
    assert f"{QUOTE}</a></mark>" in html


def test_the_api_shows_the_text_to_staff_only(client, admin_client, source):
    assert "text" not in client.get("/api/sources/acme-news/").json()
    assert admin_client.get("/api/sources/acme-news/").json()["text"].startswith("Acme Cell Therapy")
