"""Articles a page appends after its own (infinite scroll) are no part of its story."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from pipelines.extraction import core
from pipelines.extraction.core import extract_article
from pipelines.extraction.metadata import read_metadata
from pipelines.extraction.text import next_articles
from tests.support.pages import STORY

URL = "https://news.example.com/2024/05/12/harbour-bridge"
TITLE = "Council approves harbour bridge rebuild"
NEXT = [
    "The county's libraries will open on Sundays from next month, after a pilot scheme at "
    "three branches drew more visitors than any weekday during the winter term.",
    "Librarians said families and students made up most of the weekend readers, and that "
    "the study rooms were booked out within an hour of the doors opening each week.",
    "The extra hours will be paid for by closing two mobile library routes that served "
    "fewer than a dozen people a day, a trade-off that rural councillors opposed.",
    "A review of the scheme is planned for the end of the year, when the council will "
    "decide whether to extend Sunday opening to the smaller branches as well.",
]


def _article(title: str, paragraphs: list[str], day: str, tag: str = "article") -> str:
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<{tag}><h1>{title}</h1><p class='byline'>By Jane Doe</p>"
        f"<time datetime='2024-05-{day}'>May {day}, 2024</time><div>{story}</div></{tag}>"
    )


def _page(main: str) -> str:
    return (
        f"<html><head><title>{TITLE} | The Gazette</title>"
        f"<meta property='og:title' content='{TITLE}'></head><body>"
        "<header><h1 class='logo'>The Gazette</h1><nav><a href='/'>Home</a></nav></header>"
        f"<main>{main}</main><footer><p>© 2024 The Gazette</p></footer></body></html>"
    )


# the page's own story in a <div>, the one loaded below it in an <article>: trafilatura's
# first choice of container
SCROLLED = _page(
    _article(TITLE, STORY, "12", "div") + _article("Libraries to open on Sundays", NEXT, "11")
)


def test_the_next_article_appended_below_the_story_is_dropped() -> None:
    text = extract_article(SCROLLED, URL).text or ""
    assert all(paragraph in text for paragraph in STORY)
    assert not any(paragraph in text for paragraph in NEXT)


def test_without_the_rule_the_next_article_is_read_as_the_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(core, "drop_next_articles", lambda _tree, _titles: 0)
    text = extract_article(SCROLLED, URL).text or ""
    assert any(paragraph in text for paragraph in NEXT)  # the wrong output the rule fixes


def test_each_appended_article_is_dropped_in_a_feed_of_several() -> None:
    third = _article("Ferry timetable changes for summer", [p[::-1] for p in NEXT], "10")
    page = _page(_article(TITLE, STORY, "12") + _article("Libraries open", NEXT, "11") + third)
    tree = lxml_html.fromstring(page)
    assert [b.findtext("h1") for b in next_articles(tree, [TITLE])] == [
        "Libraries open",
        "Ferry timetable changes for summer",
    ]


def test_a_storys_sections_under_h1_headings_stay() -> None:
    sections = "".join(
        f"<section><h1>Part {i}</h1><time>May 12</time><p>{p}</p><p>{p}</p></section>"
        for i, p in enumerate(STORY)
    )
    page = _page(f"<article><h1>{TITLE}</h1><p>{STORY[0]}</p>{sections}</article>")
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_a_landing_pages_sections_without_an_article_or_a_date_stay() -> None:
    sections = "".join(
        f"<section><header><h1>Feature {i}</h1></header><p>{p}</p><p>{p}</p></section>"
        for i, p in enumerate(STORY)
    )
    page = _page(f"<div><h1>{TITLE}</h1><p>{STORY[0]}</p></div>{sections}")
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_the_story_under_a_site_name_heading_stays() -> None:
    page = _page(_article(TITLE, STORY, "12"))
    assert next_articles(lxml_html.fromstring(page), ["The Gazette"]) == []


def test_a_next_article_right_under_the_headline_is_not_taken_for_one() -> None:
    # no story between the headline and the block: the block is the story
    page = _page(f"<div><h1>{TITLE}</h1></div>" + _article("Libraries open", NEXT, "11"))
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_the_headline_repeated_after_the_story_is_no_next_article() -> None:
    page = _page(_article(TITLE, STORY, "12") + _article(TITLE, NEXT, "12"))
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_a_heading_inside_a_heading_has_its_entry_link_unwrapped_once() -> None:
    # a story appended inside a heading left open: its link was unwrapped twice, a crash
    page = _page(
        f"<h1>{TITLE}<div><h3><a href='#entry'>Entry</a></h3></div></h1>"
        + "".join(f"<p>{p}</p>" for p in STORY)
    )
    text = extract_article(page, URL).text or ""
    assert STORY[0] in text


# the story states no JSON-LD of its own; the article loaded below it does, in its body
NEXT_JSONLD = (
    "<script type='application/ld+json'>"
    '{"@context": "https://schema.org", "@type": "NewsArticle",'
    ' "headline": "Libraries to open on Sundays", "datePublished": "2024-05-11T09:00:00Z",'
    ' "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
)
STORY_OWN = (
    f"<div><h1>{TITLE}</h1><p class='byline'>By Ann Smith</p>"
    "<time datetime='2024-05-12'>May 12, 2024</time>"
    f"<div>{''.join(f'<p>{p}</p>' for p in STORY)}</div></div>"
)
APPENDED_WITH_JSONLD = _article("Libraries to open on Sundays", NEXT, "11").replace(
    "<article>", f"<article>{NEXT_JSONLD}"
)
SCROLLED_WITH_JSONLD = (
    f"<html><head><title>{TITLE} | The Gazette</title></head><body>"
    f"<main>{STORY_OWN}{APPENDED_WITH_JSONLD}</main></body></html>"
)


def test_the_appended_articles_metadata_is_read_on_the_whole_page() -> None:
    # the trap: read on the whole page, the markup names the appended article's
    meta = read_metadata(lxml_html.fromstring(SCROLLED_WITH_JSONLD), URL)
    assert meta.authors == ["Jane Doe"]
    assert meta.published_at is not None and meta.published_at.day == 11


def test_the_metadata_is_the_storys_own_when_an_article_is_appended() -> None:
    result = extract_article(SCROLLED_WITH_JSONLD, URL)
    assert result.title == TITLE
    assert result.authors == ["Ann Smith"]
    assert result.published_at is not None and result.published_at.date().isoformat() == (
        "2024-05-12"
    )


def _plain(title: str, paragraphs: list[str], top: str = "") -> str:
    """An appended article written in ``<div>``s: no ``<article>``, no ``<time>``."""
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<div class='post'><h1>{title}</h1>{top}<div>{story}</div></div>"


@pytest.mark.parametrize(
    "top",
    [
        "<p class='byline'>By Jane Doe</p>",
        "<p><a href='/author/jane-doe'>Jane Doe</a></p>",
        NEXT_JSONLD,
    ],
    ids=["byline", "author-link", "jsonld"],
)
def test_an_appended_article_without_article_or_time_is_known_by_its_own_metadata(
    top: str,
) -> None:
    page = _page(_article(TITLE, STORY, "12", "div") + _plain("Libraries open", NEXT, top))
    assert [b.findtext("h1") for b in next_articles(lxml_html.fromstring(page), [TITLE])] == [
        "Libraries open"
    ]


def test_the_storys_byline_is_read_when_the_appended_article_names_its_own() -> None:
    page = (
        f"<html><head><title>{TITLE} | The Gazette</title></head><body><main>"
        f"<div><h1>{TITLE}</h1><p>Story and photos by Ann Smith</p>"
        f"{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
        + _plain(
            "Libraries to open on Sundays", NEXT, f"<p class='byline'>By Jane Doe</p>{NEXT_JSONLD}"
        )
        + "</main></body></html>"
    )
    result = extract_article(page, URL)
    assert result.title == TITLE
    assert result.authors == ["Ann Smith"]
    assert not any(paragraph in (result.text or "") for paragraph in NEXT)


def test_a_storys_sections_under_h1_headings_without_a_byline_stay() -> None:
    sections = "".join(_plain(f"Part {i}", [p, p]) for i, p in enumerate(STORY))
    page = _page(f"<div><h1>{TITLE}</h1><p>{STORY[0]}</p></div>{sections}")
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_the_page_look_counts_stay_those_of_the_page_as_served() -> None:
    # the page-type model learnt from whole pages: only the metadata fields are the story's
    whole = read_metadata(lxml_html.fromstring(SCROLLED_WITH_JSONLD), URL)
    assert extract_article(SCROLLED_WITH_JSONLD, URL).signals == whole.signals


# the stated titles name neither <h1> (an appended page's markup misled them): the page's
# first <h1> heads the story only when a later one heads a story and an article of its own
MISLED = ["Weekend sport results and fixtures"]
UNTITLED_STORY = f"<div><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"


def _bare(main: str) -> str:
    return f"<html><head><title>Sport</title></head><body><main>{main}</main></body></html>"


def test_without_a_headline_alike_a_title_the_first_h1_heads_the_story() -> None:
    page = _bare(UNTITLED_STORY + _article("Libraries to open on Sundays", NEXT, "11"))
    assert [b.findtext("h1") for b in next_articles(lxml_html.fromstring(page), MISLED)] == [
        "Libraries to open on Sundays"
    ]


def test_a_sections_teaser_cards_under_an_h1_are_no_appended_article() -> None:
    # a service page: its blog section's <h1> heads cards, each an <article> of its own
    cards = "".join(f"<article><h3>Post {i}</h3><p>{p}</p></article>" for i, p in enumerate(NEXT))
    page = _bare(f"{UNTITLED_STORY}<section><h1>From our blog</h1>{cards}</section>")
    assert next_articles(lxml_html.fromstring(page), MISLED) == []


def test_a_page_with_one_h1_alike_no_title_keeps_its_story() -> None:
    page = _bare(UNTITLED_STORY + "<div>" + "".join(f"<p>{p}</p>" for p in NEXT) + "</div>")
    assert next_articles(lxml_html.fromstring(page), MISLED) == []


# a whole page loaded below the story (its site header, menu and footer): no <article>, no
# <time>, no byline; the og:title's words differ from the story's <h1>
SITE_HEADER = "<header><a href='/'>The Gazette</a><nav><a href='/news'>News</a></nav></header>"
WHOLE_PAGE_BELOW = (
    "<html><head><title>Harbour bridge rebuild approved | The Gazette</title>"
    "<meta property='og:title' content='Harbour bridge: councillors vote yes'></head><body>"
    f"{SITE_HEADER}<main><div><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
    "</main><footer><p>© 2024 The Gazette</p></footer>"
    f"<div>{SITE_HEADER}{_plain('Libraries to open on Sundays', NEXT)}"
    "<footer><p>© 2024 The Gazette</p></footer></div></body></html>"
)


def test_a_page_loaded_whole_below_the_story_is_known_by_its_site_header() -> None:
    tree = lxml_html.fromstring(WHOLE_PAGE_BELOW)
    assert [b.findtext(".//h1") for b in next_articles(tree, [TITLE])] == [
        "Libraries to open on Sundays"
    ]
    result = extract_article(WHOLE_PAGE_BELOW, URL)
    assert result.title == TITLE  # the appended <h1> made the og:title win
    assert all(paragraph in (result.text or "") for paragraph in STORY)
    assert not any(paragraph in (result.text or "") for paragraph in NEXT)


def _story_in_two_parts(heading: str, closing: str = "") -> str:
    """The story on a page of its own, its second part under ``heading`` (and ``closing``
    after it): a page with one site header and footer, whatever the parts carry."""
    return (
        f"<html><head><title>{TITLE}</title></head><body>"
        f"<div><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY[:4])}</div>"
        f"<div>{heading}{''.join(f'<p>{p}</p>' for p in STORY[3:])}{closing}</div>"
        "</body></html>"
    )


def test_a_sections_header_is_no_second_site_header() -> None:
    # a story's second part under an <h1> and a <header> of its own, on a page whose one
    # site header is that one (no banner above the story)
    page = _story_in_two_parts("<header><h1>Part two</h1></header>")
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []


def test_a_page_loaded_below_the_story_with_its_own_site_footer_is_another_pages() -> None:
    # the next page's content and footer loaded below the story, its header left out
    page = WHOLE_PAGE_BELOW.replace(f"<div>{SITE_HEADER}", "<div>", 1)
    tree = lxml_html.fromstring(page)
    assert [b.findtext(".//h1") for b in next_articles(tree, [TITLE])] == [
        "Libraries to open on Sundays"
    ]
    assert extract_article(page, URL).title == TITLE


def test_a_sections_footer_is_no_second_site_footer() -> None:
    # the story's second part under an <h1>, closed by a <footer> of its own, on a page
    # whose one site footer is that one
    page = _story_in_two_parts(
        "<h1>Part two</h1>", closing="<footer><p>Filed under Transport</p></footer>"
    )
    assert next_articles(lxml_html.fromstring(page), [TITLE]) == []
