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

Only short texts (under ``SHORT_TEXT`` characters) are ever checked, so a long story costs
nothing more; a checked page costs one more trafilatura pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trafilatura import bare_extraction, html2txt
from trafilatura.metadata import Document

from pipelines.extraction.metadata import article_entity, jsonld_entities
from pipelines.extraction.text import CleanBody, clean_body, normalise

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

SHORT_TEXT = 3000  # characters: a longer text is never checked
GUTTED_SHARE = 0.5  # our cleanups kept less than this share of trafilatura's text
PAGE_SHARE = 0.2  # the text covers less than this share of the page's text
BETTER_RATIO = 1.5  # a candidate must be this much longer than the suspect text
MIN_CANDIDATE = 200  # characters: a shorter candidate is noise


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


def balanced(tree: HtmlElement, url: str | None, titles: list[str]) -> Candidate | None:
    """trafilatura in its default (balanced) mode, with its rescues, cleaned by our rules."""
    try:
        document = bare_extraction(
            tree, url=url, include_comments=False, include_links=True, with_metadata=False
        )
    except Exception:
        LOGGER.exception("trafilatura (balanced) failed on %s", url)
        return None
    if not isinstance(document, Document) or document.body is None:
        return None
    return Candidate(clean_body(document.body, titles), "balanced")


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
