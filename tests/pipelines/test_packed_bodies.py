"""Capture bodies are packed (zstd, size, SHA-1) in the extraction worker, not the crawler.

The crawler process then queues ~30 KiB per article for the archive writer instead of
the raw page until its batch commits; the archive must hold the same bytes either way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from archive.bodies import PackedBody, decompress_body, payload_digest
from archive.models import Capture
from archive.writer import ArchiveWriter
from crawler.items import PageItem
from pipelines.store import to_record
from pipelines.worker import extract_page
from tests.support.cli import SITES_DIR

ARTICLE = SITES_DIR / "iria/2024/03/what-a-new-undersea-cable-means-for-the-straits/index.html"
URL = "http://127.0.0.1/2024/03/what-a-new-undersea-cable-means-for-the-straits/"


def test_the_worker_packs_the_body_of_a_page_it_extracted():
    html = ARTICLE.read_bytes()

    packed = extract_page(html, "utf-8", URL, pack_body=True)
    plain = extract_page(html, "utf-8", URL)

    assert packed.extracted is not None and packed.extracted == plain.extracted
    assert packed.body is not None and plain.body is None
    assert packed.body.unpack() == html and len(packed.body.data) < len(html) // 2
    assert (packed.body.size, packed.body.digest) == (len(html), payload_digest(html))


def test_a_refused_page_is_not_packed():
    result = extract_page(b"\x00\x01\x02binary" * 100, None, URL, pack_body=True)

    assert result.refusal is not None and result.body is None


def page_item(html: bytes, packed: PackedBody | None) -> PageItem:
    item = PageItem(
        url=URL,
        final_url=URL,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=html,
        encoding="utf-8",
        fetched_at=datetime(2024, 3, 5, tzinfo=UTC),
        site="127.0.0.1",
        source="test",
    )
    result = extract_page(html, "utf-8", URL)
    item.extracted, item.signature, item.packed_body = result.extracted, result.signature, packed
    item.urls, item.content_hash = [URL], "0" * 64
    return item


def test_the_writer_gets_the_packed_body_and_stores_the_same_capture(engine):
    html = ARTICLE.read_bytes()
    packed = PackedBody.pack(html)

    record = to_record(page_item(html, packed))
    raw = to_record(page_item(html, None))

    assert record.capture.body == b"" and record.capture.stored() is packed
    assert raw.capture.body == html and raw.capture.stored() == packed
    writer = ArchiveWriter(engine)
    writer.write_batch([record])
    with engine.connect() as conn:
        capture = conn.execute(select(Capture)).one()
    assert decompress_body(capture.body, capture.body_codec) == html
    assert (capture.body_size, capture.payload_digest) == (len(html), payload_digest(html))
