"""Program search, the same behaviour on SQLite (LIKE) and PostgreSQL (full-text with a GIN index)."""

import pytest
from django.db import connection
from model_bakery import baker

from companies.models import Company
from programs.models import Development, Indication, Target, TherapyProgram

pytestmark = pytest.mark.django_db


def found(text):
    return set(TherapyProgram.objects.search(text).values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("CNCT19", "cnct19"),  # name
        ("Axi-Cel", "yescarta"),  # alias
        ("Juventas", "cnct19"),  # company name
        ("Beike Biotech", "beike-uc-msc-sle"),  # company alias
        ("CD22", "hrain-cd19-cd22-car-t"),  # target
        ("lymphoblastic leukemia", "cnct19"),  # indication
        ("prostate cancer", "provenge"),  # indication and description
        ("commercialization", "yescarta"),  # description
    ],
)
def test_search_looks_in_every_field(text, slug):
    assert slug in found(text)


def test_search_ignores_case():
    assert found("juventas") == found("JUVENTAS") == {"cnct19"}


def test_search_matches_the_start_of_a_word():
    assert "cnct19" in found("Juven")


def test_every_word_must_match():
    assert found("universal GPRC5D") == {"gprc5d-universal-nk"}


def test_a_target_finds_every_program_aimed_at_it():
    assert found("GPRC5D") == {"gprc5d-car-t-first", "gprc5d-car-t-second", "gprc5d-universal-nk"}


def test_no_match_is_an_empty_result():
    assert found("xylophone") == set()


@pytest.mark.parametrize("text", ["'; DROP TABLE programs_therapyprogram; --", "%", "_", "\\", "细胞治疗", "🧬", "!!!"])
def test_odd_input_is_searched_safely(text):
    assert found(text) == set()
    assert TherapyProgram.objects.count() >= 10


def test_renaming_a_company_updates_its_programs_search():
    company = Company.objects.get(slug="juventas")
    company.name = "Renamed Cell Company"
    company.save()
    assert "cnct19" in found("Renamed Cell")


def test_adding_a_target_makes_a_program_findable_by_it():
    target = Target.objects.create(symbol="BCMA")
    TherapyProgram.objects.get(slug="yescarta").targets.add(target)
    assert found("BCMA") == {"yescarta"}


def test_a_new_development_makes_its_indication_searchable():
    program = TherapyProgram.objects.get(slug="yescarta")
    indication = baker.make(Indication, name="Large B-cell lymphoma", slug="lbcl")
    Development.objects.create(program=program, indication=indication, stage="approved", country="Hong Kong")
    assert found("B-cell lymphoma") == {"yescarta"}


def test_renaming_an_indication_updates_search():
    indication = Indication.objects.get(slug="prostate-cancer")
    indication.name = "Metastatic castration-resistant prostate cancer"
    indication.save()
    assert "provenge" in found("castration")


def test_the_api_search_parameter_uses_the_same_search(client):
    response = client.get("/api/programs/", {"search": "Juventas"})
    assert [row["slug"] for row in response.json()["results"]] == ["cnct19"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgres_search_can_use_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = TherapyProgram.objects.search("juventas").values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "programs_program_search_gin" in plan
