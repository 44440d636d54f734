"""Atom feeds of a filtered program list: ``/programs/feed/?<filters>`` lists changes, newest first."""

import xml.etree.ElementTree as ET

import pytest
from model_bakery import baker

from programs.models import Milestone
from programs.tests.factories import develop, make_program
from sources.models import Source

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, query=""):
    response = client.get(f"/programs/feed/{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [
        {"title": e.findtext(f"{ATOM}title"), "id": e.findtext(f"{ATOM}id"), "updated": e.findtext(f"{ATOM}updated")}
        for e in feed.iter(f"{ATOM}entry")
    ]


def titles(client, query=""):
    return [entry["title"] for entry in entries(client, query)]


def test_a_stage_change_is_an_entry(client):
    program = make_program("Feed Alpha", modality="til")
    development = develop(program, "phase_1")
    development.stage = "phase_2"
    development.save()

    assert titles(client, "?modality=til")[:2] == [
        "Feed Alpha: stage Phase 1 → Phase 2",
        "Feed Alpha: stage none → Phase 1",
    ]


def test_a_new_program_and_a_new_milestone_are_entries(client):
    program = make_program("Feed Beta", modality="til")
    source = baker.make(Source, slug="feed-source", title="Feed source")
    Milestone.objects.create(program=program, kind="ind_approved", source=source)

    assert titles(client, "?modality=til") == ["Feed Beta: IND approved", "Feed Beta added"]


def test_entries_have_ids_of_their_own_and_come_newest_first(client):
    program = make_program("Feed Gamma", modality="til")
    development = develop(program, "phase_1")
    for stage in ("phase_2", "phase_3"):
        development.stage = stage
        development.save()

    found = entries(client, "?modality=til")
    assert len({entry["id"] for entry in found}) == len(found)
    assert [entry["updated"] for entry in found] == sorted((entry["updated"] for entry in found), reverse=True)


def test_a_program_that_moved_out_of_the_filter_is_in_its_feed(client):
    program = make_program("Feed Delta", modality="til")
    development = develop(program, "phase_2")
    development.stage = "phase_3"
    development.save()

    assert "Feed Delta: stage Phase 2 → Phase 3" in titles(client, "?stage=phase_2")


def test_programs_outside_the_filter_are_not(client):
    make_program("Feed Epsilon", modality="til")
    assert not any("Feed Epsilon" in title for title in titles(client, "?modality=car_nk"))


def test_a_deleted_program_is_an_entry(client):
    program = make_program("Feed Zeta", modality="til")
    develop(program, "phase_1")
    program.delete()

    assert "Feed Zeta deleted" in titles(client, "?stage=phase_1")


def test_an_invalid_filter_is_a_400(client):
    assert client.get("/programs/feed/?stage=phase_9").status_code == 400


def test_every_program_list_page_links_its_feed_with_the_same_filters(client):
    response = client.get("/programs/?modality=car_t&page=1")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Therapy programs: changes" '
        'href="/programs/feed/?modality=car_t">'
    ) in response.content.decode()
