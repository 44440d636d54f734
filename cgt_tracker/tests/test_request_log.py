"""The request log: one JSON line per request with its id, status and duration; the id on every line."""

import io
import json
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from pythonjsonlogger.json import JsonFormatter

from cgt_tracker.request_log import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The root logger's lines as the production settings format them (``DJANGO_LOG_FORMAT=json``), parsed."""
    config = {key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**config))
    handler.addFilter(RequestIdFilter())
    root, requests = logging.getLogger(), logging.getLogger("cgt_tracker.requests")
    root.addHandler(handler)
    level = requests.level
    requests.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    requests.setLevel(level)
    root.removeHandler(handler)


def test_each_request_is_logged_as_one_json_line(client, json_log):
    response = client.get("/api/programs/?page_size=1")
    [line] = [line for line in json_log() if line["logger"] == "cgt_tracker.requests"]
    assert line["method"] == "GET"
    assert line["path"] == "/api/programs/?page_size=1"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert "time" in line


def test_lines_logged_while_serving_a_request_carry_its_id(client, json_log):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("refused")):
        response = client.get("/readyz")
    ids = {line["logger"]: line["request_id"] for line in json_log()}
    assert ids["cgt_tracker.health"] == response["X-Request-ID"]


def test_a_request_gets_a_new_id_when_the_proxy_sends_none(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxys_request_id_is_kept(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.01")["X-Request-ID"] == "lb-7f3a.01"


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 65 + "\nforged log line")
    assert len(response["X-Request-ID"]) == 32
