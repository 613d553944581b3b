"""The copies fixture's stories (tests/fixtures/copies) as article records."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from archive import neardup
from archive.writer import ArticleRecord, CaptureRecord

COPIES = Path(__file__).resolve().parent.parent / "fixtures" / "copies"


T0 = datetime(2024, 8, 26, 9, 0, tzinfo=UTC)


def story(name: str) -> str:
    """A fixture story's text, without its title line."""
    return COPIES.joinpath(f"{name}.txt").read_text(encoding="utf-8").split("\n", 2)[2]


def record(site: str, slug: str, text: str) -> ArticleRecord:
    url = f"https://{site}/2024/08/26/{slug}/"
    return ArticleRecord(
        url=url,
        urls=[url],
        site=site,
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        title=slug,
        capture=CaptureRecord(url, url, 200, [], text.encode(), T0),
        signature=neardup.signature(text),
    )
