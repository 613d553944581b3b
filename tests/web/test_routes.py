"""Every route of the web view, on SQLite and PostgreSQL, over an empty, a small and a
hostile archive (Starlette's test client; the browser test drives a real server)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from sqlalchemy import event

from tests.support.newsroom import (
    BLOCKED,
    COPY_SITE,
    FAILING,
    HEALTHY,
    HOSTILE_SITE,
    LONG_WORDS,
    SILENT,
    STALE,
    WARC_FILE,
    WIRE_SITE,
    XSS_TITLE,
)
from tests.support.webapp import NOW, client


def page(c, path: str, status: int = 200) -> lxml.html.HtmlElement:
    response = c.get(path)
    assert response.status_code == status, (path, response.text[:2000])
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return lxml.html.fromstring(response.text)


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def fields(doc: lxml.html.HtmlElement) -> dict[str, str]:
    """The article page's metadata, by field name."""
    return dict(
        zip(
            texts(doc, "//dl[@class='fields']/dt"),
            texts(doc, "//dl[@class='fields']/dd"),
            strict=True,
        )
    )


# --- a small archive ----------------------------------------------------------------------


def test_home_lists_the_newest_articles_with_counts_and_badges(newsroom):
    c = client(newsroom.arc)
    doc = page(c, "/")
    total = newsroom.arc.count()
    assert texts(doc, "//p[@id='count']")[0] == f"{total} articles archived, newest first"
    titles = texts(doc, "//li[@class='hit']/h2")
    assert len(titles) == 20
    hrefs = doc.xpath("//li[@class='hit']/h2/a/@href")
    ids = [int(h.rsplit("/", 1)[1]) for h in hrefs]
    assert ids == sorted(ids, reverse=True)
    # the next page starts after the last id shown, and never repeats one
    [after] = doc.xpath("//a[@rel='next']/@href")
    second = page(c, after)
    more = [int(h.rsplit("/", 1)[1]) for h in second.xpath("//li[@class='hit']/h2/a/@href")]
    assert more and max(more) < min(ids)
    assert len(ids) + len(more) == total
    assert second.xpath("//a[@rel='next']") == []
    badges = texts(doc, "//a[contains(@class, 'badge')]") + texts(
        second, "//a[contains(@class, 'badge')]"
    )
    assert "3 versions" in badges and "2 other copies" in badges and "copy of #1" in badges


def test_search_ranks_highlights_and_pages_through_every_match(newsroom):
    c = client(newsroom.arc)
    doc = page(c, "/?q=harbour")
    marks = {m.lower() for m in texts(doc, "//p[@class='snippet']/mark")}
    assert marks == {"harbour"}
    assert texts(doc, "//p[@id='count']")[0].startswith(
        f"{newsroom.arc.count(where_query('harbour'))} article"
    )
    # keyset pages of a ranked search: one result a page, every match once, in order
    seen: list[int] = []
    path = "/?q=harbour"
    for _ in range(20):
        hits = [int(h.rsplit("/", 1)[1]) for h in page(c, path).xpath("//li/h2/a/@href")]
        seen += hits
        nxt = page(c, path).xpath("//a[@rel='next']/@href")
        if not nxt:
            break
        path = nxt[0]
    everything = [int(h.rsplit("/", 1)[1]) for h in doc.xpath("//li/h2/a/@href")]
    assert seen == everything  # fewer than a page: no next link
    assert len(set(seen)) == len(seen)


def where_query(q: str):
    from archive.read import ArticleFilter

    return ArticleFilter(query=q)


def test_search_pages_of_a_long_ranked_list_do_not_skip_or_repeat(newsroom, monkeypatch):
    monkeypatch.setattr("web.pages.PAGE_SIZE", 2)
    c = client(newsroom.arc)
    expected = [h["id"] for h in newsroom.arc.search("the", limit=1000)]
    assert len(expected) > 6
    seen: list[int] = []
    path = "/?q=the"
    while path and len(seen) <= len(expected):
        doc = page(c, path)
        seen += [int(h.rsplit("/", 1)[1]) for h in doc.xpath("//li/h2/a/@href")]
        nxt = doc.xpath("//a[@rel='next']/@href")
        path = nxt[0] if nxt else ""
    assert seen == expected


def test_filters_site_language_dates_copies_and_edits(newsroom):
    c = client(newsroom.arc)

    def sites_of(path: str) -> set[str]:
        return set(texts(page(c, path), "//li[@class='hit']/p[@class='meta']/a[1]"))

    assert sites_of(f"/?site={HEALTHY}") == {HEALTHY}
    assert sites_of("/?lang=de") == {SILENT}  # the one German blog post
    assert sites_of("/?lang=xx") == set()
    copies = page(c, "/?copies=1")
    ids = {int(h.rsplit("/", 1)[1]) for h in copies.xpath("//li/h2/a/@href")}
    assert {newsroom.data.harbour, newsroom.data.ids["copy"], newsroom.data.ids["wire"]} <= ids
    edited = page(c, "/?edited=1")
    assert [int(h.rsplit("/", 1)[1]) for h in edited.xpath("//li/h2/a/@href")] == [
        newsroom.data.edited
    ]
    assert texts(edited, "//p[@id='count']")[0].startswith("1 article matches,")
    day = NOW.date().isoformat()
    today = page(c, f"/?from={day}&to={day}")
    assert len(today.xpath("//li[@class='hit']")) == 0 or all(
        "published" in t for t in texts(today, "//li/p[@class='meta']")
    )
    week = (NOW.date().replace(day=1)).isoformat()
    assert page(c, f"/?from={week}&q=harbour") is not None
    bad = page(c, "/?from=yesterday", status=400)
    assert "not a date" in texts(bad, "//p[@class='error']")[0]
    nothing = page(c, "/?q=-sport", status=400)
    assert "no word to look for" in texts(nothing, "//p[@class='error']")[0]
    assert page(c, "/?after=xyz", status=400) is not None


def test_article_page_shows_text_metadata_urls_boilerplate_versions_story_captures(newsroom):
    c = client(newsroom.arc)
    article_id = newsroom.data.harbour
    doc = page(c, f"/article/{article_id}")
    article = newsroom.arc.article(article_id)
    assert texts(doc, "//h1")[0] == article["title"]
    body = texts(doc, "//section[@id='text']/p")
    assert body == [line for line in article["text"].splitlines() if line.strip()]
    greyed = texts(doc, "//div[@class='boilerplate']/p[not(@class)]")
    assert greyed == [
        "The Daily Ledger · Independent local news since 1901",
        "Sign up for the Ledger's morning briefing, delivered before 7am.",
    ]
    urls = doc.xpath("//section[@id='urls']//a/@href")
    assert urls == article["urls"]
    copies = texts(doc, "//section[@id='story']//li/a")
    assert sorted(copies) == sorted([COPY_SITE, WIRE_SITE])
    raw_links = doc.xpath("//section[@id='captures']//a[text()='raw']/@href")
    assert len(raw_links) == len(newsroom.arc.captures(article_id)) >= 1
    assert texts(doc, "//section[@id='captures']//tbody/tr/td[last()]") == [
        f"{WARC_FILE} at 48,213"
    ]
    shown = fields(doc)
    assert shown["authors"] == ", ".join(article["authors"])
    assert shown["content hash"] == article["content_hash"]
    assert shown["paywalled"] == "no"
    assert page(c, "/article/999999", status=404) is not None


def test_versions_timeline_and_diffs_between_any_two(newsroom):
    c = client(newsroom.arc)
    edited = newsroom.data.edited
    doc = page(c, f"/article/{edited}")
    assert len(doc.xpath("//section[@id='versions']//ol[@class='timeline']/li")) == 3
    diff = page(c, f"/article/{edited}/diff")  # the latest change by default
    assert "version 2" in texts(diff, "//p[@class='meta']")[0]
    assert any(
        "agreed to meet again" in t for t in texts(diff, "//div[contains(@class,'diff')]//ins")
    )
    assert texts(diff, "//h2[@class='title-change']//ins") == ["and move forward"]
    first = page(c, f"/article/{edited}/diff?from=1&to=2")
    assert texts(first, "//div[contains(@class,'diff')]//del") == ["three"]
    assert texts(first, "//div[contains(@class,'diff')]//ins") == ["four"]
    assert first.xpath("//a[@rel='next']/@href") == [f"/article/{edited}/diff?from=2&to=3"]
    assert first.xpath("//a[@rel='prev']") == []
    side = page(c, f"/article/{edited}/diff?from=1&to=3&view=side&changes=1")
    rows = side.xpath("//table[contains(@class,'side')]/tbody/tr")
    assert any(r.get("class") == "skip" for r in rows)
    assert texts(side, "//td[@class='old']//del") == ["three"]
    assert page(c, f"/article/{edited}/diff?from=1&to=9", status=404) is not None
    assert page(c, f"/article/{edited}/diff?from=x", status=404) is not None
    same = page(c, f"/article/{edited}/diff?from=2&to=2")
    assert texts(same, "//span[@id='summary']") == ["no change in the text"]


def test_raw_capture_is_plain_text_never_html(newsroom):
    c = client(newsroom.arc)
    [capture] = newsroom.arc.captures(newsroom.data.harbour)
    response = c.get(f"/capture/{capture['id']}/raw")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.content == newsroom.arc.capture(capture["id"])["body"]
    download = c.get(f"/capture/{capture['id']}/raw?download=1")
    assert download.headers["content-disposition"].startswith("attachment")
    assert c.get("/capture/999999/raw").status_code == 404


def test_stories_and_a_story_page(newsroom):
    c = client(newsroom.arc)
    doc = page(c, "/stories")
    largest = doc.xpath("//table[@class='stories'][1]//tr/td[1]/a/@href")
    assert f"/story/{newsroom.data.harbour}" in largest
    story = page(c, f"/story/{newsroom.data.harbour}")
    sites = texts(story, "//table//td[2]")
    assert sorted(sites) == sorted([HEALTHY, COPY_SITE, WIRE_SITE])
    assert story.xpath("//figure[@id='timeline']//*[local-name()='svg']//*[local-name()='circle']")
    assert len(story.xpath("//*[local-name()='circle']")) == 3
    assert page(c, "/story/999999", status=404) is not None


def test_sites_show_health_charts_and_the_site_page(newsroom):
    c = client(newsroom.arc)
    doc = page(c, "/sites")
    flags = {}
    for row in doc.xpath("//table[@class='sites']/tbody/tr"):
        flags[texts(row, "td[1]")[0]] = texts(row, "td[2]")[0]
    assert flags == {
        HEALTHY: "ok",
        WIRE_SITE: "ok",
        COPY_SITE: "ok",
        SILENT: "silent",
        FAILING: "failing",
        BLOCKED: "blocked",
        STALE: "stale",
    }
    assert len(doc.xpath("//*[local-name()='svg' and contains(@class,'spark')]")) == 7
    site = page(c, f"/site/{HEALTHY}")
    assert site.xpath("//figure[@id='chart']/*[local-name()='svg']")
    bars = site.xpath("//*[local-name()='rect' and @class='bar']")
    # the Ledger's 8 articles, archived on 8 days three days apart
    assert len(bars) == 8
    assert all(b.xpath("string(*[local-name()='title'])").endswith(": 1 article") for b in bars)
    runs = site.xpath("//section[@id='crawls']//tbody/tr")
    assert len(runs) == 4
    lines = texts(site, "//ul[@class='boilerplate-lines']/li/span[@class='boilerplate']")
    assert sorted(lines) == sorted(
        [
            "The Daily Ledger · Independent local news since 1901",
            "Sign up for the Ledger's morning briefing, delivered before 7am.",
        ]
    )
    failing = page(c, f"/site/{FAILING}")
    assert "failing" in texts(failing, "//section[@id='health']//span")[0]
    reasons = " ".join(texts(failing, "//td[@class='reasons']"))
    assert "timeout 7" in reasons and "http_503 4" in reasons
    assert page(c, "/site/nowhere.example", status=404) is not None


def test_crawl_runs_and_a_run(newsroom):
    c = client(newsroom.arc)
    doc = page(c, "/runs")
    rows = doc.xpath("//table[@class='runs']/tbody/tr")
    assert len(rows) == 4
    assert texts(rows[1], "td[4]") == ["interrupted"]
    [first] = rows[0].xpath("td[1]/a/@href")
    run = page(c, first)
    sites = texts(run, "//table[@class='runs']/tbody/tr/td[1]")
    assert sites[0] == "all sites" and HEALTHY in sites and BLOCKED in sites
    assert page(c, "/run/999999", status=404) is not None
    assert page(c, "/runs?before=2").xpath("//table[@class='runs']/tbody/tr")


# --- an empty archive -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/", 200, "0 articles archived"),
        ("/?q=harbour", 200, "0 articles match"),
        ("/stories", 200, "No story has more than one article yet."),
        ("/sites", 200, "The archive has no site yet."),
        ("/runs", 200, "No crawl run is recorded."),
        ("/article/1", 404, "no article 1"),
        ("/article/1/diff", 404, "no article 1"),
        ("/capture/1/raw", 404, "no capture 1"),
        ("/story/1", 404, "no story cluster 1"),
        ("/site/news.example", 404, "no site"),
        ("/run/1", 404, "no crawl run 1"),
        ("/nowhere", 404, ""),
    ],
)
def test_every_route_on_an_empty_archive(empty, path, status, says):
    response = client(empty.arc).get(path)
    assert response.status_code == status
    assert says in " ".join(lxml.html.fromstring(response.text).text_content().split())


BIG = "9" * 23  # past the 64-bit integers of both databases


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/article/{BIG}", 404),
        (f"/article/{BIG}/diff", 404),
        (f"/capture/{BIG}/raw", 404),
        (f"/story/{BIG}", 404),
        (f"/run/{BIG}", 404),
        (f"/?after={BIG}", 400),
        (f"/?q=harbour&after=1.5~{BIG}", 400),
        (f"/?from=2024-01-01&after=2024-01-01T00:00:00%2B00:00~{BIG}", 400),
        (f"/runs?before={BIG}", 400),
        ("/?to=9999-12-31", 200),
        ("/?from=9999-12-31&to=9999-12-31", 200),
        ("/?q=%00harbour%00", 200),
        ("/?site=%00&lang=%00", 200),
        ("/site/%00", 404),
    ],
)
def test_out_of_range_ids_dates_and_nul_are_answered_not_a_500(empty, path, status):
    assert client(empty.arc).get(path).status_code == status


# --- a hostile archive ----------------------------------------------------------------------


def hostile_paths(hostile) -> list[str]:
    ids = hostile.data
    captures = [c["id"] for c in hostile.arc.captures(ids["script_title"])]
    return [
        "/",
        "/?q=alert",
        "/?q=word5",
        f"/?site={quote(HOSTILE_SITE)}",
        f"/article/{ids['script_title']}",
        f"/article/{ids['unicode']}",
        f"/article/{ids['long']}",
        f"/article/{ids['long']}/diff",
        f"/article/{ids['long']}/diff?view=side&changes=1",
        f"/story/{ids['script_title']}",
        "/stories",
        "/sites",
        f"/site/{quote(HOSTILE_SITE, safe='')}",
        "/site/" + quote('x"><script>alert(11)</script>', safe=""),
        "/site/" + quote("ünïcödé.example", safe=""),
        "/runs",
        "/run/1",
        *(f"/capture/{c}/raw" for c in captures),
    ]


def test_hostile_data_is_text_everywhere(hostile):
    """No page has a script element, an event handler or a link that runs script,
    whatever the archive holds: every scraped string is escaped, and links to archived
    URLs are http(s) only."""
    c = client(hostile.arc)
    for path in hostile_paths(hostile):
        response = c.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        if path.startswith("/capture/"):
            assert response.headers["content-type"].startswith("text/plain")
            assert "charset=<" not in response.headers["content-type"]
            continue
        doc = lxml.html.fromstring(response.text)
        assert doc.xpath("//script") == [], path
        for element in doc.iter():
            for name, value in element.attrib.items():
                assert not name.startswith("on"), (path, name)
                if name in ("href", "src", "action"):
                    scheme = urlsplit(value).scheme
                    assert scheme in ("", "http", "https"), (path, value)
        assert "<script>" not in response.text, path


def test_hostile_title_shows_as_text(hostile):
    c = client(hostile.arc)
    doc = page(c, f"/article/{hostile.data['script_title']}")
    assert texts(doc, "//h1") == [XSS_TITLE]
    assert texts(doc, "//title")[0].startswith(XSS_TITLE)
    assert "<script>alert(12)</script>" in texts(doc, "//div[@class='boilerplate']/p")
    image = doc.xpath("//dt[text()='image']/following-sibling::dd[1]")[0]
    assert image.xpath(".//a") == [] and "javascript:alert(7)" in image.text_content()
    home = page(c, "/")
    assert XSS_TITLE in texts(home, "//li/h2")


def test_a_very_long_text_and_its_diff(hostile):
    c = client(hostile.arc)
    long_id = hostile.data["long"]
    doc = page(c, f"/article/{long_id}")
    assert len(texts(doc, "//section[@id='text']/p")[0].split()) == LONG_WORDS
    diff = page(c, f"/article/{long_id}/diff?changes=1")
    # the 300,000-word line is too long to match word by word: shown out and in whole
    assert len(diff.xpath("//div[contains(@class,'diff')]/p[@class='change']")) == 2
    assert texts(diff, "//div[contains(@class,'diff')]/p[@class='change'][2]//ins") == [
        "line seven "
    ] or "seven" in " ".join(texts(diff, "//ins"))
    assert re.search(r"\d+ unchanged lines", diff.text_content())


def ids_of(doc) -> list[int]:
    return [int(h.rsplit("/", 1)[1]) for h in doc.xpath("//li[@class='hit']/h2/a/@href")]


def walk(c, path: str, limit: int = 100) -> list[int]:
    """Every id of a list, following its next-page links."""
    seen: list[int] = []
    while path and len(seen) <= limit:
        doc = page(c, path)
        seen += ids_of(doc)
        nxt = doc.xpath("//a[@rel='next']/@href")
        path = nxt[0] if nxt else ""
    return seen


def test_filtered_lists_page_by_their_own_index_order(newsroom, monkeypatch):
    """One site: newest archived first on its (site, first_seen_at) index; a date range:
    newest published first on the published_at index; pages never skip or repeat."""
    monkeypatch.setattr("web.pages.PAGE_SIZE", 3)
    c = client(newsroom.arc)
    site = [a for a in newsroom.arc.articles(site=HEALTHY)]
    expected = [
        a["id"] for a in sorted(site, key=lambda a: (a["first_seen_at"], a["id"]), reverse=True)
    ]
    assert walk(c, f"/?site={HEALTHY}") == expected
    start = (NOW - timedelta(days=20)).date().isoformat()
    end = NOW.date().isoformat()
    every = list(
        newsroom.arc.articles(
            published_since=NOW
            - timedelta(days=20, hours=NOW.hour, minutes=NOW.minute, seconds=NOW.second)
        )
    )
    by_published = [
        a["id"] for a in sorted(every, key=lambda a: (a["published_at"], a["id"]), reverse=True)
    ]
    assert walk(c, f"/?from={start}&to={end}") == by_published
    assert "newest published first" in texts(page(c, f"/?from={start}"), "//p[@id='count']")[0]


def test_a_search_lists_the_newest_when_asked_or_when_too_many_match(newsroom, monkeypatch):
    c = client(newsroom.arc)
    newest = page(c, "/?q=the&sort=new")
    assert ids_of(newest) == sorted(ids_of(newest), reverse=True)
    assert "newest archived first" in texts(newest, "//p[@id='count']")[0]
    assert newest.xpath("//p[@id='too-many']") == []
    monkeypatch.setattr("web.pages.RANK_CAP", 5)
    monkeypatch.setattr("web.pages.PAGE_SIZE", 4)
    many = page(c, "/?q=the")
    assert many.xpath("//p[@id='too-many']")
    assert texts(many, "//p[@id='count']")[0].startswith("more than 5 articles match")
    expected = [h["id"] for h in newsroom.arc.search("the", limit=1000, newest=True)]
    assert walk(c, "/?q=the") == expected
    ranked = page(c, "/?q=the&sort=best")
    assert ranked.xpath("//p[@id='too-many']") == []
    assert "best first" in texts(ranked, "//p[@id='count']")[0]


@pytest.mark.parametrize("after", ["x", "1~2", "2024-01-01~3", "nan~x", "-"])
def test_a_made_up_cursor_is_a_400_not_a_crash(newsroom, after):
    c = client(newsroom.arc)
    for path in (
        f"/?after={after}",
        f"/?q=harbour&after={after}",
        f"/?site={HEALTHY}&after={after}",
    ):
        response = c.get(path)
        assert response.status_code in (200, 400), path


# --- queries per page -----------------------------------------------------------------------


@contextmanager
def statements(arc) -> Iterator[list[str]]:
    """The SQL statements the archive's engine runs in the block."""
    ran: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        ran.append(statement)

    event.listen(arc.engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(arc.engine, "before_cursor_execute", record)


def test_a_list_runs_as_many_queries_for_two_rows_as_for_twenty(newsroom, monkeypatch):
    """Every list is one or a few queries, never one per row: a page of 2 articles or
    runs runs the same statements as a page of 20, and no page runs more than 20."""
    c = client(newsroom.arc)
    lists = ("/", "/?q=the&sort=new", f"/?site={HEALTHY}", "/runs")
    for path in lists:  # the site list of the filter form is cached for a minute
        page(c, path)
    counts = {}
    for size in (2, 20):
        monkeypatch.setattr("web.pages.PAGE_SIZE", size)
        monkeypatch.setattr("web.pages.RUN_PAGE_SIZE", size)
        for path in lists:
            with statements(newsroom.arc) as ran:
                shown = page(c, path).xpath("//li[@class='hit'] | //table[@class='runs']//tr[td]")
            assert len(shown) == size or size == 20, (path, len(shown))
            counts[path, size] = len(ran)
    assert {path: counts[path, 2] for path in lists} == {path: counts[path, 20] for path in lists}
    harbour = newsroom.data.harbour
    for path in (
        f"/article/{newsroom.data.edited}",
        f"/article/{newsroom.data.edited}/diff",
        "/stories",
        f"/story/{harbour}",
        "/sites",
        f"/site/{HEALTHY}",
        "/run/1",
    ):
        with statements(newsroom.arc) as ran:
            page(c, path)
        assert 0 < len(ran) <= 20, (path, len(ran))


# --- a story first archived behind a paywall ------------------------------------------------


def test_a_paywalled_story_says_so_and_its_lifted_paywall_is_no_edit(engine):
    """Issue 20's flag and version reasons on the article page: a teaser archived
    behind a paywall, then its full text (the paywall lifted), then an edit."""
    from archive.read import Archive
    from archive.writer import ArchiveWriter
    from tests.support.records import record

    url, teaser = "https://ledger.example/2024/05/12/report/", "The report was kept secret."
    full = teaser + " It warned of cracks in the quay wall. Repairs would cost millions."
    writer = ArchiveWriter(engine)
    [written] = writer.write_batch([replace(record(url, teaser), paywalled=True)])
    arc = Archive(engine)
    c = client(arc)
    walled = page(c, f"/article/{written.article_id}")
    assert texts(walled, "//p[@class='meta']/span[contains(@class, 'paywalled')]") == ["paywalled"]
    assert fields(walled)["paywalled"].startswith("yes: the page declared its content not free")
    assert texts(walled, "//ol[@class='timeline']/li")[0].endswith("first archived · paywalled")

    writer.write_batch([record(url, full)])
    writer.write_batch([record(url, full + " Updated.")])
    story = page(c, f"/article/{written.article_id}")
    assert story.xpath("//p[@class='meta']/span[contains(@class, 'paywalled')]") == []
    assert fields(story)["paywalled"] == "no"
    first, lifted, edited = texts(story, "//ol[@class='timeline']/li")
    assert first.endswith("first archived · paywalled")
    assert "· paywall lifted · what changed" in lifted and not lifted.endswith("paywalled")
    assert "· edit · what changed" in edited


def test_a_runs_total_row_names_the_skips_no_site_row_holds(engine):
    """Entries left out before any request (max_pages, since) are counted per run only:
    the run's total says why it exceeds the sum of its sites."""
    from archive.read import Archive
    from archive.writer import CrawlRuns

    runs = CrawlRuns(engine)
    run_id = runs.start_run({"start": ["https://news.example/"]})
    outcomes = {("news.example", "articles/new"): 2, ("news.example", "skipped/listing"): 1}
    stats = {
        "newsarchive/articles/new": 2,
        "newsarchive/skipped/listing": 1,
        "newsarchive/skipped/max_pages": 40,
    }
    runs.finish_run(run_id, "finished", "finished", stats, outcomes)
    doc = page(client(Archive(engine)), f"/run/{run_id}")
    [total] = doc.xpath("//tr[@class='total']")
    assert texts(total, "td[@class='reasons']/span") == ["listing 1", "max_pages 40"]
    [site] = doc.xpath("//tr[td/a]")
    assert texts(site, "td[@class='reasons']/span") == ["listing 1"]
