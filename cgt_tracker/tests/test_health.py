"""/healthz and /readyz: what a load balancer asks before sending traffic to an app server."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from rest_framework.throttling import SimpleRateThrottle


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # no django_db mark: any query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_200_when_the_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_database_when_it_is_down(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert "connection refused" in body["checks"]["database"]
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_cache_when_it_is_down(client):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("Redis is restarting")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


@pytest.mark.django_db
def test_probes_are_never_throttled(client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1/minute"})
    assert client.get("/api/programs/").status_code == 200
    assert client.get("/api/programs/").status_code == 429
    assert [client.get("/readyz").status_code for _ in range(3)] == [200, 200, 200]
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_answered_over_plain_http_by_any_host_name(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    assert client.get("/programs/", HTTP_HOST="tracker.example.org").status_code == 301
    assert client.get(path, HTTP_HOST="10.0.0.7:8000").status_code == 200
