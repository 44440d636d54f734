"""/api/programs/ and the endpoints that write a program's parts (developments, milestones)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from model_bakery import baker

from companies.models import Company, Institution
from programs.choices import Stage
from programs.models import (
    Designation,
    Development,
    Milestone,
    ProgramPartner,
    Target,
    TherapyProgram,
)
from sources.models import Source

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/programs/"
CITED = {"sources": ["zeta-article"]}


@pytest.fixture
def source():
    """The article a written record cites (``CITED``)."""
    return baker.make(Source, slug="zeta-article", title="Zeta article")


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.data["results"]}


def program_with_indication(**indication):
    program = make_program("Zeta CAR-T")
    develop(program, "phase_1", indication=make_indication(**indication))
    return program


# Reading


def test_program_carries_the_contract_fields(api, source):
    program = make_program(
        "Zeta CAR-T",
        company=baker.make(Company, name="Zeta Bio"),
        designations=[baker.make(Designation, code="zeta")],
        sources=[source],
    )
    develop(program, "phase_2")
    baker.make(Milestone, program=program, kind="ind_approved", source=source)

    program = api.get(f"{PROGRAMS}zeta-car-t/").data

    assert {
        "slug",
        "name",
        "aliases",
        "stage",
        "modality",
        "company",
        "originator",
        "targets",
        "developments",
        "milestones",
        "designations",
        "partners",
        "sources",
        "created",
        "updated",
        "url",
    } <= set(program)
    assert program["company"] == {"slug": "zeta-bio", "name": "Zeta Bio"}
    assert program["designations"] == ["zeta"]
    assert program["sources"] == ["zeta-article"]
    assert {"indication", "stage", "pathway", "country", "status"} <= set(program["developments"][0])
    assert {"kind", "date", "date_precision", "date_display", "authority", "source"} <= set(program["milestones"][0])


def test_program_lists_target_symbols_and_partner_institutions(api):
    institution = baker.make(Institution, name="Zebra Hospital", kind="hospital")
    program = make_program("Zebra CAR-T")
    program.targets.set([baker.make(Target, symbol="CD19")])
    baker.make(ProgramPartner, program=program, institution=institution, role="clinical site")

    data = api.get(f"{PROGRAMS}{program.slug}/").data

    assert data["targets"] == ["CD19"]
    assert data["partners"] == [
        {"institution": {"slug": "zebra-hospital", "name": "Zebra Hospital"}, "role": "clinical site"}
    ]


def test_program_without_company_has_null_company(api):
    program = make_program("Orphan CAR-T")

    assert api.get(f"{PROGRAMS}{program.slug}/").data["company"] is None


# Filters: one test each, on records of their own


def test_filter_by_several_stages(api):
    make_program("Zeta one", stage="phase_1")
    make_program("Zeta three", stage="phase_3")

    response = api.get(PROGRAMS, {"stage": ["phase_1", "phase_3"]})

    assert slugs(response) == set(
        TherapyProgram.objects.filter(stage__in=["phase_1", "phase_3"]).values_list("slug", flat=True)
    )
    assert {"zeta-one", "zeta-three"} <= slugs(response)


def test_filter_by_stage_min_follows_the_pipeline_order(api):
    make_program("Zeta three", stage="phase_3")
    make_program("Zeta one", stage="phase_1")

    stages = {row["stage"] for row in api.get(PROGRAMS, {"stage_min": "phase_3", "page_size": 500}).data["results"]}

    assert "phase_3" in stages
    assert stages <= {"phase_3", "nda_filed", "approved"}


def test_filter_by_modality(api):
    baker.make(TherapyProgram, name="Zeta TIL", modality="til")

    assert slugs(api.get(PROGRAMS, {"modality": "til"})) == {"zeta-til"}


def test_filter_by_company_slug(api):
    company = baker.make(Company, name="Zeta Bio")
    make_program("Zeta CAR-T", company=company)

    assert slugs(api.get(PROGRAMS, {"company": "zeta-bio"})) == {"zeta-car-t"}


def test_filter_by_target_symbol(api):
    make_program("Zeta CAR-T").targets.add(baker.make(Target, symbol="ZETA1"))

    assert slugs(api.get(PROGRAMS, {"target": "ZETA1"})) == {"zeta-car-t"}


def test_filter_by_indication_slug(api):
    program_with_indication(slug="zeta-disease")

    assert slugs(api.get(PROGRAMS, {"indication": "zeta-disease"})) == {"zeta-car-t"}


def test_filter_by_designation_code(api):
    make_program("Zeta CAR-T").designations.add(baker.make(Designation, code="zeta"))

    assert slugs(api.get(PROGRAMS, {"designation": "zeta"})) == {"zeta-car-t"}


def test_filter_by_source_slug(api):
    make_program("Zeta CAR-T").sources.add(baker.make(Source, slug="zeta-news"))

    assert slugs(api.get(PROGRAMS, {"source": "zeta-news"})) == {"zeta-car-t"}


def test_filter_updated_after(api):
    since = timezone.now()
    make_program("Zeta CAR-T")

    assert slugs(api.get(PROGRAMS, {"updated_after": since.isoformat()})) == {"zeta-car-t"}
    assert slugs(api.get(PROGRAMS, {"updated_after": (since + timedelta(days=1)).isoformat()})) == set()


@pytest.mark.parametrize(
    "param, value",
    [
        ("stage", "phase_9"),
        ("stage_min", "phase_9"),
        ("modality", "magic"),
        ("company", "no-such-company"),
        ("target", "NOPE1"),
        ("indication", "no-such-disease"),
        ("designation", "nope"),
        ("source", "no-such-article"),
        ("updated_after", "last tuesday"),
        ("ordering", "shoe_size"),
    ],
)
def test_unknown_filter_value_is_400_naming_the_filter(api, param, value):
    response = api.get(PROGRAMS, {param: value})

    assert response.status_code == 400
    assert list(response.json()) == [param]


@pytest.mark.parametrize(
    "field, make",
    [
        ("name", lambda: make_program("Zebrafish CAR-T")),
        ("aliases", lambda: make_program("Zeta CAR-T", aliases=["ZEBRAFISH-19"])),
        ("company", lambda: make_program("Zeta CAR-T", company=baker.make(Company, name="Zebrafish Bio"))),
        ("description", lambda: make_program("Zeta CAR-T", description="Made in zebrafish.")),
        ("targets", lambda: make_program("Zeta CAR-T", targets=[baker.make(Target, symbol="ZEBRAFISH")])),
        ("indications", lambda: program_with_indication(name="Zebrafish pox")),
    ],
)
def test_search_looks_in(api, field, make):
    program = make()

    assert slugs(api.get(PROGRAMS, {"search": "zebrafish"})) == {program.slug}


@pytest.mark.parametrize("descending", [False, True])
def test_ordering_by_stage_follows_the_pipeline(api, descending):
    for name, stage in [("Zeta approved", "approved"), ("Zeta one", "phase_1"), ("Zeta none", None)]:
        make_program(name, stage=stage)
    make_program("Zeta three", stage="phase_3")

    rows = api.get(PROGRAMS, {"ordering": "-stage" if descending else "stage", "page_size": 500}).data["results"]

    ranks = [Stage.rank(row["stage"]) if row["stage"] else -1 for row in rows]
    assert ranks == sorted(ranks, reverse=descending)
    assert len(set(ranks)) > 2


def test_ordering_by_name_descending(api):
    for name in ["Beta CAR-T", "Alpha CAR-T", "Delta CAR-T", "Gamma CAR-T"]:
        make_program(name)

    names = [row["name"] for row in api.get(PROGRAMS, {"ordering": "-name", "page_size": 500}).data["results"]]

    assert names == sorted(names, key=str.casefold, reverse=True)


def test_ordering_by_updated(api):
    make_program("Zeta CAR-T")

    assert api.get(PROGRAMS, {"ordering": "-updated"}).data["results"][0]["slug"] == "zeta-car-t"


# Pages and CSV


def test_page_size_and_page(api):
    for _ in range(5):
        make_program()

    first = api.get(PROGRAMS, {"page_size": 2}).data
    second = api.get(first["next"]).data

    assert len(first["results"]) == len(second["results"]) == 2
    assert first["previous"] is None
    assert second["previous"] is not None
    assert not {r["slug"] for r in first["results"]} & {r["slug"] for r in second["results"]}


def test_page_size_is_at_most_500(api):
    TherapyProgram.objects.bulk_create(
        TherapyProgram(name=f"Bulk {n}", slug=f"bulk-{n}", modality="car_t") for n in range(501)
    )

    assert len(api.get(PROGRAMS, {"page_size": 500}).data["results"]) == 500
    assert api.get(PROGRAMS, {"page_size": 501}).status_code == 400


def test_page_past_the_end_is_404(api):
    assert api.get(PROGRAMS, {"page": 999}).status_code == 404


def test_csv_has_the_filtered_rows_with_flat_columns(api):
    targets = [baker.make(Target, symbol="CD19"), baker.make(Target, symbol="CD22")]
    make_program("Zeta CD19 CD22 CAR-T", company=baker.make(Company, name="Zeta Bio"), targets=targets)
    make_program("Zeta CD22 CAR-T", targets=targets[1:])

    response = api.get(PROGRAMS, {"format": "csv", "target": "CD19"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"] == 'attachment; filename="therapy-programs.csv"'
    assert [row["slug"] for row in rows] == ["zeta-cd19-cd22-car-t"]
    assert rows[0]["targets"] == "CD19;CD22"
    assert rows[0]["company"] == "zeta-bio"
    assert rows[0]["url"].endswith("/api/programs/zeta-cd19-cd22-car-t/")


def test_csv_with_an_invalid_filter_is_a_json_400(api):
    response = api.get(PROGRAMS, {"format": "csv", "stage": "phase_9"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "stage" in response.json()


def test_list_costs_the_same_queries_for_10_and_200_programs(api):
    company = baker.make(Company)
    programs = TherapyProgram.objects.bulk_create(
        TherapyProgram(name=f"Bulk {n}", slug=f"bulk-{n}", modality="car_t", company=company) for n in range(200)
    )
    source, indication = baker.make(Source), make_indication()
    institution = baker.make(Institution, kind="hospital")
    related = {"targets": baker.make(Target), "sources": source, "designations": baker.make(Designation)}
    for relation, obj in related.items():
        through = getattr(TherapyProgram, relation).through
        through.objects.bulk_create(through(therapyprogram=p, **{obj._meta.model_name: obj}) for p in programs)
    Development.objects.bulk_create(Development(program=p, stage="phase_1", indication=indication) for p in programs)
    Milestone.objects.bulk_create(
        Milestone(program=p, kind="ind_filed", source=source, authority=institution) for p in programs
    )
    ProgramPartner.objects.bulk_create(ProgramPartner(program=p, institution=institution) for p in programs)

    def queries(page_size):
        cache.clear()  # the count is cached per filter: count it afresh each time
        with CaptureQueriesContext(connection) as context:
            assert len(api.get(PROGRAMS, {"page_size": page_size}).data["results"]) == page_size
        return len(context.captured_queries)

    assert queries(10) == queries(200)


# Writing


def test_editor_creates_a_program_with_related_records_by_key(api, editor, source):
    baker.make(Company, name="Zeta Bio", slug="zeta-bio")
    baker.make(Company, name="Zeta Originator", slug="zeta-originator")
    baker.make(Target, symbol="CD19")
    baker.make(Target, symbol="CD22")
    baker.make(Designation, code="zeta")

    response = api.post(
        PROGRAMS,
        {
            "name": "Zeta CAR-T",
            "modality": "car_t",
            "company": "zeta-bio",
            "originator": "zeta-originator",
            "targets": ["CD19", "CD22"],
            "designations": ["zeta"],
            "sources": ["zeta-article"],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["slug"] == "zeta-car-t"
    assert response.data["company"] == {"slug": "zeta-bio", "name": "Zeta Bio"}
    assert response.data["originator"]["slug"] == "zeta-originator"
    program = TherapyProgram.objects.get(slug="zeta-car-t")
    assert sorted(program.targets.values_list("symbol", flat=True)) == ["CD19", "CD22"]
    assert program.history.get().history_user == editor


def test_stage_cannot_be_written_on_the_program(api, editor, source):
    response = api.post(
        PROGRAMS, {"name": "Zeta CAR-T", "modality": "car_t", "stage": "approved", **CITED}, format="json"
    )

    assert response.status_code == 201
    assert TherapyProgram.objects.get(slug="zeta-car-t").stage is None


def test_editor_patches_targets(api, editor):
    make_program("Zeta CAR-T").targets.add(baker.make(Target, symbol="CD19"))
    baker.make(Target, symbol="CD22")

    response = api.patch(f"{PROGRAMS}zeta-car-t/", {"targets": ["CD22"]}, format="json")

    assert response.status_code == 200
    assert response.data["targets"] == ["CD22"]


def test_development_changes_the_program_stage_and_its_history(api, editor, source):
    program = make_program("Zeta CAR-T")
    make_indication("zeta-disease")

    response = api.post(
        "/api/developments/",
        {"program": program.slug, "indication": "zeta-disease", "stage": "phase_1", **CITED},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["program"] == {"slug": "zeta-car-t", "name": "Zeta CAR-T"}
    assert api.get(f"{PROGRAMS}zeta-car-t/").data["stage"] == "phase_1"
    assert program.history.latest().stage == "phase_1"

    api.patch(response.data["url"], {"stage": "phase_2"}, format="json")

    assert [entry.stage for entry in program.history.order_by("history_date")] == [None, "phase_1", "phase_2"]


def test_deleting_the_last_development_clears_the_stage(api, editor):
    program = make_program("Zeta CAR-T")
    development = baker.make(Development, program=program, stage="phase_3")

    assert api.delete(f"/api/developments/{development.pk}/").status_code == 204
    program.refresh_from_db()
    assert program.stage is None


def test_editor_adds_a_milestone(api, editor, source):
    make_program("Zeta CAR-T")
    baker.make(Institution, name="Zeta Regulator", slug="zeta-regulator", kind="regulator")

    response = api.post(
        "/api/milestones/",
        {
            "program": "zeta-car-t",
            "kind": "ind_approved",
            "date": "2023-06-01",
            "date_precision": "month",
            "authority": "zeta-regulator",
            "source": "zeta-article",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    milestone = api.get(f"{PROGRAMS}zeta-car-t/").data["milestones"][0]
    assert milestone["date_display"] == "June 2023"
    assert milestone["authority"]["slug"] == "zeta-regulator"


def test_editor_deletes_a_program_and_history_keeps_it(api, editor):
    program = make_program("Zeta CAR-T")
    baker.make(Development, program=program, stage="phase_1")

    assert api.delete(f"{PROGRAMS}zeta-car-t/").status_code == 204
    assert not TherapyProgram.objects.filter(slug="zeta-car-t").exists()
    assert TherapyProgram.history.filter(slug="zeta-car-t").latest().history_type == "-"


@pytest.mark.parametrize(
    "url, blocker",
    [
        ("/api/indications/zeta-disease/", "Zeta CAR-T"),
        ("/api/sources/zeta-article/", "Zeta CAR-T"),
    ],
)
def test_any_record_still_referred_to_is_kept(api, source, url, blocker):
    program = make_program("Zeta CAR-T", sources=[source])
    develop(program, "phase_1", indication=make_indication("zeta-disease"))
    api.force_authenticate(User.objects.create_superuser("admin", password="pw"))

    response = api.delete(url)

    assert response.status_code == 409
    assert blocker in response.data["detail"]
    assert api.get(url).status_code == 200


# Bad input


def test_unknown_stage_is_a_400_on_the_stage_field(api, editor, source):
    make_program("Zeta CAR-T")

    response = api.post("/api/developments/", {"program": "zeta-car-t", "stage": "phase_9", **CITED}, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["stage"]


def test_unknown_company_slug_is_a_400_on_the_company_field(api, editor, source):
    response = api.post(PROGRAMS, {"name": "Zeta", "modality": "car_t", "company": "no-such", **CITED}, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["company"]


def test_unknown_target_symbol_is_a_400_on_the_targets_field(api, editor, source):
    response = api.post(PROGRAMS, {"name": "Zeta", "modality": "car_t", "targets": ["NOPE1"], **CITED}, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["targets"]


def test_related_record_is_written_as_its_slug_not_as_the_object_read(api, editor, source):
    make_program("Zeta CAR-T", company=baker.make(Company, name="Zeta Bio"), sources=[source])
    body = api.get(f"{PROGRAMS}zeta-car-t/").data

    response = api.put(f"{PROGRAMS}zeta-car-t/", body, format="json")

    assert response.status_code == 400
    assert response.data == {"company": ["Expected the key of a record as a string (its slug, symbol or code)."]}


def test_put_with_slugs_replaces_the_program(api, editor, source):
    make_program("Zeta CAR-T", company=baker.make(Company, name="Zeta Bio"), sources=[source])
    body = {**api.get(f"{PROGRAMS}zeta-car-t/").data, "company": "zeta-bio", "description": "Replaced."}

    response = api.put(f"{PROGRAMS}zeta-car-t/", body, format="json")

    assert response.status_code == 200, response.data
    assert TherapyProgram.objects.get(slug="zeta-car-t").description == "Replaced."


def test_missing_fields_are_each_reported(api, editor):
    response = api.post(PROGRAMS, {}, format="json")

    assert response.status_code == 400
    assert set(response.data) == {"name", "modality", "sources"}


def test_malformed_json_is_a_400(api, editor):
    response = api.generic("POST", PROGRAMS, '{"name": "Zeta",', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.data["detail"]


def test_form_data_is_refused(api, editor):
    response = api.post(PROGRAMS, {"name": "Zeta", "modality": "car_t"}, format="multipart")

    assert response.status_code == 415


def test_name_taken_in_another_case_is_a_400(api, editor, source):
    make_program("Zeta CAR-T")

    response = api.post(PROGRAMS, {"name": "zeta car-t", "modality": "car_t", **CITED}, format="json")

    assert response.status_code == 400
    assert "already exists" in str(response.data)


def test_second_development_for_the_same_indication_is_a_400(api, editor, source):
    program = make_program("Zeta CAR-T")
    make_indication("zeta-disease")
    body = {"program": program.slug, "indication": "zeta-disease", "stage": "phase_1", **CITED}
    api.post("/api/developments/", body, format="json")

    response = api.post("/api/developments/", body, format="json")

    assert response.status_code == 400
    assert "already has a development" in str(response.data)


def test_milestone_precision_without_a_date_is_a_400(api, editor, source):
    make_program("Zeta CAR-T")

    response = api.post(
        "/api/milestones/",
        {"program": "zeta-car-t", "kind": "approved", "date_precision": "year", "source": "zeta-article"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.data) == ["date_precision"]
