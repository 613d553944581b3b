"""Re-extraction: a fresh extraction of archived captures, written where it changed something.

The extraction runs elsewhere (``newsarchive reextract`` runs it in the crawl's worker
pool); this module picks the captures to re-extract and writes the results the way
the crawl's writer does: the text is cleaned of its site's learned boilerplate, the
line counts move from the old extraction to the new, and whatever changed (text,
title, dates, authors...) is overwritten in ``articles`` and in the article's current
version. Re-extraction is not a story edit: it adds no version and no capture.
Articles archived before boilerplate learning are counted here, so running it once
over an old archive learns every site's boilerplate from what is already stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from archive import boilerplate
from archive.bodies import decompress_body
from archive.fields import strip_nul, without_nul
from archive.models import Article, Capture, Version
from archive.tables import utcnow
from archive.text import content_hash
from archive.writer.titles import Titles

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


@dataclass(frozen=True, slots=True)
class StoredCapture:
    """The stored capture an article's current version was extracted from."""

    article_id: int
    url: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Fresh:
    """A new extraction of an article's capture: its text and metadata columns."""

    article_id: int
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text = strip_nul(self.text) or ""
        self.metadata = without_nul(self.metadata)


def article_ids(
    engine: Engine, site: str | None = None, since: datetime | None = None
) -> list[int]:
    """The ids of the articles to re-extract (those with a capture), oldest first.

    ``since`` keeps the articles first archived at or after it.
    """
    query = select(Article.id).where(Article.capture_id.is_not(None)).order_by(Article.id)
    if site:
        query = query.where(Article.site == site)
    if since:
        query = query.where(Article.first_seen_at >= since)
    with engine.connect() as conn:
        return [int(article_id) for article_id in conn.scalars(query)]


def load_captures(engine: Engine, ids: Sequence[int]) -> list[StoredCapture]:
    """The current capture of each article, decompressed, in the order of ``ids``."""
    query = (
        select(Article.id, Capture.final_url, Capture.body, Capture.body_codec, Capture.headers)
        .join(Capture, Capture.id == Article.capture_id)
        .where(Article.id.in_(ids))
    )
    with engine.connect() as conn:
        rows = {row.id: row for row in conn.execute(query)}
    captures = []
    for article_id in ids:
        row = rows.get(article_id)
        if row is not None:
            body = decompress_body(row.body, row.body_codec)
            headers = [(str(name), str(value)) for name, value in row.headers or []]
            captures.append(StoredCapture(article_id, row.final_url, body, headers))
    return captures


class Reextraction:
    """Writes fresh extractions into the archive, learning and cleaning boilerplate as the
    crawl's writer does; counts what changed."""

    def __init__(self, engine: Engine, policy: boilerplate.Policy | None) -> None:
        self.engine = engine
        self.policy = policy
        self.models = boilerplate.Models()
        self.changed: set[int] = set()
        self.text_changed: set[int] = set()
        self.sites: set[str] = set()
        self._stale: set[str] = set()

    def apply(self, batch: Sequence[Fresh]) -> None:
        """Write one batch of fresh extractions, in one transaction."""
        if not batch:
            return
        with self.engine.begin() as conn:
            rows = {
                row.id: row
                for row in conn.execute(
                    select(Article)
                    .where(Article.id.in_([fresh.article_id for fresh in batch]))
                    .with_for_update()
                )
            }
            learning = (
                boilerplate.Learning(conn, self.policy, self.models)
                if self.policy is not None
                else None
            )
            titles = Titles(conn) if learning is not None else None
            if learning is not None and titles is not None:
                learning.load(row.site for row in rows.values())
                titles.load(row.site for row in rows.values())
            now = utcnow()
            texts: dict[int, str] = {}
            for fresh in batch:
                row = rows.get(fresh.article_id)
                if row is not None and titles is not None and "title" in fresh.metadata:
                    fresh.metadata["title"] = titles.cut(row.site, fresh.metadata["title"])
                if row is not None:
                    self._apply_one(conn, row, fresh, learning=learning, now=now, texts=texts)
            boilerplate.resign(conn, texts)
            if learning is not None:
                self._stale |= learning.learn()

    def _apply_one(
        self,
        conn: Connection,
        row: Any,
        fresh: Fresh,
        *,
        learning: boilerplate.Learning | None,
        now: datetime,
        texts: dict[int, str],
    ) -> None:
        """Write one fresh extraction; ``texts`` collects the ids and texts that changed."""
        self.sites.add(row.site)
        if learning is None:
            cleaned, revision = boilerplate.Cleaned(fresh.text), row.boilerplate_revision
        else:
            cleaned, revision = learning.clean(row.site, fresh.text)
            if row.boilerplate_revision is None:
                learning.add(row.site, fresh.text)
            else:
                learning.move(
                    row.site, boilerplate.extraction(row.text, row.boilerplate), fresh.text
                )
        values: dict[str, Any] = {
            name: value for name, value in fresh.metadata.items() if value != getattr(row, name)
        }
        if cleaned.text != row.text or cleaned.removed != row.boilerplate:
            values.update(
                text=cleaned.text,
                boilerplate=cleaned.removed,
                content_hash=content_hash(cleaned.text),
            )
            self.text_changed.add(row.id)
            texts[row.id] = cleaned.text
        if values:
            values["updated_at"] = now
            self.changed.add(row.id)
        if revision != row.boilerplate_revision:
            values["boilerplate_revision"] = revision
        if not values:
            return
        conn.execute(update(Article).where(Article.id == row.id).values(values))
        version_values = {
            name: values[name]
            for name in ("title", "text", "boilerplate", "content_hash")
            if name in values
        }
        if version_values:
            conn.execute(
                update(Version)
                .where(Version.article_id == row.id, Version.version == row.version)
                .values(version_values)
            )
        if row.version > 1 and revision != row.boilerplate_revision and learning is not None:
            model = learning.model(row.site)
            boilerplate.reclean_versions(conn, [row.id], model)

    def finish(self) -> None:
        """Re-clean whatever a model that moved during the run left behind."""
        if self.policy is None:
            return
        with self.engine.connect() as conn:
            stale = boilerplate.stale_sites(conn, self.sites | self._stale)
        for site in sorted(stale):
            recleaned, _, _ = boilerplate.reclean_site(self.engine, site, self.models)
            self.changed |= recleaned
            self.text_changed |= recleaned
