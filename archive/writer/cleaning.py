"""The boilerplate step: each text cleaned by its site's current model before it is
compared, hashed, signed and stored (``archive.boilerplate``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from archive import boilerplate, neardup
from archive.text import content_hash as text_hash
from archive.writer.records import ArticleRecord

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def extraction(record: ArticleRecord) -> str:
    """The record's text as extracted, before any boilerplate was removed from it."""
    return boilerplate.extraction(record.text, record.boilerplate)


class Cleaning:
    """Cleans a batch's records; ``learning`` None: neither learn nor clean.

    A record whose text cleaning changed is re-signed only if an outcome needs its
    signature (:meth:`signature`, ~1 ms)."""

    def __init__(self, learning: boilerplate.Learning | None) -> None:
        self.learning = learning
        # ids of cleaned records whose worker signature describes the text before cleaning
        self.unsigned: set[int] = set()

    def cleaned(self, records: Sequence[ArticleRecord]) -> Sequence[ArticleRecord]:
        """The records with their texts cleaned by their sites' current models."""
        if self.learning is None:
            return records
        self.learning.load(record.site for record in records)
        return [
            self.clean(record, *self.learning.clean(record.site, extraction(record)))
            for record in records
        ]

    def clean(
        self, record: ArticleRecord, cleaned: boilerplate.Cleaned, revision: int
    ) -> ArticleRecord:
        """The record holding ``cleaned``: its hash describes the cleaned text, and so will
        its signature, recomputed only if an outcome needs it (``signature``)."""
        if cleaned.text == record.text and not record.boilerplate:
            digest, unsigned = record.content_hash, False
        else:
            digest, unsigned = text_hash(cleaned.text), record.signature is not None
        clean_record = replace(
            record,
            text=cleaned.text,
            content_hash=digest,
            boilerplate=cleaned.removed,
            boilerplate_revision=revision,
        )
        if unsigned:
            self.unsigned.add(id(clean_record))
        return clean_record

    def signature(self, record: ArticleRecord) -> bytes | None:
        """The record's MinHash, of its text as stored (computed here, ~1 ms, when
        cleaning changed the text the extraction worker signed)."""
        if id(record) in self.unsigned:
            self.unsigned.discard(id(record))
            record.signature = neardup.signature(record.text)
        return record.signature

    def align(
        self,
        conn: Connection,
        now: datetime,
        current: Any,
        record: ArticleRecord,
        reread: Callable[[], Any],
    ) -> tuple[Any, ArticleRecord]:
        """Bring the archived article and the record to one model, so that comparing them
        compares stories: cleaning is not a story edit. An article archived before
        boilerplate learning is counted now."""
        assert self.learning is not None and record.boilerplate_revision is not None
        if current.boilerplate_revision is None:
            extracted = boilerplate.extraction(current.text, current.boilerplate)
            self.learning.add(record.site, extracted)
        elif current.boilerplate_revision > record.boilerplate_revision:
            revision = current.boilerplate_revision
            cleaned = self.learning.clean_at(record.site, extraction(record), revision)
            return current, self.clean(record, cleaned, revision)
        if current.boilerplate_revision != record.boilerplate_revision:
            model = self.learning.models.get(conn, record.site, record.boilerplate_revision)
            boilerplate.reclean_rows(conn, [current], model, now)
            current = reread()
        return current, record

    def added(self, record: ArticleRecord) -> None:
        """Count a new article's lines."""
        if self.learning is not None:
            self.learning.add(record.site, extraction(record))

    def moved(self, record: ArticleRecord, current: Any) -> None:
        """Move an edited article's line counts from its old text to its new one."""
        if self.learning is not None:
            old = boilerplate.extraction(current.text, current.boilerplate)
            self.learning.move(record.site, old, extraction(record))

    def learn(self) -> set[str]:
        """Update the models the batch's counts moved; the sites to re-clean."""
        return self.learning.learn() if self.learning is not None else set()
