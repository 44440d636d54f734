"""``GET /api/changes/``: every create, update and delete, newest first, filtered and paged."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from model_bakery import baker

from companies.models import Company
from programs.models import Milestone
from programs.tests.factories import develop, make_indication, make_program
from sources.models import Source

pytestmark = pytest.mark.django_db

CHANGES = "/api/changes/"


def changes(api, **params):
    response = api.get(CHANGES, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def source():
    return baker.make(Source, slug="history-test-source", title="History test source")


def test_a_development_stage_change_through_the_api_is_listed_for_its_program(api, editor_api):
    program = make_program()
    development = develop(program, "phase_1", indication=make_indication("myeloma"))

    editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_2"}, format="json")

    entry = changes(api, program=program.slug, model="development", action="updated")[0]
    assert entry["object"] == development.pk
    assert entry["program"] == program.slug
    assert entry["changes"]["stage"] == {"from": "phase_1", "to": "phase_2"}


def test_a_deleted_milestone_is_listed_with_its_program(api, editor_api, source):
    program = make_program()
    milestone = Milestone.objects.create(program=program, kind="ind_approved", source=source)

    assert editor_api.delete(f"/api/milestones/{milestone.pk}/").status_code == 204

    entry = changes(api, action="deleted")[0]
    assert (entry["model"], entry["action"], entry["object"], entry["program"]) == (
        "milestone",
        "deleted",
        milestone.pk,
        program.slug,
    )
    assert entry["changes"]["kind"] == {"from": "ind_approved", "to": None}


def test_a_created_record_lists_the_values_it_was_created_with(api, source):
    program = make_program()
    Milestone.objects.create(program=program, kind="approved", source=source)

    entry = changes(api, model="milestone", action="created")[0]
    assert entry["changes"]["kind"] == {"from": None, "to": "approved"}
    assert entry["changes"]["source"] == {"from": None, "to": "history-test-source"}


def test_the_changes_of_a_deleted_program_are_still_found_by_its_slug(api):
    program = make_program("Gone CAR-T")
    slug = program.slug
    program.delete()

    assert [e["action"] for e in changes(api, program=slug, model="program")] == ["deleted", "created"]


def test_filter_by_model(api):
    Company.objects.create(name="Changes Co")
    assert {e["model"] for e in changes(api, model="company")} == {"company"}


def test_filter_by_several_actions(api):
    program = make_program()
    program.description = "changed"
    program.save()
    program.delete()

    assert [e["action"] for e in changes(api, program=program.slug, action=["created", "deleted"])] == [
        "deleted",
        "created",
    ]


def test_filter_since(api):
    make_program("Before")
    since = timezone.now()
    after = make_program("After")

    assert {e["object"] for e in changes(api, since=since.isoformat(), model="program")} == {after.slug}


def test_a_program_filter_leaves_out_records_outside_programs(api):
    program = make_program()
    Company.objects.create(name="Elsewhere Co")

    assert {e["model"] for e in changes(api, program=program.slug)} == {"program"}


@pytest.mark.parametrize(
    ("param", "value"), [("model", "planet"), ("action", "renamed"), ("program", "no-such"), ("cursor", "!!")]
)
def test_an_unknown_filter_value_is_a_400_naming_it(api, param, value):
    response = api.get(CHANGES, {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_walking_the_pages_gives_every_change_once_in_order(api, source):
    program = make_program()
    for stage in ("phase_1", "phase_2"):
        develop(program, stage)
    Milestone.objects.create(program=program, kind="approved", source=source)
    everything = changes(api, program=program.slug, page_size=50)

    walked, url = [], f"{CHANGES}?program={program.slug}&page_size=2"
    while url:
        page = api.get(url).json()
        walked += page["results"]
        url = page["next"]

    assert walked == everything
    assert len(everything) > 4


def test_changes_at_the_same_instant_are_paged_without_loss(api):
    now = timezone.now()
    programs = [make_program() for _ in range(3)]
    for program in programs:
        program.history.update(history_date=now)
    Company.objects.create(name="Same Instant Co").history.update(history_date=now)
    since = (now - timedelta(seconds=1)).isoformat()
    everything = changes(api, page_size=50, since=since)

    walked, url = [], f"{CHANGES}?{urlencode({'page_size': 1, 'since': since})}"
    while url:
        page = api.get(url).json()
        walked += page["results"]
        url = page["next"]

    assert walked == everything
    assert len(everything) == 4


def test_anonymous_readers_never_see_user_names(api, editor_api):
    program = make_program()
    development = develop(program, "phase_1")
    editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_2"}, format="json")

    assert {e["user"] for e in changes(api, program=program.slug)} == {None}
    assert "history-editor" in {e["user"] for e in changes(editor_api, program=program.slug)}


@pytest.mark.parametrize("page_size", [2, 20])
def test_a_page_costs_the_same_queries_whatever_its_size(api, django_assert_num_queries, source, page_size):
    program = make_program()
    for n in range(12):
        development = develop(program, "phase_1", indication=make_indication(f"q-{n}"))
        development.stage = "phase_2"
        development.save()

    # data version, the program's id, development rows, their previous rows, program slugs, indication slugs
    with django_assert_num_queries(6):
        changes(api, program=program.slug, model="development", page_size=page_size)
