"""The published-date policy, and the cheap paths that must give the same answers as the
costly ones they stand in for (issue 17's cost work, docs/extraction.md "What it costs")."""

from __future__ import annotations

import gzip
import hashlib
import inspect
from datetime import UTC, date, datetime

import pytest
from htmldate import core as htmldate_core
from htmldate import find_date
from lxml.html import tostring
from trafilatura import metadata as trafilatura_meta
from trafilatura.settings import set_date_params
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from pipelines.extraction import classify_page, extract_article
from pipelines.extraction.core import (
    byline_search,
    may_name_author,
    run_trafilatura,
    trafilatura_author,
    trafilatura_catstags,
)
from pipelines.extraction.datesearch import date_candidates, search_date
from pipelines.extraction.decode import parse_html
from pipelines.extraction.metadata import (
    byline_core,
    itemprop_value,
    own_links,
    page_signals,
    read_metadata,
)
from pipelines.extraction.pagestate import is_paywalled
from pipelines.extraction.text import unwrap_empty_inline
from tests.support.pages import BENCHMARK_PAGES, STORY, trafilatura_document

ARTICLE_URL = "https://news.example.com/local/harbour-bridge-rebuild"
LISTING_URL = "https://news.example.com/tag/bridges/"
OG_ARTICLE = '<meta property="og:type" content="article">'

# ---------------------------------------------------------------- dates


def test_a_plain_time_element_dates_a_page_whose_markup_states_nothing(make_page):
    top = '<time datetime="2024-05-12T23:30:00-04:00">12 May</time>'
    doc = extract_article(make_page(head=OG_ARTICLE, body_top=top), ARTICLE_URL)
    assert doc.published_at == datetime(2024, 5, 13, 3, 30, tzinfo=UTC)
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2024, 5, 12)  # the page's day, not UTC's


def test_stated_markup_outranks_the_time_element(make_page):
    head = OG_ARTICLE + '<meta property="article:published_time" content="2024-05-10">'
    top = '<time datetime="2024-05-12">12 May</time>'
    doc = extract_article(make_page(head=head, body_top=top), ARTICLE_URL)
    assert doc.published_at == datetime(2024, 5, 10, tzinfo=UTC)


def test_a_page_stating_only_its_modified_date_is_dated_by_its_own_dates(make_page):
    # the header's modified date is the update; the page's own date line says when it ran
    head = OG_ARTICLE + '<meta property="article:modified_time" content="2024-05-14T09:00:00Z">'
    line = '<p class="date">May 12, 2024. <i>Updated: May 14, 2024</i></p>'
    doc = extract_article(make_page(head=head, body_bottom=line), ARTICLE_URL)
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)
    assert doc.modified_at == datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
    # a page showing no date of its own keeps the stated one
    doc = extract_article(make_page(head=head), ARTICLE_URL)
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2024, 5, 14)


def test_a_date_in_free_text_is_searched_for_an_archived_page(make_page):
    # only htmldate's extensive search (dateparser over free text) reads "May 12, 2024"
    # after the story (beside the headline, visible_date would read it)
    page = make_page(head=OG_ARTICLE, body_bottom="<div>May 12, 2024</div>")
    doc = extract_article(page, ARTICLE_URL)
    assert classify_page(doc, ARTICLE_URL).is_article
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)


def test_a_date_in_free_text_is_not_searched_for_a_page_the_crawl_skips(make_page):
    page = make_page(head=OG_ARTICLE, body_bottom="<div>May 12, 2024</div>")
    doc = extract_article(page, LISTING_URL)
    assert not classify_page(doc, LISTING_URL).is_article
    assert doc.published_at is None


def test_the_date_shown_beside_the_headline_is_read_on_any_page(make_page):
    # cheap (a few texts around the <h1>), so it needs no decision first
    page = make_page(head=OG_ARTICLE, body_top="<div>May 12, 2024</div>")
    doc = extract_article(page, LISTING_URL)
    assert not classify_page(doc, LISTING_URL).is_article
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)


def test_the_urls_date_is_read_without_the_extensive_search(make_page):
    url = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"
    doc = extract_article(make_page(), url)
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)


# ---------------------------------------------------------------- skipped searches


def test_a_byline_is_still_found_when_markup_names_no_author(make_page):
    top = '<div class="byline">By Jane Doe</div>'
    tree = parse_html(make_page(body_top=top))
    assert may_name_author(tree)
    assert trafilatura_author(tree) == "Jane Doe"
    assert extract_article(make_page(body_top=top), ARTICLE_URL).authors == ["Jane Doe"]


def test_a_page_without_any_author_hint_skips_the_byline_search(make_page):
    tree = parse_html(make_page())
    assert not may_name_author(tree)
    assert trafilatura_author(tree) is None
    assert trafilatura_meta.extract_author(tree) is None


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::4], ids=lambda p: p.name[:12])
def test_the_skipped_searches_answer_as_trafilaturas_own(path):
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    assert trafilatura_author(tree) == trafilatura_meta.extract_author(tree)
    for kind in ("category", "tag"):
        assert trafilatura_catstags(kind, tree) == trafilatura_meta.extract_catstags(kind, tree)


# byline_search() restates these expressions in Python: a trafilatura upgrade that changes
# them must be re-checked (the sha256 of their source text, trafilatura 2.3.1).
BYLINE_XPATHS_SHA256 = "bd5f280624916a837f627a558a6f87d6ebde80d97a00908c8a856c7b7b9eae82"


def test_trafilaturas_byline_expressions_are_the_ones_byline_search_restates():
    source = "\n".join(x.path for x in [*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS])
    assert hashlib.sha256(source.encode()).hexdigest() == BYLINE_XPATHS_SHA256


@pytest.mark.parametrize("path", BENCHMARK_PAGES, ids=lambda p: p.name[:12])
def test_the_byline_search_answers_as_trafilaturas_own(path):
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    assert byline_search(tree) == trafilatura_meta.extract_author(tree)


def test_a_date_before_the_name_in_a_byline_does_not_hide_the_name(make_page):
    top = (
        '<div class="publish-date-author">Dec. 19, 2025 &middot; Niko Matsakis on behalf of '
        '<a href="/team">Vision Doc group</a></div>'
    )
    tree = parse_html(make_page(body_top=top))
    assert byline_search(tree) == "Dec"  # trafilatura's own reading
    assert byline_search(tree, byline_core) == "Niko Matsakis"
    assert extract_article(make_page(body_top=top), ARTICLE_URL).authors == ["Niko Matsakis"]


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        # the date inside the byline is pruned, its tail kept and joined to the text before
        ('<div class="byline">By Jane <time>May 1</time>Doe</div>', "Jane Doe"),
        ('<p class="author-name">Ja<span class="date">x</span>ne Doe</p>', "Jane Doe"),
        # a byline inside a pruned section (comments, sidebar) does not count
        ('<div class="sidebar"><span class="author">Sam Side</span></div>', None),
        (
            '<div id="comments"><span class="author">Cy Comment</span></div>'
            '<div class="post-author">Jane Doe</div>',
            "Jane Doe",
        ),
        # the first expression (specific classes) outranks a generic one earlier in the page
        ('<span class="writer">Gen Eric</span><a rel="author">Jane Doe</a>', "Jane Doe"),
        # too short or too long for a name: the next candidate
        ('<span class="author">JD</span><span class="author">Jane Doe</span>', "Jane Doe"),
        ('<rel>me</rel><div class="byline">Jane Doe</div>', "Jane Doe"),
        ("<author>Jane Doe</author>", "Jane Doe"),
    ],
)
def test_byline_search_edge_cases_answer_as_trafilaturas_own(make_page, top, expected):
    tree = parse_html(make_page(body_top=top))
    assert trafilatura_meta.extract_author(tree) == expected
    assert byline_search(tree) == expected


def test_categories_fall_back_to_the_section_meta_without_category_links(make_page):
    head = '<meta property="article:section" content="Local news">'
    tree = parse_html(make_page(head=head))
    assert trafilatura_catstags("category", tree) == ["Local news"]
    assert trafilatura_catstags("category", tree) == trafilatura_meta.extract_catstags(
        "category", tree
    )
    assert trafilatura_catstags("tag", tree) == []


def test_links_like_categories_in_other_words_skip_the_search(make_page):
    # "/categoria/" holds "/categor" but not trafilatura's "/categor(?:y|ies|s)?/"
    top = '<div class="entry-meta"><a href="/categoria/noticias/">Noticias</a></div>'
    tree = parse_html(make_page(body_top=top))
    assert trafilatura_meta.extract_catstags("category", tree) == []
    assert trafilatura_catstags("category", tree) == []
    kept = '<div class="entry-meta"><a href="/category/news/">News</a></div>'
    tree = parse_html(make_page(body_top=kept))
    assert trafilatura_catstags("category", tree) == ["News"]
    assert trafilatura_catstags("category", tree) == trafilatura_meta.extract_catstags(
        "category", tree
    )


# ---------------------------------------------------------------- links in the body


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::4], ids=lambda p: p.name[:12])
def test_the_body_and_its_text_are_trafilaturas_given_the_url(path):
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    unwrap_empty_inline(tree)
    url = "https://www.example.org/news/2024/story.html"
    theirs, ours = trafilatura_document(tree, url), run_trafilatura(tree, url)
    assert theirs is not None
    assert ours is not None
    assert tostring(ours.body) == tostring(theirs.body)
    assert ours.raw_text == theirs.raw_text


def test_relative_links_in_the_body_are_resolved_as_trafilatura_does(make_page):
    linked = ' See <a href="/local/report.pdf">the report</a> and <a href="#map">the map</a>.'
    tree = parse_html(make_page(paragraphs=[*STORY[:3], STORY[3] + linked, *STORY[4:]]))
    theirs = trafilatura_document(tree, ARTICLE_URL)
    ours = run_trafilatura(tree, ARTICLE_URL)
    assert theirs is not None
    assert ours is not None
    assert ours.body is not None
    targets = [ref.get("target") for ref in ours.body.iter("ref")]
    assert "https://news.example.com/local/report.pdf" in targets
    assert tostring(ours.body) == tostring(theirs.body)
    assert ours.raw_text == theirs.raw_text


# ---------------------------------------------------------------- itemprop gates


def test_itemprop_reads_skip_only_pages_without_the_property(make_page):
    top = (
        '<time itemprop="datePublished" datetime="2024-05-12">12 May</time>'
        '<link itemprop="isAccessibleForFree" href="https://schema.org/False">'
    )
    tree = parse_html(make_page(body_top=top))
    assert itemprop_value(tree, "datePublished", {"datePublished"}) == "2024-05-12"
    assert itemprop_value(tree, "datePublished", set()) is None  # the caller's word
    assert itemprop_value(tree, "datePublished") == "2024-05-12"
    assert is_paywalled(tree, [], {}, {"isAccessibleForFree"})
    assert is_paywalled(tree, [], {})
    meta = read_metadata(tree, ARTICLE_URL)
    assert meta.paywalled
    assert meta.published_at == datetime(2024, 5, 12, tzinfo=UTC)
    assert not read_metadata(parse_html(make_page()), ARTICLE_URL).paywalled


# ---------------------------------------------------------------- page signals


def test_page_signals_counts():
    cards = "".join(
        f'<div class="Card  "><h3>Item {i}</h3><span class="price">{i} EUR</span>'
        "<button>Add to cart</button></div>"
        for i in range(4)
    )
    html = (
        '<html><body class="product-page"><form><input name="q"></form>'
        '<section class="card"><p class="">empty class</p></section>'
        f'{cards}<span itemprop="price">3</span><div itemprop="offers"></div>'
        '<ul class="comment-list"><li class="Comment">a</li><li class="comment reply">b</li>'
        "</ul><time>today</time><pre><code>x</code></pre></body></html>"
    )
    signals = page_signals(parse_html(html))
    assert signals["button"] == 4.0
    assert signals["h3"] == 4.0
    assert signals["div"] == 5.0  # four cards and the offers box
    assert signals["form"] == 1.0 and signals["input"] == 1.0
    assert signals["time"] == 1.0 and signals["pre"] == 1.0 and signals["code"] == 1.0
    # <div class="Card  "> four times: the longest run shares tag and (stripped) class
    assert signals["max_repeat"] == 4.0
    assert signals["price_prop"] == 2.0
    assert signals["cls_price"] == 4.0
    assert signals["cls_product"] == 1.0
    assert signals["cls_comment"] == 3.0  # case-insensitive: comment-list, Comment, comment
    assert signals["cls_reply"] == 1.0
    assert signals["own_links"] == 0.0 and signals["own_current"] == 0.0  # no URL: unread


# a service page of a WordPress site (the theme's menu markup as WordPress writes it): its
# menu marks it as the current item; a story of the same site links to itself too (a comment's
# reply link, a share button's own address) without being any menu's current item
SERVICE_URL = "https://www.acme-plumbing.com/services/drain-cleaning/"
SERVICE_PAGE = """<html><body><header><a class="logo" href="https://acme-plumbing.com/">Acme</a>
<nav><ul id="menu-main" class="menu">
<li class="menu-item menu-item-type-post_type menu-item-object-page menu-item-12">
<a href="https://acme-plumbing.com/services/">Services</a></li>
<li class="menu-item menu-item-type-post_type menu-item-object-page current-menu-item
 page_item page-item-40 current_page_item menu-item-41">
<a href="https://acme-plumbing.com/services/drain-cleaning/" aria-current="page">Drain
 cleaning</a></li>
<li class="menu-item"><a href="/services/water-heaters/">Water heaters</a></li>
</ul></nav></header>
<main><h1>Drain cleaning</h1><p>We clear blocked drains the same day.</p>
<a href="/Services/Drain-Cleaning/index.html?utm_source=footer">Book now</a>
<a href="#quote">Get a quote</a>
<a href="https://partner.example.com/services/drain-cleaning/">Partner</a>
<a href="/services/drain-cleaning-prices/">Prices</a></main></body></html>"""


def test_own_links_count_links_to_the_page_and_its_current_menu_item():
    links, current = own_links(parse_html(SERVICE_PAGE), SERVICE_URL)
    # the menu item (no "www.", no trailing-slash difference) and "Book now" (case, index
    # file and query aside); not the fragment, another host, a longer sibling path
    assert links == 2.0
    assert current == 1.0  # the menu's current item (aria-current, current-menu-item)
    signals = page_signals(parse_html(SERVICE_PAGE), url=SERVICE_URL)
    assert (signals["own_links"], signals["own_current"]) == (2.0, 1.0)


def test_own_links_of_a_story_mark_no_current_item():
    """A real story (ScrapingHub fixture) links to itself many times (comments' and share
    links) and never as a menu's current item: the page-look model weighs the two apart."""
    path = next(p for p in BENCHMARK_PAGES if p.name.startswith("264dc3ae3124"))
    url = "https://www.twincities.com/2019/11/19/parise-scores-2-goals-wild-beat-sabres-4-1/"
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    links, current = own_links(tree, url)
    assert links >= 10.0
    assert current == 0.0
    assert own_links(tree, "https://www.twincities.com/2019/11/19/another-story/") == (0.0, 0.0)


# ---------------------------------------------------------------- htmldate step by step

# datesearch.search_date() restates htmldate's find_date: an htmldate upgrade that changes
# it must be re-checked (the sha256 of its source text, htmldate 1.11.0).
FIND_DATE_SHA256 = "dc635ec48332f6350f769143fcf02423a7a074336b1df987930148d54f48c470"


def test_htmldates_find_date_is_the_one_search_date_restates():
    source = inspect.getsource(htmldate_core.find_date)
    assert hashlib.sha256(source.encode()).hexdigest() == FIND_DATE_SHA256


# datesearch.date_candidates() restates htmldate's date_candidates and is_date_candidate (its
# tags and cue regexes read from htmldate): an upgrade that changes them must be re-checked.
DATE_CANDIDATES_SHA256 = "336ab07619cdcde994a448253b873b9d863e9e57506aab5ee09f82003e6c6e8d"


def test_htmldates_date_candidates_are_the_ones_datesearch_restates():
    source = "\n".join(
        [
            inspect.getsource(htmldate_core.date_candidates),
            inspect.getsource(htmldate_core.is_date_candidate),
        ]
    )
    assert hashlib.sha256(source.encode()).hexdigest() == DATE_CANDIDATES_SHA256


@pytest.mark.parametrize("extensive", [False, True], ids=["fast", "extensive"])
@pytest.mark.parametrize("path", BENCHMARK_PAGES[::2], ids=lambda p: p.name[:12])
def test_the_date_candidates_are_htmldates(path, extensive):
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    theirs = htmldate_core.date_candidates(parse_html(html), extensive)
    ours = date_candidates(parse_html(html), extensive)
    assert [tostring(e) for e in ours] == [tostring(e) for e in theirs]


def test_the_date_candidates_read_the_first_of_id_and_class():
    tree = parse_html(
        '<div id="byline" class="meta">a</div><div class="post" id="date-1">b</div>'
        '<span itemprop="datePublished">c</span><p class="x">d</p><small>e</small>'
    )
    found = [e.text for e in date_candidates(tree, False)]
    assert found == [e.text for e in htmldate_core.date_candidates(tree, False)]
    assert found == ["c", "e"]  # "byline" comes before "meta", "post" before "date-1"


@pytest.mark.parametrize("extensive", [False, True], ids=["fast", "extensive"])
@pytest.mark.parametrize("path", BENCHMARK_PAGES[::3], ids=lambda p: p.name[:12])
def test_the_date_search_answers_as_htmldates_own(path, extensive):
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    theirs = find_date(parse_html(html), **set_date_params(extensive=extensive))
    kept = parse_html(html)
    before = tostring(kept)
    assert search_date(kept, None, extensive, keep_tree=lambda: True) == theirs
    assert tostring(kept) == before
    assert search_date(parse_html(html), None, extensive, keep_tree=lambda: False) == theirs


def test_the_date_search_prunes_a_tree_handed_over_and_spares_one_kept(make_page):
    page = make_page(body_top="<svg><text>x</text></svg><div>Posted 2024-05-12 10:00</div>")
    kept, handed = parse_html(page), parse_html(page)
    assert search_date(kept, None, False, keep_tree=lambda: True) == "2024-05-12"
    assert search_date(handed, None, False, keep_tree=lambda: False) == "2024-05-12"
    assert kept.find(".//svg") is not None
    assert handed.find(".//svg") is None
