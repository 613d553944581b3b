"""The article's fields, declared once.

The metadata an extraction states and the archive stores is :class:`ArticleMetadata`: the
extraction's carriers (``pipelines.extraction.model.PageFacts``, so ``Extracted`` and
``PageMeta``) and the archive's record (``archive.writer.ArticleRecord``) extend it, and
:data:`METADATA` names its fields (what the store stage and both halves of ``reextract``
copy). Every other field list derives from :data:`FIELDS`: the fields the read API and
every export give, in their order (:data:`ARTICLE_FIELDS`), with each kind's subset.
Adding a metadata field is one line in :class:`ArticleMetadata`, one here in
:data:`FIELDS`, and its column (a migration); ``tests/archive/test_fields.py`` checks
they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a field's value is held: what a reader converts and an export types."""

    TEXT = "text"
    LIST = "list"  # of strings (JSON in SQLite, an array in PostgreSQL)
    TIME = "time"  # an aware UTC datetime
    BOOL = "bool"
    NUMBER = "number"


@dataclass(slots=True, kw_only=True)
class ArticleMetadata:
    """What an extraction states about an article, as the archive stores it: overwritten
    by a fresh extraction. Every field may be empty."""

    sitename: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    # the page declared its content not free to read: the text may be a teaser
    paywalled: bool = False


# What an extraction states about the article, as the archive stores it.
METADATA = tuple(f.name for f in dataclass_fields(ArticleMetadata))


@dataclass(frozen=True, slots=True)
class Field:
    """One field: its name, its kind, and whether it is a column of ``articles``
    (``urls`` lives in its own table)."""

    name: str
    kind: Kind = Kind.TEXT
    column: bool = True


# In the order the read API and the exports give them.
FIELDS: tuple[Field, ...] = (
    Field("id", Kind.NUMBER),
    Field("url"),
    Field("urls", Kind.LIST, column=False),
    Field("site"),
    Field("sitename"),
    Field("title"),
    Field("text"),
    Field("authors", Kind.LIST),
    Field("published_at", Kind.TIME),
    Field("modified_at", Kind.TIME),
    Field("language"),
    Field("tags", Kind.LIST),
    Field("categories", Kind.LIST),
    Field("description"),
    Field("image"),
    Field("content_hash"),
    Field("version", Kind.NUMBER),
    Field("paywalled", Kind.BOOL),
    Field("duplicate_of", Kind.NUMBER),
    Field("cluster_id", Kind.NUMBER),
    Field("cluster_similarity", Kind.NUMBER),
    Field("first_seen_at", Kind.TIME),
    Field("last_seen_at", Kind.TIME),
    Field("updated_at", Kind.TIME),
)

ARTICLE_FIELDS = tuple(f.name for f in FIELDS)
TIMESTAMP_FIELDS = tuple(f.name for f in FIELDS if f.kind is Kind.TIME)
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind is Kind.LIST)
BOOL_FIELDS = tuple(f.name for f in FIELDS if f.kind is Kind.BOOL)
# Lists stored in a column of ``articles`` (as JSON on SQLite).
JSON_LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind is Kind.LIST and f.column)
# Columns of ``articles`` the read API selects.
STORED_FIELDS = tuple(f.name for f in FIELDS if f.column)
# An article in a list of them (a search hit, a page of the web view's list).
LISTED_FIELDS = ("id", "url", "site", "title", "published_at", "first_seen_at")
_METADATA_LISTS = frozenset(f.name for f in FIELDS if f.name in METADATA and f.kind is Kind.LIST)


def metadata_of(source: object) -> dict[str, Any]:
    """The metadata fields of an extraction (or of any object holding them), lists copied."""
    values = {name: getattr(source, name) for name in METADATA}
    for name in _METADATA_LISTS:
        values[name] = list(values[name])
    return values


MAX_LANGUAGE_CHARS = 64
_LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*$")


def language_code(tag: str | None) -> str | None:
    """The ``language`` field's form: a language tag ("en-US", "de_DE", "FR") reduced to
    its ISO 639-1 code ("en", "de", "fr"); None for what is no such tag. The extraction
    stores it so, and a reader's filter asks in it."""
    if not tag:
        return None
    match = _LANGUAGE_TAG.match(tag[:MAX_LANGUAGE_CHARS].split(",")[0].strip())
    return match.group(1).lower() if match else None


def strip_nul(value: str | None) -> str | None:
    """``value`` without NUL characters: PostgreSQL text cannot hold them, no page means one."""
    return value.replace("\x00", "") if value else value


def without_nul(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with NUL characters removed from every string and list of strings."""
    for name, value in metadata.items():
        if isinstance(value, str):
            metadata[name] = strip_nul(value)
        elif isinstance(value, list):
            metadata[name] = [v.replace("\x00", "") for v in value]
    return metadata
