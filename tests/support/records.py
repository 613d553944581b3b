"""Article records for the writer's tests, and counts of what they wrote."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from archive.writer import ArticleRecord, CaptureRecord

T0 = datetime(2024, 5, 12, 8, 30, tzinfo=UTC)


def record(
    url: str = "https://news.example.com/a/",
    text: str = "Story text.",
    *,
    urls: list[str] | None = None,
    site: str = "news.example.com",
    title: str = "A title",
    content_hash: str | None = None,
) -> ArticleRecord:
    body = f"<html><title>{title}</title><p>{text}</p></html>".encode()
    return ArticleRecord(
        url=url,
        urls=urls or [url],
        site=site,
        text=text,
        content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
        title=title,
        authors=["Ann Author", "Bo Writer"],
        published_at=T0,
        language="en",
        tags=["port", "city"],
        capture=CaptureRecord(
            url=url,
            final_url=url,
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", '"abc"')],
            body=body,
            fetched_at=T0 + timedelta(days=1),
        ),
    )


def count(engine, model) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)))


def outcomes(results) -> list[str]:
    return [r.outcome.value for r in results]
