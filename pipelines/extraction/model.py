"""Result types of the extraction stage."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from archive.fields import ArticleMetadata
from archive.outcomes import SkipReason


class ExtractionError(Exception):
    """The input cannot be parsed as HTML at all (empty, binary, not markup)."""


@dataclass(slots=True, kw_only=True)
class PageFacts(ArticleMetadata):
    """What a page states about its story, read from its markup; every field may be empty.

    Declared once for both carriers: the markup's metadata (``metadata.PageMeta``) and
    the extraction's result (:class:`Extracted`). What the archive stores of them is
    ``archive.fields.ArticleMetadata``'s fields; the ones below steer the extraction.
    """

    canonical_url: str | None = None
    og_type: str | None = None
    jsonld_types: list[str] = field(default_factory=list)
    # counts of the page's structure (metadata.page_signals) weighed by pagetype.py
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Extracted(PageFacts):
    """What one HTML page yields: the story text, its metadata and page-type signals."""

    url: str | None
    text: str = ""
    link_density: float = 0.0
    word_count: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict, led by the URL, title and text; datetimes become
        ISO 8601 strings, lists are copied."""
        result: dict[str, Any] = dict.fromkeys(("url", "title", "text"))
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
