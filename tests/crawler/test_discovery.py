"""Recognising starts, parsing sitemaps, feeds and robots.txt: pure functions over bytes."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from crawler.discovery import (
    Entry,
    Kind,
    amp_links,
    copy_of,
    html_links,
    is_amp_page,
    is_feed_type,
    is_media_url,
    maybe_gunzip,
    parse_feed,
    parse_sitemap,
    sitemaps_in_robots,
    sniff_kind,
)

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://n.example/a/</loc><lastmod>2024-05-12T08:30:00+02:00</lastmod></url>
  <url><loc> https://n.example/b/ </loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://n.example/s1.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap>
</sitemapindex>"""

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
<item><title>A</title><link>https://n.example/a/</link><pubDate>Sun, 12 May 2024 08:30:00 +0200</pubDate></item>
<item><title>B</title><guid isPermaLink="true">https://n.example/b/</guid></item>
<item><title>C</title><guid isPermaLink="false">tag:n.example,2024:c</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="self" href="https://n.example/atom.xml"/>
<entry><title>A</title><link rel="alternate" href="https://n.example/a/"/>
<link rel="replies" href="https://n.example/a/#comments"/>
<published>2024-05-12T06:30:00Z</published><updated>2024-05-13T06:30:00Z</updated></entry>
<entry><title>B</title><link href="https://n.example/b/"/><updated>2024-05-14T00:00:00Z</updated></entry>
</feed>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><item><link>https://n.example/&xxe;&b;</link></item></channel></rss>"""


def test_a_feed_link_is_known_by_its_media_type_whatever_its_parameters() -> None:
    """``<link rel="alternate" type=...>`` as home pages write it: parameters and case
    vary; an HTML alternate (a translation) or no type announces no feed."""
    for value in (
        "application/rss+xml",
        "application/rss+xml; charset=utf-8",
        " Application/Atom+XML ;charset=UTF-8",
        "application/feed+json",
    ):
        assert is_feed_type(value), value
    for value in ("text/html", "text/html; charset=utf-8", "", None, "application/xml"):
        assert not is_feed_type(value), value


def test_sniff_kind_reads_the_first_element_not_the_content_type() -> None:
    assert sniff_kind(SITEMAP, "text/html") is Kind.SITEMAP
    assert sniff_kind(INDEX) is Kind.SITEMAP_INDEX
    assert sniff_kind(RSS, "text/xml") is Kind.RSS
    assert sniff_kind(ATOM) is Kind.ATOM
    assert sniff_kind(b"<!doctype html><html><body>x</body></html>") is Kind.HTML
    assert sniff_kind(b"<div>fragment</div>", "text/html; charset=utf-8") is Kind.HTML
    assert sniff_kind(b"%PDF-1.7 ...", "application/pdf") is Kind.OTHER


def test_sitemap_entries_with_lastmod_in_utc() -> None:
    kind, entries = parse_sitemap(SITEMAP)
    assert kind is Kind.SITEMAP
    assert [e.url for e in entries] == ["https://n.example/a/", "https://n.example/b/"]
    assert entries[0].date == datetime(2024, 5, 12, 6, 30, tzinfo=UTC)
    assert entries[1].date is None


def test_sitemap_index_and_gzip_child() -> None:
    kind, entries = parse_sitemap(maybe_gunzip(gzip.compress(INDEX)))
    assert kind is Kind.SITEMAP_INDEX
    assert entries[0].url == "https://n.example/s1.xml.gz"
    assert entries[0].date == datetime(2024, 5, 1, tzinfo=UTC)


def test_rss_links_guids_and_dates() -> None:
    entries = parse_feed(RSS)
    assert [e.url for e in entries] == ["https://n.example/a/", "https://n.example/b/"]
    assert entries[0].date == datetime(2024, 5, 12, 6, 30, tzinfo=UTC)


def test_atom_alternate_links_and_published_date() -> None:
    entries = parse_feed(ATOM)
    assert [e.url for e in entries] == ["https://n.example/a/", "https://n.example/b/"]
    assert entries[0].date == datetime(2024, 5, 12, 6, 30, tzinfo=UTC)
    assert entries[1].date == datetime(2024, 5, 14, tzinfo=UTC)


def test_feed_entities_are_never_expanded_nor_files_read() -> None:
    for entry in parse_feed(XXE):
        assert "root:" not in entry.url and "aaaa" not in entry.url


def test_garbage_gives_no_entries() -> None:
    assert parse_feed(b"\x00\x01 not xml") == []
    assert parse_sitemap(b"")[1] == []


def test_robots_sitemaps() -> None:
    robots = "User-agent: *\nDisallow: /private/\nSitemap: https://n.example/sitemap.xml\nsitemap:https://n.example/news.xml\n"
    assert sitemaps_in_robots(robots) == [
        "https://n.example/sitemap.xml",
        "https://n.example/news.xml",
    ]


def test_html_links_are_absolute_in_page_order_and_follow_base_href():
    page = (
        b"<html><head><base href='/section/'></head><body>"
        b"<a href='story.html'>a</a><!-- <a href='/commented-out'>x</a> -->"
        b"<map><area href=' /maps/1 '></map><a>no href</a>"
        b"<a href='https://other.example/x?a=1&amp;b=2'>b</a></body></html>"
    )
    assert html_links(page, "utf-8", "https://n.example/home/") == [
        "https://n.example/section/story.html",
        "https://n.example/maps/1",
        "https://other.example/x?a=1&b=2",
    ]


def test_html_links_decode_with_the_page_encoding_and_survive_bad_input():
    latin = '<html><body><a href="/caf\xe9/">x</a></body></html>'.encode("cp1252")
    assert html_links(latin, "cp1252", "https://n.example/") == ["https://n.example/café/"]
    xml_declared = b'<?xml version="1.0" encoding="utf-8"?><html><a href="/a">a</a></html>'
    assert html_links(xml_declared, "utf-8", "https://n.example/") == ["https://n.example/a"]
    assert html_links(b"", "utf-8", "https://n.example/") == []
    assert html_links(b"\xff\xfe\x00garbage", "utf-8", "https://n.example/") == []


# --- sitemaps as publishers write them, Google News sitemaps -----------------------------

NEWS_SITEMAP = (
    b"\xef\xbb\xbf\n  \n"
    b"""<?xml version="1.0" encoding="UTF-8"?>
<URLSET xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <Url>
    <LOC>https://n.example/harbour/</LOC>
    <news:news><news:publication><news:name>N</news:name>
      <news:language>de</news:language></news:publication>
      <news:publication_date>2024-09-02T06:30:00+02:00</news:publication_date>
      <news:title>Kr&#228;ne &amp; Hafen</news:title>
      <news:keywords>harbour, cranes , </news:keywords></news:news>
    <image:image><image:loc>https://n.example/harbour/photo/</image:loc></image:image>
  </Url>
  <url><loc>https://n.example/old/</loc><LastMod>2019-03-01</LastMod></url>
</URLSET>"""
)

JSON_FEED = b"""\xef\xbb\xbf {
  "version": "https://jsonfeed.org/version/1.1", "title": "N", "language": "en-GB",
  "items": [
    {"id": "1", "url": "https://n.example/a/", "title": "A", "tags": ["x", 3, " y "],
     "date_published": "2024-05-12T08:30:00+02:00", "date_modified": "2024-05-13T08:00:00Z"},
    {"id": "2", "url": "https://n.example/b/", "external_url": "https://elsewhere.example/b"},
    {"id": "3", "external_url": "https://n.example/c/", "language": "fr"},
    {"id": "4", "content_text": "no link"},
    "not an item"
  ]
}"""


def test_a_news_sitemap_written_carelessly_gives_its_entries_and_what_it_says_of_them():
    kind, entries = parse_sitemap(NEWS_SITEMAP)
    assert kind is Kind.SITEMAP
    assert sniff_kind(NEWS_SITEMAP) is Kind.SITEMAP
    harbour, old = entries
    assert harbour == Entry(
        "https://n.example/harbour/",
        published=datetime(2024, 9, 2, 4, 30, tzinfo=UTC),
        title="Kr\u00e4ne & Hafen",
        language="de",
        keywords=("harbour", "cranes"),
    )
    assert harbour.newest == harbour.published
    assert harbour.listing() == {
        "title": "Kr\u00e4ne & Hafen",
        "language": "de",
        "published": "2024-09-02T04:30:00+00:00",
        "keywords": ["harbour", "cranes"],
    }
    assert old == Entry("https://n.example/old/", datetime(2019, 3, 1, tzinfo=UTC))
    assert old.listing() == {}


def test_a_sitemap_without_its_namespace_still_parses_and_nothing_else_does():
    bare = b"<urlset><url><loc>https://n.example/a/</loc></url></urlset>"
    assert parse_sitemap(bare) == (Kind.SITEMAP, [Entry("https://n.example/a/")])
    assert parse_sitemap(b"<html><body>no</body></html>") == (Kind.OTHER, [])
    assert parse_sitemap(b"") == (Kind.OTHER, [])


def test_media_files_are_not_pages():
    assert is_media_url("https://n.example/media/photo.JPG")
    assert is_media_url("https://n.example/v/clip.mp4?x=1")
    assert not is_media_url("https://n.example/2024/05/photo-of-the-day/")


def test_a_json_feed_gives_its_items():
    assert sniff_kind(JSON_FEED, "application/json") is Kind.JSON_FEED
    assert sniff_kind(b'{"not": "a feed"}') is Kind.OTHER
    a, b, c = parse_feed(JSON_FEED)
    assert a == Entry(
        "https://n.example/a/",
        datetime(2024, 5, 13, 8, 0, tzinfo=UTC),
        published=datetime(2024, 5, 12, 6, 30, tzinfo=UTC),
        title="A",
        language="en-GB",
        keywords=("x", "y"),
    )
    assert b.url == "https://n.example/b/"  # its permalink, not the page it links to
    assert (c.url, c.language, c.date) == ("https://n.example/c/", "fr", None)
    assert parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": 3}') == []
    assert parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [') == []


# --- copies of a page on other hosts ----------------------------------------------------------


def head(html_attrs: str, links: str) -> bytes:
    return f"<!doctype html><html {html_attrs}><head>{links}</head><body>x</body></html>".encode()


def test_an_amp_page_is_a_copy_of_its_canonical_wherever_that_is():
    canonical = '<link rel="canonical" href="https://www.paper.example/a/">'
    assert copy_of(head("amp lang=en", canonical), "https://amp.paper.example/a/") == (
        "https://www.paper.example/a/"
    )
    assert copy_of(head("\u26a1", canonical), "https://www.paper.example/a/amp/") == (
        "https://www.paper.example/a/"
    )
    assert is_amp_page(head("AMP", ""))
    assert not is_amp_page(head('lang="en" data-amp-version="2"', canonical))


def test_a_page_whose_canonical_is_another_host_of_its_site_is_a_copy():
    canonical = "<link href='https://www.paper.example/a/' rel='canonical foo'/>"
    assert copy_of(head("lang=en", canonical), "https://m.paper.example/a/") == (
        "https://www.paper.example/a/"
    )
    # the page itself, a canonical on another site, a canonical on the same host: no copy
    assert copy_of(head("", canonical), "https://www.paper.example/a/?utm_source=x") is None
    assert copy_of(head("", canonical), "https://www.other.example/a/") is None
    assert copy_of(head("", canonical), "https://www.paper.example/a/?page=2") is None
    assert copy_of(head("", ""), "https://m.paper.example/a/") is None


def test_a_page_announces_its_amp_copies():
    links = (
        '<link rel="amphtml" href="/a/amp/?x=1&amp;y=2">'
        '<link rel="amphtml" href="javascript:alert(1)">'
    )
    assert amp_links(head("", links), "https://www.paper.example/a/") == {
        "https://www.paper.example/a/amp/?x=1&y=2"
    }


# --- ampersands and entities as publishers write them, xml:base --------------------------


def test_a_bare_ampersand_in_a_url_is_kept_and_does_not_spoil_what_follows() -> None:
    """libxml2's recovery dropped ``&b`` with what followed it (``?a=1=2``) and every
    ``&amp;`` after that first error: the crawl fetched URLs the site never listed."""
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://n.example/a?id=1&section=world</loc></url>"
        b"<url><loc>https://n.example/b?x=1&amp;y=2</loc></url></urlset>"
    )
    assert [e.url for e in parse_sitemap(sitemap)[1]] == [
        "https://n.example/a?id=1&section=world",
        "https://n.example/b?x=1&y=2",
    ]
    feed = (
        b'<rss version="2.0"><channel><item><title>A &amp; B</title>'
        b"<link>https://n.example/a?id=1&s=2</link></item>"
        b"<item><title>C &amp; D</title><link><![CDATA[https://n.example/c?x=1&y=2]]></link>"
        b"</item></channel></rss>"
    )
    entries = parse_feed(feed)
    assert [(e.url, e.title) for e in entries] == [
        ("https://n.example/a?id=1&s=2", "A & B"),
        ("https://n.example/c?x=1&y=2", "C & D"),
    ]


def test_html_entities_xml_does_not_know_are_read_as_html_reads_them() -> None:
    """A title cut at its first ``&nbsp;`` became the article's fallback title."""
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<item><title>Caf\xe9&nbsp;owners &rsquo;win&rsquo; &amp; &bogus; &#233;</title>"
        "<link>https://n.example/a</link></item></channel></rss>"
    ).encode("latin-1")
    assert [(e.url, e.title) for e in parse_feed(feed)] == [
        ("https://n.example/a", "Caf\xe9\xa0owners \u2019win\u2019 & &bogus; \xe9")
    ]
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        b"<loc>https://n.example/a</loc><news:news><news:title>Un&nbsp;&eacute;t&eacute;"
        b"</news:title></news:news></url></urlset>"
    )
    assert parse_sitemap(sitemap)[1][0].title == "Un\xa0\xe9t\xe9"


def test_a_utf16_feed_is_not_rewritten_byte_by_byte() -> None:
    feed = '<rss version="2.0"><channel><item><link>https://n.example/a?x=1&amp;y=2</link></item></channel></rss>'
    assert [e.url for e in parse_feed(feed.encode("utf-16"))] == ["https://n.example/a?x=1&y=2"]


def test_relative_feed_links_follow_xml_base_where_the_feed_sets_it() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://n.example/news/">'
        b'<entry><link href="a.html"/></entry>'
        b'<entry xml:base="/world/"><link rel="alternate" href="b.html"/></entry>'
        b'<entry><link href="https://other.example/c"/></entry></feed>'
    )
    assert [e.url for e in parse_feed(atom)] == [
        "https://n.example/news/a.html",
        "https://n.example/world/b.html",
        "https://other.example/c",
    ]
    # without xml:base a relative link stays relative: the spider resolves it against
    # the feed's own URL
    assert [
        e.url for e in parse_feed(b"<rss><channel><item><link>/a</link></item></channel></rss>")
    ] == ["/a"]


def test_a_feed_entry_date_is_its_publication_date_whatever_order_its_elements_are_in() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://n.example/a"/>'
        b"<updated>2024-05-13T06:30:00Z</updated><published>2024-05-12T06:30:00Z</published>"
        b"</entry></feed>"
    )
    assert parse_feed(atom)[0].date == datetime(2024, 5, 12, 6, 30, tzinfo=UTC)
    rss = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>'
        b"<link>https://n.example/a</link><dc:date>2024-05-13T06:30:00Z</dc:date>"
        b"<pubDate>Sun, 12 May 2024 08:30:00 +0200</pubDate></item></channel></rss>"
    )
    assert parse_feed(rss)[0].date == datetime(2024, 5, 12, 6, 30, tzinfo=UTC)
