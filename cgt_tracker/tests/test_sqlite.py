"""SQLite under concurrent writers: WAL, a busy timeout and immediate transactions (settings.DATABASES)."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite settings only"
    ),
    pytest.mark.usefixtures("own_database_files"),
]


@pytest.fixture
def own_database_files(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def file_connection(path):
    """A connection to a database file, configured as the app's own SQLite connections are."""
    alias = f"file-{threading.get_ident()}"
    connections[alias] = DatabaseWrapper(connections["default"].settings_dict | {"NAME": str(path)}, alias=alias)
    return connections[alias]


def pragma(connection, name):
    with connection.cursor() as cursor:
        return cursor.execute(f"PRAGMA {name}").fetchone()[0]


def test_a_file_database_is_in_wal_mode_with_a_busy_timeout(tmp_path):
    connection = file_connection(tmp_path / "db.sqlite3")
    try:
        assert pragma(connection, "journal_mode") == "wal"
        assert pragma(connection, "busy_timeout") == 20_000
        assert connection.transaction_mode == "IMMEDIATE"
    finally:
        connection.close()


def test_concurrent_writers_wait_for_each_other_instead_of_failing(tmp_path):
    path = tmp_path / "db.sqlite3"
    setup = file_connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors = []

    def writer():
        connection = file_connection(path)
        try:
            for _ in range(50):
                # Read, then write, in one transaction: without IMMEDIATE the upgrade to a write lock fails.
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    n = cursor.execute("SELECT n FROM counter").fetchone()[0]
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    check = file_connection(path)
    assert errors == []
    assert pragma(check, "journal_mode") == "wal"
    with check.cursor() as cursor:
        assert cursor.execute("SELECT n FROM counter").fetchone()[0] == 150
    check.close()
