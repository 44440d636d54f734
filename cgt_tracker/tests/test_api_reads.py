"""Reads of every list: fixed query counts, counted once, cursor paging, sparse fields, ETags, streamed CSV."""

import csv
import io
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker

from cgt_tracker.api import csv as api_csv
from cgt_tracker.api.urls import router
from companies.filters import CollaborationFilterSet
from companies.models import Collaboration, Institution
from evidence.models import Evidence
from programs.filters import TherapyProgramFilterSet
from programs.models import Development, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/programs/"
RESOURCES = [pytest.param(viewset, id=prefix) for prefix, viewset, _ in router.registry]
PROGRAM_ORDERINGS = [None, "name", "-name", "stage", "-stage", "updated", "-updated", "created", "-created"]


@pytest.fixture
def programs():
    """40 programs with every nested list, many sharing a stage (ties the keyset must break by id)."""
    source = baker.make(Source, published_on=date(2024, 1, 1), text="Each keyset program is quoted here.")
    target = baker.make(Target, symbol="CD19")
    institution = baker.make(Institution, kind="hospital")
    made = []
    for n in range(40):
        program = baker.make(TherapyProgram, name=f"Keyset {n:02}", slug=f"keyset-{n:02}", modality="car_t")
        program.targets.add(target)
        program.sources.add(source)
        baker.make(Development, program=program, stage=["phase_1", "phase_2", "phase_3"][n % 3])
        baker.make(Milestone, program=program, kind="ind_filed", source=source, authority=institution)
        baker.make(ProgramPartner, program=program, institution=institution)
        baker.make(Evidence, record=program, source=source, quote="Each keyset program is quoted")
        made.append(program)
    return made


def list_url(viewset):
    return reverse(f"api:{viewset.queryset.model._meta.model_name}-list")


def keys_by_pages(api, url, params):
    body = api.get(url, {**params, "page_size": 500}).json()
    return [item["url"] for item in body["results"]]


def keys_by_cursor(api, url, params, page_size=7):
    """Walk a list forwards with ``next`` links; then back with ``previous`` links from the last page."""
    response = api.get(url, {**params, "cursor": "", "page_size": page_size})
    pages = [response.json()]
    while pages[-1]["next"]:
        pages.append(api.get(pages[-1]["next"]).json())
    forwards = [item["url"] for page in pages for item in page["results"]]
    backwards, page = [], pages[-1]
    while page["previous"]:
        page = api.get(page["previous"]).json()
        backwards = [item["url"] for item in page["results"]] + backwards
    return forwards, backwards + [item["url"] for item in pages[-1]["results"]]


# Query counts and counting


def test_a_program_list_page_costs_the_same_queries_for_10_and_100_rows(api, programs, django_assert_num_queries):
    baker.make(TherapyProgram, modality="car_t", _quantity=70)
    # data version, count, the page's ids, their rows, then one each: targets, designations, developments,
    # milestones, partners, evidence, sources, and two for ndr (its reference date, then the page's flags)
    for size in (10, 100):
        cache.clear()
        with django_assert_num_queries(13):
            assert len(api.get(PROGRAMS, {"page_size": size}).json()["results"]) == size


@pytest.mark.parametrize("viewset", RESOURCES)
def test_every_list_costs_the_same_queries_whatever_its_page_size(api, records, viewset):
    def queries(size):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert api.get(list_url(viewset), {"page_size": size}).status_code == 200
        return len(context.captured_queries)

    assert queries(1) == queries(500)


def test_the_count_is_read_once_per_filter_and_data_version(api, programs, django_assert_num_queries):
    api.get(PROGRAMS, {"modality": "car_t", "page_size": 5})
    with django_assert_num_queries(12):  # the first page's thirteen, without the count
        second = api.get(PROGRAMS, {"modality": "car_t", "page_size": 5, "page": 2}).json()

    assert second["count"] == TherapyProgram.objects.filter(modality="car_t").count()


def test_a_change_is_counted_at_once(api, programs):
    before = api.get(PROGRAMS, {"page_size": 5}).json()["count"]
    baker.make(TherapyProgram, modality="car_t")

    assert api.get(PROGRAMS, {"page_size": 5, "page": 2}).json()["count"] == before + 1


# Numbered pages


@pytest.mark.parametrize("ordering", [None, "started_on", "-started_on", "title"])
def test_numbered_pages_return_tied_records_once_each_in_id_order(api, ordering):
    """Records sharing the ordering value are ordered by id (in the direction of the ordering, as a cursor
    orders them), so no page repeats or skips one of them."""
    tied = [baker.make(Collaboration, title="Same", started_on=date(2022, 5, 1)) for _ in range(12)]
    for collaboration in reversed(tied):  # PostgreSQL then stores the rows in reverse order of their ids
        collaboration.save()
    params = {"ordering": ordering} if ordering else {}
    pages = [api.get("/api/collaborations/", {**params, "page_size": 5, "page": n}).json() for n in (1, 2, 3)]

    in_id_order = [c.slug for c in tied]
    expected = in_id_order[::-1] if ordering and ordering.startswith("-") else in_id_order
    assert [item["slug"] for page in pages for item in page["results"]] == expected


def order_clause(filterset_class, ordering):
    query = filterset_class({"ordering": ordering}, queryset=filterset_class._meta.model.objects.all()).qs.query
    return str(query).split("ORDER BY", 1)[1]


def test_a_descending_order_on_a_value_never_missing_leaves_nulls_alone_so_an_index_serves_it():
    assert "DESC" in order_clause(TherapyProgramFilterSet, "-name")
    assert "NULLS" not in order_clause(TherapyProgramFilterSet, "-name")


def test_a_descending_order_on_a_value_that_may_be_missing_puts_it_last():
    assert "DESC NULLS LAST" in order_clause(CollaborationFilterSet, "-started_on")


# Cursor paging


@pytest.mark.parametrize("ordering", PROGRAM_ORDERINGS)
def test_a_cursor_walk_returns_every_program_once_in_the_list_order(api, programs, ordering):
    params = {"ordering": ordering} if ordering else {}
    forwards, backwards = keys_by_cursor(api, PROGRAMS, params)

    assert forwards == keys_by_pages(api, PROGRAMS, params)
    assert backwards == forwards


@pytest.mark.parametrize(
    "params",
    [{"stage": "phase_2"}, {"stage_min": "phase_2", "ordering": "-stage"}, {"search": "Keyset"}, {"target": "CD19"}],
)
def test_a_cursor_walk_honours_the_filters(api, programs, params):
    forwards, _ = keys_by_cursor(api, PROGRAMS, params, page_size=4)

    assert forwards == keys_by_pages(api, PROGRAMS, params)


@pytest.mark.parametrize("viewset", RESOURCES)
def test_a_cursor_walk_returns_every_record_of_every_resource(api, records, viewset):
    """Including orders on columns that may be empty (dates) and on related records (a development's program)."""
    forwards, backwards = keys_by_cursor(api, list_url(viewset), {}, page_size=3)

    assert forwards == keys_by_pages(api, list_url(viewset), {})
    assert backwards == forwards


def test_a_cursor_page_carries_the_count_and_links(api, programs):
    body = api.get(PROGRAMS, {"cursor": "", "page_size": 5}).json()

    assert body["count"] == TherapyProgram.objects.count()
    assert body["previous"] is None
    assert "cursor=" in body["next"]
    assert "page=" not in body["next"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ:1abc:xyz"])
def test_a_malformed_cursor_is_a_400(api, cursor):
    response = api.get(PROGRAMS, {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def cursor_of(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_a_tampered_cursor_is_a_400(api, programs):
    token = cursor_of(api.get(PROGRAMS, {"cursor": "", "page_size": 5}).json()["next"])
    tampered = token[:3] + ("A" if token[3] != "A" else "B") + token[4:]

    response = api.get(PROGRAMS, {"cursor": tampered, "page_size": 5})

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_cursor_of_another_ordering_is_a_400(api, programs):
    token = cursor_of(api.get(PROGRAMS, {"cursor": "", "page_size": 5}).json()["next"])

    response = api.get(PROGRAMS, {"cursor": token, "ordering": "-stage"})

    assert response.status_code == 400
    assert "ordering" in response.json()["detail"]


# Sparse fields


def test_fields_returns_only_those_keys(api, programs):
    body = api.get(PROGRAMS, {"fields": "slug,name,stage,developments"}).json()

    assert {frozenset(item) for item in body["results"]} == {frozenset({"slug", "name", "stage", "developments"})}


def test_fields_skips_the_queries_for_lists_not_asked_for(api, programs, django_assert_num_queries):
    with django_assert_num_queries(4):  # data version, count, the page's ids, their rows
        api.get(PROGRAMS, {"fields": "slug,name,company"})


def test_fields_on_a_detail(api, programs):
    response = api.get(f"{PROGRAMS}keyset-01/", {"fields": "slug,targets"})

    assert response.json() == {"slug": "keyset-01", "targets": [Target.objects.first().symbol]}


def test_an_unknown_field_is_a_400_listing_the_allowed_ones(api):
    response = api.get(PROGRAMS, {"fields": "slug,colour"})

    assert response.status_code == 400
    message = response.json()["fields"][0]
    assert "colour" in message
    assert "developments" in message and "milestones" in message


def test_fields_also_choose_the_csv_columns(api):
    response = api.get(PROGRAMS, {"format": "csv", "fields": "slug,targets"})

    assert b"".join(response.streaming_content).decode().splitlines()[0] == "slug,targets"


# Conditional reads


@pytest.mark.parametrize("url", [PROGRAMS, f"{PROGRAMS}keyset-01/", "/api/sources/"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unchanged_read_is_a_304(api, programs, url, signed_in, django_user_model):
    if signed_in:
        api.force_authenticate(django_user_model.objects.create_user("reader"))
    etag = api.get(url)["ETag"]

    response = api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert not response.content


def test_a_changed_read_is_sent_again_with_a_new_etag(api, programs):
    etag = api.get(f"{PROGRAMS}keyset-01/")["ETag"]
    program = TherapyProgram.objects.get(slug="keyset-01")
    program.description += " More."
    program.save()

    response = api.get(f"{PROGRAMS}keyset-01/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_etag_is_a_hash_of_the_body(api, programs):
    from cgt_tracker.api.etag import representation_etag

    response = api.get(PROGRAMS)

    assert response["ETag"] == representation_etag(response.content)


def test_the_viewset_reports_the_etag_a_detail_is_sent_with(api, programs):
    from rest_framework.test import APIRequestFactory

    from programs.api import TherapyProgramViewSet

    etag = api.get(f"{PROGRAMS}keyset-01/")["ETag"]
    view = TherapyProgramViewSet(action_map={"get": "retrieve"}, kwargs={"slug": "keyset-01"}, format_kwarg=None)
    view.request = view.initialize_request(APIRequestFactory().get(f"{PROGRAMS}keyset-01/"))

    from programs.models import TherapyProgram

    assert view.current_representation(TherapyProgram.objects.get(slug="keyset-01"))[1] == etag


# CSV


def test_streamed_csv_has_as_many_rows_as_the_list_counts(api, programs, monkeypatch):
    monkeypatch.setattr(api_csv, "CHUNK_SIZE", 100)  # many batches, on a set a test can build quickly
    TherapyProgram.objects.bulk_create(
        TherapyProgram(name=f"Bulk {n}", slug=f"bulk-{n}", modality="car_t") for n in range(1050)
    )

    rows = list(csv.DictReader(io.StringIO(b"".join(api.get(PROGRAMS, {"format": "csv"}).streaming_content).decode())))

    assert len(rows) == api.get(PROGRAMS).json()["count"] > 1050
    assert len({row["slug"] for row in rows}) == len(rows)


def test_a_csv_stream_failing_midway_breaks_off_instead_of_ending_normally(api, programs, monkeypatch):
    """The error leaves the stream, so the server aborts the connection: never a complete-looking 200."""
    monkeypatch.setattr(api_csv, "CHUNK_SIZE", 2)
    shape = router.registry[0][1].shape
    calls = []
    csv_rows = type(shape).csv_rows

    def failing(self, ids, context, **kwargs):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return csv_rows(self, ids, context, **kwargs)

    monkeypatch.setattr(type(shape), "csv_rows", failing)
    response = api.get(PROGRAMS, {"format": "csv"})
    stream = iter(response.streaming_content)
    header, first_batch = next(stream), next(stream)

    with pytest.raises(RuntimeError):
        next(stream)
    assert header.startswith(b"slug,") and first_batch
