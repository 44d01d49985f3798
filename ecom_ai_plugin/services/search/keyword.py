"""Keyword relevance from PostgreSQL's full-text search, where the database is PostgreSQL.

The search documents' table has a generated ``search_vector`` column (name,
category, attributes and description weighted A to D, English stemming)
with a GIN index, added by the migration on PostgreSQL only. A query's
words are OR-ed into a ``tsquery`` and ranked with ``ts_rank_cd``; the
in-memory BM25 index serves every other database (SQLite) and is the
fallback when the query fails.
"""
from __future__ import annotations

import logging
import re

from django.db import DatabaseError, connection

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.search.text import STOPWORDS, words
from ecom_ai_plugin.models import SearchDocument

logger = logging.getLogger(__name__)
LEXEME = re.compile(r"^\w{1,60}$", re.UNICODE)
#: the most products the database ranks for one query
MAX_MATCHES = 1000
KEYWORD_INDEXES = ("auto", "postgres", "memory")


def uses_postgres() -> bool:
    """Whether keyword relevance comes from PostgreSQL (``SEARCH['KEYWORD_INDEX']``)."""
    choice = ecom_ai_settings.SEARCH["KEYWORD_INDEX"]
    if choice == "memory":
        return False
    return connection.vendor == "postgresql"


def tsquery_text(query_words: list[str]) -> str:
    """The query's words OR-ed, stop words and anything but letters and digits left out."""
    kept = [word for word in dict.fromkeys(query_words) if LEXEME.match(word) and word not in STOPWORDS]
    return " | ".join(kept)


def postgres_scores(query_words: list[str]) -> dict[str, float] | None:
    """Product key -> ``ts_rank_cd`` of the products matching any word; None when the database cannot answer."""
    text = tsquery_text([w for word in query_words for w in words(word)])
    if not text:
        return {}
    table = SearchDocument._meta.db_table
    sql = (
        f"SELECT product_key, ts_rank_cd(search_vector, query, 32) FROM {table}, to_tsquery('english', %s) query "
        f"WHERE NOT removed AND search_vector @@ query ORDER BY 2 DESC LIMIT %s"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [text, MAX_MATCHES])
            return {key: float(rank) for key, rank in cursor.fetchall()}
    except DatabaseError as exc:  # no column (migrated elsewhere), a bad lexeme: the in-memory index answers
        logger.warning("ecom_ai_plugin: PostgreSQL full-text search failed, using the in-memory index: %s", exc)
        return None
