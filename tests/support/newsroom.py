"""Archives for the web view and ``newsarchive health``, written by the real writer.

``build_newsroom``: the fixture sites' stories spread over seven sites, on a time line
ending at ``now``:

- harbour.example is healthy: articles every few days, boilerplate the writer learns
  from them (a masthead line on top, a newsletter line at the bottom), one story edited
  twice (a figure corrected, a paragraph added and the title changed), and crawls of
  the last days that found new articles;
- its harbour story is republished: word for word on copy.example (a duplicate), with
  a new intro and a trimmed end on wire.example (a near-duplicate): a story cluster
  on three sites;
- quiet.example is silent: articles until 12 days ago, then crawls whose pages are
  all too short to be stories;
- flaky.example is failing: its latest crawls time out and answer 503;
- walled.example is blocked: 403s and challenge pages;
- frozen.example is stale: every page its listings name is one we have, unchanged.

``build_hostile``: what a hostile site can put in an archive: markup and script in
titles, texts, metadata, URLs, boilerplate lines and crawl arguments; unicode of
every direction; a text of 300,000 words in two versions; a raw capture that is a
page with a script.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from archive.engine import create_archive_engine, upgrade_archive
from archive.minhash import signature
from archive.models import Article, ArticleUrl, Capture, CrawlRun, Version
from archive.text import content_hash
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, CrawlRuns
from tests.support.corpus import EXPECTED

MASTHEAD = "The Daily Ledger · Independent local news since 1901"
NEWSLETTER = "Sign up for the Ledger's morning briefing, delivered before 7am."
HEALTHY, SILENT, FAILING, BLOCKED, STALE = (
    "harbour.example",
    "quiet.example",
    "flaky.example",
    "walled.example",
    "frozen.example",
)
COPY_SITE, WIRE_SITE = "copy.example", "wire.example"
XSS_TITLE = "<script>alert(1)</script>"
WARC_FILE = "warcs/newsarchive-20260101000000-00001-harbour.example.warc.gz"


@dataclass
class Newsroom:
    url: str
    now: datetime
    ids: dict[str, int] = field(default_factory=dict)  # name -> article id

    @property
    def edited(self) -> int:
        return self.ids["edited"]

    @property
    def harbour(self) -> int:
        return self.ids["harbour"]


def stories(source: str) -> list[dict[str, Any]]:
    return [a for a in EXPECTED["articles"] if a["site"] == source]


def record(
    site: str,
    story: dict[str, Any],
    slug: str,
    *,
    text: str | None = None,
    title: str | None = None,
    fetched_at: datetime,
    body: bytes | None = None,
    image: str | None = None,
    final_url: str | None = None,
    sign: bool = True,
    published: datetime | None = None,
) -> ArticleRecord:
    url = f"https://{site}/news/{slug}/"
    text = text if text is not None else "\n".join(story["paragraphs"])
    title = title if title is not None else story["title"]
    page = (
        body if body is not None else f"<html><title>{title}</title><p>{text}</p></html>".encode()
    )
    return ArticleRecord(
        url=url,
        urls=[url, f"https://{site}/?p={int(hashlib.md5(slug.encode()).hexdigest()[:6], 16)}"],
        site=site,
        text=text,
        content_hash=content_hash(text),
        title=title,
        authors=story["authors"],
        published_at=published or fetched_at - timedelta(hours=2),
        sitename=story["sitename"],
        description=story["description"],
        language=story["language"],
        tags=story["tags"],
        categories=story["categories"],
        image=image if image is not None else f"https://{site}/images/{slug}.jpg",
        capture=CaptureRecord(
            url=url,
            final_url=final_url or url,
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", f'"{slug}"')],
            body=page,
            fetched_at=fetched_at,
        ),
        signature=signature(text) if sign else None,
    )


def _slug(story: dict[str, Any]) -> str:
    return story["path"].strip("/").rsplit("/", 1)[-1].removesuffix(".html")


class _Builder:
    """Writes records and runs, then moves every timestamp onto the fixture's time line."""

    def __init__(self, url: str, now: datetime) -> None:
        self.engine = create_archive_engine(url)
        upgrade_archive(self.engine)
        self.writer = ArchiveWriter(self.engine)
        self.now = now
        self.seen: dict[int, datetime] = {}
        self.version_times: list[tuple[int, int, datetime]] = []

    def write(self, rec: ArticleRecord, *, version: int = 1) -> int:
        [result] = self.writer.write_batch([rec])
        assert result.article_id is not None, result
        self.seen.setdefault(result.article_id, rec.capture.fetched_at)
        self.version_times.append((result.article_id, version, rec.capture.fetched_at))
        return result.article_id

    def run(
        self, started: datetime, outcomes: dict[tuple[str, str], int], status: str = "finished"
    ) -> int:
        run_id = CrawlRuns(self.engine).start_run(
            {"start": sorted({f"https://{s}/" for s, _ in outcomes})}
        )
        stats = {}
        for (_site, outcome), n in outcomes.items():
            key = f"newsarchive/{outcome}"
            stats[key] = stats.get(key, 0) + n
        stats["downloader/response_count"] = sum(outcomes.values())
        CrawlRuns(self.engine).finish_run(run_id, status, status, stats, outcomes)
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(started_at=started, finished_at=started + timedelta(minutes=7))
            )
        return run_id

    def finish(self) -> None:
        self.writer.catch_up()
        with self.engine.begin() as conn:
            for article_id, seen in self.seen.items():
                last = max(t for a, _v, t in self.version_times if a == article_id)
                conn.execute(
                    update(Article)
                    .where(Article.id == article_id)
                    .values(first_seen_at=seen, last_seen_at=last, updated_at=last)
                )
                conn.execute(
                    update(ArticleUrl)
                    .where(ArticleUrl.article_id == article_id)
                    .values(first_seen_at=seen)
                )
            for article_id, version, when in self.version_times:
                conn.execute(
                    update(Version)
                    .where(Version.article_id == article_id, Version.version == version)
                    .values(seen_at=when)
                )
        self.engine.dispose()


def build_newsroom(url: str, now: datetime) -> Newsroom:
    room = Newsroom(url, now)
    b = _Builder(url, now)
    day = timedelta(days=1)
    ledger = stories("news")[:8]
    for index, story in enumerate(ledger):
        text = "\n".join([MASTHEAD, *story["paragraphs"], NEWSLETTER])
        when = now - (24 - 3 * index) * day
        article_id = b.write(record(HEALTHY, story, _slug(story), text=text, fetched_at=when))
        room.ids[_slug(story)] = article_id
    room.ids["harbour"] = room.ids[_slug(ledger[0])]
    _wire_copy_of_edited(b, room, ledger[2], now)
    _edits(b, room, ledger[2], now)
    _copies(b, room, ledger[0], now)
    for index, story in enumerate(stories("wire")[:4]):
        b.write(record(WIRE_SITE, story, _slug(story), fetched_at=now - (15 - 4 * index) * day))
    for index, story in enumerate(stories("daily") + stories("blog")[:2]):
        b.write(record(SILENT, story, _slug(story), fetched_at=now - (30 - 3 * index) * day))
    for index, story in enumerate(stories("iria")[:4]):
        b.write(record(FAILING, story, _slug(story), fetched_at=now - (20 - 3 * index) * day))
    plugin = stories("plugin")
    for index, story in enumerate(plugin[:3]):
        b.write(record(BLOCKED, story, _slug(story), fetched_at=now - (18 - 4 * index) * day))
    for index, story in enumerate(plugin[3:7]):
        b.write(record(STALE, story, _slug(story), fetched_at=now - (16 - 4 * index) * day))
    _runs(b, now)
    b.finish()
    engine = create_archive_engine(url)
    with engine.begin() as conn:  # the harbour story's capture is in a WARC file
        conn.execute(
            update(Capture)
            .where(Capture.article_id == room.harbour)
            .values(warc_file=WARC_FILE, warc_offset=48_213, warc_length=9_876)
        )
    engine.dispose()
    return room


def _edits(b: _Builder, room: Newsroom, story: dict[str, Any], now: datetime) -> None:
    """Two later versions of one Ledger story: a figure corrected, then a paragraph
    added and the title changed."""
    slug = _slug(story)
    paragraphs = list(story["paragraphs"])
    first = paragraphs[0]
    corrected = first.replace("three months", "four months", 1)
    if corrected == first:
        corrected = first.replace(" the ", " the revised ", 1)
    paragraphs[0] = corrected
    v2 = "\n".join([MASTHEAD, *paragraphs, NEWSLETTER])
    published = now - timedelta(days=18, hours=2)  # as the first version said
    b.write(
        record(
            HEALTHY, story, slug, text=v2, fetched_at=now - timedelta(days=3), published=published
        ),
        version=2,
    )
    paragraphs.append(
        "Update: the mediators said on Thursday evening that both delegations had agreed "
        "to meet again next week."
    )
    v3 = "\n".join([MASTHEAD, *paragraphs, NEWSLETTER])
    title = story["title"].replace("resume", "resume and move forward", 1)
    room.ids["edited"] = b.write(
        record(
            HEALTHY,
            story,
            slug,
            text=v3,
            title=title,
            fetched_at=now - timedelta(days=1),
            published=published,
        ),
        version=3,
    )


def _copies(b: _Builder, room: Newsroom, story: dict[str, Any], now: datetime) -> None:
    """The harbour story word for word on copy.example, and rewritten at both ends on
    wire.example."""
    day = timedelta(days=1)
    text = "\n".join(story["paragraphs"])
    room.ids["copy"] = b.write(
        record(COPY_SITE, story, "harbour", text=text, fetched_at=now - 23 * day)
    )
    wire = "\n".join(
        [
            "KELSPORT (Wire) - Port officials gave the green light to a vast terminal project.",
            *story["paragraphs"][:-1],
        ]
    )
    room.ids["wire"] = b.write(
        record(WIRE_SITE, story, "kelsport-port-expansion", text=wire, fetched_at=now - 22 * day)
    )


def _wire_copy_of_edited(b: _Builder, room: Newsroom, story: dict[str, Any], now: datetime) -> None:
    """The edited story as the wire ran it the day after, with its own first line."""
    text = "\n".join(
        ["GENEVA (Wire) - Talks between the two sides restarted.", *story["paragraphs"]]
    )
    room.ids["wire_edited"] = b.write(
        record(
            WIRE_SITE,
            story,
            "geneva-talks",
            text=text,
            title="Geneva talks restart after a three-month pause",
            fetched_at=now - 17 * timedelta(days=1),
        )
    )


def add_script_title(url: str, now: datetime) -> int:
    """One article whose stored title is a script tag (on a site of its own, long ago)."""
    b = _Builder(url, now)
    story = stories("news")[8]
    article_id = b.write(
        record(
            "evil.example", story, "xss", title=XSS_TITLE, fetched_at=now - 60 * timedelta(days=1)
        )
    )
    b.finish()
    return article_id


def _runs(b: _Builder, now: datetime) -> None:
    hour = timedelta(hours=1)
    old = now - 9 * timedelta(days=1)
    b.run(old, {(s, "articles/new"): 2 for s in (HEALTHY, SILENT, FAILING, BLOCKED, STALE)})
    for started in (now - 50 * hour, now - 26 * hour, now - 2 * hour):
        b.run(
            started,
            {
                (HEALTHY, "articles/new"): 2,
                (HEALTHY, "articles/unchanged"): 6,
                (HEALTHY, "skipped/listing"): 3,
                (WIRE_SITE, "articles/new"): 1,
                (SILENT, "skipped/too_short"): 9,
                (SILENT, "skipped/listing"): 2,
                (FAILING, "failed/timeout"): 7,
                (FAILING, "failed/http_503"): 4,
                (FAILING, "articles/unchanged"): 2,
                (BLOCKED, "failed/http_403"): 6,
                (BLOCKED, "blocked/challenge"): 3,
                (STALE, "skipped/listed_unchanged"): 11,
                (STALE, "articles/unchanged"): 3,
                (STALE, "skipped/listing"): 2,
            },
            status="interrupted" if started == now - 26 * hour else "finished",
        )


# --- a hostile archive ---------------------------------------------------------------------

HOSTILE_SITE = "evil.example"
LONG_WORDS = 300_000


def build_hostile(url: str, now: datetime) -> dict[str, int]:
    """Markup, script and odd text everywhere a site's data reaches a page."""
    b = _Builder(url, now)
    base = stories("news")[0]
    day = timedelta(days=1)
    ids: dict[str, int] = {}
    hostile = {
        **base,
        "authors": ['<img src=x onerror="alert(2)">'],
        "description": '"><script>alert(3)</script>',
        "tags": ["<b>tag</b>"],
        "categories": ["javascript:alert(4)"],
        "sitename": "<i>Evil</i>",
    }
    ids["script_title"] = b.write(
        record(
            HOSTILE_SITE,
            hostile,
            "script",
            title=XSS_TITLE,
            text='<script>alert(5)</script>\n<a href="javascript:alert(6)">click</a>\n'
            + "\n".join(base["paragraphs"]),
            image="javascript:alert(7)",
            final_url="javascript:alert(8)",
            body=b"<html><body><script>alert(9)</script><h1>raw</h1></body></html>",
            fetched_at=now - 2 * day,
        )
    )
    unicode_text = (
        "Ünïcödé \u202e reversed \u202c text, 中文新闻, עברית, العربية, 🗞️ emoji, zero\u200bwidth.\n"
        + "\n".join(base["paragraphs"][1:])
    )
    ids["unicode"] = b.write(
        record(
            "ünïcödé.example",
            base,
            "unicode",
            title="Ünïcödé \u2013 中文标题 \u2013 עברית \u2013 🗞️ <b>bold?</b>",
            text=unicode_text,
            fetched_at=now - day,
        )
    )
    words = " ".join(f"word{i % 977}" for i in range(LONG_WORDS))
    long_v1 = "\n".join([words, *(f"line {i} of a very long text" for i in range(3000))])
    long_title = "A title that goes on " * 150
    ids["long"] = b.write(
        record(
            HOSTILE_SITE,
            base,
            "long",
            title=long_title,
            text=long_v1,
            fetched_at=now - 3 * day,
            sign=False,
        )
    )
    long_v2 = long_v1.replace("word5 ", "changed5 ", 1).replace("line 7 ", "line seven ", 1)
    b.write(
        record(
            HOSTILE_SITE,
            base,
            "long",
            title=long_title,
            text=long_v2,
            fetched_at=now - day,
            sign=False,
        ),
        version=2,
    )
    b.run(
        now - day,
        {
            (HOSTILE_SITE, "skipped/<script>alert(10)</script>"): 1,
            (HOSTILE_SITE, "articles/new"): 2,
            ('x"><script>alert(11)</script>', "failed/http_403"): 4,
        },
    )
    b.finish()
    engine = create_archive_engine(url)
    with engine.begin() as conn:
        conn.execute(
            update(Article)
            .where(Article.id == ids["script_title"])
            .values(boilerplate={"head": ["<script>alert(12)</script>"], "tail": ["</p><p>tail"]})
        )
        conn.execute(
            update(CrawlRun).values(args={"start": ["javascript:alert(13)", "<b>start</b>"]})
        )
        conn.execute(
            update(Capture)
            .where(Capture.article_id == ids["script_title"])
            .values(content_type="text/html; charset=<script>")
        )
    engine.dispose()
    return ids
