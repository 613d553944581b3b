"""trafilatura's precision pass step by step, its comparison run only where it can matter.

``bare_extraction(tree, favor_precision=True, include_comments=False, include_links=True,
with_metadata=False)`` (trafilatura 2.3.1) prunes a copy of the page, cleans it, extracts
the main text, then compares that text with readability's and, when the text is unclean or
short, justext's (``external.compare_extraction``). The comparison cost ~20 ms a page on the
benchmark (its prune of the raw tree alone ~11 ms, readability ~4-8 ms, justext ~28 ms where
it runs) and changed the text on one page in eight. In precision mode it is the only stage
after the main extractor (no baseline, no recall escalation), so :func:`precision_pass`
runs the same steps and skips the comparison when it cannot change anything:

* readability wins only when our text is empty, or readability's is more than twice as
  long, or (longer than ``2 * min_extracted_size``) our body has no ``<p>`` text or more
  tables than paragraphs (``external._prefer_readability``). Readability's text is drawn
  from the pruned page without its scripts and styles, in document order, plus a "VIDEO"
  written into a video ``<iframe>``: :func:`readability_bound` is the length that text
  cannot exceed (``trim`` applied), so when our text is at least half of it and the body is
  not structurally deficient, readability cannot win;
* justext runs only on a body matching ``SANITIZED_XPATH`` or a text shorter than
  ``min_extracted_size``: both are tested as trafilatura tests them.

Skipped so, the comparison would have returned our body and text unchanged. Where it runs,
its prune of the raw page (``OVERALL_DISCARD_XPATH``), and the pass's three prunes before
the main extractor, select the same elements in Python with the same regexes: their
``re:test()`` predicates cost libxml2 a Python callback per element and attribute.

The main extractor's guarded prune of each candidate subtree (``OVERALL_DISCARD_XPATH``
with ``with_backup``, in every trafilatura pass) is selected so too; :data:`extract_content`
and :data:`bare_extraction` are copies of trafilatura's functions, the same code, that run
these prunes (:func:`prune_nodes`); trafilatura's own functions are left as they are. In
those copies ``html2txt`` is :func:`page_text` (its cleaning selected in Python as well) and
``_extract_and_compare`` is :func:`extract_and_compare` (no copy of the raw page for a
comparison recall mode skips). The fallback's balanced and recall passes run
:func:`mode_pass`, ``bare_extraction``'s steps for their options with the precision pass's
undoable prunes and no needless copy.

The result is trafilatura's own, on every page: the same Document on all 1,585 benchmark
pages (docs/extraction.md, "What it costs"), but for the zero-width joiners its text keeps,
like every text and value we read through trafilatura, where trafilatura's cleaning drops
them (``joiners.py``); ``tests/extraction/test_precision_pass.py`` pins the restated
functions and expressions by hash and compares the results on benchmark pages.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, cast

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
from lxml.etree import XPath, tostring
from trafilatura.core import (
    ESCALATION_ACCEPT_RATIO,
    ESCALATION_JUSTEXT_RATIO,
    ESCALATION_MAX_LENGTH,
    ESCALATION_PAGE_SHARE,
    _forum_thread_page,
)
from trafilatura.external import (
    JUSTEXT_OVERRIDE_RATIO,
    SANITIZED_XPATH,
    _prefer_readability,
    justext_rescue,
    sanitize_tree,
    try_readability,
)
from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes, tree_cleaning
from trafilatura.metadata import Document
from trafilatura.settings import BASIC_CLEAN_XPATH, MANUALLY_CLEANED, Extractor
from trafilatura.utils import safe_base_url, safe_relative_url, trim
from trafilatura.xml import delete_element
from trafilatura.xpaths import (
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

from pipelines.extraction.joiners import baseline, rebound, spaced_text, xmltotxt

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.etree import XPath as XPathType
    from lxml.etree import _Element
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

# bare_extraction's options for our call (its other arguments at their defaults)
OPTIONS = Extractor(output_format="python", precision=True, comments=False, links=True)

# the text readability sees: the string value of the page, less what it drops first
_TEXT_LENGTH = XPath("string-length(normalize-space(.))")
_DROPPED_TEXT = XPath(
    "descendant::script//text() | descendant::style//text() | descendant::fencedframe//text()",
    smart_strings=False,
)
_IFRAMES = XPath("count(descendant::iframe)")
_IFRAME_WITH_CHILDREN = XPath("boolean(descendant::iframe[*])")
_VIDEO_MARK = len(" VIDEO")  # readability writes "VIDEO" into a video <iframe>
_SANITIZED = XPath(SANITIZED_XPATH)
_P_TEXT = XPath(".//p//text()")


def readability_bound(tree: HtmlElement) -> int | None:
    """A length readability's text of ``tree`` (``trim``-ed, as ``compare_extraction``
    measures it) cannot exceed, or None when none is known.

    Its text is a subsequence of the page's text nodes without those of ``<script>``,
    ``<style>`` and ``<fencedframe>``: dropping characters adds no whitespace run, so its
    trimmed length is at most the page's, less the dropped non-space characters.
    ``normalize-space`` collapses fewer characters than ``trim`` (``str.split``), so its
    length is at least ``trim``'s. An ``<iframe>`` may gain "VIDEO" (and a space); one with
    children is written out and parsed again as raw text: no bound then."""
    if _IFRAME_WITH_CHILDREN(tree):
        return None
    dropped = sum(len("".join(text.split())) for text in _DROPPED_TEXT(tree))
    page = int(_TEXT_LENGTH(tree))
    return page - dropped + _VIDEO_MARK * int(_IFRAMES(tree))


def comparison_may_change(tree: HtmlElement, body: _Element, text: str) -> bool:
    """Whether ``compare_extraction(…, tree, body, text, OPTIONS)`` may return anything but
    ``body`` and ``text`` (``tree``: the pruned raw page it copies for readability)."""
    size = len(text)
    least = OPTIONS.min_extracted_size
    if size < least or _SANITIZED(body):  # justext's trigger, as trafilatura tests it
        return True
    bound = readability_bound(tree)
    if bound is None or bound > 2 * size:
        return True
    deficient = not _P_TEXT(body) or len(body.findall(".//table")) > len(body.findall(".//p"))
    return deficient and bound > 2 * least


# ---------------------------------------------------------------- the sequence's prunes

# RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH and REMOVE_COMMENTS_XPATH test an
# element's id and class with re:test() (a Python callback per element and attribute,
# 1.5-4 ms a page each); the same tests in Python on the elements of their tags that have
# an id or a class, the regexes read from the expressions (their order in them).
_ID_CLASS_TEST = re.compile(r"re:test\(@(id|class), '([^']*)'\)")


def _patterns(xpath: XPath) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for _, pattern in _ID_CLASS_TEST.findall(xpath.path)]


_INFINITE_ID, _INFINITE_CLASS, _APPENDED_ID, _APPENDED_CLASS = _patterns(RAW_TREE_PRUNE_XPATH[0])
_COMMENTS_ID, _COMMENTS_CLASS, _COMMENT_LIST_ID, _COMMENT_LIST_CLASS = _patterns(
    REMOVE_COMMENTS_AND_LISTS_XPATH[0]
)
_RAW_TAGS = ("div", "section", "aside")
_LIST_TAGS = ("div", "list", "section", "details", "ol", "ul")
_H1 = XPath("boolean(descendant::h1)")


def _delete_all(elements: list[HtmlElement]) -> None:
    """Delete the elements in document order, their tails kept, as prune_unwanted_nodes."""
    for element in elements:
        delete_element(element)


# one deletion by delete_element, as undo_deletions puts it back: the parent, the element's
# place in it, the element, its previous sibling, and, when its tail was joined to that
# sibling's tail (or to the parent's text without one), what that text was before
_Deletion = tuple["HtmlElement", int, "HtmlElement", "HtmlElement | None", "str | None", bool]


def delete_undoably(elements: list[HtmlElement], log: list[_Deletion]) -> None:
    """:func:`_delete_all`, each deletion logged in ``log`` for :func:`undo_deletions`."""
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue
        previous, tail, before = element.getprevious(), element.tail, None
        if tail:  # delete_element joins it to the previous sibling's tail or the parent's text
            if previous is None:
                before = parent.text
                parent.text = (before or "") + tail
            else:
                before = previous.tail
                previous.tail = (before or "") + tail
        log.append((parent, parent.index(element), element, previous, before, bool(tail)))
        parent.remove(element)  # its tail goes with it


def undo_deletions(log: list[_Deletion]) -> None:
    """Put back what :func:`delete_undoably` deleted, last first: the same tree as before."""
    for parent, index, element, previous, before, joined in reversed(log):
        parent.insert(index, element)
        if joined:
            if previous is None:
                parent.text = before
            else:
                previous.tail = before
    log.clear()


def raw_tree_prune(
    tree: HtmlElement, delete: Callable[[list[HtmlElement]], None] = _delete_all
) -> HtmlElement:
    """``prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)``: the same tree (``delete``:
    how the selected elements go, in document order)."""
    doomed = []
    shares = []
    for element in tree.iterdescendants(_RAW_TAGS):
        ident, klass = element.get("id", ""), element.get("class", "")
        if (_INFINITE_ID.search(ident) or _INFINITE_CLASS.search(klass)) and (
            not _H1(element) or _APPENDED_ID.search(ident) or _APPENDED_CLASS.search(klass)
        ):
            doomed.append(element)
        elif "elementor-share-buttons" in klass:
            shares.append(element)
    delete(doomed)
    # the second expression runs on what the first left
    delete([e for e in shares if not any(a in doomed for a in e.iterancestors())])
    return tree


def _comment_section(tag: object, ident: str, klass: str) -> bool:
    return tag in ("div", "list", "section", "details") and bool(
        _COMMENTS_ID.search(ident) or _COMMENTS_CLASS.search(klass)
    )


def comments_and_lists_prune(
    tree: HtmlElement, delete: Callable[[list[HtmlElement]], None] = _delete_all
) -> HtmlElement:
    """``prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)``: the same tree
    (``delete``: as :func:`raw_tree_prune`'s)."""
    doomed = []
    for element in tree.iterdescendants(_LIST_TAGS):
        tag, ident, klass = element.tag, element.get("id", ""), element.get("class", "")
        if _comment_section(tag, ident, klass) or (
            tag in ("ol", "ul")
            and (_COMMENTS_ID.search(ident) or _COMMENTS_CLASS.search(klass))
            and (_COMMENT_LIST_ID.search(ident) or _COMMENT_LIST_CLASS.search(klass))
        ):
            doomed.append(element)
    delete(doomed)
    return tree


def comments_prune(tree: HtmlElement) -> HtmlElement:
    """``prune_unwanted_nodes(tree, REMOVE_COMMENTS_XPATH)``: the same tree."""
    doomed = [
        element
        for element in tree.iterdescendants(_LIST_TAGS)
        if _comment_section(element.tag, element.get("id", ""), element.get("class", ""))
    ]
    _delete_all(doomed)
    return tree


# ---------------------------------------------------------------- the comparison's prune

# OVERALL_DISCARD_XPATH's two expressions (trafilatura 2.3.1), which compare_extraction
# applies to the whole raw page in precision mode: their re:test() predicates over every
# element cost libxml2 ~11 ms median a page, most of the comparison. overall_discard()
# selects the same elements in one Python pass with the same regexes (lxml's re:test is
# Python's re.search on the string value of the node-set's first node: for "@id|@class",
# whichever of the two comes first among the element's attributes), each answer kept per
# attribute value (class names repeat). The regexes are read from the expressions.
_REGEX_ARGUMENT = re.compile(r"re:test\(([@\w|-]+), '([^']*)'\)")
_FIRST, _SECOND = (
    {names: re.compile(pattern) for names, pattern in _REGEX_ARGUMENT.findall(xpath.path)}
    for xpath in OVERALL_DISCARD_XPATH
)
_FIRST_TAGS = frozenset({"div", "item", "list", "p", "section", "span"})
_MEMO_LIMIT = 50_000


_Key = tuple[
    object, str | None, str | None, str | None, str | None, str | None, str | None, bool, bool, bool
]
_verdicts: dict[_Key, tuple[bool, bool]] = {}
# an element with none of these attributes matches neither expression
_READ = (
    "id",
    "class",
    "style",
    "role",
    "data-component",
    "aria-hidden",
    "data-lp-replacement-content",
)
_WITH_ATTRIBUTES = XPath(f"descendant::*[{' or '.join('@' + name for name in _READ)}]")


def _discarded(key: _Key) -> tuple[bool, bool]:
    """Whether an element matches the first expression, the second, from what they read of
    it: its tag, id, class, style, role, data-component, aria-hidden, whether it has
    data-lp-replacement-content, whether its id comes before its class, its style."""
    tag, ident, klass, style, role, component, hidden, replaced, before_class, before_style = key
    id_or_class = ident if ident is not None and (before_class or klass is None) else klass
    id_or_style = ident if ident is not None and (before_style or style is None) else style
    ident, klass, style = ident or "", klass or "", style or ""
    id_or_class, id_or_style = id_or_class or "", id_or_style or ""
    first = tag in _FIRST_TAGS and (
        replaced
        or "nav" in (role or "").replace("N", "n")
        or "MostPopularStories" in (component or "")
        or _FIRST["@id|@class"].search(id_or_class) is not None
        or _FIRST["@id"].search(ident) is not None
        or _FIRST["@class"].search(klass) is not None
    )
    second = (
        klass == "comments-title"
        or id_or_class.startswith("reply-")
        or _SECOND["@id|@style"].search(id_or_style) is not None
        or "display:none" in style
        or "display: none" in style
        or _SECOND["@id"].search(ident) is not None
        or _SECOND["@class"].search(klass) is not None
        or hidden == "true"
    )
    return first, second


def _overall_matches(tree: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement]]:
    """The elements each of OVERALL_DISCARD_XPATH's two expressions selects below ``tree``,
    in document order. The verdict on an element is kept per what the expressions read of it
    (class names and styles repeat)."""
    if len(_verdicts) > _MEMO_LIMIT:
        _verdicts.clear()
    first: list[HtmlElement] = []
    second: list[HtmlElement] = []
    for element in _WITH_ATTRIBUTES(tree):
        get = element.get
        ident = get("id")
        # whether the id comes before the class, the style: "@id|@class" reads the first
        before_class = before_style = False
        if ident is not None:
            names = element.keys()
            earlier = names[: names.index("id")]
            before_class, before_style = "class" not in earlier, "style" not in earlier
        key = (
            element.tag,
            ident,
            get("class"),
            get("style"),
            get("role"),
            get("data-component"),
            get("aria-hidden"),
            get("data-lp-replacement-content") is not None,
            before_class,
            before_style,
        )
        verdict = _verdicts.get(key)
        if verdict is None:
            verdict = _verdicts[key] = _discarded(key)
        if verdict[0]:
            first.append(element)
        if verdict[1]:
            second.append(element)
    return first, second


def overall_discard(tree: HtmlElement) -> HtmlElement:
    """``prune_unwanted_nodes(tree, OVERALL_DISCARD_XPATH)``: the same tree."""
    first, second = _overall_matches(tree)
    # deleted in the order the expressions select them (an element both select: once)
    for element in dict.fromkeys(first + second):
        delete_element(element)
    return tree


def discarded_copy(page: HtmlElement) -> HtmlElement:
    """``overall_discard(copy(page))``: the same tree. The elements it deletes are deleted
    from ``page`` before the copy and put back after (:func:`delete_undoably`): they are not
    copied only to be deleted."""
    first, second = _overall_matches(page)
    log: list[_Deletion] = []
    delete_undoably(list(dict.fromkeys(first + second)), log)
    try:
        return copy(page)
    finally:
        undo_deletions(log)


def guarded_overall_discard(tree: HtmlElement) -> HtmlElement:
    """``prune_unwanted_nodes(tree, OVERALL_DISCARD_XPATH, with_backup=True)`` (the main
    extractor's prune of each candidate subtree): the same tree. The outermost selected
    elements are deleted unless that leaves a seventh of the text or less; an element is
    outermost when none of its ancestors is selected (a set test in C, where trafilatura
    walks the ancestors in Python: ~5 ms a page, the costliest of its prunes)."""
    first, second = _overall_matches(tree)
    matches = dict.fromkeys(first + second)
    selected = matches.keys()
    outer = [element for element in matches if selected.isdisjoint(element.iterancestors())]
    old_len = len(tree.text_content())
    if old_len - sum(len(element.text_content()) for element in outer) > old_len / 7:
        for element in outer:
            delete_element(element)
    return tree


def compare_extraction(
    cleaned_tree: Callable[[], HtmlElement],
    raw_tree: HtmlElement,
    body: _Element,
    text: str,
    options: Extractor = OPTIONS,
) -> tuple[_Element, str]:
    """``trafilatura.external.compare_extraction`` with ``options`` (no images), given
    ``raw_tree`` already pruned by ``OVERALL_DISCARD_XPATH`` in precision mode
    (:func:`discarded_copy`); ``cleaned_tree`` makes the cleaned page justext reads, called
    only if justext runs."""
    len_text = len(text)
    if options.focus == "recall" and len_text > options.min_extracted_size * 10:
        return body, text
    temppost_algo = try_readability(raw_tree)
    algo_text = trim(tostring(temppost_algo, method="text", encoding="utf-8").decode("utf-8"))
    len_algo = len(algo_text)
    use_readability = _prefer_readability(
        body, temppost_algo, algo_text, len_text, len_algo, options
    )
    if use_readability:
        body, text, len_text = temppost_algo, algo_text, len_algo
    unclean = bool(body.xpath(SANITIZED_XPATH))
    if unclean or len_text < options.min_extracted_size:
        body2, text2 = justext_rescue(cleaned_tree(), options)
        len_text2 = len(text2)
        if unclean:
            accept = len_text <= JUSTEXT_OVERRIDE_RATIO * len_text2 and (
                len_text2 > len_text or not options.images or body.find(".//graphic") is None
            )
        else:
            accept = len_text < len_text2
        if text2 and accept:
            body, text, len_text = body2, text2, len_text2
            use_readability = False
    if use_readability:
        body, text = sanitize_tree(body, options)
    return body, text


# ---------------------------------------------------------------- the page's text

# html2txt, trafilatura's measure of a page's text (its recall escalation's, our suspect
# test's): a copy of the page's body without the elements BASIC_CLEAN_XPATH selects, its
# block elements spaced. The expression's re:test() predicates cost libxml2 a Python
# callback per element and attribute (~6 ms median a page where it runs, two thirds of
# html2txt); basic_clean_matches() selects the same elements in one Python pass, the tags
# and the regexes read from the expression (trafilatura 2.3.1): its tags; a <div> whose
# first of class and id (in its attribute order, as ``@class|@id`` reads it) holds
# "footer"; an element whose class or id the regex finds, case-insensitive (lxml's
# ``re:test`` with "i"), each answer kept per value (class names repeat).
_BASIC_TAGS = frozenset(re.findall(r"\.//(\w+)(?=\||$)", BASIC_CLEAN_XPATH.path))
_BASIC_TESTS = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in re.findall(r"re:test\(@(\w+), '([^']*)', 'i'\)", BASIC_CLEAN_XPATH.path)
}


@lru_cache(maxsize=2**12)
def _basic_test(name: str, value: str) -> bool:
    return _BASIC_TESTS[name].search(value) is not None


def basic_clean_matches(body: HtmlElement) -> list[HtmlElement]:
    """The elements ``BASIC_CLEAN_XPATH`` selects below ``body``, in document order."""
    found = []
    for element in body.iterdescendants("*"):
        tag = element.tag
        if tag in _BASIC_TAGS:
            found.append(element)
            continue
        klass, ident = element.get("class"), element.get("id")
        if klass is None and ident is None:
            continue
        if tag == "div":
            first = next(value for name, value in element.items() if name in ("class", "id"))
            if "footer" in first:
                found.append(element)
                continue
        if (klass is not None and _basic_test("class", klass)) or (
            ident is not None and _basic_test("id", ident)
        ):
            found.append(element)
    return found


def page_text(tree: HtmlElement) -> str:
    """``html2txt(tree)`` (trafilatura's, keeping the joiners as ours does): the same
    text, the cleaning's elements selected by :func:`basic_clean_matches`."""
    page = copy(tree)
    body = page.find(".//body")
    if body is None:
        body = page
    _delete_all(basic_clean_matches(body))
    return spaced_text(body)


# ---------------------------------------------------------------- every pass's prunes


def prune_nodes(
    tree: HtmlElement, nodelist: list[XPathType], with_backup: bool = False
) -> HtmlElement:
    """``prune_unwanted_nodes(tree, nodelist, with_backup)``: the same tree, the expressions
    with ``re:test()`` predicates selected in Python as above."""
    if nodelist is OVERALL_DISCARD_XPATH:
        return guarded_overall_discard(tree) if with_backup else overall_discard(tree)
    if not with_backup:
        if nodelist is RAW_TREE_PRUNE_XPATH:
            return raw_tree_prune(tree)
        if nodelist is REMOVE_COMMENTS_AND_LISTS_XPATH:
            return comments_and_lists_prune(tree)
        if nodelist is REMOVE_COMMENTS_XPATH:
            return comments_prune(tree)
    return prune_unwanted_nodes(tree, nodelist, with_backup)


# the main extractor (its prune of each candidate subtree: ~5 ms a page in trafilatura's
# ancestor walk) and the sequence around it (bare_extraction in balanced and recall mode),
# its baseline, page measure and text keeping the spelling joiners (``joiners.py``)
_EXTRACTOR = rebound(trafilatura.main_extractor, prune_unwanted_nodes=prune_nodes)


def extract_and_compare(
    cleaned_tree: HtmlElement,
    cleaned_tree_backup: HtmlElement,
    tree: HtmlElement,
    options: Extractor,
) -> tuple[_Element, str]:
    """``core._extract_and_compare`` (the balanced and recall passes' main extractor and
    comparison): the same result. In recall mode ``compare_extraction`` returns a text over
    ``10 * min_extracted_size`` characters as it stands, so the raw page is not copied for it
    then (a whole-page copy, ~0.5 ms, on most of the fallback's recall passes)."""
    body, text = extract_content(cleaned_tree, options)
    if options.fast or (options.focus == "recall" and len(text) > options.min_extracted_size * 10):
        return body, text
    return trafilatura.external.compare_extraction(
        cleaned_tree_backup, copy(tree), body, text, options
    )


_SEQUENCE = rebound(
    trafilatura.core,
    prune_unwanted_nodes=prune_nodes,
    extract_content=_EXTRACTOR["extract_content"],
    _extract_and_compare=extract_and_compare,
    baseline=baseline,
    html2txt=page_text,
    xmltotxt=xmltotxt,
)
extract_content = cast(
    "Callable[[HtmlElement, Extractor], tuple[_Element, str]]", _EXTRACTOR["extract_content"]
)
bare_extraction = cast(
    "Callable[..., Document | dict[str, Any] | None]", _SEQUENCE["bare_extraction"]
)


# ---------------------------------------------------------------- the pass


def resolve_body_links(body: _Element, url: str | None) -> bool:
    """Resolve the body's link targets against ``url`` as trafilatura does when given it;
    whether any changed.

    Given a URL, trafilatura resolves every link of the cleaned page (``convert_link``: one
    ``urljoin`` per link of the page, ~0.8 ms median) before it keeps the few in the story.
    Its URL serves nothing else here (no images, no metadata), so our pass runs without it
    and only the body's links are resolved, the same way, before its text (which writes a
    link's target) is written. The same body and text as trafilatura's with the URL on
    every benchmark page (docs/extraction.md, "What it costs")."""
    base = url and safe_base_url(url)
    if not base:
        return False
    changed = False
    for ref in body.iter("ref"):
        target = ref.get("target")
        if target:
            resolved = safe_relative_url(base, target) or target
            if resolved != target:
                ref.set("target", resolved)
                changed = True
    return changed


def precision_pass(page: HtmlElement, url: str | None = None) -> Document | None:
    """``bare_extraction(page, url=url, favor_precision=True, include_comments=False,
    include_links=True, with_metadata=False)``: the same Document (body, text, raw_text), or
    None when it finds no text. ``page`` is not changed (trafilatura works on copies);
    ``url``: the body's links are resolved against it (:func:`resolve_body_links`).

    trafilatura copies the page, prunes the copy (appended stories, comment sections) and
    copies it again to clean it, keeping the pruned copy for the comparison and a copy of
    the cleaned one for justext. Here the prunes run on the page itself, undone before it
    returns (:func:`delete_undoably`): the pruned page is copied to be cleaned, then again
    only for a comparison that runs (:func:`comparison_may_change`; without what the
    comparison's prune deletes, :func:`discarded_copy`), and cleaned once more only for
    justext (a third of the comparisons): the same trees wherever they are read."""
    deletions: list[_Deletion] = []
    try:
        return _precision_pass(page, url, partial(delete_undoably, log=deletions))
    finally:
        undo_deletions(deletions)


# tree_cleaning's deletions up to and including the <head>, in its order
_BEFORE_HEAD = tuple(MANUALLY_CLEANED[: MANUALLY_CLEANED.index("head") + 1])


def _cleaned(page: HtmlElement, options: Extractor = OPTIONS) -> HtmlElement:
    """trafilatura's cleaned copy of the (pruned) page, before its tags are converted:
    ``tree_cleaning(copy(page), options)``, the same tree. tree_cleaning deletes the
    ``<head>`` (its inline scripts, styles and JSON-LD), so it is deleted from the page
    before the copy and put back after (:func:`delete_undoably`): not copied to be deleted.
    Only a head holding none of the tags deleted before it (nor another head): otherwise
    the order of deletion (a tail joined to its previous sibling; trafilatura's loop, which
    stops inside a deleted element holding its own tag) could place a text elsewhere. Not
    in recall mode, whose cleaning may return its own copy of the page taken before the
    deletions (with the head)."""
    if options.focus == "recall":
        return tree_cleaning(copy(page), options)
    heads = [
        h for h in page.iterchildren("head") if next(h.iterdescendants(*_BEFORE_HEAD), None) is None
    ]
    log: list[_Deletion] = []
    delete_undoably(heads, log)
    try:
        return tree_cleaning(copy(page), options)
    finally:
        undo_deletions(log)


def _precision_pass(
    page: HtmlElement, url: str | None, delete: Callable[[list[HtmlElement]], None]
) -> Document | None:
    # trafilatura_sequence's steps for these options (precision, comments off)
    is_forum = _forum_thread_page(page)
    comments_and_lists_prune(raw_tree_prune(page, delete), delete)
    cleaned_tree = convert_tags(_cleaned(page), OPTIONS, None)
    if not is_forum:
        cleaned_tree = comments_prune(cleaned_tree)
    body, text = extract_content(cleaned_tree, OPTIONS)
    if comparison_may_change(page, body, text):
        # readability may prune its copy in place; justext's cleaned page is made if it runs
        body, text = compare_extraction(lambda: _cleaned(page), discarded_copy(page), body, text)
    # bare_extraction's ending for python output (its text keeping the joiners)
    if len(text) < OPTIONS.min_output_size:
        return None
    resolve_body_links(body, url)  # before the text is written: it writes the targets
    document = Document()
    document.text = document.raw_text = xmltotxt(body, OPTIONS.formatting)
    document.body = body
    return document


# ---------------------------------------------------------------- the fallback's passes

# bare_extraction's options for the fallback's calls: balanced and recall mode, comments
# off, links kept (its other arguments at their defaults)
BALANCED = Extractor(output_format="python", comments=False, links=True)
RECALL = Extractor(output_format="python", recall=True, comments=False, links=True)


def mode_pass(page: HtmlElement, recall: bool = False) -> _Element | None:
    """The body of ``bare_extraction(page, favor_recall=recall, include_comments=False,
    include_links=True, with_metadata=False)`` (the fallback's balanced and recall passes,
    with :data:`bare_extraction`'s prunes), or None where it returns None. ``page`` is not
    changed.

    trafilatura copies the page, prunes the copy, copies it again to clean it and keeps a
    copy of the cleaned one for justext. As in :func:`precision_pass`, the prunes run on
    the page itself and are undone before it returns; the cleaned page justext reads is
    made again only if justext runs (:func:`compare_extraction`), and the ``<head>`` is not
    copied to be cleaned away (:func:`_cleaned`): the same trees wherever they are read."""
    options = RECALL if recall else BALANCED
    deletions: list[_Deletion] = []
    try:
        body, text = _mode_sequence(page, options, partial(delete_undoably, log=deletions))
    except (TypeError, ValueError):  # bare_extraction's "discarding data"
        return None
    finally:
        undo_deletions(deletions)
    return body if len(text) >= options.min_output_size else None


def _extracted_and_compared(tree: HtmlElement, options: Extractor) -> tuple[_Element, str]:
    """``_extract_and_compare(*_prepare_tree(tree, options, None), tree, options)``: the
    same body and text, the cleaned backup made only for justext."""
    cleaned_tree = convert_tags(_cleaned(tree, options), options, None)
    body, text = extract_content(cleaned_tree, options)
    if options.fast or (options.focus == "recall" and len(text) > options.min_extracted_size * 10):
        return body, text  # compare_extraction's bypass for recall, without the page's copy
    return compare_extraction(lambda: _cleaned(tree, options), copy(tree), body, text, options)


def _mode_sequence(
    tree: HtmlElement, options: Extractor, delete: Callable[[list[HtmlElement]], None]
) -> tuple[_Element, str]:
    # trafilatura_sequence's steps for these options (not precision, comments off): the
    # body and text it returns
    is_forum = _forum_thread_page(tree)
    raw_tree_prune(tree, delete)
    if not is_forum:
        comments_and_lists_prune(tree, delete)
    postbody, temp_text = _extracted_and_compared(tree, options)
    if len(temp_text) < options.min_extracted_size:
        b_body, b_text, b_len = baseline(tree)
        if b_len > len(temp_text):
            postbody, temp_text = b_body, b_text
    if (
        options.focus == "balanced"
        and 0 < len(temp_text) < ESCALATION_MAX_LENGTH
        and len(temp_text) < ESCALATION_PAGE_SHARE * len(page_text(tree))
    ):
        r_options = copy(options)
        r_options.focus = "recall"
        r_text = ""
        try:
            r_body, r_text = _extracted_and_compared(tree, r_options)
        except Exception as err:
            LOGGER.warning("recall retry failed: %s", err)
        j_text = ""
        if not options.fast:
            try:
                j_body, j_text = justext_rescue(copy(tree), options)
            except Exception as err:
                LOGGER.warning("justext candidate failed: %s", err)
        len_text, r_len, j_len = len(temp_text), len(r_text), len(j_text)
        if j_len > r_len and j_len > ESCALATION_JUSTEXT_RATIO * len_text:
            postbody, temp_text = j_body, j_text
        elif r_len >= options.min_extracted_size and r_len > ESCALATION_ACCEPT_RATIO * len_text:
            postbody, temp_text = r_body, r_text
    return postbody, temp_text
