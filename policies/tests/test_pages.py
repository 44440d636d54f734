"""The policy list and a policy's page."""

import pytest
from model_bakery import baker

from cgt_tracker.tests.page_helpers import page, text
from policies.models import Indicator, PolicyDocument

pytestmark = pytest.mark.django_db


def test_policy_list_shows_the_regional_statistics_its_indicators_link_to(client):
    indicator = baker.make(Indicator, region="Probe region", metric="Probe companies", value=30)
    response = page(client, "/policies/")
    assert indicator.get_absolute_url() == "/policies/#indicators"
    assert 'id="indicators"' in response.content.decode()
    assert indicator.metric in text(response)


def test_a_policy_page_shows_its_fields_and_goals(client):
    policy = baker.make(
        PolicyDocument,
        title="Probe Action Plan",
        kind="action_plan",
        region="Probe region",
        period_start=2023,
        period_end=2025,
        goals=["Cultivate more than 15 probe enterprises", "Build 5 probe centres"],
    )
    response = page(client, policy.get_absolute_url())
    shown = text(response)
    assert "Kind Action plan" in shown
    assert "Region Probe region" in shown
    assert "Period 2023–2025" in shown
    assert "<li>Cultivate more than 15 probe enterprises" in response.content.decode()
