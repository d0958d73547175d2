"""PostgreSQL: the French tsvector of each message is stored (a generated column) and indexed, so a
search checks a row without recomputing it. SQLite keeps its FTS5 table (0002_search)."""

from django.db import migrations

CREATE = [
    "ALTER TABLE inbox_message ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('french'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX message_search_vector ON inbox_message USING gin (search_vector)",
    "DROP INDEX IF EXISTS message_text_search",
]
DROP = [
    "DROP INDEX IF EXISTS message_search_vector",
    "ALTER TABLE inbox_message DROP COLUMN IF EXISTS search_vector",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0002_search")]
    operations = [migrations.RunPython(forwards, backwards)]
