"""The router against a real streaming replica (``make test-replica`` builds one on port 5433).

Replay on the replica is paused while the test writes, so the replica lags for as long as the test says:
a writer reads its write from the primary, everyone else reads the replica's older data until the
replica catches up, and nothing old is ever cached under the new data version.
"""

import os
import time

import psycopg
import pytest

DETAIL = "/api/programs/coherence/"
PIN_SECONDS = 2


@pytest.fixture(scope="module")
def replica_port():
    """Skipped, with the reason, before any database is made when there is no replica."""
    port = os.environ.get("TEST_REPLICA_PORT")
    if not port:
        pytest.skip("needs a streaming replica: run `make test-replica` (TEST_REPLICA_PORT names its port)")
    return int(port)


@pytest.fixture(scope="module")
def replica(replica_port, server_database):
    port = replica_port
    deadline = time.monotonic() + 30
    while True:  # the new database reaches the replica through the WAL
        try:
            conn = psycopg.connect(
                host="127.0.0.1", port=port, user="postgres", dbname=server_database["name"], autocommit=True
            )
            if conn.execute("SELECT count(*) FROM programs_therapyprogram").fetchone()[0]:
                break
            conn.close()
        except psycopg.Error:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the replica on port {port} did not receive database {server_database['name']}")
        time.sleep(0.5)
    assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0], f"port {port} is not a replica"
    yield conn
    conn.execute("SELECT pg_wal_replay_resume()")
    conn.close()


@pytest.fixture(scope="module")
def server(replica_port, server_database, replica, start_server, server_env):
    name = server_database["name"]
    return start_server(
        server_env(
            server_database["url"],
            DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{replica_port}/{name}",
            DJANGO_READ_YOUR_WRITES_SECONDS=str(PIN_SECONDS),
            DJANGO_CACHE_URL="locmemcache://",  # one server, one worker: its own memory is shared enough
        )
    )


def description(server, token=None):
    status, body, _ = server.request("GET", DETAIL, token=token)
    assert status == 200
    return body["description"]


def test_reads_follow_the_replica_and_a_writer_reads_its_own_write(server, replica, server_database):
    admin, reader = server_database["admin_token"], server_database["reader_token"]
    assert server.request("GET", "/readyz")[0] == 200  # the primary, the replica and the cache answer
    before = description(server)
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        status, _, _ = server.request("PATCH", DETAIL, token=admin, body={"description": "Written while paused."})
        assert status == 200
        assert description(server, admin) == "Written while paused."  # pinned to the primary
        assert description(server, reader) == before  # the replica has not replayed the write yet
        assert description(server) == before  # ... and this answer is cached under the replica's version
        time.sleep(PIN_SECONDS + 0.5)
        assert description(server, admin) == before  # the pin has expired: back on the lagging replica
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 10
    while description(server, reader) != "Written while paused." and time.monotonic() < deadline:
        time.sleep(0.2)
    assert description(server, reader) == "Written while paused."
    assert description(server) == "Written while paused."  # the new version is a cache miss, not the old page
