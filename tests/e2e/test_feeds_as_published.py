"""End to end through the CLI: feeds and sitemaps written as publishers write them.

A crawl of an RSS feed in ISO-8859-1 whose links carry a bare ``&`` in their query and
whose titles use HTML's ``&nbsp;``, an Atom feed whose links are relative to its
``xml:base``, and a sitemap with a bare ``&`` in a ``<loc>``: the pages fetched are the
ones the listings name, and a listing's title stands in for a page that states none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.read import open_archive
from tests.support.cli import MockServer, run_cli, start_mockserver
from tests.support.wildsites import page, words_story, write

pytestmark = pytest.mark.slow

RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Caf\xe9&nbsp;Courant</title>
<item><title>Harbour&nbsp;wall &amp; caf\xe9 &rsquo;saved&rsquo;</title>
<link>{{base}}/story/harbour?id=1&section=city</link></item>
<item><title>Ferry</title><link><![CDATA[{{base}}/story/ferry?id=2&section=city]]></link></item>
</channel></rss>
"""
ATOM = """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{{base}}/news/">
<title>Courant</title>
<entry><title>Bridge</title><link href="bridge.html"/></entry>
</feed>
"""
SITEMAP = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{{base}}/story/market?id=3&amp;page=1&section=city</loc></url>
</urlset>
"""


@pytest.fixture(scope="module")
def courant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    root = tmp_path_factory.mktemp("courant")
    (root / "hosts.json").write_text(json.dumps({"courant": "127.0.0.84"}), encoding="utf-8")
    write(root, "courant", "/robots.txt", "User-agent: *\nAllow: /\n")
    write(root, "courant", "/feed.xml", RSS.encode("latin-1"))
    write(root, "courant", "/atom.xml", ATOM)
    write(root, "courant", "/sitemap.xml", SITEMAP)
    # the harbour story's page states no title: the feed's is the only one
    write(root, "courant", "/story/harbour", page(None, words_story("courant-harbour")[1]))
    for name, path in (("ferry", "/story/ferry"), ("bridge", "/news/bridge.html")):
        title, paragraphs = words_story(f"courant-{name}")
        write(root, "courant", path, page(title, paragraphs))
    title, paragraphs = words_story("courant-market")
    write(root, "courant", "/story/market", page(title, paragraphs))
    server = start_mockserver(root)
    yield server
    server.stop()


def test_feed_and_sitemap_entries_are_fetched_as_listed(courant: MockServer, tmp_path: Path):
    starts = [courant.url("courant", path) for path in ("/feed.xml", "/atom.xml", "/sitemap.xml")]
    result = run_cli("crawl", *starts, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    requested = {path for _, path, *_ in courant.requests()}
    assert {
        "/story/harbour?id=1&section=city",
        "/story/ferry?id=2&section=city",
        "/news/bridge.html",
        "/story/market?id=3&page=1&section=city",
    } <= requested
    with open_archive(f"sqlite:///{tmp_path / 'archive.db'}") as arc:
        titles = {row["url"]: row["title"] for row in arc.articles()}
    harbour = courant.url("courant", "/story/harbour?id=1&section=city")
    assert titles[harbour] == "Harbour\xa0wall & caf\xe9 \u2019saved\u2019"
    assert courant.url("courant", "/news/bridge.html") in titles
    assert len(titles) == 4
