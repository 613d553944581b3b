"""Articles seen again unchanged: a re-crawl's conditional request answered 304 Not
Modified, so no capture is written, only the article's ``last_seen_at`` moved (the
incremental re-crawl counts its revisit window and listed dates from it)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import update

from archive.models import Article

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500


def mark_seen(conn: Connection, article_ids: Collection[int], when: datetime) -> None:
    """Move these articles' ``last_seen_at`` to ``when``, never back."""
    ids = sorted(article_ids)
    for start in range(0, len(ids), CHUNK):
        conn.execute(
            update(Article)
            .where(Article.id.in_(ids[start : start + CHUNK]), Article.last_seen_at < when)
            .values(last_seen_at=when)
        )
