"""The item that flows through the pipelines: one fetched HTML page.

A spider fills the fetch fields; each pipeline stage fills its own fields below
them. The stages live downstream in ``pipelines/``, so their results are typed
loosely here (``Any``) to keep the crawler free of their imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True, eq=False)
class PageItem:
    # fetch (spider)
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    encoding: str | None
    fetched_at: datetime
    site: str
    source: str
    depth: int = 0
    crawl_config: str | None = None
    # the WARC record of this fetch: its WARC-Record-ID (a crawl with WARC_DIR, or an
    # import), and for an import the file it came from, its offset and length
    warc_record: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    # what a news sitemap or feed said of the page: title, published (ISO 8601),
    # language, keywords; the article's metadata where the page itself says nothing
    listing: dict[str, Any] | None = None
    # other URLs of the page: the AMP or mobile copies that led to it
    aliases: list[str] = field(default_factory=list)
    # extract stage: a pipelines.extraction.Extracted, the MinHash of its text and the
    # body as the archive stores it (an archive.bodies.PackedBody, made by the worker)
    extracted: Any = None
    signature: bytes | None = None
    packed_body: Any = None
    # classify stage
    verdict: str | None = None
    # dedupe stage: a normalised URL for each way the page was reached, primary first
    urls: list[str] = field(default_factory=list)
    content_hash: str | None = None

    def __repr__(self) -> str:
        # Dropped items are logged; never dump the body into the log.
        return f"<PageItem {self.status} {self.final_url} ({len(self.body)} bytes)>"

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)
