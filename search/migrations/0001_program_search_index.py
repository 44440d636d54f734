from django.db import migrations

from search import documents, index

OLD_INDEX_DROP = "DROP INDEX IF EXISTS programs_program_search_gin"
OLD_INDEX_CREATE = (
    "CREATE INDEX IF NOT EXISTS programs_program_search_gin ON programs_therapyprogram "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
)


def on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def install(apps, schema_editor):
    index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    index.uninstall(schema_editor.connection)


def rebuild(apps, schema_editor):
    # The search text changed form (normalised, with modality terms): rebuild it for existing programs.
    # Uses the app's code, not historical models: it reads and writes only fields that exist from here on.
    documents.refresh_all()


class Migration(migrations.Migration):
    """Trigram search index: pg_trgm GIN on PostgreSQL, FTS5 trigram table and triggers on SQLite.

    Replaces the full-text (tsvector) index of programs 0002, which could not serve substrings.
    """

    dependencies = [("programs", "0005_program_search_names_indication_name_zh")]

    operations = [
        migrations.RunPython(on_postgres(OLD_INDEX_DROP), on_postgres(OLD_INDEX_CREATE)),
        migrations.RunPython(install, uninstall),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
