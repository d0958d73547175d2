"""Full-text search over message texts: FTS5 on SQLite, tsvector (French) on PostgreSQL.

The indexes are created by migration 0002_search for the database in use.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
SEARCH_VECTOR = SearchVector("text", config="french")


def _fts5_query(text: str) -> str:
    """Each word as a quoted prefix term, all required: user input never reaches FTS5 syntax."""
    return " ".join(f'"{word}"*' for word in WORD.findall(text))


def matching_messages(queryset, text: str):
    """Messages of `queryset` whose text matches every word of `text`."""
    if not WORD.search(text):
        return queryset
    if connection.vendor == "postgresql":
        return queryset.annotate(search=SEARCH_VECTOR).filter(
            search=SearchQuery(text, config="french", search_type="websearch")
        )
    return queryset.filter(
        Q(id__in=RawSQL("SELECT rowid FROM inbox_message_fts WHERE inbox_message_fts MATCH %s", [_fts5_query(text)]))
    )
