"""The articles' records as the public pages show them."""

import pytest

from cgt_tracker.tests.page_helpers import page, row_names, text

pytestmark = pytest.mark.django_db

JUVENTAS_ARTICLE = (
    "Juventas Joins Hands with a Leading National Institute to Accelerate the Cell Therapy Drug Development"
)


def test_programs_filtered_by_approved_stage_list_yescarta_only(client):
    names = row_names(page(client, "/programs/?stage=approved"))
    assert "Yescarta" in names
    assert "CNCT19" not in names


def test_cnct19_shows_its_stage_developer_designation_and_source(client):
    response = page(client, "/programs/cnct19/")
    content, shown = response.content.decode(), text(response)
    assert "Stage Phase 2" in shown
    assert '<a href="/companies/juventas/">Juventas Cell Therapy Ltd.</a>' in content
    assert "Breakthrough Therapy Designation" in shown
    assert f'<a href="/sources/juventas-joins-hands-2021/">{JUVENTAS_ARTICLE}</a>' in content
