"""What keeps hostile pages harmless and the archive private: pure rules, headers,
the token, the Host check, and read-only archives."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from archive.engine import ArchiveError
from archive.read import open_archive
from tests.support.webapp import client
from web.format import marked, outlink
from web.security import is_loopback, safe_href

TOKEN = "s3cret-token-of-some-length"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/a?b=1#c", "https://news.example/a?b=1#c"),
        ("http://news.example/", "http://news.example/"),
        ("  https://news.example/  ", "https://news.example/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("/relative/path", None),
        ("https:evil", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_become_links(url, expected):
    assert safe_href(url) == expected


def test_outlink_and_snippet_markup_escape_what_they_are_given():
    assert str(outlink("javascript:alert(1)")) == '<span class="url">javascript:alert(1)</span>'
    assert str(outlink('https://x.example/"><script>')) == (
        '<a class="url" href="https://x.example/&#34;&gt;&lt;script&gt;" '
        'rel="noopener noreferrer nofollow">https://x.example/&#34;&gt;&lt;script&gt;</a>'
    )
    assert str(marked("<b>a</b> \ue000harbour\ue001 x")) == (
        "&lt;b&gt;a&lt;/b&gt; <mark>harbour</mark> x"
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.5", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("news.example", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_every_response_carries_the_security_headers(newsroom):
    c = client(newsroom.arc)
    for path in ("/", "/sites", "/static/style.css", "/article/999999"):
        headers = c.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["server-timing"].startswith("app;dur=")


def test_only_the_hosts_served_are_answered(newsroom):
    """A page on another site that rebinds its name to 127.0.0.1 gets nothing."""
    c = client(newsroom.arc, allowed_hosts=["127.0.0.1", "localhost"])
    assert c.get("http://127.0.0.1/").status_code == 200
    assert c.get("http://localhost:8800/").status_code == 200
    assert c.get("http://evil.example/").status_code == 400


def test_a_token_is_needed_for_every_page_but_the_stylesheet(newsroom):
    c = client(newsroom.arc, token=TOKEN)
    refused = c.get("/")
    assert refused.status_code == 401
    assert 'name="token"' in refused.text and "archive" in refused.text
    assert "Harbour" not in refused.text
    assert c.get("/sites").status_code == 401
    assert c.get("/capture/1/raw").status_code == 401
    assert c.get("/static/style.css").status_code == 200
    assert c.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    wrong = c.post("/login", data={"token": "nope"})
    assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
    signed = c.post("/login", data={"token": TOKEN})
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert c.get("/sites").status_code == 200  # the client kept the cookie
    too_big = c.post("/login", content=b"token=" + b"x" * 10_000)
    assert too_big.status_code == 413


def test_archives_open_read_only(engine, db_url):
    """The web view cannot write: its engine refuses, on both backends."""
    engine.dispose()
    arc = open_archive(db_url)
    try:
        with pytest.raises(DBAPIError), arc.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO crawl_runs (started_at, status, args, stats) VALUES (CURRENT_TIMESTAMP, 'x', '{}', '{}')"
                )
            )
        with arc.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM crawl_runs")).scalar() == 0
    finally:
        arc.close()


def test_a_read_only_sqlite_archive_is_never_created(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        open_archive(f"sqlite:///{tmp_path / 'typo.db'}")
    assert list(tmp_path.iterdir()) == []
