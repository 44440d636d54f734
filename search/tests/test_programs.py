"""Program search: what it looks in, how it ranks, and that it stays current on every write."""

import pytest
from django.db import connection
from django.utils import translation
from model_bakery import baker

from companies.models import Company
from programs.models import Development, Indication, Target, TherapyProgram
from search import index

pytestmark = pytest.mark.django_db


def program_with_indication(make_program, **indication):
    program = make_program("Plain program")
    baker.make(Development, program=program, indication=baker.make(Indication, **indication), stage="phase_1")
    return program


@pytest.mark.parametrize(
    ("query", "make"),
    [
        ("Zebrafish", lambda make: make("Zebrafish CAR-T")),
        ("斑马鱼", lambda make: make("Plain program", name_zh="斑马鱼细胞注射液")),
        ("ZF-19", lambda make: make("Plain program", aliases=["ZF-19"])),
        ("Zebrafish Bio", lambda make: make("Plain program", company=baker.make(Company, name="Zebrafish Bio"))),
        ("ZFB", lambda make: make("Plain program", company=baker.make(Company, name="Zeta", aliases=["ZFB Ltd"]))),
        ("斑马鱼生物", lambda make: make("Plain", company=baker.make(Company, name="Zeta", name_zh="斑马鱼生物"))),
        ("Zebrafish", lambda make: make("Plain program", originator=baker.make(Company, name="Zebrafish Pharma"))),
        ("ZBR9", lambda make: make("Plain program", targets=[baker.make(Target, symbol="ZBR9")])),
        ("zebrafish in the description", lambda make: make("Plain", description="Zebrafish in the description.")),
    ],
)
def test_search_looks_in(make_program, found, query, make):
    program = make(make_program)
    assert found(query) == {program.slug}


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("zebrafish pox", {"name": "Zebrafish pox"}),
        ("ZFP", {"name": "Plain disease", "abbreviation": "r/r ZFP"}),
        ("斑马鱼痘", {"name": "Plain disease", "name_zh": "斑马鱼痘"}),
    ],
)
def test_search_looks_in_indications(make_program, found, query, indication):
    program = program_with_indication(make_program, **indication)
    assert found(query) == {program.slug}


@pytest.mark.parametrize(
    ("query", "development"),
    [("CTR20249999", {"trial_ids": ["CTR20249999", "NCT09999999"]}), ("CXSL2499999", {"acceptance_no": "CXSL2499999"})],
)
def test_search_finds_registry_and_acceptance_numbers(make_program, found, query, development):
    program = make_program("Plain program")
    baker.make(Development, program=program, indication=None, stage="phase_1", **development)
    assert found(query) == {program.slug}


@pytest.mark.parametrize("query", ["CAR-T", "CAR T", "car-t", "CART"])
def test_car_t_finds_every_car_t_program_and_no_other(make_program, found, query):
    make_program("Quokka-19", modality="car_t")
    make_program("Quokka NK", modality="car_nk")
    assert found(query) == set(TherapyProgram.objects.filter(modality="car_t").values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("query", "modalities"),
    [
        ("TCR-T", {"tcr_t"}),
        ("NK", {"nk", "car_nk"}),
        ("stem cell", {"msc", "ipsc", "hsc"}),
        ("gene therapy", {"gene_therapy"}),
    ],
)
def test_modality_synonyms_find_their_programs(make_program, found, query, modalities):
    for modality in ["tcr_t", "nk", "car_nk", "msc", "ipsc", "hsc", "gene_therapy", "til"]:
        make_program(f"Quokka {modality}", modality=modality)
    names = TherapyProgram.objects.search(query).filter(name__startswith="Quokka").values_list("name", flat=True)
    assert set(names) == {f"Quokka {modality}" for modality in modalities}


def test_modality_terms_do_not_depend_on_the_language(make_program, found):
    with translation.override("zh-hans"):
        program = make_program("Quokka", modality="car_t")
    assert program.slug in found("CAR-T")


def test_a_short_word_is_matched_at_the_start_of_a_word(make_program, found):
    nk = make_program("Quokka NK", modality="nk")
    make_program("Quokka bank", description="A blood bank.")
    assert {slug for slug in found("NK") if slug.startswith("quokka")} == {nk.slug}


def test_every_word_must_match(make_program, found):
    both = make_program("Quokka universal", targets=[baker.make(Target, symbol="ZBR9")])
    make_program("Quokka universal two")
    assert found("universal ZBR9") == {both.slug}


def test_name_matches_come_first(make_program):
    by_description = make_program("Aardvark", description="Compared with the Quokka program.")
    by_company = make_program("Aardwolf", company=baker.make(Company, name="Quokka Bio"))
    by_name = make_program("Zorilla Quokka")
    assert list(TherapyProgram.objects.search("quokka")) == [by_name, by_description, by_company]


@pytest.mark.parametrize("text", ["'; DROP TABLE programs_therapyprogram; --", "%", "_", "\\", "🧬", "!!!", '""'])
def test_odd_input_is_searched_safely(make_program, found, text):
    make_program("Quokka", description="x")
    assert found(text) == set()
    assert TherapyProgram.objects.exists()


# --- kept current on every write ---------------------------------------------------------


def test_a_renamed_program_is_found_by_its_new_name(make_program, found):
    program = make_program("Quokka")
    program.name = "Wombat"
    program.save()
    assert found("wombat") == {program.slug}
    assert found("quokka") == set()


def test_a_changed_modality_changes_what_finds_the_program(make_program, found):
    program = make_program("Quokka", modality="til")
    program.modality = "car_t"
    program.save()
    assert program.slug in found("CAR-T")


def test_a_company_change_updates_its_programs(make_program, found):
    company = baker.make(Company, name="Quokka Bio")
    program = make_program("Plain program", company=company)
    company.name = "Wombat Bio"
    company.aliases = ["Numbat"]
    company.name_zh = "袋熊生物"
    company.save()
    assert found("Wombat") == found("Numbat") == found("袋熊") == {program.slug}
    assert found("Quokka") == set()


def test_targets_added_removed_and_cleared_update_search(make_program, found):
    target = baker.make(Target, symbol="ZBR9")
    program = make_program("Plain program")
    program.targets.add(target)
    assert found("ZBR9") == {program.slug}
    program.targets.remove(target)
    assert found("ZBR9") == set()
    target.programs.add(program)
    assert found("ZBR9") == {program.slug}
    target.programs.clear()
    assert found("ZBR9") == set()


def test_a_renamed_or_deleted_target_updates_search(make_program, found):
    target = baker.make(Target, symbol="ZBR9")
    program = make_program("Plain program", targets=[target])
    target.symbol = "ZBR10"
    target.save()
    assert found("ZBR10") == {program.slug}
    target.delete()
    assert found("ZBR10") == set()


def test_developments_added_changed_and_deleted_update_search(make_program, found):
    program = make_program("Plain program")
    development = baker.make(
        Development, program=program, indication=baker.make(Indication, name="Zebrafish pox"), stage="phase_1"
    )
    assert found("zebrafish pox") == {program.slug}
    development.acceptance_no = "CXSL2499999"
    development.save()
    assert found("CXSL2499999") == {program.slug}
    development.delete()
    assert found("zebrafish pox") == found("CXSL2499999") == set()


def test_a_renamed_indication_updates_search(make_program, found):
    program = program_with_indication(make_program, name="Zebrafish pox")
    indication = Indication.objects.get(name="Zebrafish pox")
    indication.name_zh = "斑马鱼痘"
    indication.save()
    assert found("斑马鱼痘") == {program.slug}


def test_a_deleted_program_is_no_longer_found(make_program, found):
    program = make_program("Quokka")
    program.delete()
    assert found("quokka") == set()


# --- the index ---------------------------------------------------------------------------------


def plan(queryset):
    with connection.cursor() as cursor:
        sql, params = queryset.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm on PostgreSQL")
def test_postgres_searches_with_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert index.TRGM_INDEX in plan(TherapyProgram.objects.search("细胞注射"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 on SQLite")
def test_sqlite_searches_with_the_fts5_trigram_table():
    assert "VIRTUAL TABLE INDEX" in plan(TherapyProgram.objects.search("细胞注射"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the triggers are SQLite's")
def test_the_index_is_put_back_after_a_migration_dropped_its_triggers(make_program, found):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER programs_program_search_au")
    program = make_program("Quokka")
    program.name = "Wombat"
    program.save()
    index.ensure_installed()
    assert found("wombat") == {program.slug}


def test_an_ordering_chosen_before_searching_is_kept(make_program):
    first = make_program("Quokka", description="no quokka in the name")
    second = make_program("Zorilla", description="Quokka")
    by_name = make_program("Aardvark quokka")
    assert list(TherapyProgram.objects.order_by("-name").search("quokka")) == [second, first, by_name]
