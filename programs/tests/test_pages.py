"""The program list and program pages: facets, filters, search, sorting, paging, the CSV link, the facts."""

import csv
import io

import pytest
from model_bakery import baker

from cgt_tracker.tests.page_helpers import facet, hrefs, page, row_names, text
from companies.models import Company
from programs.models import Target, TherapyProgram

from .factories import develop, make_full_program, make_indication, make_program, make_programs

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    """Approved CAR-T programs (one named with "yes") beside programs at other stages and of other modalities."""
    develop(make_program("Yes CAR-T", modality="car_t"), "approved")
    develop(make_program("Second approved CAR-T", modality="car_t"), "approved")
    develop(make_program("Approved TIL", modality="til"), "approved")
    develop(make_program("Phase 2 CAR-T", modality="car_t"), "phase_2")
    develop(make_program("Not stated NK", modality="nk"), "not_stated")


@pytest.fixture
def full_program():
    return make_full_program()


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


def test_a_program_developed_for_one_indication_in_two_countries_counts_once_in_its_facet(client):
    company = baker.make(Company, name="Facet Probe Bio")
    indication = make_indication("facet-probe-lymphoma", name="Facet probe lymphoma")
    program = make_program("Facet Probe CAR-T", company=company)
    develop(program, "phase_1", indication=indication, country="China")
    develop(program, "phase_2", indication=indication, country="United States")
    develop(make_program("Facet Probe TIL", company=company), "phase_1", indication=indication)
    response = page(client, f"/programs/?company={company.slug}")
    assert facet(response, "indication") == {indication.slug: 2}


def test_a_target_facet_counts_the_filtered_programs_with_each_target(client):
    company = baker.make(Company, name="Facet Probe Bio")
    first, second = baker.make(Target, symbol="FPT1"), baker.make(Target, symbol="FPT2")
    make_program("Facet Probe One", company=company).targets.set([first, second])
    make_program("Facet Probe Two", company=company).targets.set([first])
    make_program("Elsewhere", modality="nk").targets.set([first])
    response = page(client, f"/programs/?company={company.slug}")
    assert facet(response, "target") == {"FPT1": 2, "FPT2": 1}


def test_a_facet_link_adds_its_value_to_the_filters(client):
    company = baker.make(Company, name="Facet Probe Bio")
    make_programs(1, company=company, stage="phase_1")
    make_programs(1, company=company, stage="phase_3")
    response = page(client, f"/programs/?company={company.slug}&stage=phase_1")
    assert f"/programs/?company={company.slug}&stage=phase_1&stage=phase_3" in hrefs(response)


def test_a_chosen_facet_value_links_to_the_list_without_it(client, programs):
    response = page(client, "/programs/?stage=approved&modality=car_t")
    content = response.content.decode()
    assert '<a href="/programs/?modality=car_t" class="selected" aria-current="true">Approved' in content


def test_an_active_filter_can_be_removed(client, programs):
    response = page(client, "/programs/?stage=approved&modality=car_t")
    assert [(f["name"], f["value"], f["href"]) for f in response.context["active_filters"]] == [
        ("Stage", "Approved", "/programs/?modality=car_t"),
        ("Modality", "CAR-T", "/programs/?stage=approved"),
    ]


def test_search_finds_a_program_by_alias(client):
    make_program("Probe-CAR", aliases=["probe-cel"])
    make_program("Other CAR-T")
    assert row_names(page(client, "/programs/?search=probe-cel")) == ["Probe-CAR"]


def test_the_search_box_is_labelled_and_keeps_the_other_filters(client, programs):
    content = page(client, "/programs/?stage=approved&search=yes&page=1").content.decode()
    assert '<label for="id_search">Search therapy programs</label>' in content
    search_box = '<input type="search" id="id_search" name="search" value="yes" placeholder="Search therapy programs">'
    assert search_box in content
    assert '<input type="hidden" name="stage" value="approved">' in content
    assert 'name="page"' not in content


def test_sorting_by_stage_descending_puts_the_most_advanced_first(client, programs):
    names = row_names(page(client, "/programs/?ordering=-stage"))
    assert names.index("Yes CAR-T") < names.index("Phase 2 CAR-T") < names.index("Not stated NK")


def test_a_sortable_header_reverses_the_current_order(client, programs):
    content = page(client, "/programs/?stage=approved&ordering=stage").content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort" href="?stage=approved&amp;ordering=-stage">Stage'
        in content
    )


def test_an_unsorted_header_sorts_ascending_first(client, programs):
    content = page(client, "/programs/?stage=approved").content.decode()
    assert '<a class="sort" href="?stage=approved&amp;ordering=name">Program' in content


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


def test_the_csv_link_carries_the_same_filters(client, programs):
    response = page(client, "/programs/?stage=approved&search=yes&ordering=name&page=1")
    assert "/api/programs/?stage=approved&search=yes&ordering=name&format=csv" in hrefs(response)


def test_the_csv_link_downloads_exactly_the_listed_rows(client, programs):
    response = page(client, "/programs/?stage=approved")
    csv_url = next(href for href in hrefs(response) if "format=csv" in href)
    download = client.get(csv_url)
    assert download["Content-Type"].startswith("text/csv")
    rows = csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode()))
    assert sorted(row["name"] for row in rows) == sorted(row_names(response))


def test_an_invalid_filter_value_is_reported_and_ignored(client, programs):
    response = page(client, "/programs/?stage=bogus")
    assert 'role="alert"' in response.content.decode()
    assert "bogus is not one of the available choices" in text(response)
    assert response.context["paginator"].count == TherapyProgram.objects.count()


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
