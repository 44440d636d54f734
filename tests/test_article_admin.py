"""The articles' records as the admin shows them."""

import pytest

from cgt_tracker.tests.admin_helpers import admin_url
from companies.models import Company
from programs.models import TherapyProgram

pytestmark = pytest.mark.django_db


def test_article_program_is_found_by_its_developer_name(admin_client):
    response = admin_client.get(admin_url(TherapyProgram, "changelist"), {"q": "Juventas Cell Therapy"})
    assert "cnct19" in {program.slug for program in response.context["cl"].result_list}


def test_article_program_change_page_shows_its_stage_from_the_articles(admin_client):
    cnct19 = TherapyProgram.objects.get(slug="cnct19")
    response = admin_client.get(admin_url(TherapyProgram, "change", cnct19.pk))
    assert '<div class="readonly">Phase 2</div>' in response.content.decode()


def test_article_company_cannot_be_deleted_while_it_develops_a_program(admin_client):
    juventas = Company.objects.get(slug="juventas")
    response = admin_client.post(admin_url(Company, "delete", juventas.pk), {"post": "yes"})
    assert "CNCT19" in str(response.context["protected"])
    assert Company.objects.filter(slug="juventas").exists()
