"""Two app servers on one PostgreSQL and one Redis behave as one: no stale page, one throttle count."""

import pytest

DETAIL = "/api/programs/coherence/"
READER_RATE = 5


@pytest.fixture(scope="module")
def two_servers(redis_location, server_database, start_server, server_env):
    """Skipped, with the reason, before any database is made when the suite has no Redis."""
    env = server_env(
        server_database["url"],
        DJANGO_CACHE_URL=redis_location,
        DJANGO_THROTTLE_ANON="off",
        DJANGO_THROTTLE_USER=f"{READER_RATE}/minute",
    )
    return start_server(env), start_server(env)


def description_at(server):
    status, body, _ = server.request("GET", DETAIL)
    assert status == 200
    return body["description"]


def test_a_write_through_one_server_is_read_at_once_through_the_other(two_servers, server_database):
    first, second = two_servers
    before = description_at(second)
    assert description_at(second) == before  # now answered from the shared cache
    status, _, _ = first.request(
        "PATCH", DETAIL, token=server_database["admin_token"], body={"description": f"{before} Changed."}
    )
    assert status == 200
    assert description_at(second) == f"{before} Changed."
    assert description_at(first) == f"{before} Changed."


def test_both_servers_count_against_one_throttle(two_servers, server_database):
    first, second = two_servers
    token = server_database["reader_token"]
    statuses = [(first, second)[i % 2].request("GET", DETAIL, token=token)[0] for i in range(READER_RATE + 1)]
    assert statuses == [200] * READER_RATE + [429]
