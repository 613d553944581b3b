"""The hostile server, crawls run as a user runs them (in a subprocess), and their archives."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from tests.support.cli import FIXTURE_CRAWL_SETTINGS, ROOT, cli_env

DATE = "/2024/05/12/"
# Settings that keep crawls of the hostile server short: the fixture sites' full speed,
# one extraction worker, timeouts of a second or two, one retry after a tenth of a
# second, quick archive flushes.
FAST = {
    **FIXTURE_CRAWL_SETTINGS,
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "RETRY_BACKOFF_BASE": "0.1",
    "EXTRACT_TIMEOUT": "5",
    "PROGRESS_INTERVAL": "0",
    "ARCHIVE_FLUSH_INTERVAL": "0.2",
}


@dataclass
class HostileServer:
    process: subprocess.Popen[str]
    port: int
    hosts: dict[str, str]

    def url(self, path: str, host: str = "site") -> str:
        return self.hosts[host] + path

    def links(self, *targets: str, host: str = "site") -> str:
        """A start URL: a listing page on ``host`` linking to each target."""
        return self.url("/links/?" + "&".join(f"to={quote(t, safe='')}" for t in targets), host)

    def listed(self, kind: str, *targets: str) -> str:
        """A feed (``kind="feed"``) or sitemap listing the targets (absolute URLs allowed)."""
        return self.url(f"/{kind}/?" + "&".join(f"to={quote(t, safe='')}" for t in targets))

    def redirect(self, target: str) -> str:
        return "/redirect/?url=" + quote(target, safe="")

    def _control(self, action: str, **params: Any) -> dict[str, Any]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        url = self.url(f"/__control__/{action}?{query}")
        with urllib.request.urlopen(url, timeout=10) as response:
            return dict(json.load(response))

    def reset(self) -> None:
        self._control("reset")

    def set(self, **switches: Any) -> None:
        self._control("set", **switches)

    def log(self) -> list[dict[str, Any]]:
        return list(self._control("log")["log"])

    def requests(self, host: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """Requests the server saw, on ``host`` and whose path starts with ``path``."""
        return [
            r
            for r in self.log()
            if (host is None or r["host"] == host) and (path is None or r["path"].startswith(path))
        ]


@pytest.fixture(scope="session")
def hostile() -> Any:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hostile_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise RuntimeError("the hostile server did not start")
    info = json.loads(line)
    yield HostileServer(process, info["port"], info["hosts"])
    process.terminate()
    process.wait(10)


@pytest.fixture
def server(hostile: HostileServer) -> HostileServer:
    """The hostile server with an empty log and its switches off."""
    hostile.reset()
    return hostile


# --- crawls --------------------------------------------------------------------------


@dataclass
class Archive:
    """A SQLite archive a test crawled into, read with plain SQL."""

    url: str

    def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return [dict(row._mapping) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def articles(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM articles ORDER BY url")

    def runs(self) -> list[dict[str, Any]]:
        rows = self.query("SELECT * FROM crawl_runs ORDER BY id")
        for row in rows:
            row["stats"] = json.loads(row["stats"]) if row["stats"] else {}
        return rows

    def stats(self) -> dict[str, Any]:
        """The last crawl run's stats."""
        return dict(self.runs()[-1]["stats"])

    def count(self, table: str) -> int:
        return int(self.query(f"SELECT count(*) AS n FROM {table}")[0]["n"])

    def integrity(self) -> str:
        return str(self.query("PRAGMA integrity_check")[0]["integrity_check"])

    def snapshot(self) -> dict[str, Any]:
        """Everything a crawl decides, without ids and times: two crawls of the same
        pages must give equal snapshots."""
        return {
            "articles": sorted(
                (a["url"], a["site"], a["title"], a["text"], a["content_hash"], a["version"])
                for a in self.query("SELECT * FROM articles")
            ),
            "urls": sorted(
                (u["url"], u["article_url"])
                for u in self.query(
                    "SELECT article_urls.url, articles.url AS article_url FROM article_urls "
                    "JOIN articles ON articles.id = article_urls.article_id"
                )
            ),
            "versions": sorted(
                (v["url"], v["version"], v["content_hash"])
                for v in self.query(
                    "SELECT articles.url, versions.version, versions.content_hash FROM versions "
                    "JOIN articles ON articles.id = versions.article_id"
                )
            ),
            "captures": sorted(
                (c["url"], c["n"])
                for c in self.query(
                    "SELECT articles.url, count(*) AS n FROM captures "
                    "JOIN articles ON articles.id = captures.article_id GROUP BY articles.url"
                )
            ),
        }


@dataclass
class Crawl:
    returncode: int
    stderr: str
    archive: Archive
    elapsed: float
    maxrss_kib: int = 0

    @property
    def stats(self) -> dict[str, Any]:
        return self.archive.stats()


def crawl_command(
    *starts: str, db: str, settings: dict[str, str] | None = None, extra: tuple[str, ...] = ()
) -> list[str]:
    options = [
        item
        for name, value in {**FAST, **(settings or {})}.items()
        for item in ("-s", f"{name}={value}")
    ]
    return [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        *starts,
        "--db",
        db,
        "--workers",
        "1",
        *options,
        *extra,
    ]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def run_crawl(
    cwd: Path,
    *starts: str,
    db: str | None = None,
    settings: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> Crawl:
    """Run ``newsarchive crawl`` in a subprocess and wait for it; its peak memory too."""
    db = db or sqlite_url(cwd / "archive.db")
    started = time.monotonic()
    with (
        tempfile.TemporaryFile(mode="w+", encoding="utf-8") as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        peak_file = Path(scratch, "maxrss_kib")
        # Through a small launcher: a child's peak RSS starts from its parent's (see
        # tests/support/peak_rss.py), and pytest's own can be far above a crawl's.
        launcher = [sys.executable, "-m", "tests.support.peak_rss", str(peak_file), "--"]
        process = subprocess.Popen(
            [*launcher, *crawl_command(*starts, db=db, settings=settings, extra=extra)],
            cwd=cwd,
            env=cli_env(**(env or {})),
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, kill_group, (process.pid,))
        timer.start()
        process.wait()
        timer.cancel()
        kill_group(process.pid)
        err.seek(0)
        stderr = err.read()
        maxrss_kib = int(peak_file.read_text()) if peak_file.exists() else 0
    if time.monotonic() - started >= timeout:
        raise TimeoutError(f"the crawl ran past {timeout} s:\n{stderr[-3000:]}")
    return Crawl(process.returncode, stderr, Archive(db), time.monotonic() - started, maxrss_kib)


def kill_group(pgid: int) -> None:
    """Kill what is left of a crawl's process group (orphaned workers, if any)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
