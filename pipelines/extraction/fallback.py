"""Never collapse: a better candidate when the story text came out empty or gutted.

trafilatura runs in precision mode (best on the benchmark), which skips the rescues of its
balanced mode (the baseline on the raw tree, the recall and justext retries), and our
cleanups run after it. On a few layouts the two together keep nothing, or a few lines of a
long story: a reader would lose the article whole. So a short result is checked:

* it is *suspect* when it is empty or our cleanups kept less than ``GUTTED_SHARE`` of
  what trafilatura found, or, on a page that declares itself an article (og:type or
  JSON-LD), when it covers less than ``PAGE_SHARE`` of the page's text (trafilatura's own
  measure of a page, ``html2txt``): on other pages that longer text would only make a
  shop, a forum or a manual look like an article (the checking part's archive precision
  fell .793 -> .770 with the check on every page). An empty text is rescued everywhere:
  the page-look model judges what the rescue finds;
* a suspect text is replaced by the first better candidate: trafilatura in its balanced
  mode (with its rescues), cleaned by the same rules, then the ``articleBody`` the page
  states in JSON-LD; a candidate is better when it is ``BETTER_RATIO`` times longer.

Only short texts (under ``SHORT_TEXT`` characters) are checked so; a checked page costs one
more trafilatura pass.

A text of any length can also be *partial*: precision mode (and sometimes balanced mode)
keeps part of a story and drops the rest (sections under their own headings, a list, the
paragraphs after a figure). Such a text is cheap to spot: the page's text of story shape
(``<p>`` and the sentence-ended runs of text in a ``<div>``, list item or table cell, of
``MISSED_PARAGRAPH`` characters or more, links under ``MISSED_LINK_SHARE``) that the text
lacks adds up to ``MISSED_SHARE`` of it or more (and ``MISSED_MIN`` characters). A
partial text is replaced by the first *fuller* candidate, trafilatura in recall mode, then in
balanced mode if recall mode found less than the text, cleaned by our rules and without the
short labels it adds around the text's own lines (``trimmed``): one that holds
``CONTAIN_SHARE`` of the text's words, is ``FULLER_RATIO`` times longer and at most
``FULLER_CAP`` times (a much longer one has taken in the page around the story), so a
fuller text only adds to ours. Before them, on a page that sets its paragraphs off by
``<br><br>``, our precision pass on the page with those runs as ``<p>`` (:func:`paragraphed`),
held to no cap: it is as strict a reading as the text's own. Last, when neither mode
completes the text, on a page that writes its paragraphs as ``<div>`` (its ``<p>`` hold
under ``DIV_PAGE_SHARE`` of their text), our precision pass on the page with those
``<div>`` as ``<p>`` (:func:`div_paragraphed`), uncapped as well, and completed again from
recall or balanced mode if it is partial still: precision mode keeps only an intro, a
table or a quote of such a page, and recall mode's whole story can then be over its cap.
Tried last, it changes no text an earlier candidate completed. A *collapsed* text (it lacks
``COLLAPSED_PART`` of itself or more: a sliver) may also take balanced mode's reading after a
recall candidate as narrow as the text, or one that completes the page's story a little over
the cap (:func:`completes`), where the caller's check accepts it.

Last, on a page whose markup declares an article, the ``articleBody`` it states in JSON-LD
replaces a text of any length when it is ``BETTER_RATIO`` times longer
(:func:`longer_stated_body`).
"""

from __future__ import annotations

import logging
import math
import re
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trafilatura.baseline import _BLOCK_ELEMS

from pipelines.extraction.metadata import article_entity, declared_language, jsonld_entities
from pipelines.extraction.precision import mode_pass, page_text, precision_pass
from pipelines.extraction.text import (
    INLINE_TAGS,
    CleanBody,
    clean_body,
    div_paragraph_chars,
    has_break_paragraphs,
    normalise,
    paragraphs_from_breaks,
    paragraphs_from_divs,
    word_counts,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

SHORT_TEXT = 3000  # characters: a longer text is never checked
GUTTED_SHARE = 0.5  # our cleanups kept less than this share of trafilatura's text
PAGE_SHARE = 0.2  # the text covers less than this share of the page's text
BETTER_RATIO = 1.5  # a candidate must be this much longer than the suspect text
MIN_CANDIDATE = 200  # characters: a shorter candidate is noise
MISSED_PARAGRAPH = 60  # characters: a shorter page paragraph is not counted as missed
MISSED_LINK_SHARE = 0.3  # a paragraph more linked than this is navigation
MISSED_SHARE = 0.1  # the missed paragraphs make this share of the text, or more
# a text lacking less than this share of it is completed only on a page archived as it
# stands (a fuller text must not turn a manual or a forum into an article)
GUTTED_PART = 0.3
MISSED_MIN = 500  # characters of missed paragraphs, at least
CONTAIN_SHARE = 0.9  # a fuller candidate holds this share of the text's words
FULLER_RATIO = 1.1  # a fuller candidate is this much longer than the text
FULLER_CAP = 3.5  # and at most this much (unless the text is under MIN_CANDIDATE chars)
COLLAPSED_PART = 1.0  # a text lacking this share of itself or more kept a sliver of the story
COMPLETE_MARGIN = 1.25  # a candidate leaving no story missed may be this much over its cap
# a page writes its paragraphs as <div>s when its <p> hold under this share of their text
DIV_PAGE_SHARE = 0.05
# containers whose own runs of text can be story paragraphs, and the inline elements
# that stay inside a run (a <br> or any other element ends it)
CONTAINER_TAGS = frozenset(
    {"div", "td", "th", "dd", "dt", "li", "section", "article", "main", "blockquote", "center"}
)
NOT_STORY_TAGS = frozenset({"a", "nav", "header", "footer", "aside", "form", "button"})
# elements html2txt always deletes (its BASIC_CLEAN_XPATH selects more)
REMOVED_TAGS = ("aside", "fencedframe", "footer", "script", "style", "svg", "template")
EDGE_WORDS = 5  # a fuller candidate's added lines this short at its edges are labels
_LINE_END = re.compile(r"[.!?]$")
_SENTENCE_END = re.compile(r"[.!?\"\u201d)]$")


@dataclass(slots=True)
class Candidate:
    """A story text found some other way, and where it came from."""

    cleaned: CleanBody
    source: str

    @property
    def lines(self) -> list[str]:
        return self.cleaned.lines

    @property
    def chars(self) -> int:
        return sum(len(line) for line in self.cleaned.lines)


def is_suspect(kept_chars: int, found_chars: int, tree: HtmlElement, declared: bool) -> bool:
    """Whether a story text of ``kept_chars`` (from trafilatura's ``found_chars``) may have
    collapsed. An empty text counts everywhere; one short against the page counts only on a
    page that declares itself an article (``declared``): elsewhere (shops, forums, manuals)
    a longer text would only make the page look like an article."""
    if kept_chars >= SHORT_TEXT:
        return False
    if kept_chars == 0 or kept_chars < GUTTED_SHARE * found_chars:
        return True
    if not declared:
        return False
    try:
        if kept_chars >= PAGE_SHARE * page_text_bound(tree):
            return False
        page = len(page_text(tree))
    except Exception:
        LOGGER.exception("page text measure failed")
        return False
    return kept_chars < PAGE_SHARE * page


def page_text_bound(tree: HtmlElement) -> int:
    """An upper bound of ``len(html2txt(tree))`` read without its copy of the page and its
    cleaning XPath. html2txt deletes elements below the body (each of ``REMOVED_TAGS``
    among them) with their text but not their tails, adds one space before the text and one
    before the tail of each block element, and joins the words by single spaces, which
    never lengthens a text. So its length is at most the body's text less that of the
    outermost ``REMOVED_TAGS`` elements inside it, plus two per block element."""
    body = tree.find(".//body")
    if body is None:
        body = tree
    removed = 0
    for element in body.iterdescendants(*REMOVED_TAGS):
        if next(element.iterancestors(*REMOVED_TAGS), body) is body:  # the outermost
            removed += len(element.text_content())
    blocks = sum(1 for _ in body.iter(*_BLOCK_ELEMS))
    return len(body.text_content()) - removed + 2 * blocks


def balanced(
    tree: HtmlElement, url: str | None, titles: list[str], recall: bool = False
) -> Candidate | None:
    """trafilatura in its default (balanced) mode, with its rescues, or in recall mode
    (``recall``), cleaned by our rules.

    trafilatura runs without the URL (``url`` names the page in the log only): given one,
    it resolves every link of the cleaned page (``convert_link``) into link targets that
    :func:`clean_body` strips unread (``<ref>`` tags go before the body is written out),
    and nothing else of the pass reads it (no images, no metadata)."""
    source = "recall" if recall else "balanced"
    try:
        body = mode_pass(tree, recall)
    except Exception:
        LOGGER.exception("trafilatura (%s) failed on %s", source, url)
        return None
    if body is None:
        return None
    return Candidate(clean_body(body, titles, declared_language(tree)), source)


def paragraphed(tree: HtmlElement, url: str | None, titles: list[str]) -> Candidate | None:
    """Our precision pass again, on a copy of the page whose runs of text between double
    breaks are paragraphs (``text.paragraphs_from_breaks``: an older CMS's ``<br><br>``),
    cleaned by our rules; None on a page without such breaks. Precision mode read such a
    page as a few loose lines, or as the one table in it."""
    if not has_break_paragraphs(tree):
        return None
    return _reread(tree, paragraphs_from_breaks, url, titles, "paragraphs")


def div_paragraphed(tree: HtmlElement, url: str | None, titles: list[str]) -> Candidate | None:
    """Our precision pass again on a copy of the page whose ``<div>`` paragraphs are ``<p>``
    (``text.paragraphs_from_divs``), cleaned by our rules; None unless the page writes its
    story in ``<div>`` paragraphs (``MISSED_MIN`` characters or more), its ``<p>`` holding
    under ``DIV_PAGE_SHARE`` of their text (forums and shops write posts and descriptions
    so beside ``<p>`` of their own)."""
    divs, paragraphs = div_paragraph_chars(tree)
    if divs < MISSED_MIN or paragraphs > DIV_PAGE_SHARE * divs:
        return None
    return _reread(tree, paragraphs_from_divs, url, titles, "divs")


def _reread(
    tree: HtmlElement,
    rewrite: Callable[[HtmlElement], object],
    url: str | None,
    titles: list[str],
    source: str,
) -> Candidate | None:
    """Our precision pass on a copy of the page that ``rewrite`` changed in place, cleaned by
    our rules; None when it finds no body."""
    page = deepcopy(tree)
    rewrite(page)
    try:
        document = precision_pass(page)
    except Exception:
        LOGGER.exception("trafilatura (%s) failed on %s", source, url)
        return None
    if document is None or document.body is None:
        return None
    return Candidate(clean_body(document.body, titles, declared_language(tree)), source)


def stated_body(tree: HtmlElement) -> Candidate | None:
    """The ``articleBody`` the page states in JSON-LD, as lines."""
    entity: dict[str, Any] | None = article_entity(jsonld_entities(tree))
    body = entity.get("articleBody") if entity else None
    if not isinstance(body, str):
        return None
    lines = [line for line in (normalise(part) for part in body.splitlines()) if line]
    return Candidate(CleanBody(lines, 0.0), "articleBody") if lines else None


def longer_stated_body(tree: HtmlElement, kept_chars: int) -> Candidate | None:
    """The ``articleBody`` the page states in JSON-LD when it is ``BETTER_RATIO`` times
    longer than the text (and ``MIN_CANDIDATE`` characters), whatever the text's length:
    the page's own statement of its story, where every trafilatura mode kept part of it."""
    candidate = stated_body(tree)
    if candidate is None or candidate.chars < max(MIN_CANDIDATE, BETTER_RATIO * kept_chars):
        return None
    return candidate


def better_candidate(
    tree: HtmlElement, url: str | None, titles: list[str], kept_chars: int
) -> Candidate | None:
    """The first candidate clearly longer than the suspect text, or None."""
    floor = max(MIN_CANDIDATE, BETTER_RATIO * kept_chars)
    candidate = balanced(tree, url, titles)
    if candidate is not None and candidate.chars >= floor:
        return candidate
    candidate = stated_body(tree)
    if candidate is not None and candidate.chars >= floor:
        return candidate
    return None


def missed_chars(
    tree: HtmlElement, lines: list[str], texts: dict[HtmlElement, str] | None = None
) -> int:
    """Characters of the page's story-shaped text that the text lacks: its ``<p>`` of
    ``MISSED_PARAGRAPH`` characters or more, links under ``MISSED_LINK_SHARE``, and the runs
    of text standing in a container of their own (a ``<div>``, list item, table cell: text
    between ``<br>`` or block children) as long, ending a sentence, in a container whose
    direct links stay under that share. Nothing inside a link, ``<nav>``, ``<header>``,
    ``<footer>``, ``<aside>``, form or button counts: menus and cards are written so.

    A container's children are put on the walk by :func:`missed_runs`, which reads them
    anyway (an inline child without children of its own has nothing to walk). ``texts``:
    the page's ``<p>`` texts (``text.paragraph_texts``), when the caller has them."""
    joined = "\n".join(lines)
    known = texts or {}
    missed = 0
    stack: list[HtmlElement] = [tree]
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag in CONTAINER_TAGS:
            missed += missed_runs(element, joined, stack)
        elif tag == "p":
            missed += missed_paragraph(element, joined, known.get(element))
        elif isinstance(tag, str) and tag not in NOT_STORY_TAGS:
            stack.extend(element)
    return missed


def missed_paragraph(paragraph: HtmlElement, joined: str, text: str | None = None) -> int:
    """The paragraph's characters when it is story-shaped and not in the text, else 0.
    (``normalise`` never lengthens a text: one shorter than ``MISSED_PARAGRAPH`` as it
    stands is not normalised.) ``text``: its normalised text, when the caller has it."""
    if text is None:
        raw = paragraph.text_content()
        if len(raw) < MISSED_PARAGRAPH:
            return 0
        text = normalise(raw)
    if len(text) < MISSED_PARAGRAPH or text in joined:
        return 0
    links = sum(len(anchor.text_content()) for anchor in paragraph.iter("a"))
    return len(text) if links <= MISSED_LINK_SHARE * len(text) else 0


def missed_runs(container: HtmlElement, joined: str, walk: list[HtmlElement]) -> int:
    """Characters of the container's own runs of text (its text and inline children's,
    split at ``<br>`` and block children) that are story-shaped and not in the text. Its
    children that hold elements, but for links, go on ``walk``. A container none of whose
    runs is ``MISSED_PARAGRAPH`` characters long as it stands (most ``<div>``s: only
    blank text between block children) counts nothing, unnormalised."""
    runs = [container.text or ""]
    links = 0
    for child in container:
        tag = child.tag
        if tag in INLINE_TAGS:
            if len(child):
                text = child.text_content()
                if tag != "a":
                    walk.append(child)
            else:
                text = child.text or ""
            runs[-1] += text
            links += len(text) if tag == "a" else 0
        elif isinstance(tag, str):
            runs.append("")
            walk.append(child)
        # else a comment: its tail goes on the run
        runs[-1] += child.tail or ""
    if max(len(run) for run in runs) < MISSED_PARAGRAPH:
        return 0
    texts = [normalise(run) for run in runs]
    total = sum(len(text) for text in texts)
    if links > MISSED_LINK_SHARE * total:
        return 0
    return sum(
        len(text)
        for text in texts
        if len(text) >= MISSED_PARAGRAPH and _SENTENCE_END.search(text) and text not in joined
    )


def missed_share(
    tree: HtmlElement, lines: list[str], texts: dict[HtmlElement, str] | None = None
) -> float:
    """The page's story-shaped text the text lacks, as a share of the text (0 when it is
    under ``MISSED_MIN`` characters); the text is *partial* from ``MISSED_SHARE`` on.
    ``texts``: the page's ``<p>`` texts (``text.paragraph_texts``), when the caller has them."""
    kept = sum(len(line) for line in lines)
    missed = missed_chars(tree, lines, texts)
    if missed < MISSED_MIN:
        return 0.0
    return missed / kept if kept else math.inf


def is_partial(tree: HtmlElement, lines: list[str]) -> bool:
    """Whether the page holds story-shaped paragraphs the text lacks, a good share of it."""
    return missed_share(tree, lines) >= MISSED_SHARE


def contains(candidate: list[str], lines: list[str]) -> bool:
    """Whether the candidate holds ``CONTAIN_SHARE`` of the words of ``lines``."""
    words = word_counts(" ".join(lines))
    total = sum(words.values())
    shared = sum((words & word_counts(" ".join(candidate))).values())
    return shared >= CONTAIN_SHARE * total


def fuller_candidate(
    tree: HtmlElement,
    url: str | None,
    titles: list[str],
    lines: list[str],
    share: float | None = None,
    *,
    accept: Callable[[Candidate], bool] | None = None,
) -> Candidate | None:
    """The first candidate (the precision pass on the page's ``<br><br>`` paragraphs,
    recall mode, then balanced, then the precision pass on the page's ``<div>``
    paragraphs, itself completed by recall or balanced mode when it is partial still) that
    holds the partial text and adds to it:
    ``FULLER_RATIO`` to ``FULLER_CAP`` times longer, or up to one plus the share of the text
    the page says it misses when that is more (:func:`missed_share`; the paragraphs
    uncapped), or None.
    Balanced mode is tried only when recall mode found less than the text (its own layout
    reading, not a stricter one, can then hold more); else it rarely adds what recall mode
    did not. ``share``: :func:`missed_share` of ``lines``, when the caller has it."""
    kept = sum(len(line) for line in lines)
    candidate = paragraphed(tree, url, titles)
    if candidate is not None and is_fuller(candidate, lines, kept, capped=False):
        return candidate
    found = fuller_from_modes(tree, url, titles, lines, share, accept=accept)
    if found is not None:
        return found
    base = div_paragraphed(tree, url, titles)
    if base is None or not is_fuller(base, lines, kept, capped=False):
        return None
    if not is_partial(tree, base.lines):
        return base
    return fuller_from_modes(tree, url, titles, base.lines) or base


def fuller_from_modes(
    tree: HtmlElement,
    url: str | None,
    titles: list[str],
    lines: list[str],
    share: float | None = None,
    *,
    accept: Callable[[Candidate], bool] | None = None,
) -> Candidate | None:
    """Recall mode's candidate, else balanced mode's (tried only when recall mode found
    less than ``lines``), when it is fuller than ``lines`` within the cap, or None.
    ``share``: :func:`missed_share` of ``lines``, when the caller has it.

    A text that lacks ``COLLAPSED_PART`` of itself or more kept a sliver of its story, and
    recall mode's reading can be as narrow as precision mode's (the same container, or a
    few lines more): given ``accept``, balanced mode is tried too when recall mode's
    candidate adds nothing or leaves the text partial still, and taken when it is longer,
    fuller or completing the page's story (:func:`completes`), and ``accept`` takes it."""
    kept = sum(len(line) for line in lines)
    share = missed_share(tree, lines) if share is None else share
    cap = max(FULLER_CAP, 1 + share)
    collapsed = accept is not None and share >= COLLAPSED_PART
    recall = trimmed(balanced(tree, url, titles, recall=True), lines)
    found = recall if recall is not None and is_fuller(recall, lines, kept, cap=cap) else None
    stops = found is not None or (recall is not None and recall.chars >= kept)
    if found is not None and (not collapsed or not is_partial(tree, found.lines)):
        return found
    if stops and not collapsed:
        return found
    candidate = trimmed(balanced(tree, url, titles), lines)
    if candidate is None or (found is not None and candidate.chars <= found.chars):
        return found
    fuller = is_fuller(candidate, lines, kept, cap=cap)
    if fuller and not stops:
        return candidate
    if accept is not None and (fuller or completes(tree, candidate, lines, kept, share)):
        return candidate if accept(candidate) else found
    return found


def completes(
    tree: HtmlElement, candidate: Candidate, lines: list[str], kept: int, share: float
) -> bool:
    """Whether the candidate holds the text and leaves the page's story-shaped text missed
    no more (:func:`is_partial`), at most ``COMPLETE_MARGIN`` times as long as the text and
    what it lacks (``share`` of it): the page's story has headings and short lines the
    missed text does not count, so its whole reading runs a little over ``1 + share``."""
    if candidate.chars > COMPLETE_MARGIN * (1 + share) * kept:
        return False
    return is_fuller(candidate, lines, kept, capped=False) and not is_partial(tree, candidate.lines)


def trimmed(candidate: Candidate | None, lines: list[str]) -> Candidate | None:
    """The candidate without the short lines it adds before and after the text's own
    (``EDGE_WORDS`` words or fewer, no sentence end): labels and links of the page around
    the story ("4 minute read time", "Contact Info") that recall mode takes in."""
    if candidate is None:
        return None
    ours = set(lines)
    kept = candidate.lines
    start, end = 0, len(kept)
    while start < end and kept[start] not in ours and is_edge_label(kept[start]):
        start += 1
    while end > start and kept[end - 1] not in ours and is_edge_label(kept[end - 1]):
        end -= 1
    if (start, end) == (0, len(kept)):
        return candidate
    cleaned = CleanBody(kept[start:end], candidate.cleaned.link_density)
    return Candidate(cleaned, candidate.source)


def is_edge_label(line: str) -> bool:
    """A short line that ends no sentence."""
    return len(line.split()) <= EDGE_WORDS and not _LINE_END.search(line)


def is_fuller(
    candidate: Candidate, lines: list[str], kept: int, capped: bool = True, cap: float = FULLER_CAP
) -> bool:
    """Whether the candidate holds the text and is ``FULLER_RATIO`` to ``FULLER_CAP`` times
    as long (the cap waived for a text under ``MIN_CANDIDATE`` characters, and when not
    ``capped``: the precision pass on the page's paragraphs, as strict a reading as the
    text's own, takes in no page around the story as recall mode does)."""
    if candidate.chars < max(MIN_CANDIDATE, FULLER_RATIO * kept):
        return False
    if capped and kept >= MIN_CANDIDATE and candidate.chars > cap * kept:
        return False
    return contains(candidate.lines, lines)
