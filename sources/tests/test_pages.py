"""A source's page: what the public sees of the article, and every record that cites it."""

import pytest
from model_bakery import baker

from cgt_tracker.tests.page_helpers import page, text
from companies.models import Company, Institution
from evidence.models import Evidence
from policies.models import Indicator, PolicyDocument
from programs.tests.factories import make_full_program
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_program():
    return make_full_program()


def test_a_source_page_keeps_the_article_text_from_the_public(client):
    source = baker.make(
        Source,
        title="Probe article",
        text="Probe Bio said its program entered phase 2.\n\nExperts believe that the cooperation will pay off.",
    )
    company = baker.make(Company, name="Probe Bio", sources=[source])
    baker.make(Evidence, record=company, source=source, quote="Probe Bio said its program entered phase 2.")
    content = page(client, source.get_absolute_url()).content.decode()
    # A sentence no evidence quotes (quoted sentences are shown, in context, by design).
    assert "Experts believe that the cooperation" not in content


def test_a_source_page_lists_every_record_that_cites_it(client, full_program):
    source = Source.objects.get(title="Probe article")
    baker.make(Company, name="Cited company", sources=[source])
    baker.make(Institution, name="Cited institution", kind="academy", sources=[source])
    baker.make(PolicyDocument, title="Cited policy", kind="action_plan", region="Probe", sources=[source])
    baker.make(Indicator, region="Probe region", metric="Cited metric", value=7, sources=[source])
    full_program.developments.get().sources.add(source)
    shown = text(page(client, source.get_absolute_url()))
    for record in [
        "Programs (1)",
        "Probe-CAR",
        "Developments (1) Probe-CAR – Probe disease (Phase 1/2)",
        "Milestones (4)",
        "Companies (1) Cited company",
        "Institutions (1) Cited institution",
        "Collaborations (1) Probe alliance",
        "Policy documents (1) Cited policy",
        "Regional statistics (1)",
        "Cited metric",
    ]:
        assert record in shown
