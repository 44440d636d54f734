"""The database router: reads from a replica, writes to the primary, and a writer reads its own writes.

Here the replica alias only names where a read would go; ``tests/multiserver/test_replica.py`` runs the
same rules against a real streaming replica.
"""

from unittest import mock

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from cgt_tracker.models import DataVersion
from cgt_tracker.replicas import ReadReplicaMiddleware
from programs.models import TherapyProgram


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.READ_YOUR_WRITES_SECONDS = 5
    return "replica1"


def reads_from(method="get", status=200, **headers):
    """The database a request to the API would read programs from, and the response's status."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(TherapyProgram))
        return HttpResponse(status=status)

    request = getattr(RequestFactory(), method)("/api/programs/", **headers)
    ReadReplicaMiddleware(view)(request)
    return seen[0]


def test_a_read_goes_to_a_replica(replica):
    assert reads_from() == replica


def test_a_write_request_reads_and_writes_on_the_primary(replica):
    assert reads_from("post", HTTP_AUTHORIZATION="Token writer") == "default"
    assert router.db_for_write(TherapyProgram) == "default"


def test_a_client_that_just_wrote_reads_from_the_primary(replica):
    reads_from("patch", HTTP_AUTHORIZATION="Token writer")
    assert reads_from(HTTP_AUTHORIZATION="Token writer") == "default"


def test_other_clients_keep_reading_from_the_replica(replica):
    reads_from("patch", HTTP_AUTHORIZATION="Token writer")
    assert reads_from(HTTP_AUTHORIZATION="Token reader") == replica
    assert reads_from() == replica


def test_the_pin_to_the_primary_lasts_a_few_seconds(replica):
    with mock.patch("cgt_tracker.replicas.cache") as cache:
        reads_from("patch", HTTP_AUTHORIZATION="Token writer")
    cache.set.assert_called_once_with(mock.ANY, True, 5)


def test_a_refused_write_does_not_pin_the_client(replica):
    reads_from("patch", status=403, HTTP_AUTHORIZATION="Token writer")
    assert reads_from(HTTP_AUTHORIZATION="Token writer") == replica


def test_a_session_is_pinned_like_a_token(replica, settings):
    cookie = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
    reads_from("post", **cookie)
    assert reads_from(**cookie) == "default"


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert reads_from() == "default"


def test_outside_a_request_reads_go_to_the_primary(replica):
    assert router.db_for_read(TherapyProgram) == "default"


@pytest.mark.django_db
def test_a_cached_read_asks_the_data_version_of_the_database_it_reads_from(replica):
    asked = []
    with mock.patch.object(DataVersion, "current", side_effect=lambda: asked.append(router.db_for_read(DataVersion))):
        APIClient().get("/api/no-such-resource/")
    assert asked == [replica]


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("default", "programs") is True
    assert router.allow_migrate(replica, "programs") is False
