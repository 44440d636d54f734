"""``GET /api/programs/{slug}/history/``: a program's own field changes and its developments' stages."""

import pytest

from companies.models import Company
from programs.tests.factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db


def history(api, program):
    response = api.get(f"/api/programs/{program.slug}/history/")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_development_stage_changed_through_the_api_shows_from_and_to(api, editor_api):
    program = make_program()
    development = develop(program, "phase_1", indication=make_indication("lupus"), country="China")

    editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_2"}, format="json")

    entry = next(e for e in history(api, program) if e["source"]["model"] == "development")
    assert (entry["field"], entry["from"], entry["to"]) == ("stage", "phase_1", "phase_2")
    assert entry["source"] == {"model": "development", "id": development.pk, "indication": "lupus", "country": "China"}


def test_the_derived_program_stage_is_in_the_history_too(api, editor_api):
    program = make_program()
    development = develop(program, "phase_1")

    editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_3"}, format="json")

    program_stages = [
        (e["from"], e["to"])
        for e in history(api, program)
        if e["source"]["model"] == "program" and e["field"] == "stage"
    ]
    assert program_stages == [("phase_1", "phase_3"), (None, "phase_1")]


def test_entries_are_newest_first(api):
    program = make_program()
    development = develop(program, "phase_1")
    for stage in ("phase_2", "phase_3"):
        development.stage = stage
        development.save()

    development_stages = [e["to"] for e in history(api, program) if e["source"]["model"] == "development"]
    assert development_stages == ["phase_3", "phase_2", "phase_1"]


def test_a_program_field_change_names_the_field_and_related_records_by_slug(api):
    program = make_program()
    company = Company.objects.create(name="Acme Cell Two")
    program.company = company
    program.save()

    entry = next(e for e in history(api, program) if e["field"] == "company")
    assert (entry["from"], entry["to"]) == (None, "acme-cell-two")


def test_a_deleted_development_shows_its_stage_going(api):
    program = make_program()
    develop(program, "phase_1").delete()

    entry = next(e for e in history(api, program) if e["source"]["model"] == "development")
    assert (entry["from"], entry["to"]) == ("phase_1", None)


def test_anonymous_readers_never_see_user_names(api, editor_api):
    program = make_program()
    development = develop(program, "phase_1")
    editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_2"}, format="json")

    assert {entry["user"] for entry in history(api, program)} == {None}
    assert "history-editor" in {entry["user"] for entry in history(editor_api, program)}


def test_an_unknown_program_is_404(api):
    assert api.get("/api/programs/no-such-program/history/").status_code == 404


@pytest.mark.parametrize("edits", [1, 6])
def test_the_history_costs_the_same_queries_however_long(api, django_assert_num_queries, edits):
    program = make_program()
    developments = [develop(program, "phase_1") for _ in range(2)]
    for n in range(edits):
        for development in developments:
            development.stage = "phase_2" if n % 2 == 0 else "phase_1"
            development.save()

    # the data version (response cache), the program, its rows, its developments' rows, indication slugs
    with django_assert_num_queries(5):
        history(api, program)
