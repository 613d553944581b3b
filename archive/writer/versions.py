"""Versions: when a re-captured story changed, why, and the rows that record it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from archive.models import Article, Version
from archive.tables import VersionReason
from archive.writer.records import ArticleRecord

INSERT_VERSIONS = insert(Version)
# The archived article's current version, as a re-capture is compared with it.
CURRENT = select(
    Article.id,
    Article.content_hash,
    Article.title,
    Article.version,
    Article.cluster_id,
    Article.text,
    Article.boilerplate,
    Article.boilerplate_revision,
    Article.paywalled,
)


def version_reason(was_paywalled: bool, record: ArticleRecord) -> VersionReason:
    """Why a changed text is a new version: the paywall lifted (a full capture after a
    teaser), a live blog's updates, or the publisher's edit."""
    if was_paywalled and not record.paywalled:
        return VersionReason.PAYWALL_LIFTED
    return VersionReason.LIVE_UPDATE if record.live else VersionReason.EDIT


def keeps_current(current: Any, record: ArticleRecord) -> bool:
    """Whether a re-capture leaves the archived version as it is: the same story and
    title, or a teaser where the archive holds the whole story."""
    unchanged = current.content_hash == record.content_hash and current.title == record.title
    return unchanged or (record.paywalled and not current.paywalled)


def version_row(
    article_id: int,
    version: int,
    record: ArticleRecord,
    capture_id: int,
    reason: VersionReason,
    *,
    now: datetime,
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "version": version,
        "title": record.title,
        "text": record.text,
        "content_hash": record.content_hash,
        "boilerplate": record.boilerplate,
        "capture_id": capture_id,
        "seen_at": now,
        "paywalled": record.paywalled,
        "reason": reason,
        "modified_at": record.modified_at,
    }


def new_version_columns(
    record: ArticleRecord, version: int, capture_id: int, now: datetime
) -> dict[str, Any]:
    """The article's columns once ``record`` is its current version."""
    return {
        "text": record.text,
        "content_hash": record.content_hash,
        "boilerplate": record.boilerplate,
        "boilerplate_revision": record.boilerplate_revision,
        "version": version,
        "capture_id": capture_id,
        "last_seen_at": now,
        "updated_at": now,
        **record.metadata_columns(),
    }
