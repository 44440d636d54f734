"""What every public page does: a title and a heading, landmarks, no inline script or style, facets that count
the rows they link to, sorting, search, CSV links, sources listed, and a query count that does not grow with the
rows. The records (conftest): one of every kind with every field filled, and bare ones beside them."""

import html
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

from .page_helpers import hrefs, page, row_names, text

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/programs/", "/companies/", "/institutions/", "/collaborations/", "/policies/", "/sources/"]
DETAIL_PAGES = [
    "/programs/full-program/",
    "/companies/full-co/",
    "/institutions/full-hospital/",
    "/collaborations/full-collab/",
    "/policies/full-policy/",
    "/sources/full-source/",
]


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
        ("/programs/full-program/", "Full Program"),
        ("/companies/full-co/", "Full Co"),
        ("/institutions/full-hospital/", "Full Hospital"),
        ("/collaborations/full-collab/", "Full collaboration"),
        ("/policies/full-policy/", "Full policy"),
        ("/sources/full-source/", "Full source"),
    ],
)
def test_every_page_has_a_title_and_a_main_heading(client, full_records, url, title):
    content = page(client, url).content.decode()
    assert re.search(rf"<title>[^<]*{re.escape(title)}[^<]*· CGT Tracker</title>", content)
    assert re.search(rf"<h1[^>]*>[^<]*{re.escape(title)}", content)


@pytest.mark.parametrize("url", ["/", *LIST_PAGES, *DETAIL_PAGES])
def test_pages_need_no_inline_script_or_style(client, records, url):
    content = page(client, url).content.decode()
    assert "<script" not in content
    assert "<style" not in content
    assert " style=" not in content


@pytest.mark.parametrize("url", ["/", *LIST_PAGES, *DETAIL_PAGES])
def test_pages_have_landmarks_and_every_table_has_header_scopes(client, records, url):
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


def test_every_record_links_to_its_page(full_records):
    for record in [
        TherapyProgram.objects.get(slug="full-program"),
        Company.objects.get(slug="full-co"),
        Institution.objects.get(slug="full-hospital"),
        Collaboration.objects.get(slug="full-collab"),
        PolicyDocument.objects.get(slug="full-policy"),
        Source.objects.get(slug="full-source"),
    ]:
        assert record.get_absolute_url() in DETAIL_PAGES


@pytest.mark.parametrize("url", LIST_PAGES)
def test_every_facet_count_is_the_number_of_rows_its_link_lists(client, records, url):
    response = page(client, url)
    checked = 0
    for _facet, values in response.context["facets"]:
        for value in values:
            assert page(client, value.href).context["paginator"].count == value.count, value
            checked += 1
    assert checked


@pytest.fixture
def searched():
    """On every list, a record the search below finds and one it does not."""
    baker.make(Company, name="Probe Cell Therapy Ltd.")
    baker.make(Company, name="Other Cell Therapy Ltd.")
    baker.make(Institution, name="Institute of Probe Hematology of an Academy", kind="research_institute")
    baker.make(Institution, name="Institute of Other Studies", kind="research_institute")
    baker.make(Collaboration, title="Agreement on Probe Cooperation in Cell Therapy Development", kind="other")
    baker.make(Collaboration, title="Agreement on Other Cooperation", kind="other")
    baker.make(Source, title="Probe article", text="Patients were treated at the Probe Hematology Hospital.")
    baker.make(Source, title="Other article", text="Patients were treated at another hospital.")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/companies/?search=probe", ["Probe Cell Therapy Ltd."]),
        ("/institutions/?search=institute of probe hematology", ["Institute of Probe Hematology of an Academy"]),
        (
            "/collaborations/?search=Probe Cooperation in Cell Therapy",
            ["Agreement on Probe Cooperation in Cell Therapy Development"],
        ),
        ("/sources/?search=Hematology Hospital", ["Probe article"]),
    ],
)
def test_search_on_every_list(client, searched, url, expected):
    assert row_names(page(client, url)) == expected


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
def test_every_list_sorts_by_its_name_both_ways(client, records, url, model, column):
    for ordering in (column, f"-{column}"):
        expected = list(model.objects.order_by(ordering).values_list(column, flat=True)[:25])
        assert row_names(page(client, f"{url}?ordering={ordering}")) == expected


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
def test_every_list_links_to_the_api_csv_of_its_rows(client, records, url, resource):
    query = url.split("?")[1]
    assert f"/api/{resource}/?{query}&format=csv" in hrefs(page(client, url))


@pytest.fixture
def faceted():
    """On every list, a record the filter below keeps and (but for collaborations) one it leaves out."""
    biotech = baker.make(Company, name="Probe Biotech", slug="probe-biotech", kind="biotech")
    baker.make(Company, name="Probe Pharma", kind="pharma")
    baker.make(Institution, name="Probe Medical Products Administration", kind="regulator")
    baker.make(Institution, name="Probe Hospital", kind="hospital")
    baker.make(Collaboration, title="Probe Cooperation Agreement", kind="strategic_cooperation", companies=[biotech])
    baker.make(PolicyDocument, title="Probe Action Plan (2023-2025)", kind="action_plan", region="Shanghai")
    baker.make(PolicyDocument, title="Probe Technical Guiding Principles", kind="technical_guideline", region="China")
    baker.make(Source, title="Probe Publisher's article", publisher="Probe Publisher")
    baker.make(Source, title="Another publisher's article", publisher="Another Publisher")


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        ("/companies/?kind=biotech", "Probe Biotech", "Probe Pharma"),
        ("/institutions/?kind=regulator", "Probe Medical Products Administration", "Probe Hospital"),
        ("/collaborations/?company=probe-biotech", "Probe Cooperation Agreement", None),
        ("/policies/?region=Shanghai", "Probe Action Plan (2023-2025)", "Technical Guiding Principles"),
        ("/sources/?publisher=Probe", "Probe Publisher's article", "Another publisher's article"),
    ],
)
def test_every_list_filters_by_its_facets(client, faceted, url, present, absent):
    names = row_names(page(client, url))
    assert present in names
    assert absent is None or all(absent not in name for name in names)


@pytest.mark.parametrize("url", [url for url in DETAIL_PAGES if not url.startswith("/sources/")])
def test_every_detail_page_lists_its_sources(client, full_records, url):
    response = page(client, url)
    sources = response.context["object"].sources.all()
    assert sources
    section = response.content.decode().split('<h2 id="sources-heading">Sources</h2>', 1)[1]
    for source in sources:
        assert f'<a href="{source.get_absolute_url()}">{html.escape(source.title)}</a>' in section


# --- query counts -------------------------------------------------------------------------


def more_programs(count, *, company=None, originator=None, source=None):
    source = source or Source.objects.first()
    targets = [Target.objects.get_or_create(symbol=symbol)[0] for symbol in ("CD19", "CD22")]
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
        # Dated before every other milestone: the dashboard's newest milestones are then the full program's dated
        # row and the oldest of these, whatever their random program names (which order undated rows).
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


# The extra rows are dated before the full records, so these stay on the first page on both databases (PostgreSQL
# sorts a missing date first in a newest-first list, SQLite last), and the page's queries stay the same.
OLD = date(1990, 1, 1)


def more_collaborations(count):
    baker.make(
        Collaboration,
        started_on=OLD,
        companies=[Company.objects.first()],
        institutions=[Institution.objects.first()],
        programs=[TherapyProgram.objects.first()],
        sources=[Source.objects.first()],
        _quantity=count,
    )


def more_policies(count):
    source = Source.objects.first()
    issuer = Institution.objects.first()
    baker.make(PolicyDocument, issuer=issuer, period_start=OLD.year, sources=[source], _quantity=count)
    baker.make(Indicator, value=1, sources=[source], _quantity=count)


def more_sources(count):
    baker.make(Source, _quantity=count)


def more_for_the_program(count):
    program = TherapyProgram.objects.get(slug="full-program")
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


def more_for_the_company(count):
    company = Company.objects.get(slug="full-co")
    more_programs(count, company=company)
    more_programs(count, originator=company)
    baker.make(Company, parent=company, _quantity=count)
    baker.make(Collaboration, companies=[company], _quantity=count)
    company.sources.add(*baker.make(Source, _quantity=count))


def more_for_the_institution(count):
    institute = Institution.objects.get(slug="full-hospital")
    for program in more_programs(count):
        baker.make(ProgramPartner, program=program, institution=institute)
        baker.make(Milestone, program=program, kind="approved", source=Source.objects.first(), authority=institute)
    baker.make(Institution, parent=institute, _quantity=count)
    baker.make(Collaboration, institutions=[institute], _quantity=count)
    baker.make(PolicyDocument, issuer=institute, _quantity=count)


def more_citing_the_source(count):
    source = Source.objects.get(slug="full-source")
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
        ("/programs/full-program/", more_for_the_program),
        ("/companies/full-co/", more_for_the_company),
        ("/institutions/full-hospital/", more_for_the_institution),
        ("/collaborations/full-collab/", more_collaborations),
        ("/policies/full-policy/", more_policies),
        ("/sources/full-source/", more_citing_the_source),
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, full_records, url, add_rows):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, url)
        return len(captured)

    add_rows(8)
    few = queries()
    add_rows(30)
    assert queries() == few
