"""What the writer is given and what it answers: an article and its capture, an outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archive.bodies import PackedBody
from archive.fields import METADATA, ArticleMetadata, strip_nul, without_nul
from archive.outcomes import ArticleOutcome

# What the writer did with a record: the outcome names counted as ``articles/<outcome>``,
# defined once in archive.outcomes.
Outcome = ArticleOutcome


@dataclass(frozen=True, slots=True)
class WarcPointer:
    """Where a capture's evidence is: a record of a WARC file (``offset`` and ``length``
    of its gzip member; None when unknown)."""

    file: str
    offset: int | None = None
    length: int | None = None
    record_id: str | None = None


@dataclass(slots=True)
class CaptureRecord:
    """One HTTP fetch as the crawler saw it (body already content-decoded).

    ``body`` is the raw body, or ``b""`` when ``packed`` holds it already compressed
    (a crawl's extraction workers pack it: see ``archive.bodies``)."""

    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    packed: PackedBody | None = None
    warc: WarcPointer | None = None

    def stored(self) -> PackedBody:
        """The body as the archive stores it."""
        return self.packed if self.packed is not None else PackedBody.pack(self.body)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(slots=True)
class ArticleRecord(ArticleMetadata):
    """An extracted article ready to archive. ``urls`` are normalised, ``url`` first;
    its metadata fields are :class:`archive.fields.ArticleMetadata`'s.

    ``text`` is the extraction and ``content_hash`` its hash; the writer cleans the text
    of its site's boilerplate, and the copy it stores says what it removed
    (``boilerplate``) with which model revision (``boilerplate_revision``).
    """

    url: str
    urls: list[str]
    site: str
    text: str
    content_hash: str
    capture: CaptureRecord
    # The text's MinHash (archive.neardup.signature), None to leave it out of clustering.
    signature: bytes | None = None
    boilerplate: dict[str, Any] | None = None
    boilerplate_revision: int | None = None
    # a live blog: a new text is its new updates, not an edit
    live: bool = False

    def __post_init__(self) -> None:
        self.text = strip_nul(self.text) or ""
        for name, value in without_nul(self.metadata_columns()).items():
            setattr(self, name, value)

    def metadata_columns(self) -> dict[str, Any]:
        """The article's metadata columns (:data:`archive.fields.METADATA`)."""
        return {name: getattr(self, name) for name in METADATA}


@dataclass(slots=True, frozen=True)
class WriteResult:
    outcome: Outcome
    article_id: int | None = None
    error: str | None = None
    # A new article that joined the story cluster of an earlier, similar text.
    near_duplicate: bool = False
    # Why an updated article got its new version (a VersionReason).
    reason: str | None = None
