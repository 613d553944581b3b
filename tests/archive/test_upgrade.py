"""An archive made by the first release opens, after `newsarchive db upgrade`, with
nothing lost, on both backends; until then readers refuse it and say what to do."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import DateTime, LargeBinary, bindparam, text

from archive.bodies import compress_body
from archive.engine import (
    ArchiveError,
    NoArchive,
    create_archive_engine,
    current_revision,
    head_revision,
    revision_number,
    upgrade_archive,
)
from archive.models import Base
from archive.read import open_archive
from archive.search import include_object
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, Outcome
from tests.support.cli import run_cli

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 18, 0, tzinfo=UTC)

# The columns revision 0001 created, table by table.
TABLES_0001 = {
    "crawl_runs": "started_at, finished_at, status, finish_reason, args, stats, hostname, pid",
    "articles": "url, site, title, text, authors, published_at, modified_at, sitename, "
    "description, language, tags, categories, image, content_hash, version, duplicate_of, "
    "capture_id, first_seen_at, last_seen_at, updated_at",
    "article_urls": "article_id, url, first_seen_at",
    "captures": "article_id, crawl_run_id, url, final_url, status, headers, content_type, etag, "
    "last_modified, body, body_codec, body_size, payload_digest, fetched_at",
    "versions": "article_id, version, title, text, content_hash, capture_id, seen_at",
}


def insert(conn, table: str, **values) -> int:
    """Plain SQL, as an older release's writer would have left the rows."""
    names = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    types = [
        bindparam(k, type_=DateTime(timezone=True))
        for k, v in values.items()
        if isinstance(v, datetime)
    ] + [bindparam(k, type_=LargeBinary()) for k, v in values.items() if isinstance(v, bytes)]
    conn.execute(
        text(f"INSERT INTO {table} ({names}) VALUES ({params})").bindparams(*types), values
    )
    return int(conn.execute(text(f"SELECT max(id) FROM {table}")).scalar_one())


def fill_0001_archive(conn) -> None:
    js = json.dumps
    run = insert(
        conn,
        "crawl_runs",
        started_at=T0,
        finished_at=T1,
        status="finished",
        finish_reason="finished",
        args=js({"start": ["https://news.example/"]}),
        stats=js({"newsarchive/articles/new": 2}),
        hostname="old-host",
        pid=4242,
    )
    story = dict(
        site="news.example",
        sitename="News Example",
        description="A description",
        language="en",
        image=None,
        modified_at=None,
        first_seen_at=T0,
        last_seen_at=T1,
        updated_at=T1,
    )
    first = insert(
        conn,
        "articles",
        url="https://news.example/2024/05/01/harbour",
        title="Harbour reopens",
        text="The harbour reopened on Wednesday after the storm. Ferries resumed at noon.",
        authors=js(["Ann Writer", "Bo Reporter"]),
        published_at=T0,
        tags=js(["harbour", "storm"]),
        categories=js(["Local"]),
        content_hash="a" * 64,
        version=2,
        **story,
    )
    copy = insert(
        conn,
        "articles",
        url="https://mirror.example/harbour",
        title="Harbour reopens",
        text="The harbour reopened on Wednesday after the storm. Ferries resumed at noon.",
        authors=js([]),
        published_at=None,
        tags=js([]),
        categories=js([]),
        content_hash="a" * 64,
        version=1,
        duplicate_of=first,
        **{**story, "site": "mirror.example"},
    )
    for article_id, url in (
        (first, "https://news.example/2024/05/01/harbour"),
        (first, "https://news.example/harbour-amp"),
        (copy, "https://mirror.example/harbour"),
    ):
        insert(conn, "article_urls", article_id=article_id, url=url, first_seen_at=T0)
    body = b"<html><body><p>The harbour reopened \xe2\x80\x94 at last.</p></body></html>"
    capture = insert(
        conn,
        "captures",
        article_id=first,
        crawl_run_id=run,
        url="https://news.example/2024/05/01/harbour",
        final_url="https://news.example/2024/05/01/harbour",
        status=200,
        headers=js([["Content-Type", "text/html; charset=utf-8"], ["ETag", '"x1"']]),
        content_type="text/html; charset=utf-8",
        etag='"x1"',
        last_modified=None,
        body=compress_body(body),
        body_codec="zstd",
        body_size=len(body),
        payload_digest="sha1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        fetched_at=T1,
    )
    conn.execute(
        text("UPDATE articles SET capture_id = :c WHERE id = :a"), {"c": capture, "a": first}
    )
    for article_id, version, title in ((first, 1, "Harbour to reopen"), (first, 2, None)):
        insert(
            conn,
            "versions",
            article_id=article_id,
            version=version,
            title=title,
            text=f"Version {version} of the harbour story.",
            content_hash=str(version) * 64,
            capture_id=capture if version == 2 else None,
            seen_at=T0 if version == 1 else T1,
        )


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            table: [
                tuple(row)
                for row in conn.execute(text(f"SELECT id, {cols} FROM {table} ORDER BY id"))
            ]
            for table, cols in TABLES_0001.items()
        }


@pytest.mark.slow  # every migration, through the CLI in subprocesses
def test_an_archive_at_the_first_migration_upgrades_with_nothing_lost(db_url, tmp_path):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine, "0001")
    with engine.begin() as conn:
        fill_0001_archive(conn)
    before = snapshot(engine)
    assert current_revision(engine) == "0001"

    # Readers refuse it, and say how to fix it.
    with pytest.raises(ArchiveError, match=r"schema is at 0001.*run: newsarchive db upgrade"):
        open_archive(db_url)
    for command in (["export"], ["stats"]):
        refused = run_cli(*command, "--db", db_url, cwd=tmp_path)
        assert refused.returncode == 2
        assert "newsarchive db upgrade" in refused.stderr
    behind = run_cli("db", "current", "--db", db_url, cwd=tmp_path)
    assert (behind.returncode, behind.stdout.split()[0]) == (1, "0001")

    upgraded = run_cli("db", "upgrade", "--db", db_url, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgrading from 0001 to {revision_number(head_revision())}" in upgraded.stderr
    assert "upgrade 0001 ->" in upgraded.stderr  # each step is shown
    assert run_cli("db", "current", "--db", db_url, cwd=tmp_path).returncode == 0

    # Every row and value of the old schema is still there, and the schema is head's.
    assert snapshot(engine) == before
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []

    # The readers and the writer work on it: ids go on from where the old rows left them.
    with open_archive(db_url) as arc:
        articles = list(arc.articles())
    assert [a["url"] for a in articles] == [
        "https://news.example/2024/05/01/harbour",
        "https://mirror.example/harbour",
    ]
    assert articles[0]["urls"] == [
        "https://news.example/2024/05/01/harbour",
        "https://news.example/harbour-amp",
    ]
    assert articles[0]["authors"] == ["Ann Writer", "Bo Reporter"]
    assert articles[0]["published_at"] == T0
    record = ArticleRecord(
        url="https://news.example/2024/05/03/new",
        urls=["https://news.example/2024/05/03/new"],
        site="news.example",
        text="A story written after the upgrade.",
        content_hash="b" * 64,
        capture=CaptureRecord(
            url="https://news.example/2024/05/03/new",
            final_url="https://news.example/2024/05/03/new",
            status=200,
            headers=[],
            body=b"<p>new</p>",
            fetched_at=T1,
        ),
    )
    [result] = ArchiveWriter(engine).write_batch([record])
    assert result.outcome == Outcome.NEW
    assert result.article_id == max(row[0] for row in before["articles"]) + 1
    engine.dispose()


@pytest.mark.slow  # the CLI in subprocesses, every migration
def test_db_upgrade_creates_a_new_archive_and_is_idempotent(db_url, tmp_path):
    created = run_cli("db", "upgrade", "--db", db_url, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "creating the archive" in created.stderr
    again = run_cli("db", "upgrade", "--db", db_url, cwd=tmp_path)
    assert again.returncode == 0
    assert "already at" in again.stdout
    current = run_cli("db", "current", "--db", db_url, cwd=tmp_path)
    assert current.stdout.strip() == f"{revision_number(head_revision())} (latest)"


def test_db_history_lists_every_migration_oldest_first(tmp_path):
    history = run_cli("db", "history", cwd=tmp_path)
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    assert lines[0].startswith("0001  initial schema")
    assert lines[-1].startswith(revision_number(head_revision()))
    assert lines[-1].endswith("(latest)")
    assert not any("issue" in line.split()[0] for line in lines)  # ids users need not see


def test_readers_refuse_a_database_that_is_not_an_archive(db_url, tmp_path):
    with pytest.raises(NoArchive, match=r"no archive at .* \(run `newsarchive crawl` or"):
        open_archive(db_url)
    current = run_cli("db", "current", "--db", db_url, cwd=tmp_path)
    assert current.returncode == 2
    assert "no archive at" in current.stderr and "`newsarchive db upgrade`" in current.stderr
    assert list(tmp_path.iterdir()) == []  # a reader creates nothing
