"""News sites as they are, generated into a folder for ``tests/support/mockserver.py``.

Each site is served on its own loopback IP under a host name (``hosts.json``; the
crawler reaches the names through ``DNS_HOSTS``), so one publisher can have its
``www.``, ``amp.``, ``m.`` and bare hosts. ``_site.json`` makes a site defend itself
as real ones do. The sites:

- ``polite`` (``www.polite.test``): a home and 6 stories, each answer 0.15 s late, so
  that requests in flight at once show at the server.
- ``slow`` (``www.slow.test``): robots.txt asks ``Crawl-delay: 1``; a home, 2 stories.
- ``guarded`` (``www.guarded.test``): after 3 requests every page is a Cloudflare-style
  challenge (403, ``cf-mitigated: challenge``, "Just a moment..."); a home, 12 stories.
- ``burst`` (``www.burst.test``): more than 3 requests within a second get a 429 with
  ``Retry-After: 1``; a home, 6 stories.
- ``gazette`` (``www.gazette.test``): a home, one story, and 2 stories that redirect to
  a consent page on ``consent.gazette.test`` (the ``consent`` site, never to be fetched).
- ``walled`` (``www.walled.test``): every page, the home included, is an Akamai-style
  "Access Denied" page served with status 200.
- ``ledger`` (``www.ledger.test``): a story behind a paywall (state ``paywall``:
  ``teaser`` with ``isAccessibleForFree: false`` and ``hasPart``, then ``full``), and a
  live blog (state ``live``: ``1`` with two updates, then ``2`` with a third).
- ``wirenews`` (``www.wirenews.test``): a Google News sitemap as publishers write them
  (a byte order mark and blank lines before the XML declaration, element names in
  capitals, the ``news:`` prefix declared on the root only for some entries), listing a
  story whose page states no title, date or keywords, a 2019 story, a video page, and an
  image and a video file given as ``<loc>``.
- ``courier`` (``www.courier.test``): a home announcing a JSON Feed 1.1 (``/feed.json``,
  served ``application/feed+json``), the only way to its 3 stories (``url``; an
  ``external_url`` to another site; ``external_url`` alone).
- ``paper``, ``paper-amp``, ``paper-m``, ``paper-bare``: ``www.paper.test``,
  ``amp.paper.test``, ``m.paper.test`` and ``paper.test``, one publisher. The home
  links the harbour story (whose page announces its AMP copy, ``<link rel=amphtml>``, and
  links to it), the ferry story's mobile copy on ``m.`` and the harbour story on the
  bare domain (a 301 to ``www.``); the sitemap lists the bridge story's AMP copy. Each
  copy's canonical is its ``www.`` page.
"""

from __future__ import annotations

import json
import random
from html import escape
from pathlib import Path
from typing import Any

HOSTS = {
    "polite": {"ip": "127.0.0.60", "host": "www.polite.test"},
    "slow": {"ip": "127.0.0.61", "host": "www.slow.test"},
    "guarded": {"ip": "127.0.0.62", "host": "www.guarded.test"},
    "burst": {"ip": "127.0.0.63", "host": "www.burst.test"},
    "gazette": {"ip": "127.0.0.64", "host": "www.gazette.test"},
    "consent": {"ip": "127.0.0.65", "host": "consent.gazette.test"},
    "walled": {"ip": "127.0.0.66", "host": "www.walled.test"},
    "ledger": {"ip": "127.0.0.67", "host": "www.ledger.test"},
    "wirenews": {"ip": "127.0.0.68", "host": "www.wirenews.test"},
    "courier": {"ip": "127.0.0.69", "host": "www.courier.test"},
    "paper": {"ip": "127.0.0.70", "host": "www.paper.test"},
    "paper-amp": {"ip": "127.0.0.71", "host": "amp.paper.test"},
    "paper-m": {"ip": "127.0.0.72", "host": "m.paper.test"},
    "paper-bare": {"ip": "127.0.0.73", "host": "paper.test"},
}

POLITE_STORIES = 6
SLOW_STORIES = 2
GUARDED_STORIES = 24
GUARDED_ANSWERS = 3  # requests answered before the challenge starts
BURST_STORIES = 6
GAZETTE_WALLED = [f"/2024/06/0{n}/walled-story-{n}/" for n in (1, 2)]
GAZETTE_OPEN = "/2024/06/04/open-story/"

PAYWALL_PATH = "/2024/06/03/council-kept-report-secret/"
LIVE_PATH = "/2024/06/03/budget-day-live/"
LIVE_MODIFIED = {"1": "2024-06-03T10:30:00+00:00", "2": "2024-06-03T12:15:00+00:00"}

NEWS_STORY = "/stories/harbour-cranes-return/"
NEWS_OLD = "/stories/old-ferry-timetable/"
NEWS_VIDEO_PAGE = "/stories/crane-lift-video/"
NEWS_TITLE = "Harbour cranes return to Vestby quay"
NEWS_PUBLISHED = "2024-09-02T06:30:00+02:00"
NEWS_KEYWORDS = ["harbour", "cranes", "Vestby"]

COURIER = {
    "/2024/07/01/market-hall-reopens/": {"url": True, "published": "2024-07-01T08:00:00Z"},
    "/2024/07/02/river-ferry-returns/": {"url": True, "external": "https://example.org/x"},
    "/2024/07/03/night-bus-trial/": {"url": False, "published": "2024-07-03T09:00:00Z"},
}

PAPER = {
    "harbour": "/2024/05/14/harbour-reopens-after-storm/",
    "ferry": "/2024/05/14/ferry-timetable-changes/",
    "bridge": "/2024/05/14/bridge-vote-postponed/",
}

# fmt: off
_SYLLABLES = (
    "ka", "ro", "mi", "ten", "sal", "vor", "lin", "det", "bra", "nus", "ek", "tor", "fal",
    "min", "gre", "hos", "pel", "dar", "ven", "sti", "lo", "mar", "quin", "ost", "rud", "bel",
    "tam", "jor", "fen", "ska", "dov",
)
# fmt: on


def words_story(seed: str, paragraphs: int = 4) -> tuple[str, list[str]]:
    """A distinct, deterministic made-up story: no two seeds share a phrase."""
    rng = random.Random(seed)
    words = ["".join(rng.sample(_SYLLABLES, rng.randint(1, 3))) for _ in range(300)]

    def sentence() -> str:
        text = " ".join(rng.choice(words) for _ in range(rng.randint(9, 16)))
        return text[0].upper() + text[1:] + "."

    title = " ".join(rng.choice(words) for _ in range(5)).capitalize()
    return title, [" ".join(sentence() for _ in range(4)) for _ in range(paragraphs)]


def page(
    title: str | None,
    paragraphs: list[str],
    *,
    jsonld: dict[str, Any] | None = None,
    head: str = "",
    body_extra: str = "",
    html_attrs: str = 'lang="en"',
    og_article: bool = True,
) -> str:
    """An article page: its story in ``<article>``, a header and a footer around it."""
    parts = ['<meta charset="utf-8">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if og_article:
        parts.append('<meta property="og:type" content="article">')
    if jsonld is not None:
        parts.append(f'<script type="application/ld+json">{json.dumps(jsonld)}</script>')
    heading = f"<h1>{escape(title)}</h1>" if title else ""
    story = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html {html_attrs}>
<head>
{chr(10).join(parts)}
{head}
</head>
<body>
<header><a href="/">Front page</a></header>
<main><article>{heading}
{story}
{body_extra}
</article></main>
<footer><p>All rights reserved.</p></footer>
</body>
</html>
"""


def news_article(title: str, paragraphs: list[str], path: str, **extra: Any) -> str:
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": "2024-05-14T08:00:00Z",
        "mainEntityOfPage": "{{base}}" + path,
    }
    head = f'<link rel="canonical" href="{{{{base}}}}{path}">' + extra.pop("head", "")
    return page(title, paragraphs, jsonld=jsonld, head=head, **extra)


def listing(title: str, links: list[str], head: str = "") -> str:
    items = "\n".join(f'<li><a href="{href}">Story {n}</a></li>' for n, href in enumerate(links))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="og:type" content="website">{head}</head>
<body><h1>{escape(title)}</h1><ul>
{items}
</ul></body></html>
"""


def write(root: Path, site: str, path: str, content: str | bytes) -> None:
    relative = path.lstrip("/")
    file = root / site / (relative + "index.html" if path.endswith("/") else relative)
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")


def write_json(root: Path, site: str, name: str, data: Any) -> None:
    (root / site).mkdir(parents=True, exist_ok=True)
    (root / site / name).write_text(json.dumps(data, indent=2), encoding="utf-8")


def story_paths(prefix: str, count: int) -> list[str]:
    return [f"/2024/05/{1 + n:02d}/{prefix}-story-{n}/" for n in range(count)]


def simple_site(
    root: Path, site: str, count: int, robots: str = "User-agent: *\nAllow: /\n"
) -> None:
    """A home linking ``count`` stories, each a NewsArticle."""
    paths = story_paths(site, count)
    write(root, site, "/", listing(f"{site} front page", paths))
    write(root, site, "/robots.txt", robots)
    for path in paths:
        title, paragraphs = words_story(f"{site}{path}")
        write(root, site, path, news_article(title, paragraphs, path))


# --- blocks ------------------------------------------------------------------------------

CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="360"></head><body>
<div class="main-wrapper"><h1>www.guarded.test</h1>
<h2>Checking if the site connection is secure</h2>
<p>Enable JavaScript and cookies to continue</p>
<script>window._cf_chl_opt={cvId: '3', cType: 'managed'};</script>
</div></body></html>
"""
ACCESS_DENIED = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>
You don't have permission to access "http&#58;&#47;&#47;www&#46;walled&#46;test&#47;" on this
server.<P>
Reference&#32;&#35;18&#46;2f1e3b17&#46;1718000000&#46;4c1a2b3
</BODY>
</HTML>
"""
CONSENT = """<!DOCTYPE html><html><head><title>Before you continue</title></head><body>
<h1>We value your privacy</h1><p>We and our partners use cookies.</p>
<form><button>Accept all</button><button>Reject all</button></form></body></html>
"""


def blocking_sites(root: Path) -> None:
    simple_site(root, "guarded", GUARDED_STORIES)
    write(root, "guarded", "/_challenge.html", CHALLENGE)
    write_json(
        root,
        "guarded",
        "_site.json",
        {
            "block_after": {
                "requests": GUARDED_ANSWERS,
                "status": 403,
                "file": "_challenge.html",
                "headers": {"cf-mitigated": "challenge", "Server": "cloudflare"},
            }
        },
    )
    simple_site(root, "burst", BURST_STORIES)
    write_json(
        root, "burst", "_site.json", {"rate_limit": {"burst": 5, "window": 1.0, "retry_after": "1"}}
    )

    write(root, "gazette", "/", listing("The Gazette", [*GAZETTE_WALLED, GAZETTE_OPEN]))
    write(root, "gazette", "/robots.txt", "User-agent: *\nAllow: /\n")
    title, paragraphs = words_story("gazette-open")
    write(root, "gazette", GAZETTE_OPEN, news_article(title, paragraphs, GAZETTE_OPEN))
    routes = {
        path: {
            "redirect": "{{site:consent}}/v2/collectConsent?continue={{base}}" + path,
            "status": 302,
        }
        for path in GAZETTE_WALLED
    }
    write_json(root, "gazette", "_routes.json", routes)
    write(root, "consent", "/v2/collectConsent", CONSENT)

    write(root, "walled", "/", listing("Walled", story_paths("walled", 3)))
    write(root, "walled", "/_denied.html", ACCESS_DENIED)
    write_json(
        root,
        "walled",
        "_site.json",
        {"block_after": {"requests": 0, "status": 200, "file": "_denied.html"}},
    )


# --- paywall and live blog --------------------------------------------------------------


def paywalled_article(full: bool) -> str:
    title = "Council kept harbour report secret for two years"
    _, paragraphs = words_story("paywalled-story", paragraphs=7)
    shown = paragraphs if full else paragraphs[:2]
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": "2024-06-03T07:00:00Z",
        "isAccessibleForFree": full,
    }
    if not full:
        jsonld["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".paywalled-content",
        }
    extra = "" if full else '<div class="paywalled-content"><p>Subscribe to read on.</p></div>'
    head = f'<link rel="canonical" href="{{{{base}}}}{PAYWALL_PATH}">'
    return page(title, shown, jsonld=jsonld, head=head, body_extra=extra)


def live_blog(state: str) -> str:
    title = "Budget day: live updates from the council chamber"
    updates = [
        ("2024-06-03T09:00:00+00:00", "budget-live-1"),
        ("2024-06-03T10:30:00+00:00", "budget-live-2"),
        ("2024-06-03T12:15:00+00:00", "budget-live-3"),
    ][: 2 if state == "1" else 3]
    paragraphs = [p for _, seed in reversed(updates) for p in words_story(seed, 2)[1]]
    jsonld = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": title,
        "datePublished": "2024-06-03T08:45:00+00:00",
        "coverageStartTime": "2024-06-03T08:45:00+00:00",
        "liveBlogUpdate": [
            {"@type": "BlogPosting", "headline": f"Update at {when}", "datePublished": when}
            for when, _ in updates
        ],
    }
    head = f'<link rel="canonical" href="{{{{base}}}}{LIVE_PATH}">'
    return page(title, paragraphs, jsonld=jsonld, head=head)


def ledger(root: Path) -> None:
    write(root, "ledger", "/", listing("The Ledger", [PAYWALL_PATH, LIVE_PATH]))
    write(root, "ledger", "/robots.txt", "User-agent: *\nAllow: /\n")
    write(root, "ledger", "/v/paywall-teaser.html", paywalled_article(full=False))
    write(root, "ledger", "/v/paywall-full.html", paywalled_article(full=True))
    write(root, "ledger", "/v/live-1.html", live_blog("1"))
    write(root, "ledger", "/v/live-2.html", live_blog("2"))
    paywall = {"teaser": "v/paywall-teaser.html", "full": "v/paywall-full.html"}
    live = {"1": "v/live-1.html", "2": "v/live-2.html"}
    routes = {
        PAYWALL_PATH: {"states": {"name": "paywall", "files": paywall}},
        LIVE_PATH: {"states": {"name": "live", "files": live}},
    }
    write_json(root, "ledger", "_routes.json", routes)


# --- a Google News sitemap, a JSON Feed ------------------------------------------------


def news_sitemap() -> bytes:
    """The sitemap as a careless publisher writes it (see the module docstring)."""
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<URLSET xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <Url>
    <LOC>{{{{base}}}}{NEWS_STORY}</LOC>
    <news:news>
      <news:publication>
        <news:name>Wire News</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>{NEWS_PUBLISHED}</news:publication_date>
      <news:title>{NEWS_TITLE}</news:title>
      <news:keywords>{", ".join(NEWS_KEYWORDS)}</news:keywords>
    </news:news>
    <image:image><image:loc>{{{{base}}}}/stories/not-a-page-either/</image:loc></image:image>
  </Url>
  <url>
    <loc>{{{{base}}}}{NEWS_OLD}</loc>
    <News:news xmlns:News="http://www.google.com/schemas/sitemap-news/0.9">
      <News:publication><News:name>Wire News</News:name><News:language>en</News:language></News:publication>
      <News:publication_date>2019-03-01</News:publication_date>
      <News:title>Ferry timetable for the spring</News:title>
    </News:news>
  </url>
  <url>
    <loc>{{{{base}}}}{NEWS_VIDEO_PAGE}</loc>
    <video:video xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
      <video:content_loc>{{{{base}}}}/media/crane-lift.mp4</video:content_loc>
      <video:title>The first crane lift</video:title>
    </video:video>
  </url>
  <url><loc>{{{{base}}}}/media/crane-photo.jpg</loc>
    <image:image><image:loc>{{{{base}}}}/media/crane-photo.jpg</image:loc></image:image></url>
  <url><loc>{{{{base}}}}/media/crane-lift.mp4</loc></url>
</URLSET>
"""
    return b"\xef\xbb\xbf\n\n  " + text.encode("utf-8")


def wirenews(root: Path) -> None:
    write(root, "wirenews", "/robots.txt", "User-agent: *\nAllow: /\n")
    write(root, "wirenews", "/news-sitemap.xml", news_sitemap())
    _, paragraphs = words_story("wirenews-cranes", paragraphs=4)
    # no <title>, no heading, no date, no keywords: the sitemap's are the only ones
    write(root, "wirenews", NEWS_STORY, page(None, paragraphs))
    title, paragraphs = words_story("wirenews-old")
    write(root, "wirenews", NEWS_OLD, news_article(title, paragraphs, NEWS_OLD))
    title, paragraphs = words_story("wirenews-video")
    write(root, "wirenews", NEWS_VIDEO_PAGE, news_article(title, paragraphs, NEWS_VIDEO_PAGE))


def courier(root: Path) -> None:
    feed_link = '<link rel="alternate" type="application/feed+json" href="/feed.json">'
    write(root, "courier", "/", listing("The Courier", [], head=feed_link))
    write(root, "courier", "/robots.txt", "User-agent: *\nAllow: /\n")
    items = []
    for n, (path, spec) in enumerate(COURIER.items()):
        title, paragraphs = words_story(f"courier{path}")
        write(root, "courier", path, news_article(title, paragraphs, path))
        item: dict[str, Any] = {"id": str(n), "title": title, "content_text": paragraphs[0]}
        if spec["url"]:
            item["url"] = "{{base}}" + path
        if "external" in spec:
            item["external_url"] = spec["external"]
        elif not spec["url"]:
            item["external_url"] = "{{base}}" + path
        if "published" in spec:
            item["date_published"] = spec["published"]
            item["date_modified"] = spec["published"].replace("T08", "T10")
        item["tags"] = ["harbour", f"tag{n}"]
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "The Courier",
        "home_page_url": "{{base}}/",
        "feed_url": "{{base}}/feed.json",
        "language": "en",
        "items": items,
    }
    write(root, "courier", "/feed.json", json.dumps(feed, indent=2))


# --- one publisher, several hosts ---------------------------------------------------------


def paper(root: Path) -> None:
    www = "{{site:paper}}"
    amp, mobile, bare = "{{site:paper-amp}}", "{{site:paper-m}}", "{{site:paper-bare}}"
    home_links = [PAPER["harbour"], mobile + PAPER["ferry"], bare + PAPER["harbour"]]
    write(root, "paper", "/", listing("The Paper", home_links))
    write(root, "paper", "/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {www}/sitemap.xml\n")
    write(
        root,
        "paper",
        "/sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{amp}{PAPER['bridge']}</loc></url>\n</urlset>\n",
    )
    for host in ("paper-amp", "paper-m", "paper-bare"):
        write(root, host, "/robots.txt", "User-agent: *\nAllow: /\n")
    for name, path in PAPER.items():
        title, paragraphs = words_story(f"paper-{name}", paragraphs=5)
        canonical = f'<link rel="canonical" href="{www}{path}">'
        amphtml = f'<link rel="amphtml" href="{amp}{path}">'
        extra = (
            f'<p><a href="{amp}{path}">Read the AMP version</a></p>' if name == "harbour" else ""
        )
        jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
        write(
            root,
            "paper",
            path,
            page(title, paragraphs, jsonld=jsonld, head=canonical + amphtml, body_extra=extra),
        )
        # the AMP copy: trimmed to four paragraphs, <html amp>; the mobile one: three
        write(
            root,
            "paper-amp",
            path,
            page(title, paragraphs[:4], jsonld=jsonld, head=canonical, html_attrs='amp lang="en"'),
        )
        write(root, "paper-m", path, page(title, paragraphs[:3], jsonld=jsonld, head=canonical))
    write_json(
        root,
        "paper-bare",
        "_routes.json",
        {path: {"redirect": www + path, "status": 301} for path in PAPER.values()},
    )


def politeness(root: Path) -> None:
    simple_site(root, "polite", POLITE_STORIES)
    write_json(root, "polite", "_site.json", {"latency": 0.15})
    simple_site(root, "slow", SLOW_STORIES, robots="User-agent: *\nCrawl-delay: 1\nAllow: /\n")


def build(root: Path) -> None:
    """Write every site under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hosts.json").write_text(json.dumps(HOSTS, indent=2), encoding="utf-8")
    politeness(root)
    blocking_sites(root)
    ledger(root)
    wirenews(root)
    courier(root)
    paper(root)
