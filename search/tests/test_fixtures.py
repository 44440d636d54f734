"""Search over the records loaded from the articles: current after loading, the same on every database.

These tests read whatever the fixtures hold (their values are another test's business).
"""

import pytest
from django.core.management import call_command

from programs.models import TherapyProgram
from search.documents import refresh_all
from search.text import matches

pytestmark = pytest.mark.django_db

QUERIES = [
    "CAR-T", "CAR T", "NK", "TCR-T", "stem cell", "cell", "therapy", "CD19", "GPRC5D", "leukemia", "lupus",
    "China", "injection", "r/r ALL", "ALL", "of", "细胞", "干细胞", "CAR-T细胞", "nonexistent",
]  # fmt: skip


@pytest.fixture
def programs():
    call_command("load_articles", verbosity=0)
    programs = list(TherapyProgram.objects.all())
    assert programs
    return programs


def test_after_loading_the_fixtures_every_program_is_found_by_its_own_name(programs):
    for program in programs:
        assert program in TherapyProgram.objects.search(program.name), program.name


def test_after_loading_the_fixtures_every_search_text_is_current(programs):
    before = dict(TherapyProgram.objects.values_list("pk", "search_document"))
    refresh_all()
    assert dict(TherapyProgram.objects.values_list("pk", "search_document")) == before


def test_the_database_finds_exactly_what_the_rules_say(programs):
    """Run on SQLite and on PostgreSQL, this shows both give the same results for the fixtures."""
    found = {query: set(TherapyProgram.objects.search(query).values_list("slug", flat=True)) for query in QUERIES}
    expected = {query: {p.slug for p in programs if matches(p.search_document, query)} for query in QUERIES}
    assert found == expected
    assert found["CAR-T"] and found["细胞"]
