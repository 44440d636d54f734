"""Program pages an analyst uses: the list's columns and sorting, as-of dates, honest filters, landscapes, compare."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from companies.models import Company
from programs.choices import Stage
from programs.models import Development, Indication, Milestone, Target, TherapyProgram
from sources.models import Source

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db


def names_in_order(response):
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)


@pytest.fixture
def trio():
    """Three programs of one made-up company, differing in every sortable column."""
    company = baker.make(Company, name="Sorttest Bio", slug="sorttest-bio")
    early = baker.make(Indication, name="Aaa sorttest disease", slug="aaa-sorttest")
    late = baker.make(Indication, name="Zzz sorttest disease", slug="zzz-sorttest")
    alpha = baker.make(TherapyProgram, name="Sorttest Alpha", company=company, modality="til")
    beta = baker.make(TherapyProgram, name="Sorttest Beta", company=company, modality="car_t")
    gamma = baker.make(TherapyProgram, name="Sorttest Gamma", company=company, modality="nk")
    Development.objects.create(
        program=alpha, indication=late, stage="phase_3", as_of=datetime.date(2021, 5, 1), as_of_precision="month"
    )
    Development.objects.create(program=beta, indication=early, stage="phase_1", as_of=datetime.date(2023, 1, 9))
    baker.make(Milestone, program=gamma, kind="ind_filed", date=datetime.date(2019, 3, 4), source=baker.make(Source))
    return alpha, beta, gamma


def test_program_list_shows_company_modality_indication_stage_and_as_of(client, trio):
    html = client.get("/programs/", {"company": "sorttest-bio"}).content.decode()

    for header in ("Program", "Company", "Modality", "Indications", "Stage", "As of"):
        assert f">{header}<" in html
    assert '<a href="/indications/zzz-sorttest/">Zzz sorttest disease</a>' in html
    assert '<time datetime="2021-05">May 2021</time>' in html
    assert "TIL" in html


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Sorttest Alpha", "Sorttest Beta", "Sorttest Gamma"]),
        ("-name", ["Sorttest Gamma", "Sorttest Beta", "Sorttest Alpha"]),
        ("modality", ["Sorttest Beta", "Sorttest Gamma", "Sorttest Alpha"]),
        ("indication", ["Sorttest Beta", "Sorttest Alpha", "Sorttest Gamma"]),
        ("-stage", ["Sorttest Alpha", "Sorttest Beta", "Sorttest Gamma"]),
        ("as_of", ["Sorttest Gamma", "Sorttest Alpha", "Sorttest Beta"]),
        ("-as_of", ["Sorttest Beta", "Sorttest Alpha", "Sorttest Gamma"]),
    ],
)
def test_program_list_sorts_by_each_column(client, trio, ordering, expected):
    response = client.get("/programs/", {"company": "sorttest-bio", "ordering": ordering})

    assert names_in_order(response) == expected


def test_every_column_but_targets_has_a_sort_link(client, trio):
    html = client.get("/programs/").content.decode()

    for field in ("name", "company", "modality", "indication", "stage", "as_of"):
        assert f"ordering={field}" in html


def test_a_program_is_as_of_its_newest_development_or_milestone(trio):
    alpha, beta, gamma = (TherapyProgram.objects.with_related().get(pk=program.pk) for program in trio)

    assert str(alpha.as_of) == "May 2021"
    assert str(beta.as_of) == "January 9, 2023"
    assert str(gamma.as_of) == "March 4, 2019"


def test_without_dated_events_a_program_is_as_of_its_newest_source():
    program = baker.make(TherapyProgram, name="Undated Probe", modality="msc")
    program.sources.add(
        baker.make(Source, published_on=datetime.date(2020, 1, 1), published_on_precision="year"),
        baker.make(Source, published_on=datetime.date(2018, 6, 1)),
        baker.make(Source, published_on=None),
    )

    assert str(TherapyProgram.objects.with_related().get(pk=program.pk).as_of) == "2020"


def test_an_unknown_facet_value_is_named_and_not_claimed_as_a_filter(client):
    response = client.get("/programs/", {"stage": "nonsense"})
    html = response.content.decode()

    assert "Not applied" in html
    assert "“nonsense”" in html
    assert "Stage: nonsense" not in html
    assert response.context["active_filters"] == []
    assert response.context["paginator"].count == TherapyProgram.objects.count()
    assert "stage=nonsense" not in response.context["csv_url"]


def test_a_good_filter_still_applies_beside_an_unknown_one(client, trio):
    response = client.get("/programs/", {"stage": "nonsense", "company": "sorttest-bio"})

    assert response.context["paginator"].count == 3
    assert [active["value"] for active in response.context["active_filters"]] == ["Sorttest Bio"]


def test_indication_page_places_each_program_by_its_stage_there(client, trio):
    alpha, _, _ = trio
    other = baker.make(TherapyProgram, name="Sorttest Delta", modality="msc")
    Development.objects.create(program=other, indication=alpha.developments.get().indication, stage="preclinical")

    response = client.get("/indications/zzz-sorttest/")

    assert names_in_order(response) == ["Sorttest Alpha", "Sorttest Delta"]
    html = response.content.decode()
    assert f'class="reach reach-{Stage.rank("phase_3")}"' in html
    assert f'class="reach reach-{Stage.rank("preclinical")}"' in html


def test_target_page_lists_each_program_s_developments_and_the_undeveloped(client, trio):
    alpha = trio[0]
    target = baker.make(Target, symbol="SORT1")
    alpha.targets.add(target)
    idle = baker.make(TherapyProgram, name="Sorttest Idle", modality="car_t")
    idle.targets.add(target)

    response = client.get("/targets/SORT1/")

    assert names_in_order(response) == ["Sorttest Alpha"]
    assert "Programs with no development recorded" in response.content.decode()
    assert "Sorttest Idle" in response.content.decode()
    assert client.get("/targets/NOPE9/").status_code == 404


def test_program_page_shows_registry_and_acceptance_numbers(client):
    program = baker.make(TherapyProgram, name="Registry Probe", modality="car_t")
    Development.objects.create(
        program=program, stage="phase_1", trial_ids=["CTR20210001", "NCT01234567"], acceptance_no="CXSL2100001"
    )

    html = client.get(program.get_absolute_url()).content.decode()

    assert "CTR20210001" in html
    assert "NCT01234567" in html
    assert "CXSL2100001" in html


def test_compare_shows_two_to_four_programs_side_by_side(client, trio):
    response = client.get("/programs/compare/", {"program": [program.slug for program in trio]})

    assert [program.name for program in response.context["programs"]] == [p.name for p in trio]
    html = response.content.decode()
    assert "Stage per indication" in html
    assert "Zzz sorttest disease" in html


def test_compare_asks_for_at_least_two_and_names_unknown_slugs(client, trio):
    response = client.get("/programs/compare/", {"program": [trio[0].slug, "no-such-program"]})

    html = response.content.decode()
    assert "“no-such-program”" in html
    assert "Tick two to four programs" in html


def test_compare_takes_four_at_most(client, trio):
    extra = baker.make(TherapyProgram, _quantity=2, modality="nk")
    slugs = [program.slug for program in (*trio, *extra)]

    response = client.get("/programs/compare/", {"program": slugs})

    assert len(response.context["programs"]) == 4
    assert "Only the first four" in response.content.decode()


def test_program_list_rows_can_be_ticked_for_compare(client, trio):
    html = client.get("/programs/").content.decode()

    assert '<form id="compare-form"' in html
    assert f'name="program" value="{trio[0].slug}"' in html


def test_program_list_heading_does_not_claim_every_program_is_developed_in_china(client):
    assert "developed in China" not in client.get("/programs/").content.decode()


def stage_counts(response):
    return {
        value.value: value.count
        for facet, values in response.context["facets"]
        if facet.param == "stage"
        for value in values
    }


def test_facet_counts_and_row_count_are_counted_once_per_data_version(client):
    client.get("/programs/", {"modality": "car_t"})
    with CaptureQueriesContext(connection) as again:
        response = client.get("/programs/", {"modality": "car_t", "ordering": "-name"})

    assert not [query for query in again.captured_queries if "GROUP BY" in query["sql"] or "COUNT(" in query["sql"]]
    before = stage_counts(response)

    program = baker.make(TherapyProgram, name="Countprobe", modality="car_t")
    Development.objects.create(program=program, stage="phase_3")
    response = client.get("/programs/", {"modality": "car_t", "ordering": "-name"})

    assert stage_counts(response).get("phase_3", 0) == before.get("phase_3", 0) + 1
    assert response.context["paginator"].count == TherapyProgram.objects.filter(modality="car_t").count()


def stage_facet(response):
    return {value.value: value.count for facet, values in response.context["facets"] if facet.param == "stage"
            for value in values}  # fmt: skip


def test_within_an_indication_the_stage_facet_counts_each_program_at_its_stage_there(client):
    myeloma, lupus = make_indication("facet-myeloma"), make_indication("facet-lupus")
    leader, follower = make_program("Facet Leader"), make_program("Facet Follower")
    develop(leader, "phase_3", indication=myeloma)
    develop(leader, "phase_1", indication=lupus)
    develop(follower, "phase_1", indication=lupus)

    within_lupus = stage_facet(client.get("/programs/", {"indication": "facet-lupus"}))

    assert within_lupus == {"phase_1": 2}
    assert stage_facet(client.get("/programs/", {"indication": "facet-myeloma"})) == {"phase_3": 1}
