"""Shared fixtures: the fixture-site HTTP server, archives, and running the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from archive.engine import create_archive_engine, upgrade_archive

ROOT = Path(__file__).resolve().parent.parent
SITES_DIR = ROOT / "tests" / "fixtures" / "sites"


@dataclass
class MockServer:
    process: subprocess.Popen[str]
    port: int
    sites: dict[str, str]
    # host names of sites served under a name, with their loopback IP (hosts.json)
    dns_hosts: dict[str, str]
    # an origin by IP, for the control URLs (the test process resolves no fixture names)
    control: str

    def url(self, site: str, path: str = "/") -> str:
        return self.sites[site] + path

    def log(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.control}/__control__/log", timeout=10) as response:
            return json.load(response)

    def raw(self, site: str, path: str) -> bytes | None:
        """The exact bytes of the last response the server sent for ``path`` on ``site``."""
        query = urllib.parse.urlencode({"site": site, "path": path})
        try:
            with urllib.request.urlopen(f"{self.control}/__control__/raw?{query}", timeout=10) as r:
                return bytes(r.read())
        except urllib.error.HTTPError:
            return None

    def requests(self) -> list[tuple[str, str, int, float, float, str]]:
        """Every request served since the last reset, in the order they ended:
        (site, path, status, started, ended, user agent), times in seconds."""
        with urllib.request.urlopen(f"{self.control}/__control__/requests", timeout=10) as r:
            return [tuple(entry) for entry in json.load(r)]

    def reset(self) -> None:
        urllib.request.urlopen(f"{self.control}/__control__/reset", timeout=10).close()

    def set_state(self, name: str, value: str) -> dict[str, str]:
        """Switch the pages of a named state (see tests/mockserver.py); the states after."""
        query = urllib.parse.urlencode({"name": name, "value": value})
        with urllib.request.urlopen(f"{self.control}/__control__/state?{query}", timeout=10) as r:
            return json.load(r)

    def dns_args(self) -> list[str]:
        """The crawl options that let the crawler reach the sites served under a name."""
        return ["-s", f"DNS_HOSTS={json.dumps(self.dns_hosts)}"] if self.dns_hosts else []

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def start_mockserver(sites_dir: Path = SITES_DIR) -> MockServer:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.mockserver", "--sites", str(sites_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise RuntimeError("the mock server did not start")
    info = json.loads(line)
    return MockServer(process, info["port"], info["sites"], info["dns_hosts"], info["control"])


@pytest.fixture(scope="session", autouse=True)
def lock_files_in_the_sessions_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A crawl of an archive nobody named (``archive.db`` in its working folder) locks a
    file in the user's runtime folder, else ``~/.cache/newsarchive/locks``
    (archive/locks.py). The suite's crawls, in process or in a subprocess (``cli_env``
    copies the environment), lock theirs in a folder of the session's instead, so a test
    run leaves nothing in the user's cache."""
    folder = tmp_path_factory.mktemp("runtime")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(scope="session")
def mockserver() -> Any:
    server = start_mockserver()
    yield server
    server.process.terminate()
    server.process.wait(10)


# A crawl is polite by default (crawler/settings.py: AutoThrottle, 2 requests at once per
# host, robots.txt Crawl-delay, a back-off after a block). Fixture sites on loopback are crawled at full speed
# instead, with these settings: the one place every test and benchmark that crawls a
# fixture site takes them from (``run_cli`` adds them to each ``crawl``; the tests of the
# polite defaults themselves pass ``polite=True``). Settings a test gives its crawl
# come after these, so they win.
FIXTURE_CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "CRAWL_DELAY_MAX": "0",
    # a fixture's 429 with Retry-After: 3600 would slow the rest of its crawl to a page
    # a minute; the tests of the back-off set their own
    "BLOCK_BACKOFF_START": "0",
}


def fixture_crawl_args() -> list[str]:
    """FIXTURE_CRAWL_SETTINGS as ``newsarchive crawl`` options."""
    return [
        arg for name, value in FIXTURE_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")
    ]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NEWSARCHIVE_DB", None)
    env.update(extra)
    return env


def cli_args(*args: str, polite: bool = False) -> list[str]:
    """``newsarchive ARGS``, with FIXTURE_CRAWL_SETTINGS first for a crawl unless ``polite``."""
    if args and args[0] == "crawl" and not polite:
        return ["crawl", *fixture_crawl_args(), *args[1:]]
    return list(args)


def run_cli(
    *args: str, cwd: Path, timeout: float = 300, polite: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``newsarchive ARGS`` as a user would, in a subprocess, from ``cwd`` (a crawl
    at full speed on fixture sites unless ``polite``: see FIXTURE_CRAWL_SETTINGS)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *cli_args(*args, polite=polite)],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- archives on both backends -------------------------------------------------------

PG_URL = os.environ.get("NEWSARCHIVE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_unavailable() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'newsarchive[postgres]')"
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"no PostgreSQL at {PG_URL} ({type(exc).__name__}); set NEWSARCHIVE_TEST_PG"
    return None


@pytest.fixture(scope="session")
def postgres_skip_reason() -> str | None:
    return _postgres_unavailable()


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(postgres_skip_reason: str | None) -> Any:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    if postgres_skip_reason:
        pytest.skip(postgres_skip_reason)
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_schema_url(schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty archive URL on each backend: a SQLite file, and a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new archive at the latest migration, on each backend."""
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    yield engine
    engine.dispose()


# --- Redis ------------------------------------------------------------------------------

REDIS_URL = os.environ.get("NEWSARCHIVE_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_skip_reason() -> str | None:
    try:
        import redis
    except ImportError:
        return "redis is not installed (pip install 'newsarchive[redis]')"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"no Redis at {REDIS_URL} ({type(exc).__name__}); set NEWSARCHIVE_TEST_REDIS"
    return None


@pytest.fixture
def redis_key(redis_skip_reason: str | None) -> Any:
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    if redis_skip_reason:
        pytest.skip(redis_skip_reason)
    import uuid

    import redis

    prefix = f"newsarchive-test:{uuid.uuid4().hex[:12]}"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"{prefix}*"))
    if keys:
        server.delete(*keys)
    server.close()
