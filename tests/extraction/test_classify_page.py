"""classify_page(): articles pass, listings, tag/search/author/about pages do not."""

from __future__ import annotations

import json

import pytest

from pipelines.extraction import Extracted, classify_page, extract_article
from pipelines.extraction.pagetype import is_dated_url, is_listing_url
from tests.support.pages import STORY, build_page

ARTICLE_URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"
WORDS = " ".join(STORY)  # about 180 words


def doc(
    text: str = WORDS,
    *,
    og_type: str | None = None,
    jsonld_types: list[str] | None = None,
    link_density: float = 0.0,
) -> Extracted:
    return Extracted(
        url=None,
        text=text,
        og_type=og_type,
        jsonld_types=jsonld_types or [],
        link_density=link_density,
        word_count=len(text.split()),
    )


@pytest.mark.parametrize(
    ("page", "url", "reason"),
    [
        (
            doc(jsonld_types=["WebSite", "NewsArticle"]),
            "https://x.com/news/bridge",
            "article:jsonld",
        ),
        (doc(jsonld_types=["ReportageNewsArticle"]), "https://x.com/news/bridge", "article:jsonld"),
        (doc(og_type="article"), "https://x.com/news/bridge", "article:og_type"),
        (doc(), ARTICLE_URL, "article:dated_url+long_text"),
        (
            doc(),
            "https://x.com/news/20240512-harbour-bridge-rebuild",
            "article:dated_url+long_text",
        ),
        (doc(WORDS * 2), "https://x.com/news/harbour-bridge-rebuild", "article:long_text"),
    ],
)
def test_articles(page, url, reason):
    assert classify_page(page, url).is_article
    assert classify_page(page, url).reason == reason


@pytest.mark.parametrize(
    ("page", "url", "reason"),
    [
        (doc(""), ARTICLE_URL, "skip:no_text"),
        (doc(), "https://x.com/tag/bridges/", "skip:listing"),
        (doc(), "https://x.com/category/local/page/2/", "skip:listing"),
        (doc(), "https://x.com/author/jane-doe/", "skip:listing"),
        (doc(), "https://x.com/search?q=bridge", "skip:listing"),
        (doc(), "https://x.com/?s=bridge", "skip:listing"),
        (doc(), "https://x.com/", "skip:listing"),
        (doc(), "https://x.com/2024/05/", "skip:listing"),
        (doc(og_type="article"), "https://x.com/topics/transport", "skip:listing"),
        (doc(), "https://x.com/about-us/", "skip:service_page"),
        (doc(jsonld_types=["CollectionPage"]), "https://x.com/local/", "skip:listing"),
        (doc(jsonld_types=["ProfilePage"]), "https://x.com/people/jane", "skip:non_article_type"),
        (doc(og_type="profile"), "https://x.com/people/jane", "skip:non_article_type"),
        (doc(link_density=0.6), ARTICLE_URL, "skip:link_dense"),
        (doc(og_type="article", link_density=0.8), "https://x.com/news/bridge", "skip:link_dense"),
        (doc(STORY[0]), ARTICLE_URL, "skip:too_short"),
        (doc(STORY[0], jsonld_types=["NewsArticle"]), "https://x.com/news/b", "skip:too_short"),
        (doc(og_type="website"), "https://x.com/local", "skip:too_short"),
        (doc(WORDS * 2, og_type="website"), "https://x.com/local", "skip:non_article_type"),
        (doc(WORDS * 2, link_density=0.3), "https://x.com/local", "skip:link_dense"),
    ],
)
def test_non_articles(page, url, reason):
    verdict = classify_page(page, url)
    assert not verdict.is_article
    assert verdict.reason == reason


def test_article_jsonld_and_og_overrule_an_odd_listing_shaped_url():
    page = doc(jsonld_types=["NewsArticle"], og_type="article")
    assert classify_page(page, "https://x.com/category/local/bridge-vote-ends-dispute").is_article


@pytest.mark.parametrize(
    "url",
    [
        "https://www.npr.org/sections/health-shots/2019/11/18/780265063/why-the-bridge-matters",
        "https://x.com/news/world/2019/11/18/a-story.html",
        "https://x.com/archive/2019/11/18/long-slug-of-a-story",
    ],
)
def test_article_urls_with_listing_words_in_their_folders(url):
    assert is_dated_url(url)
    assert not is_listing_url(url)


def listing_page() -> str:
    teasers = "".join(
        f"<div class='teaser'><h2><a href='/2024/05/{d:02d}/story-number-{d}'>Headline of story "
        f"number {d} about the harbour</a></h2><p><a href='/2024/05/{d:02d}/story-number-{d}'>"
        f"A short summary of the story number {d}, read on</a></p></div>"
        for d in range(1, 25)
    )
    meta = (
        "<meta property='og:type' content='website'>"
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "name": "Local"})
        + "</script>"
    )
    return (
        f"<html lang='en'><head><title>Local news</title>{meta}</head><body><main>"
        f"<h1>Local news</h1>{teasers}</main></body></html>"
    )


def test_end_to_end_listing_page_is_skipped():
    extracted = extract_article(listing_page(), "https://news.example.com/local/")
    assert not classify_page(extracted, "https://news.example.com/local/").is_article


def test_end_to_end_unmarked_article_passes():
    html = build_page(paragraphs=STORY * 2)
    extracted = extract_article(html, "https://news.example.com/local/harbour-bridge-rebuild")
    verdict = classify_page(extracted, "https://news.example.com/local/harbour-bridge-rebuild")
    assert verdict == classify_page(
        extracted, "https://news.example.com/local/harbour-bridge-rebuild"
    )
    assert verdict.is_article, verdict
