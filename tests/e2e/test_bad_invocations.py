"""Careless input, careful tool: every bad invocation a user might type ends in one line
that names the problem, the exit code of the documented table, no traceback, nothing
created or changed, and quickly (each command runs under a 10 s subprocess timeout).

Each case runs ``newsarchive ARGS`` in a fresh folder holding one archive
(``{db}``: ``archive.db``, a copy of a small archive made once) and whatever the case
prepares; the folder is compared file by file before and after.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.corpus import build_corpus

pytestmark = pytest.mark.slow  # every case runs the command in a subprocess

TIMEOUT_S = 10
OK, FAILED, USAGE = 0, 1, 2


@dataclass(frozen=True)
class Bad:
    args: tuple[str, ...]
    code: int
    says: str  # a regular expression the message line must match
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None

    @property
    def id(self) -> str:
        return " ".join(self.args) or "(nothing)"


def write(name: str, content: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(content)


def folder_named(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir()


def from_a_newer_release(folder: Path) -> None:
    """The archive migrated by a release with a migration this one lacks."""
    with sqlite3.connect(folder / "archive.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    db.close()


def another_programs_database(folder: Path) -> None:
    """A SQLite file some other program made: its tables, no archive revision."""
    with sqlite3.connect(folder / "other.db") as db:
        for table in ("users", "orders"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
            db.execute(f"INSERT INTO {table} (name) VALUES ('kept')")
    db.close()


# A loopback port nothing listens on: no case below gets as far as sending a request.
CLOSED = "http://127.0.0.1:9/"
NO_ARCHIVE = r"no archive at \S+ \(run `newsarchive crawl` or `newsarchive db upgrade` first\)"

CASES = [
    # --- the command line itself ---------------------------------------------------------
    Bad((), USAGE, r"the following arguments are required: COMMAND"),
    Bad(("crawl-it",), USAGE, r"invalid choice: 'crawl-it'"),
    Bad(("stats", "--bogus"), USAGE, r"newsarchive stats: error: unrecognized arguments: --bogus"),
    Bad(("export", "--fromat", "csv"), USAGE, r"--fromat .*did you mean --format\?"),
    Bad(("search",), USAGE, r"newsarchive search: error: .*required: QUERY"),
    Bad(("db",), USAGE, r"newsarchive db: error: .*required: ACTION"),
    Bad(("db", "downgrade"), USAGE, r"invalid choice: 'downgrade'"),
    # --- archives that are not there: nothing is created ---------------------------------
    Bad(("stats", "--db", "sqlite:///typo.db"), USAGE, r"no archive at typo.db \(run `newsarchive"),
    Bad(("stats",), USAGE, r"no archive at archive.db \(run `newsarchive crawl` or `newsarchive"),
    Bad(("db", "current"), USAGE, NO_ARCHIVE),
    Bad(("search", "harbour"), USAGE, NO_ARCHIVE),
    Bad(("show", "1"), USAGE, NO_ARCHIVE),
    Bad(("export",), USAGE, NO_ARCHIVE),
    Bad(("export", "-o", "out.jsonl"), USAGE, NO_ARCHIVE),
    Bad(("reextract",), USAGE, NO_ARCHIVE),
    Bad(("stats",), USAGE, NO_ARCHIVE, env={"NEWSARCHIVE_DB": "elsewhere.db"}),
    Bad(("--db", "typo.db", "stats"), USAGE, r"no archive at typo.db"),
    Bad(("db", "--db", "typo.db", "current"), USAGE, r"no archive at typo.db"),
    # --- archive URLs as people write them -------------------------------------------------
    Bad(
        ("stats", "--db", "sqlite://typo.db"),
        USAGE,
        r"names a host, not a file: write sqlite:///typo.db",
    ),
    Bad(
        ("stats", "--db", "postgres:/news"), USAGE, r"'postgres:/news' is not a database URL: write"
    ),
    *(
        Bad(
            (*command, "--db", "postgresql://news:p@ss:w0rd@127.0.0.1:5432/news"),
            USAGE,
            r"'postgresql://news:\*\*\*@127.0.0.1:5432/news' is not a database URL: its port",
        )
        for command in (("stats",), ("db", "upgrade"), ("crawl", CLOSED))
    ),
    Bad(
        ("stats", "--db", "mysql://news@127.0.0.1/news"),
        USAGE,
        r"mysql databases are not supported",
    ),
    Bad(
        ("export", "--db", "sqlite:///no/such/folder/a.db"),
        USAGE,
        r"no archive at no/such/folder/a.db",
    ),
    Bad(("stats", "--db", ""), USAGE, r"argument --db: empty: name the archive's file or URL"),
    Bad(("crawl", "--db", "", CLOSED), USAGE, r"argument --db: empty: name the archive's file"),
    Bad(("stats", "--db", "."), USAGE, r"\. is not an archive file \(it is a folder\)"),
    Bad(
        ("stats", "--db", "notes.txt"),
        USAGE,
        r"notes.txt is not an archive \(not a SQLite file\)",
        prepare=write("notes.txt", "x" * 2000),
    ),
    *(
        Bad(
            (*command, "--db", "notes.txt"),
            USAGE,
            r"notes.txt is not an archive \(not a SQLite file\)",
            prepare=write("notes.txt", "x" * 2000),
        )
        for command in (("db", "current"), ("db", "upgrade"), ("crawl", CLOSED))
    ),
    *(
        Bad(
            (*command, "--db", "{db}"),
            USAGE,
            r"the archive's schema is at 0099, newer than this release knows \(\d{4}\): "
            r"upgrade newsarchive to use it$",
            prepare=from_a_newer_release,
        )
        for command in (("stats",), ("db", "current"), ("db", "upgrade"), ("crawl", CLOSED))
    ),
    *(
        Bad(
            (*command, "--db", "other.db"),
            USAGE,
            r"other.db holds another program's tables \(orders, users\): "
            r"not a newsarchive archive; name a new file$",
            prepare=another_programs_database,
        )
        for command in (
            ("stats",),
            ("export",),
            ("reextract",),
            ("db", "current"),
            ("db", "upgrade"),
            ("crawl", CLOSED),
        )
    ),
    Bad(
        ("crawl", "--db", "sub", "http://127.0.0.1:1/"),
        USAGE,
        r"sub is a folder: name the archive's file in it",
        prepare=folder_named("sub"),
    ),
    # --- read commands' own options ------------------------------------------------------
    Bad(
        ("search", "harbour", "--limit", "0", "--db", "{db}"),
        USAGE,
        r"argument --limit: must be at least 1, not 0",
    ),
    Bad(
        ("search", "--db", "{db}", "--", "-sport"),
        USAGE,
        r"the search '-sport' has no word to look for",
    ),
    Bad(
        ("search", "harbour", "--since", "yesterday", "--db", "{db}"),
        USAGE,
        r"--since 'yesterday' is not an ISO 8601 date",
    ),
    Bad(("show", "", "--db", "{db}"), USAGE, r"'' is neither an article id nor a URL"),
    Bad(
        ("show", "news.example/a", "--db", "{db}"),
        USAGE,
        r"'news.example/a' is neither an article id nor a URL",
    ),
    Bad(("show", "http://[::1", "--db", "{db}"), USAGE, r"'http://\[::1' is not a valid URL"),
    Bad(("show", "999999", "--db", "{db}"), FAILED, r"no article 999999 in the archive"),
    Bad(
        ("export", "--since", "last tuesday", "--db", "{db}"),
        USAGE,
        r"--since 'last tuesday' is not an ISO 8601 date",
    ),
    Bad(("export", "--format", "xml"), USAGE, r"argument --format: invalid choice: 'xml'"),
    Bad(
        ("export", "--compression", "zstd", "--db", "{db}"),
        USAGE,
        r"--compression applies to --format parquet",
    ),
    Bad(
        ("export", "--format", "parquet", "--db", "{db}"),
        USAGE,
        r"parquet export needs a regular file: give -o PATH",
    ),
    Bad(
        ("crawl", "http://127.0.0.1:1/", "--db", "{db}", "-s", "BLOCK_STOP_AFTER=-1"),
        USAGE,
        r"-s BLOCK_STOP_AFTER=-1: must be 0 or more",
    ),
    Bad(
        ("crawl", "http://127.0.0.1:1/", "--db", "{db}", "-s", 'DNS_HOSTS={"a.example": "b"}'),
        USAGE,
        r"DNS_HOSTS must map host names to IP addresses",
    ),
    Bad(("reextract", "--since", "soon", "--db", "{db}"), USAGE, r"not a date: 'soon'"),
    Bad(("extract",), USAGE, r"required: FILE"),
    Bad(
        ("stats", "--days", "0", "--db", "{db}"),
        USAGE,
        r"argument --days: must be at least 1, not 0",
    ),
    Bad(
        ("stats", "--runs", "-1", "--db", "{db}"),
        USAGE,
        r"argument --runs: must be at least 0, not -1",
    ),
    Bad(
        ("reextract", "--workers", "0", "--db", "{db}"),
        USAGE,
        r"argument --workers: must be at least 1, not 0 \(leave it out",
    ),
    Bad(
        ("extract", "missing.html"),
        FAILED,
        r"newsarchive extract: missing.html: No such file or directory",
    ),
    Bad(
        ("extract", "/bin/ls"),
        FAILED,
        r"newsarchive extract: /bin/ls: input looks binary, not HTML$",
    ),
    Bad(("import", "nothing.warc.gz"), USAGE, r"nothing.warc.gz: no such file"),
    Bad(
        ("import", "warcs"),
        USAGE,
        r"warcs: a folder \(name its files, or a pattern: warcs/\*\.warc\.gz\)$",
        prepare=folder_named("warcs"),
    ),
    Bad(("health",), USAGE, NO_ARCHIVE),
    Bad(("health", "--days", "0", "--db", "{db}"), USAGE, r"--days: must be at least 1, not 0"),
    # --- numbers too large for what they count: refused by the parser, not an overflow --------
    Bad(
        ("health", "--days", "99999999999", "--db", "{db}"),
        USAGE,
        r"argument --days: must be at most 36,525, not 99,999,999,999",
    ),
    Bad(
        ("stats", "--days", "1000000", "--db", "{db}"),
        USAGE,
        r"argument --days: must be at most 36,525",
    ),
    Bad(
        ("stats", "--runs", "99999999999999999999", "--db", "{db}"),
        USAGE,
        r"argument --runs: must be at most 9,223,372,036,854,775,807",
    ),
    Bad(
        ("search", "harbour", "--limit", "99999999999999999999", "--db", "{db}"),
        USAGE,
        r"argument --limit: must be at most 9,223,372,036,854,775,807",
    ),
    Bad(
        ("show", "99999999999999999999", "--db", "{db}"),
        FAILED,
        r"no article 99999999999999999999 in the archive",
    ),
    Bad(
        ("crawl", "--workers", "100000", CLOSED),
        USAGE,
        r"argument --workers: must be at most \d+, not 100,000",
    ),
    Bad(("serve",), USAGE, NO_ARCHIVE),
    Bad(
        ("serve", "--host", "0.0.0.0", "--db", "{db}"),
        USAGE,
        r"refusing to listen on 0\.0\.0\.0 without --token-file",
    ),
    Bad(("serve", "--port", "70000", "--db", "{db}"), USAGE, r"--port 70000 is not a port"),
    Bad(
        ("serve", "--token-file", "token.txt", "--db", "{db}"),
        USAGE,
        r"the token in token.txt is too short",
        prepare=write("token.txt", "abc\n"),
    ),
    Bad(
        ("import", "--workers", "-3", "x.warc"),
        USAGE,
        r"argument --workers: must be at least 1, not -3",
    ),
    Bad(
        ("db", "upgrade", "--db", "no/such/folder/a.db"),
        USAGE,
        r"cannot create archive 'no/such/folder/a.db': folder \S+ does not exist",
    ),
    # --- words that are not UTF-8 (a Latin-1 terminal): refused before any work; a file's
    # name may be any bytes (the export below names one)
    *(
        Bad(args, USAGE, r"caf\\udce9' is not valid UTF-8$")
        for args in (
            ("search", "caf\udce9", "--db", "{db}"),
            ("export", "--site", "caf\udce9", "--db", "{db}"),
            ("crawl", "http://127.0.0.1:1/caf\udce9"),
            ("crawl", "-s", "LOG_FILE=caf\udce9", CLOSED),
        )
    ),
    # --- crawl: every option checked before a request is sent or an archive created --------
    Bad(("crawl",), USAGE, r"newsarchive crawl: give start URLs or --sites FILE"),
    Bad(
        ("crawl", "--workers", "-3", CLOSED),
        USAGE,
        r"argument --workers: must be at least 1, not -3",
    ),
    Bad(
        ("crawl", "--workers", "0", CLOSED), USAGE, r"argument --workers: must be at least 1, not 0"
    ),
    Bad(("crawl", "--depth", "-1", CLOSED), USAGE, r"argument --depth: must be at least 0, not -1"),
    Bad(
        ("crawl", "--depth", "two", CLOSED), USAGE, r"argument --depth: 'two' is not a whole number"
    ),
    Bad(
        ("crawl", "--max-pages", "0", CLOSED),
        USAGE,
        r"argument --max-pages: must be at least 1, not 0 \(leave it out for no limit\)",
    ),
    Bad(
        ("crawl", "--revisit-days", "-1", CLOSED),
        USAGE,
        r"argument --revisit-days: must be a number of days >= 0",
    ),
    Bad(
        ("crawl", "--since", "yesterday", CLOSED),
        USAGE,
        r"--since 'yesterday' is not an ISO 8601 date",
    ),
    Bad(("crawl", "http://[::1"), USAGE, r"'http://\[::1' is not a valid URL \(Invalid IPv6 URL\)"),
    Bad(("crawl", "http://news.example:99999/"), USAGE, r"is not a valid URL \(Port out of range"),
    Bad(("crawl", "news.example.com"), USAGE, r"'news.example.com' is not an http\(s\) URL"),
    Bad(("crawl", "ftp://news.example/"), USAGE, r"is not an http\(s\) URL"),
    Bad(
        ("crawl", "-s", "DOWNLOAD_DELAY=fast", CLOSED),
        USAGE,
        r"-s DOWNLOAD_DELAY=fast: must be a number",
    ),
    Bad(
        ("crawl", "-s", "DOWNLAOD_DELAY=1", CLOSED),
        USAGE,
        r"-s DOWNLAOD_DELAY: no such setting \(did you mean DOWNLOAD_DELAY\?\)",
    ),
    Bad(
        ("crawl", "-s", "EXTRACT_WORKERS=-3", CLOSED),
        USAGE,
        r"-s EXTRACT_WORKERS=-3: must be 0 or more",
    ),
    Bad(
        ("crawl", "-s", "CONCURRENT_REQUESTS=2.5", CLOSED),
        USAGE,
        r"-s CONCURRENT_REQUESTS=2.5: must be a whole number",
    ),
    Bad(
        ("crawl", "-s", "ROBOTSTXT_OBEY=maybe", CLOSED),
        USAGE,
        r"-s ROBOTSTXT_OBEY=maybe: must be true or false",
    ),
    Bad(
        ("crawl", "-s", "NETGUARD_ALLOWED_HOSTS=[intranet", CLOSED),
        USAGE,
        r"NETGUARD_ALLOWED_HOSTS=\[intranet: not valid JSON",
    ),
    Bad(
        ("crawl", "-s", "DOWNLOAD_DELAY", CLOSED),
        USAGE,
        r"-s takes NAME=VALUE, not 'DOWNLOAD_DELAY'",
    ),
    Bad(
        ("crawl", "-s", "DEDUP_NEAR_THRESHOLD=2", CLOSED),
        USAGE,
        r"DEDUP_NEAR_THRESHOLD must be above 0 and at most 1",
    ),
    Bad(
        ("crawl", "--sites", "missing.toml"),
        USAGE,
        r"cannot read sites file missing.toml: No such file",
    ),
    Bad(
        ("crawl", "--sites", "sites.toml"),
        USAGE,
        r"site #1: unknown option\(s\) depht",
        prepare=write("sites.toml", "[[site]]\nstart = 'http://127.0.0.1:9/'\ndepht = 3\n"),
    ),
    Bad(
        ("crawl", "--sites", "sites.toml"),
        USAGE,
        r"sites.toml: .*line 1",
        prepare=write("sites.toml", "[[site]\n"),
    ),
    Bad(
        ("crawl", "--sites", "sites.toml"),
        USAGE,
        r"sites.toml: not UTF-8 text \(byte 0xe9 at offset 12\): save it as UTF-8",
        prepare=lambda folder: (folder / "sites.toml").write_bytes(b"# Sites: caf\xe9\n[[site]]\n"),
    ),
    Bad(
        ("crawl", "--warc", "no/such/warcs", CLOSED),
        USAGE,
        r"--warc no/such/warcs: folder \S+/no/such does not exist$",
    ),
    Bad(("crawl", "--redis", "notaurl", CLOSED), USAGE, r"bad Redis URL 'notaurl'"),
    Bad(
        ("crawl", "--db", "mysql://news@127.0.0.1/news", CLOSED),
        USAGE,
        r"mysql databases are not supported",
    ),
    Bad(("crawl", "--db", "sqlite://archive.db", CLOSED), USAGE, r"names a host, not a file"),
    Bad(
        ("crawl", "--db", "no/such/folder/a.db", CLOSED),
        USAGE,
        r"cannot create archive 'no/such/folder/a.db': folder",
    ),
    Bad(
        ("crawl", "--bogus", CLOSED),
        USAGE,
        r"newsarchive crawl: error: unrecognized arguments: --bogus",
    ),
    Bad(
        ("crawl", "--dpeth", "3", CLOSED),
        USAGE,
        r"unrecognized arguments: --dpeth \(did you mean --depth\?\)",
    ),
    # --- export's output: decided before any work -----------------------------------------
    Bad(
        ("export", "-o", ".", "--db", "{db}"),
        USAGE,
        r"cannot write \.: it is a folder \(name a file in it\)",
    ),
    Bad(
        ("export", "-o", "no/such/folder/a.jsonl", "--db", "{db}"),
        USAGE,
        r"folder \S+/no/such/folder does not exist",
    ),
    Bad(
        ("export", "-o", "", "--db", "{db}"),
        USAGE,
        r"cannot write '': an empty name \(name a file, or - for stdout\)",
    ),
    Bad(
        ("export", "-o", "archive.db", "--db", "{db}"),
        USAGE,
        r"-o archive.db is the archive itself",
    ),
    Bad(
        ("export", "-o", "/dev/fd/97", "--db", "{db}"),
        USAGE,
        r"cannot write /dev/fd/97: descriptor 97 is not open",
    ),
]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path: its kind and, for a file, a digest of
    its bytes (SQLite's ``-wal``/``-shm`` companions included: a reader removes them)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        kind = "dir" if path.is_dir() else "file"
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if kind == "file" else ""
        files[str(path.relative_to(folder))] = f"{kind} {digest}"
    return files


def message_lines(stderr: str) -> list[str]:
    """stderr without argparse's usage block (``usage:`` and its indented lines)."""
    lines = stderr.splitlines()
    if lines and lines[0].startswith("usage:"):
        lines = lines[1:]
        while lines and lines[0].startswith(" "):
            lines = lines[1:]
    return lines


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "archive.db"
    build_corpus(f"sqlite:///{path}")
    return path


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_invocation_says_what_is_wrong_and_changes_nothing(
    case: Bad, tmp_path: Path, small_archive: Path
) -> None:
    args = [arg.replace("{db}", "archive.db") for arg in case.args]
    if "{db}" in case.args:
        shutil.copy(small_archive, tmp_path / "archive.db")
    if case.prepare:
        case.prepare(tmp_path)
    before = snapshot(tmp_path)
    result = run_cli(*args, cwd=tmp_path, timeout=TIMEOUT_S, **case.env)
    assert "Traceback" not in result.stderr, result.stderr
    lines = message_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert re.search(case.says, lines[0]), lines[0]
    assert result.returncode == case.code, result.stderr
    assert snapshot(tmp_path) == before


def test_the_table_covers_every_command() -> None:
    from crawler.cli import COMMANDS

    assert len(CASES) >= 40
    assert {case.args[0] for case in CASES if case.args} >= set(COMMANDS)
