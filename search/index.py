"""The program search index, per database, and the query that uses it.

PostgreSQL: a pg_trgm GIN index on ``search_document`` serves ``LIKE '%pattern%'`` for patterns of 3+
characters. SQLite: an FTS5 table with the ``trigram`` tokenizer, kept in step with the programs table
by triggers, serves the same patterns through ``MATCH``. Shorter patterns (a two-character Chinese
name, "NK" as " nk") are matched by a substring scan of the table, on both. Both match exactly the
same rows, those ``search.text.matches`` accepts.
"""

from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from .text import TRIGRAM, patterns

TABLE = "programs_therapyprogram"
COLUMN = "search_document"
FTS_TABLE = "programs_program_search"
TRGM_INDEX = "programs_program_search_trgm"
TRIGGERS = {
    "programs_program_search_ai": f"AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN}); END",
    "programs_program_search_ad": f"AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMN}) VALUES ('delete', old.id, old.{COLUMN}); END",
    "programs_program_search_au": f"AFTER UPDATE OF {COLUMN} ON {TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMN}) VALUES ('delete', old.id, old.{COLUMN}); "
    f"INSERT INTO {FTS_TABLE}(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN}); END",
}


def install(connection):
    """Create the index if it is missing (idempotent); on SQLite, fill it from the table when (re)created."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON {TABLE} USING gin ({COLUMN} gin_trgm_ops)")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            present = {name for (name,) in cursor.fetchall()}
            if present >= TRIGGERS.keys():
                return
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                f"{COLUMN}, content='{TABLE}', content_rowid='id', tokenize='trigram')"
            )
            for name, body in TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        elif connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def ensure_installed(using="default", **kwargs):
    """After ``migrate``: put the index back if a table rebuild dropped it (only once the table exists)."""
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        install(connection)


def _fts_phrase(pattern):
    return '"' + pattern.replace('"', '""') + '"'


def search(queryset, text):
    """The rows of ``queryset`` (programs) that match ``text``.

    Ranked (name matches first, then by name) unless ``queryset`` is already ordered explicitly: an
    ordering the caller chose (the admin's sortable columns) wins.
    """
    found = patterns(text)
    if not found:
        return queryset.none()
    ordered = bool(queryset.query.order_by)
    scanned = found
    if connections[queryset.db].vendor == "sqlite":
        indexed = [pattern for pattern in found if len(pattern) >= TRIGRAM]
        scanned = [pattern for pattern in found if len(pattern) < TRIGRAM]
        if indexed:
            match = " AND ".join(map(_fts_phrase, indexed))
            queryset = queryset.filter(
                pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            )
    queryset = queryset.filter(*(Q(search_document__contains=pattern) for pattern in scanned))
    if ordered:
        return queryset
    by_name = Q(*(Q(search_names__contains=pattern) for pattern in found))
    return queryset.alias(
        search_rank=Case(When(by_name, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("search_rank", "name", "pk")
