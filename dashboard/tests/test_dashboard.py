"""The dashboard's stage chart and the About page every footer links to."""

import re

import pytest
from model_bakery import baker

from programs.choices import Stage
from programs.models import Development, TherapyProgram

pytestmark = pytest.mark.django_db


def chart_labels(html, chart_id):
    chart = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', html, re.S)
    return re.findall(r'<text class="bar-label"[^>]*>([^<]+)</text>', chart[0])


def test_stage_chart_shows_the_top_stages_in_pipeline_order_and_all_stages_behind_more(client):
    for stage, count in {
        "discovery": 9,
        "phase_1": 8,
        "phase_2": 7,
        "phase_3": 6,
        "approved": 5,
        "preclinical": 1,
    }.items():
        for program in baker.make(TherapyProgram, _quantity=count, modality="nk"):
            Development.objects.create(program=program, stage=stage)

    html = client.get("/").content.decode()

    assert chart_labels(html, "stage-top-chart") == ["Discovery", "Phase 1", "Phase 2", "Phase 3", "Approved"]
    assert f"<summary>All {len(Stage.choices)} stages, in pipeline order</summary>" in html
    assert len(chart_labels(html, "stage-chart")) == len(Stage.choices)


@pytest.mark.parametrize("url", ["/", "/programs/", "/companies/", "/policies/", "/about/"])
def test_every_page_footer_links_to_about(client, url):
    footer = client.get(url).content.decode().split('<footer class="site-footer">', 1)[1]

    assert 'href="/about/"' in footer


@pytest.mark.parametrize("url", ["/", "/about/", "/companies/"])
def test_every_page_has_a_header_search_box_for_programs(client, url):
    header = client.get(url).content.decode().split("</header>", 1)[0]

    assert '<form class="site-search" method="get" action="/programs/" role="search">' in header
    assert 'name="search"' in header


def test_about_says_what_is_covered_what_stages_mean_and_how_to_cite(client):
    html = client.get("/about/").content.decode()

    assert "is not a census of China" in html
    for stage in ("Discovery", "IND approved", "Phase 1/2", "NDA filed", "Approved"):
        assert f"<dt>{stage}</dt>" in html
    assert "Investigator-initiated" in html
    assert "Registration" in html
    assert "How to cite a record" in html
    assert "Data version" in html
    assert "belong to their publishers" in html
