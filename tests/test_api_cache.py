"""Cached API reads: served from the cache until any record changes, in any process."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cgt_tracker.models import DataVersion, bulk_change
from programs.models import TherapyProgram

pytestmark = pytest.mark.django_db

LIST = "/api/programs/?page_size=5"
DETAIL = "/api/programs/cnct19/"


@pytest.fixture
def api():
    return APIClient()


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


def test_a_change_is_visible_at_once(api):
    api.get(DETAIL)
    TherapyProgram.objects.filter(slug="cnct19").get().save()  # any save bumps the version
    program = TherapyProgram.objects.get(slug="cnct19")
    program.description = "Changed."
    program.save()
    assert api.get(DETAIL).json()["description"] == "Changed."


def test_a_change_made_by_another_process_is_visible(api):
    api.get(DETAIL)
    # Another process writes the row and bumps the shared counter; this process's cache is stale.
    TherapyProgram.objects.filter(slug="cnct19").update(description="Changed elsewhere.")
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
