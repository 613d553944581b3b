"""Security (issue cases 13-16), end to end against the hostile server.

Every address in these tests is a loopback one. ``internal`` (127.0.0.99) stands for a
private service: it is not a start host, so the crawler must never contact it, and its
log says whether it did. Private, link-local and public ranges are tested as a pure
function in tests/crawler/test_netguard.py, never with traffic.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.cli import ROOT, run_cli
from tests.support.hostile import DATE, Crawl, HostileServer, run_crawl
from tests.support.hostile_server import SQL_TITLE, TRAVERSAL_TITLE

pytestmark = pytest.mark.slow


HEADERS = {
    "Authorization": "Bearer AUTH-SECRET",
    "Cookie": "manual=COOKIE-SECRET",
    "Proxy-Authorization": "Basic PROXY-SECRET",
}


@dataclass
class SecureCrawl:
    crawl: Crawl
    server: HostileServer
    log: list[dict[str, Any]]
    tmp: Path

    def headers_seen(self, host: str, path: str) -> dict[str, str]:
        [request] = [r for r in self.log if r["host"] == host and r["path"] == path]
        return dict(request["headers"])


@pytest.fixture(scope="module")
def secure(hostile, tmp_path_factory) -> SecureCrawl:
    """One crawl of a feed and a page full of links and redirects to where the crawler
    must not go, with credentials configured for every request. Redirect scope is off so
    that every hop reaches the network guard; the ``other`` host is allowed."""
    hostile.reset()
    port = hostile.port
    internal = hostile.url("/secret/", host="internal")
    feed = hostile.listed(
        "feed",
        f"{internal}feed/",
        f"http://localhost:{port}/feed/",
        f"http://0x7f000063:{port}/feed-hex/",  # 127.0.0.99 in hex
        "file:///etc/passwd",
        "ftp://127.0.0.99/feed/",
    )
    links = hostile.links(
        hostile.redirect(f"{internal}redirect/"),
        hostile.redirect(f"http://0x7f000063:{port}/redirect-hex/"),
        hostile.redirect("file:///etc/passwd"),
        hostile.redirect("data:text/html,<p>hello</p>"),
        hostile.redirect("ftp://127.0.0.99/file"),
        "/refresh/?url=" + f"{internal}refresh/",
        hostile.redirect(hostile.url(f"{DATE}landed-h1/", host="other")),
        hostile.redirect(f"{DATE}samehost-h1/"),
        f"{DATE}sql-q1/",
        f"{DATE}story-s1/",
    )
    tmp = tmp_path_factory.mktemp("secure")
    crawl = run_crawl(
        tmp,
        feed,
        links,
        settings={
            "CRAWL_REDIRECTS_IN_SCOPE": "false",
            "NETGUARD_ALLOWED_HOSTS": '["127.0.0.21"]',
            "DEFAULT_REQUEST_HEADERS": json.dumps(HEADERS),
        },
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    return SecureCrawl(crawl, hostile, hostile.log(), tmp)


def test_links_and_redirects_to_internal_addresses_are_refused(secure):
    """Case 13: a feed the user named lists an internal host, ``localhost`` and the
    internal address in hex; pages redirect and meta-refresh to the internal host and to
    ``file:``, ``data:`` and ``ftp:`` URLs. Nothing reaches the internal host, nothing
    non-HTTP is fetched, each refusal is recorded."""
    assert [r for r in secure.log if r["host"] == "internal"] == []
    stats = secure.crawl.stats
    # feed: internal, localhost, hex; redirects: internal, hex; meta refresh: internal
    assert stats["newsarchive/skipped/blocked_address"] == 6
    assert stats["newsarchive/skipped/blocked_scheme"] == 3  # file:, data:, ftp: redirects
    assert stats["newsarchive/skipped/out_of_scope"] == 2  # file: and ftp: feed entries
    assert "is a loopback address (127.0.0.99), not a start URL's host" in secure.crawl.stderr
    stored = {a["url"] for a in secure.crawl.archive.articles()}
    assert secure.server.url(f"{DATE}story-s1/") in stored
    assert not any("127.0.0.99" in url or "0x7f" in url for url in stored)


def test_a_host_the_user_named_as_a_start_may_be_internal(server, tmp_path):
    """Case 13: the same redirect to the internal host is followed when the user gave
    that host as a start URL (an intranet news site is a legitimate crawl)."""
    internal_start = server.url("/start/", host="internal")
    links = server.links(server.redirect(server.url("/redirect/", host="internal")))
    crawl = run_crawl(
        tmp_path, links, internal_start, settings={"CRAWL_REDIRECTS_IN_SCOPE": "false"}
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    paths = {r["path"] for r in server.requests("internal")}
    assert {"/start/", "/redirect/"} <= paths
    assert "newsarchive/skipped/blocked_address" not in crawl.stats


def _landed(server, host: str, path: str) -> dict[str, str]:
    [request] = server.requests(host, path)
    return dict(request["headers"])


def test_credentials_never_follow_a_redirect_to_another_host(secure):
    """Case 14: Authorization, Cookie and Proxy-Authorization set for every request
    (DEFAULT_REQUEST_HEADERS) reach the start host, through a same-host redirect too,
    and never the other host a redirect leads to."""
    same = secure.headers_seen("site", f"{DATE}samehost-h1/")
    assert same["authorization"] == "Bearer AUTH-SECRET"
    assert same["cookie"] == "manual=COOKIE-SECRET"
    landed = secure.headers_seen("other", f"{DATE}landed-h1/")
    assert not {"authorization", "cookie", "proxy-authorization"} & set(landed)
    # without a proxy, Proxy-Authorization is never sent anywhere
    assert not any("proxy-authorization" in r["headers"] for r in secure.log)
    stored = {a["url"] for a in secure.crawl.archive.articles()}
    assert secure.server.url(f"{DATE}landed-h1/", host="other") in stored


def test_cookies_a_site_sets_never_follow_a_redirect_to_another_host(server, tmp_path):
    """Case 14, with cookies on: the session cookie a site sets goes back to that site,
    also through a redirect, and not to the host another redirect leads to."""
    other = server.url(f"{DATE}landed-k1/", host="other")
    links = server.links(server.redirect(other), server.redirect(f"{DATE}samehost-k1/"))
    crawl = run_crawl(
        tmp_path,
        server.url(f"{DATE}cookie-k1/"),
        links,
        settings={
            "COOKIES_ENABLED": "true",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "1",  # the cookie page first, then the links
            "CRAWL_REDIRECTS_IN_SCOPE": "false",
            "NETGUARD_ALLOWED_HOSTS": '["127.0.0.21"]',
        },
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "session=COOKIE-SECRET" in _landed(server, "site", f"{DATE}samehost-k1/")["cookie"]
    assert "cookie" not in _landed(server, "other", f"{DATE}landed-k1/")


def test_hostile_titles_are_stored_verbatim_through_bound_parameters(secure):
    """Case 15: a page titled ``'); DROP TABLE articles;--`` (with quotes, backslashes,
    ``%s``, ``:name`` and ``{0}``) is stored and exported exactly as written."""
    archive = secure.crawl.archive
    titles = {a["url"]: a["title"] for a in archive.articles()}
    assert titles[secure.server.url(f"{DATE}sql-q1/")] == SQL_TITLE
    assert len(titles) == 4
    tables = {r["name"] for r in archive.query("SELECT name FROM sqlite_master")}
    assert {"articles", "article_urls", "captures", "versions", "crawl_runs"} <= tables
    exported = run_cli("export", "--db", archive.url, cwd=secure.tmp)
    assert exported.returncode == 0, exported.stderr
    assert SQL_TITLE in {json.loads(line)["title"] for line in exported.stdout.splitlines()}


# SQL text built at run time from values: f-strings, % or .format() passed to these.
_SQL_CALLS = {"text", "exec_driver_sql", "execute", "executescript"}


def _dynamic_sql_calls(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        first = node.args[0]
        built = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod | ast.Add)
        )
        formatted = isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format"
        if name in _SQL_CALLS and (built or formatted):
            lines.append(node.lineno)
    return lines


def test_no_sql_is_built_from_strings_in_the_code():
    """Case 15: statements are SQLAlchemy constructs with bound parameters; the only SQL
    text built at run time is SQLite PRAGMAs from integer settings in archive/engine.py."""
    allowed = {("archive/engine.py", "PRAGMA")}
    found = []
    for folder in ("archive", "crawler", "pipelines"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for line in _dynamic_sql_calls(ast.parse(source)):
                rel = str(path.relative_to(ROOT))
                code = source.splitlines()[line - 1]
                if not any(rel == f and word in code for f, word in allowed):
                    found.append(f"{rel}:{line}: {code.strip()}")
    assert found == []


_ALLOWED_FILES = re.compile(
    # the crawl lock's name comes from a hash of the start URLs (archive/locks.py)
    r"^(archive\.db(-wal|-shm|-journal|\.crawl-[0-9a-f]{16}\.lock)?|out\.jsonl|"
    r"job/(requests\.seen|spider\.state|requests\.queue/[\w.-]+))$"
)


def test_files_written_are_named_from_arguments_never_from_scraped_text(server, tmp_path):
    """Case 16: a crawl with a job directory (JOBDIR) and an export, of pages whose titles
    and URLs hold path traversals: every file written is the archive, the export or
    Scrapy's job files, named by the user's arguments; nothing lands elsewhere, not even
    in the home directory."""
    work = tmp_path / "work"
    home = tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = {"HOME": str(home), "XDG_STATE_HOME": str(home / "state"), "TMPDIR": str(home)}
    pwned = Path("/tmp/pwned")
    existed = pwned.exists()
    traversal = f"{DATE}story-..%2F..%2F..%2Ftmp%2Fpwned/"
    crawl = run_crawl(
        work,
        server.links(f"{DATE}traversal-p1/", traversal),
        settings={"JOBDIR": "job"},
        env=env,
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    titles = [a["title"] for a in crawl.archive.articles()]
    assert TRAVERSAL_TITLE.replace("\x00", "") in titles
    exported = run_cli("export", "--db", crawl.archive.url, "-o", "out.jsonl", cwd=work, **env)
    assert exported.returncode == 0, exported.stderr
    written = sorted(str(path.relative_to(work)) for path in work.rglob("*") if path.is_file())
    assert written and all(_ALLOWED_FILES.match(name) for name in written), written
    assert [p for p in home.rglob("*") if p.is_file()] == []
    assert pwned.exists() == existed
    assert not any("pwned" in str(p) or "evil" in str(p) for p in tmp_path.rglob("*"))
    assert os.path.basename(urlsplit(traversal).path.rstrip("/")) not in written
