"""The dashboard (its counts, charts, latest milestones, policies and statistics) and the About page every footer
links to."""

import re
from datetime import date

import pytest
from model_bakery import baker

from cgt_tracker.tests.page_helpers import page, text
from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
from programs.choices import Stage
from programs.models import Development, Milestone, Target, TherapyProgram
from programs.tests.factories import make_full_program, make_program, make_programs
from sources.models import Source

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


def test_dashboard_counts_each_kind_of_record(client):
    make_full_program()
    baker.make(Company, _quantity=2)
    baker.make(Institution, kind="hospital", _quantity=3)
    baker.make(PolicyDocument, kind="action_plan", _quantity=4)
    baker.make(Source, _quantity=5)
    totals = {label: count for label, count, _ in page(client, "/").context["totals"]}
    assert totals == {
        "Therapy programs": TherapyProgram.objects.count(),
        "Companies": Company.objects.count(),
        "Institutions": Institution.objects.count(),
        "Collaborations": Collaboration.objects.count(),
        "Policy documents": PolicyDocument.objects.count(),
        "Sources": Source.objects.count(),
    }


def test_dashboard_charts_the_pipeline_with_every_stage_in_order(client):
    content = page(client, "/").content.decode()
    chart = re.search(r'<svg[^>]*aria-labelledby="stage-chart-title stage-chart-desc".*?</svg>', content, re.S)
    assert chart
    assert '<title id="stage-chart-title">' in chart[0]
    assert '<desc id="stage-chart-desc">' in chart[0]
    labels = re.findall(r'<text class="bar-label"[^>]*>([^<]+)</text>', chart[0])
    assert labels == [
        "Not stated",
        "Discovery",
        "Preclinical",
        "Investigator-initiated research under way (NHC track)",
        "IND filed",
        "IND approved",
        "Phase 1",
        "Phase 1/2",
        "Phase 2",
        "Phase 2/3",
        "Phase 3",
        "NDA filed",
        "Approved",
    ]


def test_dashboard_pipeline_bars_count_programs_and_link_to_them(client):
    make_programs(2, stage="phase_3")
    content = page(client, "/").content.decode()
    assert '<a href="/programs/?stage=phase_3" aria-label="Phase 3: 2 programs">' in content


def test_dashboard_counts_programs_by_modality_and_by_target(client):
    make_programs(3, modality="tcr_t")
    make_program("Probe CD19 CAR-T", targets=[baker.make(Target, symbol="CD19")])
    content = page(client, "/").content.decode()
    assert 'aria-label="TCR-T: 3 programs"' in content
    assert 'aria-label="CD19: 1 program"' in content


def test_dashboard_shows_latest_milestones_with_their_precision(client):
    program = baker.make(TherapyProgram, name="Timeline probe", modality="til")
    baker.make(
        Milestone,
        program=program,
        kind="trial_started",
        date=date(2099, 3, 1),
        date_precision="month",
        source=baker.make(Source),
    )
    content = page(client, "/").content.decode()
    assert '<time datetime="2099-03">March 2099</time>' in content
    assert "Timeline probe</a>: Trial started" in content


def test_dashboard_lists_policy_documents_by_region_with_their_period(client):
    for title, region, start, end in [
        ("Probe Action Plan", "Probe region", 2023, 2025),
        ("Probe Guidelines", "Probe region", None, None),
        ("Other Plan", "Other region", 2021, 2022),
    ]:
        baker.make(PolicyDocument, title=title, kind="action_plan", region=region, period_start=start, period_end=end)
    content = text(page(client, "/"))
    assert re.search(r"Probe region \(\d+\).*2023–2025 Probe Action Plan", content)


def test_dashboard_shows_regional_statistics(client):
    baker.make(
        Indicator, region="Probe region", metric="Probe companies", value=30, unit="companies", qualifier="more_than"
    )
    assert "more than 30 companies" in text(page(client, "/"))
