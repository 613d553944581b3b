"""The write path decides byte for byte as it did: every row a fixed sequence of batches
leaves in the archive, against a recorded fixture.

The sequence covers new articles, exact copies on the same site (URL aliases) and on
others, near-duplicate clusters (started in an earlier batch and in the same one),
versions (edits, a paywall lifted, a teaser that keeps the story, live-blog updates),
re-captures through an alias URL, captures with WARC pointers and packed bodies, and
site-level boilerplate learned, applied and re-cleaned. The writer's own clock is the
only thing normalised: each distinct ``now`` becomes ``now#k`` in time order.

Regenerate the fixture only for an intended change of the decisions:
``WRITER_GOLDEN_REGEN=1 python -m pytest tests/archive/test_writer_golden.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.bodies import PackedBody
from archive.boilerplate import Policy
from archive.engine import create_archive_engine, upgrade_archive
from archive.minhash import signature
from archive.models import Base
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, CrawlRuns, WarcPointer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = FIXTURES / "writer_golden.json"
T0 = datetime(2024, 8, 26, 9, 0, tzinfo=UTC)
POLICY = Policy(min_site_articles=4, min_line_articles=3, min_share=0.5, keep_share=0.4)
HEADER = "Wire Example News: the latest from the harbour city"
FOOTER = "Sign up for our newsletter to get the morning briefing every day."
WORDS = [
    "council",
    "harbour",
    "bridge",
    "tram",
    "storm",
    "ferry",
    "budget",
    "school",
    "mayor",
    "police",
    "river",
    "market",
    "station",
    "museum",
    "hospital",
    "election",
    "farmers",
    "strike",
    "port",
    "railway",
    "island",
    "village",
    "coast",
    "power",
    "grid",
    "repair",
    "crews",
    "weather",
    "forecast",
    "residents",
    "officials",
    "said",
    "on",
    "monday",
]
# Columns whose values the writer takes from its clock.
CLOCK = datetime(2025, 1, 1, tzinfo=UTC)


def story(name: str) -> str:
    return (FIXTURES / "copies" / f"{name}.txt").read_text(encoding="utf-8").split("\n", 2)[2]


def filler(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(
        " ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + "." for _ in range(6)
    )


def framed(text: str) -> str:
    return f"{HEADER}\n{text}\n{FOOTER}"


def record(
    site: str,
    slug: str,
    text: str,
    n: int,
    *,
    aliases: tuple[str, ...] = (),
    paywalled: bool = False,
    live: bool = False,
    warc: bool = False,
    packed: bool = False,
    title: str | None = None,
    url: str | None = None,
) -> ArticleRecord:
    url = url or f"https://{site}/2024/08/26/{slug}/"
    body = f"<html><title>{slug}</title><body>{text}</body></html>".encode()
    return ArticleRecord(
        url=url,
        urls=[url, *aliases],
        site=site,
        text=text,
        content_hash=hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest(),
        capture=CaptureRecord(
            url=url,
            final_url=url,
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", f'"e{n}"')],
            body=b"" if packed else body,
            fetched_at=T0 + timedelta(minutes=n),
            packed=PackedBody.pack(body) if packed else None,
            warc=WarcPointer(f"crawl-{n % 3}.warc.gz", 1000 * n, 500 + n, f"<urn:{n}>")
            if warc
            else None,
        ),
        title=title or slug.replace("-", " ").title(),
        authors=[f"Writer {n % 4}"],
        published_at=T0 - timedelta(hours=n),
        modified_at=T0 + timedelta(hours=n) if n % 2 else None,
        sitename=site.split(".", maxsplit=1)[0].title(),
        description=f"About {slug}",
        language="en",
        tags=[slug.split("-", maxsplit=1)[0]],
        categories=["news"],
        image=f"https://{site}/img/{n}.jpg",
        signature=signature(text),
        paywalled=paywalled,
        live=live,
    )


def batches() -> list[list[ArticleRecord]]:
    """A deterministic sequence of batches touching every decision the writer makes."""
    n = iter(range(1000))
    wire, paper = "wire.example", "paper.example"
    names = ["port-strike-wire", "tram-wire", "storm-v1"]
    first = [record(wire, name, framed(story(name)), next(n), warc=True) for name in names]
    first += [record(wire, f"filler-{i}", framed(filler(i)), next(n)) for i in range(4)]
    second = [
        # near copies of clusters started in the first batch, and one of this batch
        record(wire, "port-strike-edited", framed(story("port-strike-edited")), next(n)),
        record(paper, "tram-edited", story("tram-edited"), next(n), packed=True),
        record(paper, "farmers", story("port-strike-farmers"), next(n)),
        record("daily.example", "farmers", story("port-strike-farmers"), next(n)),
        record(paper, "farmers-copy", story("port-strike-farmers") + " Updated.", next(n)),
        # exact copies: another site, and an alias on the same site
        record(paper, "storm-copy", framed(story("storm-v1")), next(n)),
        record(wire, "storm-alias", framed(story("storm-v1")), next(n)),
        # a new article with two URLs
        record(
            wire,
            "shopkeepers",
            framed(story("tram-shopkeepers")),
            next(n),
            aliases=("https://wire.example/amp/shopkeepers/",),
        ),
    ]
    second += [record(wire, f"filler-{i}", framed(filler(i)), next(n)) for i in range(4, 8)]
    third = [
        # versions: an edit, an unchanged re-capture, a title change
        record(wire, "storm-v1", framed(story("storm-v2")), next(n), warc=True),
        record(wire, "tram-wire", framed(story("tram-wire")), next(n)),
        record(wire, "filler-1", framed(filler(1)), next(n), title="A new headline"),
        # an exact copy, on a third site, of an article of an earlier batch
        record("daily.example", "tram", story("tram-edited"), next(n), packed=True),
        # a teaser of a stored story keeps the story; a paywalled article then lifted
        record(wire, "filler-2", framed(filler(2)[:80]), next(n), paywalled=True),
        record(paper, "locked", story("storm-v2"), next(n), paywalled=True),
        record(paper, "locked", story("storm-v2") + "\nThe full story.", next(n)),
        # a live blog's updates
        record(paper, "live", filler(100), next(n), live=True),
        record(paper, "live", filler(100) + "\n" + filler(101), next(n), live=True),
        # a re-capture through an alias URL, edited
        record(
            wire,
            "amp/shopkeepers",
            framed(story("tram-shopkeepers") + "\nShops reopen."),
            next(n),
            url="https://wire.example/amp/shopkeepers/",
        ),
    ]
    # more of the site: its boilerplate model moves, earlier articles are re-cleaned
    fourth = [record(wire, f"more-{i}", framed(filler(200 + i)), next(n)) for i in range(6)]
    fourth += [record(wire, "filler-3", framed(filler(3) + "\nA correction."), next(n))]
    return [first, second, third, fourth]


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value if value >= CLOCK else value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, memoryview):
        return _value(bytes(value))
    return value


def dump(engine: Any, results: list[list[Any]]) -> dict[str, Any]:
    tables: dict[str, list[list[Any]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if c.name not in {"hostname", "pid"}]
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(select(*columns).order_by(*order)).all()
            tables[table.name] = [[_value(v) for v in row] for row in rows]
    clock = sorted(
        {v for rows in tables.values() for row in rows for v in row if isinstance(v, datetime)}
    )
    names = {moment: f"now#{k}" for k, moment in enumerate(clock)}
    for rows in tables.values():
        for row in rows:
            row[:] = [names[v] if isinstance(v, datetime) else v for v in row]
    outcomes = [
        [[r.outcome.value, r.article_id, r.near_duplicate, r.reason, r.error] for r in batch]
        for batch in results
    ]
    # JSON-normalised, so the comparison is of what the fixture can hold
    return json.loads(json.dumps({"results": outcomes, "tables": tables}, default=_b64))


def _b64(value: Any) -> str:
    return base64.b64encode(bytes(value)).decode()


def run(db_url: str) -> dict[str, Any]:
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    try:
        writer = ArchiveWriter(engine, near_threshold=0.5, boilerplate_policy=POLICY)
        runs = CrawlRuns(engine)
        run_id = runs.start_run({"golden": True})
        results = [writer.write_batch(batch, run_id) for batch in batches()]
        writer.catch_up()
        runs.finish_run(run_id, "finished", "done", {"pages": 1}, {("wire.example", "new"): 3})
        return dump(engine, results)
    finally:
        engine.dispose()


def test_the_writer_decides_as_recorded(tmp_path):
    got = run(f"sqlite:///{tmp_path / 'archive.db'}")
    if os.environ.get("WRITER_GOLDEN_REGEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got["results"] == expected["results"]
    for name, rows in expected["tables"].items():
        assert got["tables"][name] == rows, name
    assert got == expected


def test_the_sequence_covers_every_decision(tmp_path):
    got = json.loads(GOLDEN.read_text(encoding="utf-8"))
    outcomes = {row[0] for batch in got["results"] for row in batch}
    assert outcomes == {"new", "duplicate", "updated", "unchanged"}
    articles = got["tables"]["articles"]
    duplicate_of = [c.name for c in Base.metadata.tables["articles"].c].index("duplicate_of")
    assert sum(row[duplicate_of] is not None for row in articles) >= 2  # across sites
    reasons = {row[3] for batch in got["results"] for row in batch if row[3]}
    assert reasons == {"edit", "paywall_lifted", "live_update"}
    assert any(row[2] for batch in got["results"] for row in batch)  # near duplicates
    tables = got["tables"]
    assert tables["boilerplate_lines"] and tables["near_dup_signatures"]
    assert len(tables["article_urls"]) > len(tables["articles"])
