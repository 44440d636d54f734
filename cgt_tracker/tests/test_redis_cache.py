"""The Redis cache backend: shared by every app server, and a Redis outage costs speed, never a 500."""

import socket

import pytest
from rest_framework.test import APIClient

from cgt_tracker.redis_cache import RedisCache
from programs.tests.factories import make_program


@pytest.fixture
def unreachable_redis():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens on it once the socket is closed
    return RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_a_read_from_an_unreachable_redis_is_a_miss(unreachable_redis):
    assert unreachable_redis.get("key") is None
    assert unreachable_redis.get("key", "fallback") == "fallback"
    assert unreachable_redis.get_many(["a", "b"]) == {}
    assert unreachable_redis.has_key("key") is False


def test_a_write_to_an_unreachable_redis_is_dropped(unreachable_redis):
    unreachable_redis.set("key", "value")
    assert unreachable_redis.add("key", "value") is False
    assert unreachable_redis.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable_redis.delete("key") is False


@pytest.mark.django_db
def test_the_api_answers_while_redis_is_down(unreachable_redis, monkeypatch):
    monkeypatch.setattr("cgt_tracker.api.cache.cache", unreachable_redis)
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.cache", unreachable_redis)
    program = make_program()
    api = APIClient()
    assert [api.get(f"/api/programs/{program.slug}/").status_code for _ in range(2)] == [200, 200]
