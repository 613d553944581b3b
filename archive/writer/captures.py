"""Captures: each fetch of an article, its body stored compressed, its WARC record named."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from archive.models import Capture
from archive.writer.records import ArticleRecord, WarcPointer

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# The new ids come back with the article they belong to, not in the rows' order (see
# archive.writer.transaction).
INSERT_CAPTURES = insert(Capture).returning(Capture.id, Capture.article_id)


def warc_columns(warc: WarcPointer | None) -> dict[str, Any]:
    return {
        "warc_file": warc.file if warc else None,
        "warc_offset": warc.offset if warc else None,
        "warc_length": warc.length if warc else None,
        "warc_record_id": warc.record_id if warc else None,
    }


def capture_row(article_id: int, record: ArticleRecord, run_id: int | None) -> dict[str, Any]:
    capture = record.capture
    body = capture.stored()
    return {
        "article_id": article_id,
        "crawl_run_id": run_id,
        "url": capture.url,
        "final_url": capture.final_url,
        "status": capture.status,
        "headers": [list(pair) for pair in capture.headers],
        "content_type": capture.header("Content-Type"),
        "etag": capture.header("ETag"),
        "last_modified": capture.header("Last-Modified"),
        "body": body.data,
        "body_codec": body.codec,
        "body_size": body.size,
        "payload_digest": body.digest,
        "fetched_at": capture.fetched_at,
        **warc_columns(capture.warc),
    }


def insert_capture(
    conn: Connection, article_id: int, record: ArticleRecord, run_id: int | None
) -> int:
    rows = [capture_row(article_id, record, run_id)]
    return int(conn.execute(INSERT_CAPTURES, rows).scalar_one())
