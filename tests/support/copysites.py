"""Fixture sites for copies, edits and re-crawls, generated into a folder for
``tests/support/mockserver.py`` (hosts.json, one folder per site, ``_routes.json``).

The stories are the realistic texts of ``tests/fixtures/copies``:

- ``wire`` (start ``/sitemap.xml``, with ``lastmod``): the port-strike and tram wire
  stories, and a storm story served in two states (``storm``: "1", then "2" with a
  corrected figure, a new title and an update paragraph; the sitemap's state "2" gives
  it a newer ``lastmod``, written by the test when it switches).
- ``daily`` (start ``/``): the tram story verbatim (an exact copy on another site) and
  a different story on the same topic (the shopkeepers).
- ``gazette`` (start ``/feed.xml``, RSS): the port-strike story lightly edited (new
  intro, one paragraph added, ending trimmed) and a different story on the same topic
  (the farmers).
- ``ledger`` (start ``/``): ``FILLER`` distinct generated articles behind four section
  pages, a site that does not change between crawls.

Each site has its own template (navigation, related links, footer), so the archive
sees the same story through different boilerplate, as it does on the web.
"""

from __future__ import annotations

import json
import random
from html import escape
from pathlib import Path

COPIES = Path(__file__).resolve().parent.parent / "fixtures" / "copies"
HOSTS = {
    "wire": "127.0.0.11",
    "daily": "127.0.0.12",
    "gazette": "127.0.0.13",
    "ledger": "127.0.0.14",
}
STARTS = {"wire": "/sitemap.xml", "daily": "/", "gazette": "/feed.xml", "ledger": "/"}
SITE_NAMES = {
    "wire": "Northern Wire",
    "daily": "Aldmoor Daily",
    "gazette": "Vestby Gazette",
    "ledger": "The Quiet Ledger",
}
FILLER = 120
SECTIONS = 4
OLD_LASTMOD = "2024-08-26T09:00:00Z"
STORM_V1_LASTMOD = "2024-08-27T06:00:00Z"

# path -> (story file, published)
WIRE = {
    "/2024/08/26/port-halden-dockworkers-strike/": ("port-strike-wire", "2024-08-26T07:40:00Z"),
    "/2024/08/26/aldmoor-approves-tram-line/": ("tram-wire", "2024-08-26T08:15:00Z"),
}
STORM_PATH = "/2024/08/27/storm-cuts-power-on-northern-coast/"
DAILY = {
    "/2024/08/26/aldmoor-council-approves-tram/": ("tram-wire", "2024-08-26T11:00:00Z"),
    "/2024/08/27/kongsgate-shopkeepers-brace-for-works/": (
        "tram-shopkeepers",
        "2024-08-27T09:30:00Z",
    ),
}
GAZETTE = {
    "/2024/08/26/port-halden-strike-ships-queue/": ("port-strike-edited", "2024-08-26T12:00:00Z"),
    "/2024/08/27/farmers-fear-for-exports/": ("port-strike-farmers", "2024-08-27T10:00:00Z"),
}

# fmt: off
_SYLLABLES = (
    "ka", "ro", "mi", "ten", "sal", "vor", "lin", "det", "bra", "nus", "ek", "tor", "fal",
    "min", "gre", "hos", "pel", "dar", "ven", "sti", "lo", "mar", "quin", "ost", "rud", "bel",
    "tam", "jor", "fen", "ska", "dov",
)
# fmt: on


def story(name: str) -> tuple[str, list[str]]:
    """A story's title and paragraphs."""
    title, _, body = COPIES.joinpath(f"{name}.txt").read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()]


def filler_story(n: int) -> tuple[str, list[str]]:
    """A distinct, deterministic made-up story (no shared phrases with any other)."""
    rng = random.Random(n)
    words = ["".join(rng.sample(_SYLLABLES, rng.randint(1, 3))) for _ in range(400)]

    def sentence() -> str:
        text = " ".join(rng.choice(words) for _ in range(rng.randint(9, 18)))
        return text[0].upper() + text[1:] + "."

    title = f"Ledger report {n}: " + " ".join(rng.choice(words) for _ in range(5))
    return title, [" ".join(sentence() for _ in range(4)) for _ in range(5)]


def article_page(
    site: str, path: str, title: str, paragraphs: list[str], *, published: str, related: list[str]
) -> str:
    name = SITE_NAMES[site]
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "author": [{"@type": "Person", "name": f"{name} staff"}],
            "publisher": {"@type": "Organization", "name": name},
            "mainEntityOfPage": "{{base}}" + path,
        }
    )
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs)
    links = "\n".join(f'        <li><a href="{href}">More from {name}</a></li>' for href in related)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(title)} | {name}</title>
  <link rel="canonical" href="{{{{base}}}}{path}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{name}">
  <meta property="og:title" content="{escape(title)}">
  <meta property="article:published_time" content="{published}">
  <script type="application/ld+json">{jsonld}</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{name}</a>
  <nav><a href="/">Front page</a> <a href="/about/">About {name}</a></nav>
</header>
<main>
  <article class="story">
    <h1>{escape(title)}</h1>
    <div class="story-body">
{body}
    </div>
  </article>
  <aside class="related">
    <h2>Read next on {name}</h2>
    <ul>
{links}
    </ul>
  </aside>
</main>
<footer class="site-footer"><p>© 2024 {name}. All rights reserved.</p></footer>
</body>
</html>
"""


def listing_page(site: str, title: str, links: list[tuple[str, str]]) -> str:
    name = SITE_NAMES[site]
    items = "\n".join(f'    <li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(title)} | {name}</title>
<meta property="og:type" content="website"></head>
<body>
<header><a href="/">{name}</a></header>
<main>
  <h1>{escape(title)}</h1>
  <ul class="stories">
{items}
  </ul>
</main>
<footer><p>© 2024 {name}</p></footer>
</body>
</html>
"""


def sitemap(entries: list[tuple[str, str]]) -> str:
    urls = "\n".join(
        f"  <url><loc>{{{{base}}}}{path}</loc><lastmod>{lastmod}</lastmod></url>"
        for path, lastmod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def rss(site: str, items: list[tuple[str, str, str]]) -> str:
    entries = "\n".join(
        f"    <item><title>{escape(title)}</title><link>{{{{base}}}}{path}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"    <title>{SITE_NAMES[site]}</title><link>{{{{base}}}}/</link>\n{entries}\n"
        "</channel></rss>\n"
    )


def write(root: Path, site: str, path: str, content: str) -> None:
    relative = path.lstrip("/")
    file = root / site / (relative + "index.html" if path.endswith("/") else relative)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(content, encoding="utf-8")


def write_stories(root: Path, site: str, stories: dict[str, tuple[str, str]]) -> None:
    for path, (name, published) in stories.items():
        title, paragraphs = story(name)
        related = [p for p in stories if p != path]
        write(
            root,
            site,
            path,
            article_page(site, path, title, paragraphs, published=published, related=related),
        )


def write_storm_sitemap(root: Path, state: str, storm_lastmod: str) -> None:
    entries = [(path, OLD_LASTMOD) for path in WIRE] + [(STORM_PATH, storm_lastmod)]
    write(root, "wire", f"/sitemap-{state}.xml", sitemap(entries))


def build(root: Path, filler: int = FILLER) -> None:
    """Write the four sites under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hosts.json").write_text(json.dumps(HOSTS, indent=2), encoding="utf-8")
    for site in HOSTS:
        write(root, site, "/robots.txt", "User-agent: *\nAllow: /\n")
        write(root, site, "/about/", listing_page(site, f"About {SITE_NAMES[site]}", []))

    write_stories(root, "wire", WIRE)
    for state in ("1", "2"):
        title, paragraphs = story(f"storm-v{state}")
        page = article_page(
            "wire",
            STORM_PATH,
            title,
            paragraphs,
            published="2024-08-27T05:30:00Z",
            related=list(WIRE),
        )
        write(root, "wire", f"/stories/storm-v{state}.html", page)
    write_storm_sitemap(root, "1", STORM_V1_LASTMOD)
    write_storm_sitemap(root, "2", STORM_V1_LASTMOD)
    states = {"name": "storm", "files": {"1": "sitemap-1.xml", "2": "sitemap-2.xml"}}
    storm = {
        "name": "storm",
        "files": {"1": "stories/storm-v1.html", "2": "stories/storm-v2.html"},
    }
    (root / "wire" / "_routes.json").write_text(
        json.dumps({"/sitemap.xml": {"states": states}, STORM_PATH: {"states": storm}}),
        encoding="utf-8",
    )

    write_stories(root, "daily", DAILY)
    links = [(path, story(name)[0]) for path, (name, _) in DAILY.items()]
    write(root, "daily", "/", listing_page("daily", "Aldmoor Daily", links))

    write_stories(root, "gazette", GAZETTE)
    items = [
        (path, story(name)[0], f"Mon, {26 + i} Aug 2024 12:00:00 +0000")
        for i, (path, (name, _)) in enumerate(GAZETTE.items())
    ]
    write(root, "gazette", "/feed.xml", rss("gazette", items))

    ledger_paths = [f"/2024/07/{1 + n % 28:02d}/ledger-report-{n}/" for n in range(filler)]
    for n, path in enumerate(ledger_paths):
        title, paragraphs = filler_story(n)
        related = [ledger_paths[(n + k) % filler] for k in (1, 2, 3)]
        published = f"2024-07-01T{n % 24:02d}:00:00Z"
        page = article_page("ledger", path, title, paragraphs, published=published, related=related)
        write(root, "ledger", path, page)
    per_section = -(-filler // SECTIONS)
    sections = []
    for s in range(SECTIONS):
        chunk = ledger_paths[s * per_section : (s + 1) * per_section]
        links = [(path, filler_story(filler_index(path))[0]) for path in chunk]
        write(
            root, "ledger", f"/section/{s + 1}/", listing_page("ledger", f"Section {s + 1}", links)
        )
        sections.append((f"/section/{s + 1}/", f"Section {s + 1}"))
    write(root, "ledger", "/", listing_page("ledger", "The Quiet Ledger", sections))


def filler_index(path: str) -> int:
    return int(path.rstrip("/").rsplit("-", 1)[1])
