"""The public pages: dashboard, filtered lists with facets, detail pages with their sources."""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
from programs.models import Designation, Development, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/programs/", "/companies/", "/institutions/", "/collaborations/", "/policies/", "/sources/"]
DETAIL_PAGES = [
    "/programs/cnct19/",
    "/companies/juventas/",
    "/institutions/institute-of-hematology-cams/",
    "/collaborations/juventas-institute-of-hematology-agreement/",
    "/policies/shanghai-gene-therapy-action-plan-2023-2025/",
    "/sources/juventas-joins-hands-2021/",
]
JUVENTAS_ARTICLE = (
    "Juventas Joins Hands with a Leading National Institute to Accelerate the Cell Therapy Drug Development"
)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def text(response):
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def row_names(response):
    """The record names in the first column of the results table, in order."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [html.unescape(name) for name in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)]


def facet(response, param):
    """``{value: count}`` of one facet of a list page."""
    for candidate, values in response.context["facets"]:
        if candidate.param == param:
            return {value.value: value.count for value in values}
    raise AssertionError(f"no facet {param}")


def hrefs(response):
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', response.content.decode())]


def make_programs(count, *, company=None, modality="til", stage=None):
    programs = baker.make(TherapyProgram, company=company, modality=modality, _quantity=count)
    if stage:
        for program in programs:
            baker.make(Development, program=program, stage=stage, indication=None)
    return programs


# --- every page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "Cell and gene therapy in China"),
        ("/programs/", "Therapy programs"),
        ("/companies/", "Companies"),
        ("/institutions/", "Institutions"),
        ("/collaborations/", "Collaborations"),
        ("/policies/", "Policy documents"),
        ("/sources/", "Sources"),
        ("/programs/cnct19/", "CNCT19"),
        ("/companies/juventas/", "Juventas Cell Therapy Ltd."),
        (
            "/institutions/institute-of-hematology-cams/",
            "Institute of Hematology of Chinese Academy of Medical Sciences",
        ),
        ("/collaborations/juventas-institute-of-hematology-agreement/", "Agreement on Strategic Cooperation"),
        ("/policies/shanghai-gene-therapy-action-plan-2023-2025/", "Shanghai Action Plan for Promoting Gene Therapy"),
        ("/sources/juventas-joins-hands-2021/", "Juventas Joins Hands"),
    ],
)
def test_every_page_has_a_title_and_a_main_heading(client, url, title):
    content = page(client, url).content.decode()
    assert re.search(rf"<title>[^<]*{re.escape(title)}[^<]*· CGT Tracker</title>", content)
    assert re.search(rf"<h1[^>]*>[^<]*{re.escape(title)}", content)


@pytest.mark.parametrize("url", ["/", *LIST_PAGES, *DETAIL_PAGES])
def test_pages_need_no_inline_script_or_style(client, url):
    content = page(client, url).content.decode()
    assert "<script" not in content
    assert "<style" not in content
    assert " style=" not in content


@pytest.mark.parametrize("url", ["/", *LIST_PAGES, *DETAIL_PAGES])
def test_pages_have_landmarks_and_every_table_has_header_scopes(client, url):
    content = page(client, url).content.decode()
    assert '<nav aria-label="Main">' in content
    assert '<main id="main"' in content
    assert "<th>" not in content
    for table in re.findall(r"<table.*?</table>", content, flags=re.S):
        assert re.findall(r"<th(?: [^>]*)?>", table) == re.findall(r'<th scope="(?:col|row)"[^>]*>', table)


@pytest.mark.parametrize(
    "url",
    [
        "/programs/no-such-program/",
        "/companies/no-such-company/",
        "/institutions/no-such-institution/",
        "/collaborations/no-such-collaboration/",
        "/policies/no-such-policy/",
        "/sources/no-such-source/",
    ],
)
def test_an_unknown_slug_is_not_found(client, url):
    response = page(client, url, status=404)
    assert "Not found" in text(response)


def test_every_record_links_to_its_page():
    for record in [
        TherapyProgram.objects.get(slug="cnct19"),
        Company.objects.get(slug="juventas"),
        Institution.objects.get(slug="institute-of-hematology-cams"),
        Collaboration.objects.get(slug="juventas-institute-of-hematology-agreement"),
        PolicyDocument.objects.get(slug="shanghai-gene-therapy-action-plan-2023-2025"),
        Source.objects.get(slug="juventas-joins-hands-2021"),
    ]:
        assert record.get_absolute_url() in DETAIL_PAGES


# --- dashboard ----------------------------------------------------------------------------


def test_dashboard_counts_each_kind_of_record(client):
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
        source=Source.objects.first(),
    )
    content = page(client, "/").content.decode()
    assert '<time datetime="2099-03">March 2099</time>' in content
    assert "Timeline probe</a>: Trial started" in content


def test_dashboard_lists_policy_documents_by_region_with_their_period(client):
    content = text(page(client, "/"))
    assert re.search(r"Shanghai \(\d+\).*2023–2025 Shanghai Action Plan for Promoting Gene Therapy", content)


def test_dashboard_shows_regional_statistics(client):
    assert "more than 30 companies" in text(page(client, "/"))


# --- list pages ---------------------------------------------------------------------------


def test_programs_filtered_by_approved_stage_list_yescarta_only(client):
    names = row_names(page(client, "/programs/?stage=approved"))
    assert "Yescarta" in names
    assert "CNCT19" not in names


def test_a_facet_shows_each_value_with_its_count(client):
    company = baker.make(Company, name="Facet Probe Bio")
    make_programs(2, company=company, stage="phase_1")
    make_programs(1, company=company, stage="phase_3")
    response = page(client, f"/programs/?company={company.slug}")
    assert facet(response, "stage") == {"phase_1": 2, "phase_3": 1}
    assert 'Phase 1 <span class="facet-count">(2)</span>' in response.content.decode()


def test_a_facet_counts_within_the_other_filters_but_not_its_own(client):
    company = baker.make(Company, name="Facet Probe Bio")
    make_programs(2, company=company, modality="til", stage="phase_1")
    make_programs(1, company=company, modality="nk", stage="phase_3")
    response = page(client, f"/programs/?company={company.slug}&stage=phase_1")
    assert facet(response, "stage") == {"phase_1": 2, "phase_3": 1}
    assert facet(response, "modality") == {"til": 2}


def test_a_facet_link_adds_its_value_to_the_filters(client):
    company = baker.make(Company, name="Facet Probe Bio")
    make_programs(1, company=company, stage="phase_1")
    make_programs(1, company=company, stage="phase_3")
    response = page(client, f"/programs/?company={company.slug}&stage=phase_1")
    assert f"/programs/?company={company.slug}&stage=phase_1&stage=phase_3" in hrefs(response)


def test_a_chosen_facet_value_links_to_the_list_without_it(client):
    response = page(client, "/programs/?stage=approved&modality=car_t")
    content = response.content.decode()
    assert '<a href="/programs/?modality=car_t" class="selected" aria-current="true">Approved' in content


@pytest.mark.parametrize("url", LIST_PAGES)
def test_every_facet_count_is_the_number_of_rows_its_link_lists(client, url):
    response = page(client, url)
    checked = 0
    for _facet, values in response.context["facets"]:
        for value in values:
            assert page(client, value.href).context["paginator"].count == value.count, value
            checked += 1
    assert checked


def test_an_active_filter_can_be_removed(client):
    response = page(client, "/programs/?stage=approved&modality=car_t")
    assert [(f["name"], f["value"], f["href"]) for f in response.context["active_filters"]] == [
        ("Stage", "Approved", "/programs/?modality=car_t"),
        ("Modality", "CAR-T", "/programs/?stage=approved"),
    ]


def test_search_finds_a_program_by_alias(client):
    assert row_names(page(client, "/programs/?search=axi-cel")) == ["Yescarta"]


def test_the_search_box_is_labelled_and_keeps_the_other_filters(client):
    content = page(client, "/programs/?stage=approved&search=yes&page=1").content.decode()
    assert '<label for="id_search">Search therapy programs</label>' in content
    search_box = '<input type="search" id="id_search" name="search" value="yes" placeholder="Search therapy programs">'
    assert search_box in content
    assert '<input type="hidden" name="stage" value="approved">' in content
    assert 'name="page"' not in content


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/companies/?search=juventas", ["Juventas Cell Therapy Ltd."]),
        (
            "/institutions/?search=institute of hematology",
            ["Institute of Hematology of Chinese Academy of Medical Sciences"],
        ),
        (
            "/collaborations/?search=Strategic Cooperation in Cell Therapy New Drug",
            ["Agreement on Strategic Cooperation in Cell Therapy New Drug Development"],
        ),
        ("/sources/?search=Hematology Hospital", [JUVENTAS_ARTICLE]),
    ],
)
def test_search_on_every_list(client, url, expected):
    assert row_names(page(client, url)) == expected


def test_sorting_by_stage_descending_puts_the_most_advanced_first(client):
    names = row_names(page(client, "/programs/?ordering=-stage"))
    assert names.index("Yescarta") < names.index("CNCT19") < names.index("Provenge")


def test_a_sortable_header_reverses_the_current_order(client):
    content = page(client, "/programs/?stage=approved&ordering=stage").content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort" href="?stage=approved&amp;ordering=-stage">Stage'
        in content
    )


def test_an_unsorted_header_sorts_ascending_first(client):
    content = page(client, "/programs/?stage=approved").content.decode()
    assert '<a class="sort" href="?stage=approved&amp;ordering=name">Program' in content


@pytest.mark.parametrize(
    ("url", "model", "column"),
    [
        ("/companies/", Company, "name"),
        ("/institutions/", Institution, "name"),
        ("/collaborations/", Collaboration, "title"),
        ("/policies/", PolicyDocument, "title"),
        ("/sources/", Source, "title"),
    ],
)
def test_every_list_sorts_by_its_name_both_ways(client, url, model, column):
    for ordering in (column, f"-{column}"):
        expected = list(model.objects.order_by(ordering).values_list(column, flat=True)[:25])
        assert row_names(page(client, f"{url}?ordering={ordering}")) == expected


def test_pages_hold_25_rows_and_their_links_keep_the_filters(client):
    make_programs(30, modality="til")
    first = page(client, "/programs/?modality=til")
    assert len(row_names(first)) == 25
    assert "?modality=til&page=2" in hrefs(first)
    second = page(client, "/programs/?modality=til&page=2")
    assert len(row_names(second)) == 5
    assert "?modality=til&page=1" in hrefs(second)


def test_changing_a_filter_goes_back_to_the_first_page(client):
    make_programs(30, modality="til")
    response = page(client, "/programs/?modality=til&page=2")
    assert all("page=" not in value.href for _facet, values in response.context["facets"] for value in values)


def test_the_csv_link_carries_the_same_filters(client):
    response = page(client, "/programs/?stage=approved&search=yes&ordering=name&page=1")
    assert "/api/programs/?stage=approved&search=yes&ordering=name&format=csv" in hrefs(response)


@pytest.mark.parametrize(
    ("url", "resource"),
    [
        ("/companies/?kind=biotech", "companies"),
        ("/institutions/?kind=hospital", "institutions"),
        ("/collaborations/?kind=event", "collaborations"),
        ("/policies/?region=Shanghai", "policies"),
        ("/sources/?publisher=Juventas", "sources"),
    ],
)
def test_every_list_links_to_the_api_csv_of_its_rows(client, url, resource):
    query = url.split("?")[1]
    assert f"/api/{resource}/?{query}&format=csv" in hrefs(page(client, url))


def test_the_csv_link_downloads_exactly_the_listed_rows(client):
    response = page(client, "/programs/?stage=approved")
    csv_url = next(href for href in hrefs(response) if "format=csv" in href)
    download = client.get(csv_url)
    assert download["Content-Type"].startswith("text/csv")
    rows = csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode()))
    assert sorted(row["name"] for row in rows) == sorted(row_names(response))


def test_an_invalid_filter_value_is_reported_and_ignored(client):
    response = page(client, "/programs/?stage=bogus")
    assert 'role="alert"' in response.content.decode()
    assert "bogus is not one of the available choices" in text(response)
    assert response.context["paginator"].count == TherapyProgram.objects.count()


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        ("/companies/?kind=biotech", "Juventas Cell Therapy Ltd.", "Fosun Kite"),
        ("/institutions/?kind=regulator", "China National Medical Products Administration", "Ruijin Hospital"),
        (
            "/collaborations/?company=juventas",
            "Agreement on Strategic Cooperation in Cell Therapy New Drug Development",
            None,
        ),
        (
            "/policies/?region=Shanghai",
            "Shanghai Action Plan for Promoting Gene Therapy Technology Innovation and Industrial Development"
            " (2023-2025)",
            "Technical Guiding Principles",
        ),
        ("/sources/?publisher=Juventas", JUVENTAS_ARTICLE, "Zhangjiang’s cell industry on the fast track"),
    ],
)
def test_every_list_filters_by_its_facets(client, url, present, absent):
    names = row_names(page(client, url))
    assert present in names
    assert absent is None or all(absent not in name for name in names)


def test_policy_list_shows_the_regional_statistics_its_indicators_link_to(client):
    response = page(client, "/policies/")
    indicator = Indicator.objects.first()
    assert indicator.get_absolute_url() == "/policies/#indicators"
    assert 'id="indicators"' in response.content.decode()
    assert indicator.metric in text(response)


# --- detail pages -------------------------------------------------------------------------


def test_cnct19_shows_its_stage_developer_designation_and_source(client):
    response = page(client, "/programs/cnct19/")
    content, shown = response.content.decode(), text(response)
    assert "Stage Phase 2" in shown
    assert '<a href="/companies/juventas/">Juventas Cell Therapy Ltd.</a>' in content
    assert "Breakthrough Therapy Designation" in shown
    assert f'<a href="/sources/juventas-joins-hands-2021/">{JUVENTAS_ARTICLE}</a>' in content


@pytest.fixture
def full_program():
    """A program with one of everything a program page shows."""
    source = baker.make(Source, title="Probe article")
    developer, originator = baker.make(Company, name="Probe Developer"), baker.make(Company, name="Probe Originator")
    hospital = baker.make(Institution, name="Probe Hospital", kind="hospital")
    program = baker.make(
        TherapyProgram,
        name="Probe-CAR",
        company=developer,
        originator=originator,
        modality="car_t",
        cell_source="allogeneic",
        targets=[baker.make(Target, symbol="PROBE1")],
        designations=[Designation.objects.get(code="btd")],
        sources=[source],
    )
    indication = baker.make("programs.Indication", name="Probe disease", slug="probe-disease")
    baker.make(
        Development,
        program=program,
        indication=indication,
        stage="phase_1_2",
        pathway="investigator_initiated",
        country="China",
        status="active",
    )
    baker.make(
        Milestone, program=program, kind="ind_approved", date=date(2020, 6, 1), date_precision="month", source=source
    )
    baker.make(
        Milestone, program=program, kind="trial_started", date=date(2021, 1, 1), date_precision="year", source=source
    )
    baker.make(Milestone, program=program, kind="btd_granted", date=None, date_text="early this year", source=source)
    baker.make(Milestone, program=program, kind="nda_filed", date=None, source=source)
    baker.make(ProgramPartner, program=program, institution=hospital, role="Lead clinical site")
    baker.make(Collaboration, title="Probe alliance", kind="clinical_research", programs=[program], sources=[source])
    return program


def test_a_program_page_shows_its_facts(client, full_program):
    shown = text(page(client, full_program.get_absolute_url()))
    for fact in [
        "Company Probe Developer",
        "Originator Probe Originator",
        "Modality CAR-T",
        "Cell source Allogeneic / universal",
        "Stage Phase 1/2",
        "Targets PROBE1",
        "Designations Breakthrough Therapy Designation",
    ]:
        assert fact in shown


def test_a_program_page_tables_its_developments(client, full_program):
    shown = text(page(client, full_program.get_absolute_url()))
    assert "Probe disease Phase 1/2 Investigator-initiated (NHC clinical research) China Active" in shown


def test_a_program_page_dates_its_milestones_no_more_precisely_than_the_source(client, full_program):
    content = page(client, full_program.get_absolute_url()).content.decode()
    assert '<time datetime="2020-06">June 2020</time>' in content
    assert '<time datetime="2021">2021</time>' in content
    assert "early this year" in content
    assert "date not stated" in content


def test_a_program_page_names_its_partners_with_their_role(client, full_program):
    assert "Probe Hospital — Lead clinical site" in text(page(client, full_program.get_absolute_url()))


def test_a_program_page_lists_its_collaborations(client, full_program):
    assert "Probe alliance" in text(page(client, full_program.get_absolute_url()))


def test_a_company_page_lists_its_programs_originated_programs_and_collaborations(client, full_program):
    developer = page(client, full_program.company.get_absolute_url())
    originator = page(client, full_program.originator.get_absolute_url())
    assert row_names(developer) == ["Probe-CAR"]
    assert "Programs it originated" not in text(developer)
    assert "No program recorded. Programs it originated" in text(originator)
    assert row_names(originator) == ["Probe-CAR"]
    assert "Agreement on Strategic Cooperation in Cell Therapy New Drug Development" in text(
        page(client, "/companies/juventas/")
    )


def test_an_institution_page_lists_programs_units_collaborations_and_policies(client, full_program):
    hospital = Institution.objects.get(name="Probe Hospital")
    baker.make(Institution, name="Probe Ward", kind="hospital", parent=hospital)
    baker.make(Collaboration, title="Probe hospital alliance", kind="platform", institutions=[hospital])
    baker.make(PolicyDocument, title="Probe hospital rules", kind="industry_guideline", region="China", issuer=hospital)
    shown = text(page(client, hospital.get_absolute_url()))
    assert "Programs it partners Probe-CAR — Lead clinical site" in shown
    assert "Includes Probe Ward" in shown
    assert "Probe hospital alliance" in shown
    assert "Policies issued Probe hospital rules" in shown


def test_a_collaboration_page_names_its_parties(client):
    shown = text(page(client, "/collaborations/juventas-institute-of-hematology-agreement/"))
    assert "Companies Juventas Cell Therapy Ltd." in shown
    assert "Institutions Institute of Hematology of Chinese Academy of Medical Sciences" in shown


def test_a_policy_page_shows_its_fields_and_goals(client):
    response = page(client, "/policies/shanghai-gene-therapy-action-plan-2023-2025/")
    shown = text(response)
    assert "Kind Action plan" in shown
    assert "Region Shanghai" in shown
    assert "Period 2023–2025" in shown
    assert "<li>Introduce and cultivate more than 15 leading and backbone enterprises" in response.content.decode()


def test_a_source_page_keeps_the_article_text_from_the_public(client):
    content = page(client, "/sources/juventas-joins-hands-2021/").content.decode()
    # A sentence no evidence quotes (quoted sentences are shown, in context, by design).
    assert "Experts believe that the in-depth cooperation between Juventas" not in content


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


@pytest.mark.parametrize("url", [url for url in DETAIL_PAGES if not url.startswith("/sources/")])
def test_every_detail_page_lists_its_sources(client, url):
    response = page(client, url)
    sources = response.context["object"].sources.all()
    assert sources
    section = response.content.decode().split('<h2 id="sources-heading">Sources</h2>', 1)[1]
    for source in sources:
        assert f'<a href="{source.get_absolute_url()}">{html.escape(source.title)}</a>' in section


# --- query counts -------------------------------------------------------------------------


def more_programs(count, *, company=None, originator=None, source=None):
    source = source or Source.objects.first()
    targets = [Target.objects.get(symbol="CD19"), Target.objects.get(symbol="CD22")]
    programs = baker.make(
        TherapyProgram,
        company=company or Company.objects.first(),
        originator=originator,
        targets=targets,
        designations=list(Designation.objects.all()),
        sources=[source],
        _quantity=count,
    )
    for program in programs:
        baker.make(Development, program=program, stage="phase_1", indication=None, sources=[source])
        # Dated before every article: the dashboard's newest milestones are then the articles' dated rows and
        # the oldest of these, whatever their random program names (which order undated rows).
        baker.make(
            Milestone,
            program=program,
            kind="ind_filed",
            date=date(1990, 1, 1),
            source=source,
            authority=Institution.objects.first(),
        )
    return programs


def more_companies(count):
    baker.make(Company, parent=Company.objects.first(), sources=[Source.objects.first()], _quantity=count)


def more_institutions(count):
    baker.make(Institution, parent=Institution.objects.first(), sources=[Source.objects.first()], _quantity=count)


def more_collaborations(count):
    baker.make(
        Collaboration,
        companies=[Company.objects.first()],
        institutions=[Institution.objects.first()],
        programs=[TherapyProgram.objects.first()],
        sources=[Source.objects.first()],
        _quantity=count,
    )


def more_policies(count):
    source = Source.objects.first()
    baker.make(PolicyDocument, issuer=Institution.objects.first(), sources=[source], _quantity=count)
    baker.make(Indicator, value=1, sources=[source], _quantity=count)


def more_sources(count):
    baker.make(Source, _quantity=count)


def more_for_cnct19(count):
    program = TherapyProgram.objects.get(slug="cnct19")
    for institution in baker.make(Institution, _quantity=count):
        baker.make(ProgramPartner, program=program, institution=institution)
        baker.make(
            Development,
            program=program,
            stage="phase_1",
            country=f"Country {institution.pk}",
            sources=[baker.make(Source)],
        )
        baker.make(Milestone, program=program, kind="ind_filed", source=baker.make(Source), authority=institution)
    baker.make(Collaboration, programs=[program], _quantity=count)
    program.sources.add(*baker.make(Source, _quantity=count))


def more_for_juventas(count):
    juventas = Company.objects.get(slug="juventas")
    more_programs(count, company=juventas)
    more_programs(count, originator=juventas)
    baker.make(Company, parent=juventas, _quantity=count)
    baker.make(Collaboration, companies=[juventas], _quantity=count)
    juventas.sources.add(*baker.make(Source, _quantity=count))


def more_for_the_institute(count):
    institute = Institution.objects.get(slug="institute-of-hematology-cams")
    for program in more_programs(count):
        baker.make(ProgramPartner, program=program, institution=institute)
        baker.make(Milestone, program=program, kind="approved", source=Source.objects.first(), authority=institute)
    baker.make(Institution, parent=institute, _quantity=count)
    baker.make(Collaboration, institutions=[institute], _quantity=count)
    baker.make(PolicyDocument, issuer=institute, _quantity=count)


def more_citing_the_juventas_article(count):
    source = Source.objects.get(slug="juventas-joins-hands-2021")
    more_programs(count, source=source)
    for model in (Company, Institution, Collaboration, PolicyDocument):
        baker.make(model, sources=[source], _quantity=count)
    baker.make(Indicator, value=1, sources=[source], _quantity=count)


@pytest.mark.parametrize(
    ("url", "add_rows"),
    [
        ("/", more_programs),
        ("/programs/", more_programs),
        ("/companies/", more_companies),
        ("/institutions/", more_institutions),
        ("/collaborations/", more_collaborations),
        ("/policies/", more_policies),
        ("/sources/", more_sources),
        ("/programs/cnct19/", more_for_cnct19),
        ("/companies/juventas/", more_for_juventas),
        ("/institutions/institute-of-hematology-cams/", more_for_the_institute),
        ("/collaborations/juventas-institute-of-hematology-agreement/", more_collaborations),
        ("/policies/shanghai-gene-therapy-action-plan-2023-2025/", more_policies),
        ("/sources/juventas-joins-hands-2021/", more_citing_the_juventas_article),
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, url, add_rows):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, url)
        return len(captured)

    add_rows(8)
    few = queries()
    add_rows(30)
    assert queries() == few
