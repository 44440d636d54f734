from django.db import migrations

# Must match programs.models.SEARCH_VECTOR, so PostgreSQL uses the index for `search`.
CREATE = (
    "CREATE INDEX IF NOT EXISTS programs_program_search_gin ON programs_therapyprogram "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
)
DROP = "DROP INDEX IF EXISTS programs_program_search_gin"


def on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    """Full-text index for program search, on PostgreSQL only (SQLite searches with LIKE)."""

    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
