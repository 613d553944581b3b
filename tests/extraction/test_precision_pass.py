"""trafilatura's precision pass step by step (``pipelines.extraction.precision``): the same
Document as ``bare_extraction``, its comparison skipped only where it cannot change the
result, its prune of the raw page the same as trafilatura's (issue 17 item 8)."""

from __future__ import annotations

import gzip
import hashlib
import importlib
import inspect
from copy import copy
from pathlib import Path

import pytest
from lxml.html import fragment_fromstring, tostring
from trafilatura import (
    bare_extraction,
    core,
    external,
    htmlprocessing,
    main_extractor,
    readability_lxml,
    xml,
)
from trafilatura.external import compare_extraction, try_readability
from trafilatura.htmlprocessing import prune_unwanted_nodes, tree_cleaning
from trafilatura.main_extractor import extract_content
from trafilatura.settings import BASIC_CLEAN_XPATH
from trafilatura.utils import trim
from trafilatura.xml import delete_element
from trafilatura.xpaths import (
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

from pipelines.extraction import precision
from pipelines.extraction.decode import parse_html
from pipelines.extraction.joiners import html2txt
from pipelines.extraction.precision import (
    OPTIONS,
    comments_and_lists_prune,
    comments_prune,
    comparison_may_change,
    delete_undoably,
    discarded_copy,
    guarded_overall_discard,
    mode_pass,
    overall_discard,
    page_text,
    precision_pass,
    raw_tree_prune,
    readability_bound,
    undo_deletions,
)
from pipelines.extraction.text import unwrap_empty_inline
from tests.support.pages import BENCHMARK_PAGES, STORY, trafilatura_document

# precision.py restates these (trafilatura 2.3.1) and relies on what readability can write:
# an upgrade that changes any of them must be re-checked (sha256 of their source text).
RESTATED_SHA256 = "180fde0d0091e95f4a9cfa19c7b19361e8db3dda2ee23673fca9e5bbbf6dbe23"
RESTATED = (
    core.bare_extraction,
    core.trafilatura_sequence,
    core._extract_and_compare,
    core._prepare_tree,
    external.compare_extraction,
    external._prefer_readability,
    external.try_readability,
    readability_lxml.Document.summary,
    readability_lxml.Document.get_article,
    readability_lxml.Document.transform_misused_divs_into_paragraphs,
    readability_lxml.Document.sanitize,
    htmlprocessing.prune_unwanted_nodes,  # its with_backup guard, restated
    main_extractor.prune_unwanted_sections,  # the guarded prune it runs
    xml.delete_element,  # the deletion delete_undoably logs
    htmlprocessing.tree_cleaning,  # its order: the <head> deleted from the page first
    core._recall_retry,  # mode_pass's recall escalation
)


def restated_digest() -> str:
    sources = [inspect.getsource(function) for function in RESTATED]
    for xpaths in (
        OVERALL_DISCARD_XPATH,
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
        REMOVE_COMMENTS_XPATH,
    ):
        sources += [xpath.path for xpath in xpaths]
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()


def test_trafilatura_still_has_the_steps_the_pass_restates():
    assert restated_digest() == RESTATED_SHA256


def _page(path: Path):
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    unwrap_empty_inline(tree)
    return tree


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::2], ids=lambda p: p.name[:12])
def test_the_pass_gives_trafilaturas_document(path):
    tree = _page(path)
    before = tostring(tree)
    theirs, ours = trafilatura_document(tree), precision_pass(tree)
    assert tostring(tree) == before  # the page is not changed
    assert theirs is not None
    assert ours is not None
    assert tostring(ours.body) == tostring(theirs.body)
    assert (ours.text, ours.raw_text) == (theirs.text, theirs.raw_text)


def _sequence_inputs(tree):
    """The main extractor's body and text, the pruned raw page and the cleaned backup, as
    trafilatura_sequence makes them for OPTIONS."""
    tree = prune_unwanted_nodes(copy(tree), RAW_TREE_PRUNE_XPATH)
    tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
    cleaned, backup = core._prepare_tree(tree, OPTIONS, None)
    cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
    body, text = extract_content(cleaned, OPTIONS)
    return tree, backup, body, text


@pytest.mark.parametrize("path", BENCHMARK_PAGES[1::3], ids=lambda p: p.name[:12])
def test_the_bound_holds_and_a_skipped_comparison_would_change_nothing(path):
    tree, backup, body, text = _sequence_inputs(_page(path))
    readability = try_readability(prune_unwanted_nodes(copy(tree), OVERALL_DISCARD_XPATH))
    found = trim(tostring(readability, method="text", encoding="unicode"))
    bound = readability_bound(tree)
    assert bound is None or len(found) <= bound
    if not comparison_may_change(tree, body, text):
        kept = tostring(body)
        new_body, new_text = compare_extraction(backup, copy(tree), body, text, OPTIONS)
        assert (tostring(new_body), new_text) == (kept, text)


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::3], ids=lambda p: p.name[:12])
def test_the_prunes_are_trafilaturas(path):
    page = _page(path)
    steps = [
        (RAW_TREE_PRUNE_XPATH, raw_tree_prune),
        (REMOVE_COMMENTS_AND_LISTS_XPATH, comments_and_lists_prune),
    ]
    for xpaths, prune in steps:
        theirs = prune_unwanted_nodes(copy(page), xpaths)
        assert tostring(prune(copy(page))) == tostring(theirs)
        page = theirs
    theirs = prune_unwanted_nodes(copy(page), OVERALL_DISCARD_XPATH)
    assert tostring(overall_discard(copy(page))) == tostring(theirs)
    cleaned, _ = core._prepare_tree(page, OPTIONS, None)
    theirs = prune_unwanted_nodes(copy(cleaned), REMOVE_COMMENTS_XPATH)
    assert tostring(comments_prune(copy(cleaned))) == tostring(theirs)


def test_the_comment_prunes_keep_commentary_and_lists_outside_comments():
    html = (
        "<html><body>"
        '<div id="commentary"><p>an opinion column</p></div>'
        '<div class="comments-area"><p>a reader comment</p></div>'
        '<ul class="post-comments"><li>a listed comment</li></ul>'
        '<ul id="disqus_thread"><li>a list kept</li></ul>'
        '<div class="infinite-scroll"><h1>the story</h1><p>kept: it holds the h1</p></div>'
        '<div class="infinite-scroll"><p>an appended story</p></div>'
        "</body></html>"
    )
    theirs = prune_unwanted_nodes(
        prune_unwanted_nodes(parse_html(html), RAW_TREE_PRUNE_XPATH),
        REMOVE_COMMENTS_AND_LISTS_XPATH,
    )
    ours = comments_and_lists_prune(raw_tree_prune(parse_html(html)))
    assert tostring(ours) == tostring(theirs)
    kept = ours.text_content()
    assert "an opinion column" in kept
    assert "a list kept" in kept
    assert "kept: it holds the h1" in kept
    assert "a reader comment" not in kept
    assert "a listed comment" not in kept
    assert "an appended story" not in kept


def test_the_prune_reads_whichever_of_id_and_class_comes_first():
    html = (
        "<html><body>"
        '<div class="cookie-note" id="main"><p>class first</p></div>'
        '<div id="main" class="cookie-note"><p>id first</p></div>'
        '<div style="color: red" id="hidden-x"><p>style first</p></div>'
        '<div id="hidden-x" style="color: red"><p>id before style</p></div>'
        '<span class="reply-box" id="x"><p>reply</p></span>'
        "</body></html>"
    )
    theirs = prune_unwanted_nodes(parse_html(html), OVERALL_DISCARD_XPATH)
    ours = overall_discard(parse_html(html))
    assert tostring(ours) == tostring(theirs)
    assert "id first" in ours.text_content()  # the id ("main") was tested, not the class
    assert "class first" not in ours.text_content()


def _counting(monkeypatch) -> list[bool]:
    ran: list[bool] = []
    compare = precision.compare_extraction

    def spy(*args):
        ran.append(True)
        return compare(*args)

    monkeypatch.setattr(precision, "compare_extraction", spy)
    return ran


def test_a_story_page_skips_the_comparison(make_page, monkeypatch):
    ran = _counting(monkeypatch)
    tree = parse_html(make_page(paragraphs=STORY))
    ours = precision_pass(tree)
    assert ran == []
    theirs = trafilatura_document(tree)
    assert ours is not None
    assert theirs is not None
    assert ours.text == theirs.text


def test_the_comparison_still_runs_and_rescues_a_table_dominated_body(monkeypatch):
    """A story laid out in table cells: trafilatura's body holds tables and no paragraph,
    so readability may replace it: the comparison must run, and give trafilatura's text."""
    rows = "".join(f"<tr><td>{line}</td></tr>" for line in STORY)
    html = f"<html><body><table>{rows}</table><table>{rows}</table></body></html>"
    ran = _counting(monkeypatch)
    tree = parse_html(html)
    ours, theirs = precision_pass(tree), trafilatura_document(tree)
    assert ran == [True]
    assert ours is not None
    assert theirs is not None
    assert ours.text.count(STORY[0]) == 2  # the main extractor kept one table, readability both
    assert tostring(ours.body) == tostring(theirs.body)
    assert ours.text == theirs.text


def test_an_empty_body_runs_the_comparison():
    tree = parse_html("<html><body><p>x</p></body></html>")
    body = parse_html("<body></body>")
    assert comparison_may_change(tree, body, "")


def _candidate_subtrees(path: Path) -> list:
    """Converted subtrees as the main extractor prunes them: the cleaned page's body and its
    divs and sections that hold text (each a copy)."""
    cleaned, _ = core._prepare_tree(_page(path), OPTIONS, None)
    found = [cleaned] + [e for e in cleaned.iter("div", "section") if len(e) and e.text_content()]
    return [copy(element) for element in found[:: max(1, len(found) // 12)]]


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::3], ids=lambda p: p.name[:12])
def test_the_guarded_prune_is_trafilaturas(path):
    for subtree in _candidate_subtrees(path):
        theirs = htmlprocessing.prune_unwanted_nodes(
            copy(subtree), OVERALL_DISCARD_XPATH, with_backup=True
        )
        assert tostring(guarded_overall_discard(copy(subtree))) == tostring(theirs)


def test_the_guard_keeps_a_subtree_the_prune_would_empty():
    html = (
        "<html><body><div>"
        '<div class="sidebar"><p>most of the text, in a block the prune selects</p></div>'
        "<p>x</p></div></body></html>"
    )
    ours = guarded_overall_discard(parse_html(html))
    theirs = htmlprocessing.prune_unwanted_nodes(
        parse_html(html), OVERALL_DISCARD_XPATH, with_backup=True
    )
    assert tostring(ours) == tostring(theirs)
    assert "most of the text" in ours.text_content()  # over six sevenths: nothing pruned
    html = html.replace("<p>x</p>", "<p>" + "a long story line. " * 10 + "</p>")
    assert "most of the text" not in guarded_overall_discard(parse_html(html)).text_content()


@pytest.mark.parametrize("recall", [True, False], ids=["recall", "balanced"])
@pytest.mark.parametrize("path", BENCHMARK_PAGES[::4], ids=lambda p: p.name[:12])
def test_the_rebound_passes_give_trafilaturas_document(path, recall):
    """bare_extraction in recall and balanced mode (the fallback's passes), run with the
    prunes above: trafilatura's Document, and trafilatura's own functions untouched."""
    tree = _page(path)
    options = {"include_comments": False, "include_links": True, "with_metadata": False}
    theirs = bare_extraction(tree, favor_recall=recall, **options)
    ours = precision.bare_extraction(tree, favor_recall=recall, **options)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert tostring(ours.body) == tostring(theirs.body)
        assert (ours.text, ours.raw_text) == (theirs.text, theirs.raw_text)
    assert main_extractor.prune_unwanted_nodes is htmlprocessing.prune_unwanted_nodes
    assert precision.bare_extraction is not core.bare_extraction


# page_text restates html2txt's cleaning (trafilatura 2.3.1): its steps and expression pinned
PAGE_TEXT_SHA256 = "bede5c53104b8b2eae9a64156afdc8633dc58b6d37bd37ef061cf2ad2ad4bdf3"


def test_trafilatura_still_has_the_page_text_page_text_restates():
    baseline_module = importlib.import_module("trafilatura.baseline")
    sources = [
        inspect.getsource(function)
        for function in (
            baseline_module.html2txt,
            baseline_module._spaced_text,
            baseline_module.basic_cleaning,
            delete_element,
        )
    ]
    digest = hashlib.sha256("\n".join([*sources, BASIC_CLEAN_XPATH.path]).encode()).hexdigest()
    assert digest == PAGE_TEXT_SHA256


# what the expression reads: a footer <div> by its first of class and id (attribute order),
# consent names in any case in class or id, removed elements nested and followed by tails
# (joined to the text before them, a block's then control characters dropped)
PAGE_TEXT_PAGES = [
    "<html><body><div class='site-footer' id='main'><p>footer text</p></div>"
    "<div id='main' class='site-footer'><p>kept: the id comes first</p></div>"
    "<div id='Cookie-Banner'><p>We use cookies</p></div>tail\u00ad one"
    "<span class='x ONETRUST-pc'>consent</span><p>story <aside>side<footer>f</footer></aside>"
    "after\u200b it</p><svg><text>svg</text></svg><template>t</template>end</body></html>",
    "<html><head><script>var a = 1;</script></head><body><section><footer>f</footer>"
    "<footer>g</footer>first<div class='footer-links'>x</div></section></body></html>",
]


@pytest.mark.parametrize(
    "tree",
    [
        *(parse_html(html) for html in PAGE_TEXT_PAGES),
        fragment_fromstring("<div><p>no body</p><aside>side</aside><div>more</div></div>"),
    ],
)
def test_the_page_text_is_html2txts(tree):
    before = tostring(tree)
    assert page_text(tree) == html2txt(tree)
    assert tostring(tree) == before  # the page is not changed


@pytest.mark.parametrize("path", BENCHMARK_PAGES, ids=lambda p: p.name[:12])
def test_the_page_text_is_html2txts_on_benchmark_pages(path):
    page = _page(path)
    assert page_text(page) == html2txt(page)
    pruned = comments_and_lists_prune(raw_tree_prune(copy(page)))  # the recall escalation's
    assert page_text(pruned) == html2txt(pruned)


def _undoable_prunes(page):
    log = []
    delete = lambda elements: delete_undoably(elements, log)  # noqa: E731
    comments_and_lists_prune(raw_tree_prune(page, delete), delete)
    return log


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::3], ids=lambda p: p.name[:12])
def test_the_prunes_on_the_page_are_trafilaturas_and_undone(path):
    page = _page(path)
    before = tostring(page)
    theirs = prune_unwanted_nodes(
        prune_unwanted_nodes(copy(page), RAW_TREE_PRUNE_XPATH), REMOVE_COMMENTS_AND_LISTS_XPATH
    )
    log = _undoable_prunes(page)
    assert tostring(page) == tostring(theirs)
    undo_deletions(log)
    assert log == []
    assert tostring(page) == before


def test_undone_deletions_give_back_texts_and_tails():
    html = (
        "<html><body><div>"
        '<div class="infinite-scroll">an appended story</div>tail one'
        "<p>kept</p>"
        '<div class="comments-area"><p>a comment</p></div>tail two'
        '<div class="infinite-scroll"><div class="comments-area">inside</div>inner tail</div>'
        "tail three</div></body></html>"
    )
    page = parse_html(html)
    before = tostring(page)
    log = _undoable_prunes(page)
    pruned = tostring(page)
    assert pruned == tostring(comments_and_lists_prune(raw_tree_prune(parse_html(html))))
    assert b"tail one<p>kept</p>tail twotail three" in pruned
    assert len(log) == 3
    undo_deletions(log)
    assert tostring(page) == before


def test_the_pass_leaves_the_page_whole_when_trafilatura_fails(monkeypatch):
    page = parse_html(
        '<html><body><div class="infinite-scroll"><p>appended</p></div>tail<p>story</p></body></html>'
    )
    before = tostring(page)

    def failing(*args):
        raise RuntimeError("trafilatura failed")

    monkeypatch.setattr(precision, "extract_content", failing)
    with pytest.raises(RuntimeError):
        precision_pass(page)
    assert tostring(page) == before


@pytest.mark.parametrize("path", BENCHMARK_PAGES[1::3], ids=lambda p: p.name[:12])
def test_the_comparison_s_copy_is_the_pruned_copy_and_the_page_stays(path):
    page = _page(path)
    _undoable_prunes(page)  # as the pass hands it over: its own prunes applied
    before = tostring(page)
    assert tostring(discarded_copy(page)) == tostring(overall_discard(copy(page)))
    assert tostring(page) == before


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::3], ids=lambda p: p.name[:12])
def test_the_cleaned_copy_without_the_head_is_trafilaturas(path):
    page = _page(path)
    before = tostring(page)
    assert tostring(precision._cleaned(page)) == tostring(tree_cleaning(copy(page), OPTIONS))
    assert tostring(page) == before


def test_a_head_holding_a_tag_deleted_before_it_is_copied_as_it_is():
    page = parse_html(
        "<html><head><title>t</title></head>tail<body><p>story</p>"
        "<footer>foot</footer>after</body></html>"
    )
    head = page.find("head")
    head.append(fragment_fromstring("<footer>in the head</footer>"))
    before = tostring(page)
    assert tostring(precision._cleaned(page)) == tostring(tree_cleaning(copy(page), OPTIONS))
    assert tostring(page) == before


@pytest.mark.parametrize("recall", [True, False], ids=["recall", "balanced"])
@pytest.mark.parametrize("path", BENCHMARK_PAGES[1::4], ids=lambda p: p.name[:12])
def test_the_mode_pass_gives_the_rebound_passes_body_and_leaves_the_page(path, recall):
    """mode_pass (the fallback's balanced and recall passes, pruning the page undoably):
    the body bare_extraction gives, byte for byte, and the page as it was."""
    tree = _page(path)
    before = tostring(tree)
    options = {"include_comments": False, "include_links": True, "with_metadata": False}
    theirs = precision.bare_extraction(tree, favor_recall=recall, **options)
    ours = mode_pass(tree, recall)
    assert tostring(tree) == before
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert tostring(ours) == tostring(theirs.body)


def test_the_mode_pass_escalates_and_makes_justext_s_page_only_when_it_runs(monkeypatch):
    """A short balanced text on a long page takes trafilatura's recall escalation (its share
    of the page raised so this page escalates, in both passes); the cleaned page justext
    reads is made again only when justext runs, and the page stays."""
    menu = "".join(f"<li><a href='/s{i}'>Section {i} of the site</a></li>" for i in range(60))
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        f"<nav><ul>{menu}</ul></nav><div class='comments'><p>{'A reader says hi. ' * 20}</p></div>"
        f"<article><p>{'The story is told here in a line. ' * 6}</p></article>"
        f"<div><div>{'An unmarked run of text about the story. ' * 30}</div></div></body></html>"
    )
    tree = parse_html(html)
    before = tostring(tree)
    monkeypatch.setitem(precision._SEQUENCE, "ESCALATION_PAGE_SHARE", 10)
    monkeypatch.setattr(precision, "ESCALATION_PAGE_SHARE", 10)
    made = []
    cleaned = precision._cleaned
    monkeypatch.setattr(precision, "_cleaned", lambda t, o: made.append(o.focus) or cleaned(t, o))
    options = {"include_comments": False, "include_links": True, "with_metadata": False}
    for recall in (False, True):
        made.clear()
        theirs = precision.bare_extraction(tree, favor_recall=recall, **options)
        ours = mode_pass(tree, recall)
        assert tostring(tree) == before
        assert theirs is not None
        assert ours is not None
        assert tostring(ours) == tostring(theirs.body)
        assert "A reader says hi" not in tostring(ours, encoding="unicode")
        # balanced mode cleans the page, then recall mode for the escalation; recall mode once
        assert made == ([] if recall else ["balanced"]) + ["recall"]
