"""The article's fields are declared once (archive/fields.py); every list derives from it."""

from __future__ import annotations

import typing
from dataclasses import fields
from datetime import UTC, datetime

from archive.fields import (
    ARTICLE_FIELDS,
    FIELDS,
    METADATA,
    STORED_FIELDS,
    ArticleMetadata,
    Kind,
    metadata_of,
)
from archive.models import Article, Version
from archive.read import ArticleDict
from archive.reextract import Fresh
from archive.writer import ArticleRecord
from crawler.cli.reextract import fresh_from
from crawler.items import PageItem
from pipelines.extraction.metadata import PageMeta
from pipelines.extraction.model import Extracted
from pipelines.store import to_record

WHEN = datetime(2024, 5, 12, 8, 30, tzinfo=UTC)


def extraction() -> Extracted:
    return Extracted(
        url="http://127.0.0.1/a",
        title="Bridge\x00 reopens",
        text="The bridge\x00 reopened today.",
        authors=["Ann\x00 Lee"],
        published_at=WHEN,
        modified_at=WHEN,
        sitename="The\x00 Gazette",
        description="A\x00 bridge",
        language="en",
        categories=["Local\x00"],
        tags=["bridges", "tr\x00affic"],
        image="http://127.0.0.1/a.jpg",
        paywalled=True,
    )


def test_every_carrier_holds_every_metadata_field():
    for carrier in (Extracted, ArticleRecord, PageMeta):
        assert issubclass(carrier, ArticleMetadata), carrier  # declared once, there
        names = {f.name for f in fields(carrier)}
        assert set(METADATA) <= names, carrier


def test_the_metadata_declaration_and_the_field_list_agree():
    """Each metadata field is in FIELDS, of the kind its declared type says."""
    kinds = {f.name: f.kind for f in FIELDS}
    hints = typing.get_type_hints(ArticleMetadata)
    expected = {list[str]: Kind.LIST, datetime | None: Kind.TIME, bool: Kind.BOOL}
    for name in METADATA:
        assert kinds[name] == expected.get(hints[name], Kind.TEXT), name
    assert set(METADATA) <= set(Article.__table__.c.keys())
    assert set(STORED_FIELDS) <= set(Article.__table__.c.keys())
    assert {"title", "modified_at", "paywalled"} <= set(Version.__table__.c.keys())


def test_the_read_api_gives_the_declared_fields():
    declared = [name for name in typing.get_type_hints(ArticleDict) if name in ARTICLE_FIELDS]
    assert tuple(declared) == ARTICLE_FIELDS


def test_store_and_reextract_copy_the_same_metadata_without_nul():
    doc = extraction()
    item = PageItem(
        url="http://127.0.0.1/a",
        final_url="http://127.0.0.1/a",
        status=200,
        headers=[],
        body=b"<html></html>",
        encoding="utf-8",
        fetched_at=WHEN,
        site="127.0.0.1",
        source="test",
    )
    item.extracted = doc
    item.urls = [doc.url]
    item.content_hash = "0" * 64
    stored = to_record(item).metadata_columns()
    fresh = fresh_from(1, doc)
    assert isinstance(fresh, Fresh)
    assert stored == fresh.metadata
    assert list(stored) == list(METADATA)
    assert stored["title"] == "Bridge reopens"
    assert stored["tags"] == ["bridges", "traffic"]
    assert stored["paywalled"] is True
    assert fresh.text == to_record(item).text == "The bridge reopened today."
    assert metadata_of(doc)["authors"] is not doc.authors
