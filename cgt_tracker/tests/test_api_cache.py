"""Cached API reads: served from the cache until any record changes, in any process."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from cgt_tracker.api.urls import router
from cgt_tracker.models import DataVersion, bulk_change
from programs.models import TherapyProgram
from programs.tests.factories import develop, make_program
from sources.models import Source

pytestmark = pytest.mark.django_db

LIST = "/api/programs/?page_size=5"
DETAIL = "/api/programs/cached-car-t/"


@pytest.fixture(autouse=True)
def programs():
    """More programs than a page of the list holds, the one read in detail citing a source and in development."""
    source = baker.make(Source)
    program = make_program("Cached CAR-T", sources=[source])
    develop(program, "phase_1").sources.add(source)
    return [program, *(make_program() for _ in range(6))]


def queries_for(api, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_a_repeated_read_costs_one_query(api, url):
    first = queries_for(api, url)
    assert first > 1
    assert queries_for(api, url) == 1  # the data version


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_a_cached_read_is_identical_to_a_fresh_one(api, url):
    fresh = api.get(url)
    cached = api.get(url)
    assert cached.content == fresh.content
    assert cached["Content-Type"] == fresh["Content-Type"]


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_a_cached_read_carries_the_headers_of_a_fresh_one(api, url):
    fresh = api.get(url)
    cached = api.get(url)
    assert cached["X-Request-ID"] != fresh["X-Request-ID"]  # each response names its own request
    del cached["X-Request-ID"], fresh["X-Request-ID"]
    assert sorted(cached.items()) == sorted(fresh.items())
    assert cached["X-Frame-Options"] == "DENY"


def test_reads_differing_only_in_their_accept_header_are_kept_apart(api):
    api.get(DETAIL, HTTP_ACCEPT="application/json")
    assert api.get(DETAIL, HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")


@pytest.fixture
def token_api(db):
    user = User.objects.create_user("reader", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_read_with_a_token_is_never_answered_from_the_cache(api, token_api):
    api.get(DETAIL)
    assert queries_for(token_api, DETAIL) > 1


def test_a_read_with_a_session_is_never_answered_from_the_cache(api, client):
    api.get(DETAIL)
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert queries_for(client, DETAIL) > 1


def test_a_signed_in_users_read_is_not_kept(api, token_api):
    token_api.get(DETAIL)
    assert queries_for(api, DETAIL) > 1


def test_a_cached_read_counts_once_against_each_throttle(api, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "10/minute"})
    statuses = [api.get(DETAIL).status_code for _ in range(3)]  # built, cached, refused by the anon rate
    assert statuses == [200, 200, 429]
    assert len(cache.get("throttle_anon_127.0.0.1")) == 2
    assert len(cache.get("throttle_user_127.0.0.1")) == 3


def test_a_read_when_the_data_version_cannot_be_read_is_built_afresh(api):
    with mock.patch.object(DataVersion, "current", side_effect=OperationalError("connection refused")):
        response = api.get(DETAIL)
    assert response.status_code == 200
    assert response.json()["slug"] == "cached-car-t"


def test_a_change_is_visible_at_once(api):
    api.get(DETAIL)
    TherapyProgram.objects.filter(slug="cached-car-t").get().save()  # any save bumps the version
    program = TherapyProgram.objects.get(slug="cached-car-t")
    program.description = "Changed."
    program.save()
    assert api.get(DETAIL).json()["description"] == "Changed."


def test_a_change_made_by_another_process_is_visible(api):
    api.get(DETAIL)
    # Another process writes the row and bumps the shared counter; this process's cache is stale.
    TherapyProgram.objects.filter(slug="cached-car-t").update(description="Changed elsewhere.")
    DataVersion.bump()
    assert api.get(DETAIL).json()["description"] == "Changed elsewhere."


def test_bulk_changes_bump_the_version_once():
    before = DataVersion.current()
    with bulk_change():
        for program in TherapyProgram.objects.all()[:3]:
            program.save()
        assert DataVersion.current() == before
    assert DataVersion.current() == before + 1


def test_the_browsable_api_is_not_cached(api):
    api.get(DETAIL)
    assert queries_for(api, DETAIL, HTTP_ACCEPT="text/html") > 1


def test_csv_is_not_cached(api):
    api.get(LIST + "&format=csv")
    with CaptureQueriesContext(connection) as queries:
        b"".join(api.get(LIST + "&format=csv").streaming_content)
    assert len(queries) > 1


def test_errors_are_not_cached(api):
    with mock.patch("cgt_tracker.api.cache.cache", wraps=cache) as response_cache:
        assert api.get("/api/programs/?stage=bogus").status_code == 400
        assert api.get("/api/programs/no-such-program/").status_code == 404
        assert api.get(DETAIL).status_code == 200
    response_cache.set.assert_called_once()


@pytest.mark.parametrize("viewset", [viewset for _, viewset, _ in router.registry], ids=lambda cls: cls.__name__)
def test_every_resource_uses_the_throttles_a_cached_read_counts_against(viewset):
    assert viewset.throttle_classes == api_settings.DEFAULT_THROTTLE_CLASSES
