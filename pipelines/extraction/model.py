"""Result types of the extraction stage."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from archive.outcomes import SkipReason


class ExtractionError(Exception):
    """The input cannot be parsed as HTML at all (empty, binary, not markup)."""


@dataclass(slots=True)
class Extracted:
    """What one HTML page yields: the story text, its metadata and page-type signals."""

    url: str | None
    title: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    sitename: str | None = None
    description: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str | None = None
    og_type: str | None = None
    jsonld_types: list[str] = field(default_factory=list)
    link_density: float = 0.0
    word_count: int = 0
    # the page declares its content not free to read: the text may be a teaser
    paywalled: bool = False
    # counts of the page's structure (metadata.page_signals) weighed by pagetype.py
    signals: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict; datetimes become ISO 8601 strings, lists are copied."""
        result: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, list | dict):
                value = value.copy()
            result[item.name] = value
        return result


@dataclass(slots=True, frozen=True)
class Verdict:
    """Whether a page is an article worth archiving, with a short machine-friendly reason."""

    is_article: bool
    reason: str
    # why a page is no article, as its outcome names it (``skipped/<skip>``)
    skip: SkipReason | None = None

    @classmethod
    def skipped(cls, skip: SkipReason) -> Verdict:
        return cls(False, f"skip:{skip}", skip)
