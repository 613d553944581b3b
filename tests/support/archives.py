"""What an archive holds, read while or after a crawl writes it."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from archive.engine import create_archive_engine
from archive.models import Article, CrawlRun, Version
from archive.read import open_archive


def tails(logs: list[Path]) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)


def archived_paths(db_url: str, origin: str) -> list[str]:
    with open_archive(db_url) as arc:
        return [a["url"].removeprefix(origin) for a in arc.articles()]


def table_counts(db_url: str) -> tuple[int, int]:
    engine = create_archive_engine(db_url, write=False)
    with engine.connect() as conn:
        articles = conn.scalar(select(func.count()).select_from(Article))
        versions = conn.scalar(select(func.count()).select_from(Version))
    engine.dispose()
    return int(articles or 0), int(versions or 0)


def crawl_run_stats(db_url: str) -> dict[int, dict]:
    """Each crawl run's status and stats, by the process id that ran it."""
    engine = create_archive_engine(db_url, write=False)
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlRun.pid, CrawlRun.status, CrawlRun.stats)).all()
    engine.dispose()
    return {pid: {"status": status, **(stats or {})} for pid, status, stats in rows}


def wait_for_articles(db_url: str, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            count = table_counts(db_url)[0]
        except Exception:
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.2)
    raise AssertionError(f"fewer than {at_least} articles archived after {timeout} s")
