"""Generate a large news site on disk for crawls at scale (tests and benchmarks).

``generate_news_site(root, articles=N)`` writes a site the mock server can serve
(``python -m tests.support.mockserver --sites root``): a home page linking to section
pages, each listing its articles. Every article is a realistic news page (og:type
article, NewsArticle JSON-LD, byline, date, several paragraphs of text unique to
it) under a dated URL, so the extraction engine keeps it and the dedupe stage never
mistakes one for another. Sections and the home are listings, never archived.

The site is ``bignews`` on ``127.0.0.9`` unless told otherwise.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from html import escape
from pathlib import Path

WORDS = [
    "council",
    "budget",
    "harbour",
    "transport",
    "minister",
    "election",
    "festival",
    "river",
    "climate",
    "school",
    "hospital",
    "museum",
    "bridge",
    "railway",
    "farmers",
    "market",
    "university",
    "research",
    "court",
    "police",
    "library",
    "theatre",
    "stadium",
    "airport",
    "energy",
    "water",
    "housing",
    "tenants",
    "workers",
    "union",
    "strike",
    "parliament",
    "mayor",
    "village",
    "coast",
    "storm",
    "flood",
    "drought",
    "harvest",
    "vineyard",
    "orchestra",
    "archive",
    "journalist",
    "editor",
    "report",
    "inquiry",
    "agreement",
    "treaty",
    "summit",
    "delegation",
    "vote",
    "referendum",
    "tax",
    "pension",
    "wages",
    "prices",
    "inflation",
    "exports",
    "factory",
    "mine",
    "forest",
    "wildlife",
    "volunteers",
    "charity",
    "residents",
    "neighbourhood",
    "district",
    "province",
    "region",
    "capital",
    "ferry",
    "tunnel",
    "motorway",
    "cyclists",
    "pedestrians",
    "planning",
    "permit",
    "developers",
    "architects",
    "heritage",
]


@dataclass(frozen=True)
class GeneratedSite:
    root: Path
    name: str
    article_paths: tuple[str, ...]
    listing_paths: tuple[str, ...]

    @property
    def all_paths(self) -> tuple[str, ...]:
        return self.listing_paths + self.article_paths


def _paragraphs(rng: random.Random, index: int, count: int) -> list[str]:
    paragraphs = []
    for p in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(55, 80))]
        words[0] = words[0].capitalize()
        # A marker unique to the article keeps every text distinct whatever the dice say.
        words.insert(rng.randint(1, 10), f"(story {index}, part {p + 1})")
        paragraphs.append(" ".join(words) + ".")
    return paragraphs


def article_html(index: int, path: str, section: int, rng: random.Random) -> str:
    title = f"Story {index}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
    author = f"Reporter {index % 17}"
    date = f"2024-05-{1 + index % 28:02d}T{index % 24:02d}:15:00+00:00"
    body = "\n".join(f"<p>{escape(p)}</p>" for p in _paragraphs(rng, index, 6))
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": date,
            "author": {"@type": "Person", "name": author},
        }
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | Big News</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="Big News">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{{{{base}}}}{path}">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/section/{section}/">Section {section}</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By {author}, <time datetime="{date}">{date[:10]}</time></p>
{body}
</article></main>
<footer><p>Big News, all rights reserved.</p></footer>
</body></html>
"""


def listing_html(title: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Big News</title>
<meta property="og:type" content="website"></head>
<body><h1>{escape(title)}</h1><ul>
{items}
</ul></body></html>
"""


def generate_news_site(
    root: Path,
    *,
    articles: int = 220,
    per_section: int = 25,
    name: str = "bignews",
    ip: str = "127.0.0.9",
    seed: int = 7,
) -> GeneratedSite:
    """Write the site under ``root/name`` and ``root/hosts.json``; return what it holds."""
    site = root / name
    site.mkdir(parents=True, exist_ok=True)
    (root / "hosts.json").write_text(json.dumps({name: ip}), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    rng = random.Random(seed)
    sections = (articles + per_section - 1) // per_section
    article_paths: list[str] = []
    listing_paths = ["/"] + [f"/section/{s}/" for s in range(sections)]
    for s in range(sections):
        links = []
        for index in range(s * per_section, min(articles, (s + 1) * per_section)):
            path = f"/2024/05/{1 + index % 28:02d}/story-{index}.html"
            file = site / path.lstrip("/")
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(article_html(index, path, s, rng), encoding="utf-8")
            article_paths.append(path)
            links.append((path, f"Story {index}"))
        section_dir = site / "section" / str(s)
        section_dir.mkdir(parents=True, exist_ok=True)
        (section_dir / "index.html").write_text(
            listing_html(f"Section {s}", links), encoding="utf-8"
        )
    home_links = [(f"/section/{s}/", f"Section {s}") for s in range(sections)]
    (site / "index.html").write_text(listing_html("Big News", home_links), encoding="utf-8")
    return GeneratedSite(root, name, tuple(article_paths), tuple(listing_paths))


# Short headlines under a long site name: no page says which segment is the site's (no
# og:site_name, no <h1>, no stated headline, a host that spells nothing), so only the
# recurrence across the site's titles does. "Tram delays - again" keeps its own dash.
AFFIX_SITE_NAME = "Harbour Town Gazette"
AFFIX_HEADLINES = (
    "Harbour reopens",
    "Ferry strike",
    "Council votes",
    "Tram delays - again",
    "Museum expands",
    "Storm warning",
)


def affix_article_html(index: int, headline: str, path: str, rng: random.Random) -> str:
    date = f"2024-05-{1 + index:02d}T08:15:00+00:00"
    author = f"Reporter {index}"
    body = "\n".join(f"<p>{escape(p)}</p>" for p in _paragraphs(rng, index, 6))
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "datePublished": date,
            "author": {"@type": "Person", "name": author},
        }
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(headline)} | {AFFIX_SITE_NAME}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{{{{base}}}}{path}">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><article>
<h2 class="headline">{escape(headline)}</h2>
<p class="byline">By {author}, <time datetime="{date}">{date[:10]}</time></p>
{body}
</article></main>
<footer><p>All rights reserved.</p></footer>
</body></html>
"""


def generate_affix_site(
    root: Path, *, name: str = "gazette", ip: str = "127.0.0.23", seed: int = 11
) -> dict[str, str]:
    """Write a site whose every ``<title>`` is "Headline | Harbour Town Gazette" under
    ``root/name`` (and ``root/hosts.json``); return each article's path and headline."""
    site = root / name
    site.mkdir(parents=True, exist_ok=True)
    (root / "hosts.json").write_text(json.dumps({name: ip}), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    rng = random.Random(seed)
    articles: dict[str, str] = {}
    for index, headline in enumerate(AFFIX_HEADLINES):
        slug = "-".join(word for word in headline.lower().split() if word.isalpha())
        path = f"/2024/05/{1 + index:02d}/{slug}.html"
        file = site / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(affix_article_html(index, headline, path, rng), encoding="utf-8")
        articles[path] = headline
    links = [(path, headline) for path, headline in articles.items()]
    (site / "index.html").write_text(listing_html(AFFIX_SITE_NAME, links), encoding="utf-8")
    return articles
