"""Full-text search over message texts: FTS5 on SQLite, a stored French tsvector on PostgreSQL.

The indexes are created by migrations 0002_search and 0003_search_vector_column for the database
in use; nothing else in Vigie knows which one it is.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(text: str) -> str:
    """Each word as a quoted prefix term, all required: user input never reaches FTS5 syntax."""
    return " ".join(f'"{word}"*' for word in WORD.findall(text))


def matching_messages(queryset, text: str):
    """Messages of `queryset` whose text matches every word of `text`."""
    if not WORD.search(text):
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(
            RawSQL("search_vector @@ websearch_to_tsquery('french', %s)", [text], output_field=BooleanField())
        )
    return queryset.filter(
        Q(id__in=RawSQL("SELECT rowid FROM inbox_message_fts WHERE inbox_message_fts MATCH %s", [_fts5_query(text)]))
    )
