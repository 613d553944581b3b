"""Pages that say they are behind a paywall, and live blogs' update times
(pipelines/extraction/pagestate.py), through extract_article and classify_page."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines.extraction import classify_page, extract_article

STORY = " ".join(f"The harbour board met on day {n} to discuss the cranes." for n in range(12))


def page(head: str = "", body: str = f"<p>{STORY}</p>", jsonld: dict | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return (
        f"<html lang='en'><head><title>Harbour cranes</title>{head}{script}</head>"
        f"<body><article><h1>Harbour cranes</h1>{body}</article></body></html>"
    )


NEWS = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour cranes"}


@pytest.mark.parametrize(
    "html",
    [
        page(jsonld={**NEWS, "isAccessibleForFree": False}),
        page(jsonld={**NEWS, "isAccessibleForFree": "False"}),
        page(jsonld={**NEWS, "isAccessibleForFree": "https://schema.org/False"}),
        page(
            jsonld={
                "@graph": [
                    {
                        **NEWS,
                        "isAccessibleForFree": True,
                        "hasPart": [
                            {
                                "@type": "WebPageElement",
                                "isAccessibleForFree": "false",
                                "cssSelector": ".paywall",
                            }
                        ],
                    }
                ]
            }
        ),
        page('<meta itemprop="isAccessibleForFree" content="False">'),
        page(
            body=f'<p>{STORY}</p><link itemprop="isAccessibleForFree" href="http://schema.org/False">'
        ),
        page('<meta property="article:content_tier" content="locked">'),
    ],
    ids=["jsonld", "jsonld-string", "jsonld-url", "hasPart", "microdata", "microdata-link", "tier"],
)
def test_a_page_that_declares_its_content_not_free_is_paywalled(html):
    assert extract_article(html, "https://n.example/2024/05/12/cranes/").paywalled


@pytest.mark.parametrize(
    "html",
    [
        page(jsonld={**NEWS, "isAccessibleForFree": True}),
        page('<meta property="article:content_tier" content="metered">'),
        page(body=f"<p>{STORY}</p><p>Subscribe for more harbour news.</p>"),
    ],
    ids=["free", "metered", "no-markup"],
)
def test_other_pages_are_not(html):
    assert not extract_article(html, "https://n.example/2024/05/12/cranes/").paywalled


def test_a_paywalled_teaser_is_an_article_though_short():
    teaser = (
        "<p>The harbour board met on Monday to discuss the cranes and the quay, and what the"
        " council had kept from the public for two years before the report came out.</p>"
    )
    free = extract_article(page(jsonld=NEWS, body=teaser), "https://n.example/2024/05/12/cranes/")
    walled = extract_article(
        page(jsonld={**NEWS, "isAccessibleForFree": False}, body=teaser),
        "https://n.example/2024/05/12/cranes/",
    )
    url = "https://n.example/2024/05/12/cranes/"
    assert classify_page(free, url).reason == "skip:too_short"
    assert classify_page(walled, url).is_article


def test_a_live_blog_changed_when_its_newest_update_was_posted():
    live = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "Budget day live",
        "datePublished": "2024-06-03T08:45:00+00:00",
        "dateModified": "2024-06-03T09:00:00+00:00",
        "liveBlogUpdate": [
            {"@type": "BlogPosting", "datePublished": "2024-06-03T10:30:00+02:00"},
            {"@type": "BlogPosting", "datePublished": "2024-06-03T09:15:00Z"},
            {"@type": "BlogPosting", "datePublished": "not a date"},
            "junk",
        ],
    }
    doc = extract_article(page(jsonld=live), "https://n.example/2024/06/03/budget-live/")
    assert doc.modified_at == datetime(2024, 6, 3, 9, 15, tzinfo=UTC)
    assert "LiveBlogPosting" in doc.jsonld_types
    # an update dated by an epoch number (a JSON number, not a string) is read too
    live["liveBlogUpdate"].append({"@type": "BlogPosting", "dateModified": 1717408800})
    doc = extract_article(page(jsonld=live), "https://n.example/2024/06/03/budget-live/")
    assert doc.modified_at == datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
    # an article's own updates list is not read unless it is a live blog
    news = {**NEWS, "liveBlogUpdate": live["liveBlogUpdate"]}
    assert extract_article(page(jsonld=news), "https://n.example/a/").modified_at is None
