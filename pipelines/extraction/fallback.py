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
paragraphs after a figure). Such a text is cheap to spot: the page's paragraphs of story
shape (``MISSED_PARAGRAPH`` characters or more, links under ``MISSED_LINK_SHARE``) that the
text lacks add up to ``MISSED_SHARE`` of it or more (and ``MISSED_MIN`` characters). A
partial text is replaced by the first *fuller* candidate, trafilatura in recall mode, then in
balanced mode if recall mode found less than the text, cleaned by our rules: one that holds
``CONTAIN_SHARE`` of the text's words, is ``FULLER_RATIO`` times longer and at most
``FULLER_CAP`` times (a much longer one has taken in the page around the story), so a
fuller text only adds to ours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trafilatura import bare_extraction, html2txt
from trafilatura.metadata import Document

from pipelines.extraction.metadata import article_entity, jsonld_entities
from pipelines.extraction.text import CleanBody, clean_body, normalise, word_counts

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

SHORT_TEXT = 3000  # characters: a longer text is never checked
GUTTED_SHARE = 0.5  # our cleanups kept less than this share of trafilatura's text
PAGE_SHARE = 0.2  # the text covers less than this share of the page's text
BETTER_RATIO = 1.5  # a candidate must be this much longer than the suspect text
MIN_CANDIDATE = 200  # characters: a shorter candidate is noise
MISSED_PARAGRAPH = 60  # characters: a shorter page paragraph is not counted as missed
MISSED_LINK_SHARE = 0.3  # a paragraph more linked than this is navigation
MISSED_SHARE = 0.3  # the missed paragraphs make this share of the text, or more
MISSED_MIN = 500  # characters of missed paragraphs, at least
CONTAIN_SHARE = 0.9  # a fuller candidate holds this share of the text's words
FULLER_RATIO = 1.1  # a fuller candidate is this much longer than the text
FULLER_CAP = 3.5  # and at most this much (unless the text is under MIN_CANDIDATE chars)


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
        page = len(html2txt(tree))
    except Exception:
        LOGGER.exception("page text measure failed")
        return False
    return kept_chars < PAGE_SHARE * page


def balanced(
    tree: HtmlElement, url: str | None, titles: list[str], recall: bool = False
) -> Candidate | None:
    """trafilatura in its default (balanced) mode, with its rescues, or in recall mode
    (``recall``), cleaned by our rules."""
    source = "recall" if recall else "balanced"
    try:
        document = bare_extraction(
            tree,
            url=url,
            favor_recall=recall,
            include_comments=False,
            include_links=True,
            with_metadata=False,
        )
    except Exception:
        LOGGER.exception("trafilatura (%s) failed on %s", source, url)
        return None
    if not isinstance(document, Document) or document.body is None:
        return None
    return Candidate(clean_body(document.body, titles), source)


def stated_body(tree: HtmlElement) -> Candidate | None:
    """The ``articleBody`` the page states in JSON-LD, as lines."""
    entity: dict[str, Any] | None = article_entity(jsonld_entities(tree))
    body = entity.get("articleBody") if entity else None
    if not isinstance(body, str):
        return None
    lines = [line for line in (normalise(part) for part in body.splitlines()) if line]
    return Candidate(CleanBody(lines, 0.0), "articleBody") if lines else None


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


def missed_chars(tree: HtmlElement, lines: list[str]) -> int:
    """Characters of the page's story-shaped paragraphs (``<p>`` of ``MISSED_PARAGRAPH``
    characters or more, links under ``MISSED_LINK_SHARE``) that the text lacks."""
    joined = "\n".join(lines)
    missed = 0
    for paragraph in tree.iter("p"):
        text = normalise(paragraph.text_content())
        if len(text) < MISSED_PARAGRAPH or text in joined:
            continue
        links = sum(len(anchor.text_content()) for anchor in paragraph.iter("a"))
        if links <= MISSED_LINK_SHARE * len(text):
            missed += len(text)
    return missed


def is_partial(tree: HtmlElement, lines: list[str]) -> bool:
    """Whether the page holds story-shaped paragraphs the text lacks, a good share of it."""
    kept = sum(len(line) for line in lines)
    missed = missed_chars(tree, lines)
    return missed >= MISSED_MIN and missed >= MISSED_SHARE * kept


def contains(candidate: list[str], lines: list[str]) -> bool:
    """Whether the candidate holds ``CONTAIN_SHARE`` of the words of ``lines``."""
    words = word_counts(" ".join(lines))
    total = sum(words.values())
    shared = sum((words & word_counts(" ".join(candidate))).values())
    return shared >= CONTAIN_SHARE * total


def fuller_candidate(
    tree: HtmlElement, url: str | None, titles: list[str], lines: list[str]
) -> Candidate | None:
    """The first candidate (recall mode, then balanced) that holds the partial text and
    adds to it: ``FULLER_RATIO`` to ``FULLER_CAP`` times longer, or None. Balanced mode is
    tried only when recall mode found less than the text (its own layout reading, not a
    stricter one, can then hold more); else it rarely adds what recall mode did not."""
    kept = sum(len(line) for line in lines)
    candidate = balanced(tree, url, titles, recall=True)
    if candidate is not None and is_fuller(candidate, lines, kept):
        return candidate
    if candidate is not None and candidate.chars >= kept:
        return None
    candidate = balanced(tree, url, titles)
    return candidate if candidate is not None and is_fuller(candidate, lines, kept) else None


def is_fuller(candidate: Candidate, lines: list[str], kept: int) -> bool:
    """Whether the candidate holds the text and is ``FULLER_RATIO`` to ``FULLER_CAP`` times
    as long (the cap waived for a text under ``MIN_CANDIDATE`` characters)."""
    if candidate.chars < max(MIN_CANDIDATE, FULLER_RATIO * kept):
        return False
    if kept >= MIN_CANDIDATE and candidate.chars > FULLER_CAP * kept:
        return False
    return contains(candidate.lines, lines)
