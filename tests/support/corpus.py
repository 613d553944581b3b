"""An archive built from the fixture sites' ground truth, through the real writer.

Every article of ``tests/fixtures/sites/expected.json`` becomes an archived article
(title, paragraphs as text, metadata) whose capture is the fixture's HTML file. On top:

- aliases: each article's ``aliases`` are extra URLs of it (``/?p=123``, ``utm_``);
  the battery story was fetched through its 301 old slug (a redirect capture);
- a cross-site copy: ``copy.example`` republishes the harbour story word for word
  (``duplicate_of`` the original);
- a new version with a new page (``CHANGED``), and a re-extraction of an unchanged
  page (``REEXTRACTED``: a second capture with the same payload digest);
- a story cluster: the two rail tender stories, clustered by hand as the
  near-duplicate stage would (the writer clusters exact copies itself; every other
  article starts its own cluster).

Then a fixed timeline replaces the wall clock: each article was first seen (and last
changed) two hours after it was published, except those changed later: the new
version and the re-extraction at ``FETCHED`` + 1 day, the cluster at ``CLUSTERED``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update

from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, CrawlRuns
from tests.support.services import PG_URL, pg_schema_url

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
EXPECTED: dict[str, Any] = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
FETCHED = datetime(2024, 6, 20, 8, 0, tzinfo=UTC)

HARBOUR = "/2024/05/12/harbour-expansion-approved/"
BATTERY = "/2024/05/08/battery-recycling-plant-opens/"
CHANGED = "/2024/05/13/ceasefire-talks-resume-in-geneva/"
REEXTRACTED = "/2024/05/10/central-bank-holds-rates/"
RAIL = (
    "/stories/2024/04/rail-link-tender-delayed.html",
    "/news/transport-ministry-delays-rail-tender/",
)
CHANGED_AT = FETCHED + timedelta(days=1)
CLUSTERED = FETCHED + timedelta(days=2)
SEEN_AFTER_PUBLISHED = timedelta(hours=2)
COPY_URL = "https://copy.example/harbour-expansion-approved/"


def site_host(site: str) -> str:
    return f"{site}.example"


def url_of(site: str, path: str) -> str:
    return f"https://{site_host(site)}{path}"


def html_of(site: str, path: str) -> bytes:
    file = SITES / site / path.lstrip("/")
    if file.is_dir() or path.endswith("/"):
        file = file / "index.html"
    return file.read_bytes()


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def record_of(
    want: dict[str, Any],
    *,
    text: str | None = None,
    body: bytes | None = None,
    fetched_at: datetime = FETCHED,
    site: str | None = None,
    url: str | None = None,
) -> ArticleRecord:
    site = site or want["site"]
    url = url or url_of(site, want["path"])
    text = text if text is not None else "\n".join(want["paragraphs"])
    requested = url
    if want["path"] == BATTERY and site == "news":
        requested = url_of(site, want["aliases"][0])  # fetched through its 301 old slug
    return ArticleRecord(
        url=url,
        urls=[url, *(url_of(site, a) for a in want.get("aliases", []) if site == want["site"])],
        site=site_host(site),
        text=text,
        content_hash=content_hash(text),
        title=want["title"],
        authors=want["authors"],
        published_at=datetime.fromisoformat(want["published_at"]),
        modified_at=datetime.fromisoformat(want["modified_at"]) if want["modified_at"] else None,
        sitename=want["sitename"],
        description=want["description"],
        language=want["language"],
        tags=want["tags"],
        categories=want["categories"],
        image=(want["image"] or "").replace("{{base}}", f"https://{site_host(site)}") or None,
        capture=CaptureRecord(
            url=requested,
            final_url=url,
            status=200,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("ETag", f'"{content_hash(text)[:12]}"'),
                ("Content-Encoding", "gzip"),
                ("Content-Length", "1234"),
            ],
            body=body if body is not None else html_of(want["site"], want["path"]),
            fetched_at=fetched_at,
        ),
    )


def by_path(path: str) -> dict[str, Any]:
    return next(a for a in EXPECTED["articles"] if a["path"] == path)


@dataclass
class Corpus:
    url: str
    ids: dict[str, int]  # fixture path -> article id
    copy_id: int

    def id(self, path: str) -> int:
        return self.ids[path]


def set_timeline(conn: Any, changed: set[int]) -> None:
    for article_id, published in conn.execute(select(Article.id, Article.published_at)).all():
        seen = published + SEEN_AFTER_PUBLISHED
        conn.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(first_seen_at=seen, updated_at=CHANGED_AT if article_id in changed else seen)
        )


def build_corpus(db_url: str) -> Corpus:
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    writer, runs = ArchiveWriter(engine), CrawlRuns(engine)
    run_id = runs.start_run({"start": ["fixture"]})
    results = writer.write_batch([record_of(a) for a in EXPECTED["articles"]], run_id)
    ids = {a["path"]: r.article_id for a, r in zip(EXPECTED["articles"], results, strict=True)}
    assert all(r.outcome.value == "new" for r in results)
    harbour = by_path(HARBOUR)
    [copy] = writer.write_batch(
        [record_of(harbour, site="copy", url=COPY_URL, fetched_at=FETCHED + timedelta(hours=1))]
    )
    changed = by_path(CHANGED)
    later = FETCHED + timedelta(days=1)
    new_text = "\n".join([*changed["paragraphs"], "Update: the talks were adjourned until Friday."])
    writer.write_batch(
        [
            record_of(
                changed,
                text=new_text,
                body=html_of("news", CHANGED) + b"<!-- v2 -->",
                fetched_at=later,
            )
        ]
    )
    rates = by_path(REEXTRACTED)
    writer.write_batch(
        [record_of(rates, text="\n".join(rates["paragraphs"][:-1]), fetched_at=later)]
    )
    with engine.begin() as conn:
        set_timeline(conn, {ids[CHANGED], ids[REEXTRACTED]})
        conn.execute(
            update(Article)
            .where(Article.id == ids[RAIL[1]])
            .values(cluster_id=ids[RAIL[0]], cluster_similarity=0.82, updated_at=CLUSTERED)
        )
    runs.finish_run(run_id, "finished", "finished", {})
    engine.dispose()
    assert copy.article_id is not None
    return Corpus(db_url, ids, copy.article_id)


# A read-only corpus archive per test module and backend (tests that write use db_url).
@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def corpus(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_skip_reason: str | None,
) -> Any:
    if request.param == "sqlite":
        yield build_corpus(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'archive.db'}")
        return
    if postgres_skip_reason:
        pytest.skip(postgres_skip_reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield build_corpus(pg_schema_url(schema))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
