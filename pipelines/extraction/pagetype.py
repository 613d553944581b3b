"""classify_page(): archive this page as an article, or only follow its links?

It weighs the signals a reader would trust, strongest first: the page's own structured
markup (JSON-LD @type, og:type), then the URL's shape (a date and a slug; /tag/, /author/,
/search, /page/N), then the extracted text (length, share of anchor text). It leans towards
"skip": a listing archived as an article pollutes the archive, while a skipped article is
usually reached again through another listing.

Last, a page the rules would archive is weighed by a small multinomial logistic model of
the page's look over the page types (``pagetype_model.json``, trained by ``python -m
bench.train_pagetype`` on the tuning part of the development corpora): many <time>
elements (a forum thread), many <code> blocks (a manual), price and cart classes (a shop),
no stated date or author... A page the model finds very unlike an article is skipped as
``skip:not_article_like``. After it, a page whose URL files it as one item of a shop's
products, a firm's services or a forum's threads (a slug right under /products/, /services/,
/threads/) is skipped unless its markup declares an article: a rule the model does not see,
so it still learns those pages' look from them.

A page whose markup attests an article (an editorial article type with its date and author
stated) passes with a shorter text and despite a listing-shaped URL. A FAQPage beside an
author (stated or in a byline) is a signed piece's closing questions, not a page of
questions.

Text size is counted in words, and in characters for scripts written without spaces
(Chinese, Japanese, Thai, Lao, Burmese, Khmer; Korean syllables alike), two to a word
(``pipelines.extraction.words``, the one count the title rules read too), so no threshold
is one only a spaced language can pass. The floors of a page marked as an article (a
brief's) count a spaced text by its letters, in words of English, so the same brief in
German, Finnish or Polish, written in fewer, longer words, is not shorter than in English.

Reasons returned (stable, machine-friendly):
article:jsonld, article:og_type, article:dated_url+long_text, article:long_text, and
skip:<reason> for a page that is none, its reason an archive.outcomes.SkipReason
(``Verdict.skip``): no_text, listing, service_page, non_article_type, link_dense, too_short,
not_article_like.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from archive.outcomes import SkipReason
from pipelines.extraction.metadata import ARTICLE_TYPES, CHAR_SIGNALS
from pipelines.extraction.model import Extracted, Verdict
from pipelines.extraction.words import has_unspaced, word_length

LISTING_TYPES = frozenset(
    {"CollectionPage", "SearchResultsPage", "ItemList", "Blog", "SiteNavigationElement"}
)
NON_ARTICLE_TYPES = frozenset(
    {
        "ProfilePage",
        "AboutPage",
        "ContactPage",
        "Product",
        "Event",
        "Recipe",
        "JobPosting",
        "FAQPage",
    }
)
# article types a forum or social network gives every user's post: dated and signed, not edited
POSTING_TYPES = frozenset({"DiscussionForumPosting", "SocialMediaPosting"})
NON_ARTICLE_OG = ("profile", "video", "music", "product", "book", "business", "place", "game")

MAX_LINK_DENSITY_MARKED = 0.7  # a deals or link roundup is still an article
MAX_LINK_DENSITY = 0.5
# the page says it is an article: a short brief still counts (these three counted by
# letters, in words of English: ``text_words(by_letters=True)``)
MIN_WORDS_MARKED = 50
MIN_WORDS_PAYWALLED = 15  # ...and behind a paywall: its teaser is kept, flagged
MIN_WORDS_ATTESTED = 20  # ...and with its date and author stated too (``attested_article``)
MIN_WORDS_DATED = 120
MIN_WORDS_UNMARKED = 250
MIN_WORDS_WEBSITE = 400  # og:type "website" leans towards a section front
MAX_LINK_DENSITY_UNMARKED = 0.25
MAX_SEGMENT_CHARS = 200  # bounds the slug regex on hostile URLs

_LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "author",
        "authors",
        "search",
        "label",
        "labels",
        "page",
    }
)
# these also name the folders of some sites' article URLs (/sections/health/2019/...), so they
# mark a listing only near the end of an undated path
_WEAK_LISTING_SEGMENTS = frozenset(
    {"topic", "topics", "section", "sections", "archive", "archives", "feed", "rss"}
)
# the name of a site's section of stories: as the last segment of an undated path, the section's
# front page (/news, /blog/), which lists its stories
_SECTION_FRONT_SEGMENTS = frozenset(
    {"news", "blog", "blogs", "articles", "stories", "posts", "insights", "press", "magazine"}
)
_SERVICE_SEGMENTS = frozenset(
    {
        "about", "about-us", "contact", "contact-us", "imprint", "impressum", "privacy",
        "privacy-policy", "terms", "terms-of-service", "legal", "careers", "jobs", "advertise",
        "subscribe", "subscription", "login", "signin", "sign-in", "register", "account",
        "newsletter", "newsletters", "faq", "help",
    }
)  # fmt: skip
# the folder a site keeps one kind of non-article page in, one page a slug: a shop's products,
# a firm's services, a forum's threads (/products/blue-mug, /services/seo-audit, /threads/slug.123)
_ITEM_FOLDERS = frozenset({"product", "products", "service", "services", "thread", "threads"})
_SEARCH_PARAMS = frozenset({"s", "q", "query", "search", "keyword", "keywords"})
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])(?:/(?:0?[1-9]|[12]\d|3[01]))?/(?=.)")
_DATED_TOKEN = re.compile(
    r"(?<!\d)(?:19|20)\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}|[a-z]{4,}\d*\.s?html?$|\d{5,}", re.I)


def path_segments(url: str) -> list[str]:
    """Lower-cased, non-empty path segments of a URL."""
    return [s for s in urlsplit(url).path.lower().split("/") if s]


def has_slug(url: str) -> bool:
    """Whether the last path segment names one item (a slug, an .html file, a long id)."""
    segments = path_segments(url)
    return bool(segments) and bool(_SLUG.search(segments[-1][:MAX_SEGMENT_CHARS]))


def is_dated_url(url: str) -> bool:
    """A URL carrying a publication date followed by a slug: /2024/05/12/slug, /20240512-x."""
    path = urlsplit(url).path
    if _DATED_PATH.search(path):
        return has_slug(url)
    return bool(_DATED_TOKEN.search(path)) and has_slug(url)


def is_listing_url(url: str) -> bool:
    """Home page, tag/category/author/search/pagination URLs, a section's front page
    (/news, /blog/), or a bare date archive."""
    parts = urlsplit(url)
    segments = path_segments(url)
    if not segments:
        return True
    if _LISTING_SEGMENTS.intersection(segments):
        return True
    if _WEAK_LISTING_SEGMENTS.intersection(segments[-2:]) and not is_dated_url(url):
        return True
    if segments[-1] in _SECTION_FRONT_SEGMENTS and not is_dated_url(url):
        return True
    if _SEARCH_PARAMS.intersection(parse_qs(parts.query)):
        return True
    return all(s.isdigit() for s in segments) and not has_slug(url)


def is_service_url(url: str) -> bool:
    """About, contact, legal, account and subscription pages."""
    segments = path_segments(url)
    return bool(segments) and segments[-1].rsplit(".", 1)[0] in _SERVICE_SEGMENTS


def is_item_url(url: str) -> bool:
    """A product, service or forum thread page: a slug right under a folder of such pages
    (``_ITEM_FOLDERS``)."""
    segments = path_segments(url)
    return len(segments) >= 2 and segments[-2] in _ITEM_FOLDERS and has_slug(url)


# ---------------------------------------------------------------- text size


def text_words(doc: Extracted, *, by_letters: bool = False) -> float:
    """The text's length in words, counting unspaced scripts by their characters
    (``words.word_length``; a Lao, Burmese or Khmer story read as a handful of "words" was
    short); ``by_letters``, its spaced words by their letters, in words of English."""
    if by_letters or has_unspaced(doc.text):
        return word_length(doc.text, by_letters=by_letters)
    return float(doc.word_count)


# ---------------------------------------------------------------- the page-look model

MODEL_PATH = Path(__file__).with_name("pagetype_model.json")
# sentence ends of Latin, CJK (fullwidth), Arabic, Urdu and Devanagari text
_SENTENCE_MARKS = ".!?\u3002\uff01\uff1f\u061f\u06d4\u0964"
_SENTENCE_PUNCTUATION = re.compile(f"[{_SENTENCE_MARKS}]")
# a line ends a sentence on one of them or on a closing quote (", \u201d, \u00bb, \u300d, \u300f)
_SENTENCE_END = frozenset(_SENTENCE_MARKS + '"\u201d\u00bb\u300d\u300f')
SHORT_LINE_CHARS = 60
# the model weighs the log of a page's <div> count, which only its upper tail tells apart
# (page builders, manuals' templates); under this many it counts as this many, so a bare
# page of no <div> (1% of the tuning pages) is not pushed far towards "article"
FEW_DIVS = 10.0

# Words that name what a site section holds, in a URL path segment or as the host's first
# label (docs.example.org, forum.example.com): generic vocabulary of web publishing, never a
# site's name. The model learns how much each group weighs.
URL_WORD_GROUPS: dict[str, frozenset[str]] = {
    "doc": frozenset(
        {
            "docs", "doc", "documentation", "manual", "manuals", "reference", "api", "help",
            "support", "kb", "knowledge-base", "knowledgebase", "wiki", "guide", "guides",
            "learn", "tutorial", "tutorials", "faq", "faqs", "developer", "developers", "sdk",
            "howto", "how-to",
        }
    ),
    "service": frozenset(
        {
            "pricing", "price", "prices", "features", "feature", "solutions", "solution",
            "services", "service", "plans", "platform", "enterprise", "customers",
            "integrations", "demo", "company", "about", "contact", "industries", "use-cases",
            "why",
        }
    ),
    "shop": frozenset(
        {
            "shop", "store", "buy", "cart", "product", "products", "collections", "collection",
            "item", "items", "p", "dp", "catalog", "category", "categories", "brand", "brands",
        }
    ),
    "forum": frozenset(
        {
            "forum", "forums", "thread", "threads", "community", "questions", "question",
            "discussion", "discussions", "t", "topic", "topics", "board", "boards",
            "viewtopic", "showthread", "answers",
        }
    ),
    "article": frozenset(
        {
            "blog", "blogs", "news", "article", "articles", "story", "stories", "post", "posts",
            "opinion", "insights", "press", "magazine", "features", "politics", "world",
            "science", "health", "business", "sport", "sports", "culture",
        }
    ),
}  # fmt: skip
# schema.org types the model weighs one by one (any other type counts for nothing)
SCHEMA_TYPES = (
    "WebPage", "TechArticle", "Product", "FAQPage", "SoftwareApplication", "Organization",
    "BreadcrumbList", "HowTo", "Course", "Service", "Offer", "DiscussionForumPosting",
    "QAPage", "NewsArticle", "BlogPosting", "Article", "WebSite", "ItemList", "VideoObject",
    "Person", "CollectionPage", "Question", "LocalBusiness", "Corporation", "ImageObject",
    "SiteNavigationElement", "ReportageNewsArticle", "AnalysisNewsArticle", "Review",
)  # fmt: skip
_SLUG_WORDS = re.compile(r"[-_]")


def url_features(url: str) -> dict[str, float]:
    """The URL's section words (``URL_WORD_GROUPS``, in the path or the host's first label),
    the number of words in its last segment (a slug of a title has many), a query string."""
    parts = urlsplit(url)
    segments = path_segments(url)
    first_label = (parts.hostname or "").split(".", 1)[0]
    features = {}
    for group, words in URL_WORD_GROUPS.items():
        features["u_" + group] = float(not words.isdisjoint(segments))
        features["uh_" + group] = float(first_label in words)
    last = segments[-1][:MAX_SEGMENT_CHARS] if segments else ""
    features["u_lastwords"] = math.log1p(len(_SLUG_WORDS.split(last)) if last else 0)
    features["u_query"] = float(bool(parts.query))
    return features


def text_shares(signals: dict[str, float]) -> dict[str, float]:
    """The shares of the page's text in headings and in list items (of the text in
    paragraphs, headings and list items), and its link text per paragraph character."""
    body = max(1.0, signals["p_chars"] + signals["h_chars"] + signals["li_chars"])
    return {
        "heading_share": signals["h_chars"] / body,
        "item_share": signals["li_chars"] / body,
        "links_per_paragraph": signals["a_chars"] / max(1.0, signals["p_chars"]),
    }


def line_shape(text: str, lines: list[str]) -> dict[str, float]:
    """The extracted text's shape in characters: its median line, its share of short lines
    (headings, labels, buttons) and its sentence punctuation per hundred characters."""
    lengths = sorted(len(line) for line in lines)
    return {
        "line_median": math.log1p(lengths[len(lengths) // 2] if lengths else 0),
        "short_lines": sum(n < SHORT_LINE_CHARS for n in lengths) / max(1, len(lengths)),
        "punctuation": len(_SENTENCE_PUNCTUATION.findall(text)) / max(1, len(text)) * 100,
    }


def page_features(doc: Extracted, url: str | None) -> dict[str, float]:
    """What the model weighs: the page's structure counts, its text's shape, markup, URL."""
    signals = doc.signals
    features = {
        name: math.log1p(value) for name, value in signals.items() if name not in CHAR_SIGNALS
    }
    for name in ("stated_date", "stated_author"):
        features[name] = signals.get(name, 0.0)
    if signals:
        features["div"] = math.log1p(max(signals.get("div", 0.0), FEW_DIVS))
        features.update(text_shares(signals))
    lines = [line for line in doc.text.split("\n") if line.strip()]
    features["lines"] = math.log1p(len(lines))
    features["chars"] = math.log1p(len(doc.text))
    features["avgline"] = math.log1p(len(doc.text) / max(1, len(lines)))
    features["sentences"] = sum(line.rstrip()[-1:] in _SENTENCE_END for line in lines) / max(
        1, len(lines)
    )
    features.update(line_shape(doc.text, lines))
    features["link_density"] = doc.link_density
    features["authors"] = float(bool(doc.authors))
    og_type = (doc.og_type or "").lower()
    features["og_article"] = float(og_type == "article")
    features["og_website"] = float(og_type == "website")
    features["jsonld_article"] = float(bool(ARTICLE_TYPES & set(doc.jsonld_types)))
    features["dated_url"] = float(bool(url) and is_dated_url(url or ""))
    features["slug"] = float(bool(url) and has_slug(url or ""))
    features["depth"] = float(len(path_segments(url))) if url else 0.0
    if url:
        features.update(url_features(url))
    types = set(doc.jsonld_types)
    for name in SCHEMA_TYPES:
        features["s_" + name] = float(name in types)
    return features


@cache
def _model() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return loaded


def min_article_likeness() -> float:
    """The likeness under which a page is skipped: chosen with the model, by
    cross-validation by domain on the tuning part (``bench/train_pagetype.py``)."""
    return float(_model()["threshold"])


# the likeness a page must reach for a collapsed text on a page declaring no article to be
# completed from a reading of another layout (``fallback.fuller_from_modes``): forums,
# service pages and shops have the collapse shape too (a question without its answers)
CLEARLY_ARTICLE_LIKE = 0.8


def clearly_article_like(doc: Extracted, url: str | None) -> bool:
    """Whether the page-look model finds the page an article well over its skip bound
    (``CLEARLY_ARTICLE_LIKE``)."""
    return bool(doc.signals) and article_likeness(doc, url) >= CLEARLY_ARTICLE_LIKE


def article_likeness(doc: Extracted, url: str | None) -> float:
    """The model's probability that a page looking like this one is an article (0..1).

    The model weighs each page type (article, forum, product, collection, listing,
    documentation, service: ``classes``) by its own weights; the likeness is the article
    type's share of the softmax."""
    model = _model()
    features = page_features(doc, url)
    scores = list(model["bias"])
    for name, (mean, scale, *weights) in model["weights"].items():
        value = (features.get(name, 0.0) - mean) / scale
        for index, weight in enumerate(weights):
            scores[index] += weight * value
    top = max(scores)
    odds = [math.exp(score - top) for score in scores]
    return float(odds[model["classes"].index("article")] / sum(odds))


# ---------------------------------------------------------------- rules


def attested_article(doc: Extracted) -> bool:
    """The page's markup declares an editorial article (og:type, or a JSON-LD article type
    other than a user's forum or social post) and states its published date and its author:
    evidence that listings, shops and service pages rarely carry together."""
    signals = doc.signals
    editorial = (doc.og_type or "").lower() == "article" or bool(
        (ARTICLE_TYPES - POSTING_TYPES) & set(doc.jsonld_types)
    )
    return (
        editorial and signals.get("stated_date", 0.0) > 0 and signals.get("stated_author", 0.0) > 0
    )


def overrules_url(doc: Extracted) -> bool:
    """The page's markup declares an article strongly enough to outweigh a URL shaped like
    another kind of page: a JSON-LD article type beside og:type article, or an attested
    article (``attested_article``)."""
    declared = bool(ARTICLE_TYPES & set(doc.jsonld_types)) and (
        (doc.og_type or "").lower() == "article"
    )
    return declared or attested_article(doc)


def non_article_types(doc: Extracted) -> set[str]:
    """The page's JSON-LD types that say it is no article (``NON_ARTICLE_TYPES``).

    A ``FAQPage`` beside an author, stated in the markup or shown in a byline, is a signed
    piece's closing questions (SEO plugins mark them on any page), not a page of questions:
    it does not count then."""
    types = set(NON_ARTICLE_TYPES & set(doc.jsonld_types))
    if doc.signals.get("stated_author", 0.0) > 0 or doc.authors:
        types.discard("FAQPage")
    return types


def markup_verdict(doc: Extracted, url: str | None) -> Verdict | None:
    """What the page's structured markup says, if it says anything decisive."""
    types = set(doc.jsonld_types)
    og_type = (doc.og_type or "").lower()
    article_jsonld = bool(ARTICLE_TYPES & types)
    if url and is_service_url(url) and not article_jsonld:
        return Verdict.skipped(SkipReason.SERVICE_PAGE)
    if url and is_listing_url(url) and not overrules_url(doc):
        return Verdict.skipped(SkipReason.LISTING)
    if not article_jsonld and LISTING_TYPES & types:
        return Verdict.skipped(SkipReason.LISTING)
    if not article_jsonld and (non_article_types(doc) or og_type.startswith(NON_ARTICLE_OG)):
        return Verdict.skipped(SkipReason.NON_ARTICLE_TYPE)
    return None


def marked_reason(doc: Extracted) -> str | None:
    """The article reason the page's own markup supports, if any."""
    if ARTICLE_TYPES & set(doc.jsonld_types):
        return "article:jsonld"
    if (doc.og_type or "").lower() == "article":
        return "article:og_type"
    return None


def min_words_marked(doc: Extracted) -> int:
    """The shortest text a page whose markup declares an article is archived with, in words
    of English by its letters (``text_words``)."""
    if doc.paywalled:
        return MIN_WORDS_PAYWALLED
    return MIN_WORDS_ATTESTED if attested_article(doc) else MIN_WORDS_MARKED


def text_verdict(doc: Extracted, url: str | None) -> Verdict:
    """Decide on markup strength, URL date and the size and link share of the text."""
    words = text_words(doc)
    marked = marked_reason(doc)
    if marked is not None:
        if doc.link_density > MAX_LINK_DENSITY_MARKED:
            return Verdict.skipped(SkipReason.LINK_DENSE)
        if text_words(doc, by_letters=True) < min_words_marked(doc):
            return Verdict.skipped(SkipReason.TOO_SHORT)
        return Verdict(True, marked)
    if doc.link_density > MAX_LINK_DENSITY:
        return Verdict.skipped(SkipReason.LINK_DENSE)
    if url and is_dated_url(url) and words >= MIN_WORDS_DATED:
        return Verdict(True, "article:dated_url+long_text")
    if doc.link_density > MAX_LINK_DENSITY_UNMARKED:
        return Verdict.skipped(SkipReason.LINK_DENSE)
    if (doc.og_type or "").lower() == "website" and words < MIN_WORDS_WEBSITE:
        return Verdict.skipped(
            SkipReason.NON_ARTICLE_TYPE if words >= MIN_WORDS_UNMARKED else SkipReason.TOO_SHORT
        )
    if words >= MIN_WORDS_UNMARKED:
        return Verdict(True, "article:long_text")
    return Verdict.skipped(SkipReason.TOO_SHORT)


def rule_verdict(doc: Extracted, url: str | None) -> Verdict:
    """The hand-written rules alone (markup, URL, text size), before the page-look model."""
    if not doc.text.strip():
        return Verdict.skipped(SkipReason.NO_TEXT)
    return markup_verdict(doc, url) or text_verdict(doc, url)


def classify_page(doc: Extracted, url: str | None) -> Verdict:
    """Is this an article worth archiving, or a page to follow but not archive?

    ``url`` is where the page was fetched from; without one (a saved file), its shape is
    not weighed.
    """
    verdict = rule_verdict(doc, url)
    if verdict.is_article and doc.signals and article_likeness(doc, url) < min_article_likeness():
        return Verdict.skipped(SkipReason.NOT_ARTICLE_LIKE)
    if verdict.is_article and url and is_item_url(url) and not overrules_url(doc):
        return Verdict.skipped(SkipReason.NON_ARTICLE_TYPE)
    return verdict
