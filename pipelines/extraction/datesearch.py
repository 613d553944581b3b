"""htmldate's date search (``htmldate.find_date``, htmldate 1.11) step by step, on a tree
the caller may hand over.

``find_date`` given a parsed tree copies the whole page (~1.4 ms median on the benchmark)
before pruning it, since the caller may still need it. The extraction searches a page's
date last: then nothing needs the tree any more, and :func:`search_date` prunes it in place
unless ``keep_tree()`` says otherwise. ``keep_tree`` is asked only when the search reaches
that step (the URL, the header, JSON and ``<abbr>`` come first), so a decision it needs
(whether the extensive search may follow) is taken only on pages that get that far.
The steps and their order are htmldate's; ``tests/extraction/test_extraction_shortcuts.py``
pins ``find_date``'s source by hash (an upgrade that changes it fails loudly) and compares
the answers on benchmark pages.

Its selection of date-bearing elements (:func:`date_candidates`) is restated too: htmldate
reads every attribute of each element of its tags as a pair in Python (``is_date_candidate``,
~1.2 ms median where the search gets that far); ours reads the id, class and itemprop values
and keeps the verdict per those values (class names repeat): the same elements (the test
compares them on benchmark pages and pins htmldate's functions by hash).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from copy import deepcopy
from datetime import datetime

from htmldate.core import (
    ALWAYS_TAGS,
    CLASS_CUES,
    ID_CLASS_CUES,
    TIMESTAMP_LOOSE_PATTERN,
    TIMESTAMP_PATTERN,
    compare_reference,
    examine_abbr_elements,
    examine_elements,
    examine_header,
    examine_time_elements,
    search_page,
    serialize,
)
from htmldate.extractors import (
    FAST_TAGS,
    FREE_TEXT_EXPRESSIONS,
    discard_unwanted,
    extract_url_date,
    idiosyncrasies_search,
    img_search,
    json_search,
    pattern_search,
)
from htmldate.settings import CLEANING_LIST, MAX_SEGMENT_LEN, MIN_SEGMENT_LEN
from htmldate.utils import Extractor, clean_html
from htmldate.validators import check_extracted_reference, get_max_date, get_min_date
from lxml.etree import Element
from lxml.html import HtmlElement
from trafilatura.settings import set_date_params

_CANONICAL = './/link[@rel="canonical"]'


def _options(extensive: bool) -> Extractor:
    params = set_date_params(extensive=extensive)
    return Extractor(
        params["extensive_search"],
        get_max_date(params["max_date"]),
        get_min_date(None),
        params["original_date"],
        "%Y-%m-%d",
    )


def url_date(url: str | None) -> str | None:
    """The full date a URL's path spells ("/2025/12/18/title", "/20251218-title") as
    YYYY-MM-DD (htmldate's reading, no later than today), else None."""
    return extract_url_date(url, _options(extensive=False)) if url else None


def search_date(
    tree: HtmlElement,
    url: str | None,
    extensive: bool,
    keep_tree: Callable[[], bool],
    header: bool = True,
) -> str | None:
    """``find_date(tree, url=url, **set_date_params(extensive))`` (trafilatura's parameters:
    the original date, none later than today): the publication date as YYYY-MM-DD.

    ``header=False`` leaves out its step reading the ``<meta>`` dates, for a page whose
    markup states only when it was modified: that step would answer the modified date."""
    options = _options(extensive)
    if url is None:
        canonical = tree.find(_CANONICAL)
        url = canonical.get("href") if canonical is not None else None
    found = (
        extract_url_date(url, options)
        or (examine_header(tree, options) if header else None)
        or json_search(tree, options)
        or examine_abbr_elements(tree, options)
    )
    if found is not None:
        return found
    return _search_pruned(deepcopy(tree) if keep_tree() else tree, options)


_CANDIDATE_TAGS = (*FAST_TAGS, *ALWAYS_TAGS)
_MEMO_LIMIT = 50_000
_candidates: dict[tuple[str | None, str | None, str | None, str | None], bool] = {}


def _names_a_date(
    first: str | None, itemprop: str | None, klass: str | None, ident: str | None
) -> bool:
    """htmldate's ``is_date_candidate`` from what it reads of an element: the first of its
    id and class in attribute order (``first``), its itemprop, class and id."""
    for cue in (first, itemprop):
        if cue is not None:
            folded = cue.replace("D", "d")
            if "date" in folded or "datum" in folded:
                return True
    if first is None:
        return False
    if ID_CLASS_CUES.search(first):
        return True
    if klass is not None and CLASS_CUES.search(klass):
        return True
    return ident is not None and "footer-info-lastmod" in ident


def date_candidates(tree: HtmlElement, extensive_search: bool) -> list[HtmlElement]:
    """htmldate's ``date_candidates``: the same elements in the same order (its tags, or every
    element in the extensive search; ``ALWAYS_TAGS`` always, the others by their id, class
    and itemprop), each verdict kept per the values it reads."""
    if len(_candidates) > _MEMO_LIMIT:
        _candidates.clear()
    elements = (
        tree.iterdescendants(Element)
        if extensive_search
        else tree.iterdescendants(*_CANDIDATE_TAGS)
    )
    found = []
    for element in elements:
        if element.tag in ALWAYS_TAGS:
            found.append(element)
            continue
        get = element.get
        ident, klass, itemprop = get("id"), get("class"), get("itemprop")
        if ident is None and klass is None and itemprop is None:
            continue
        if ident is not None and klass is not None:
            names = element.keys()
            first = ident if names.index("id") < names.index("class") else klass
        else:
            first = klass if ident is None else ident
        key = (first, itemprop, klass, ident)
        verdict = _candidates.get(key)
        if verdict is None:
            verdict = _candidates[key] = _names_a_date(*key)
        if verdict:
            found.append(element)
    return found


def _search_pruned(tree: HtmlElement, options: Extractor) -> str | None:
    """find_date's steps on the page pruned of media and boilerplate (prunes ``tree``)."""
    with suppress(ValueError):  # lxml refusing a control character: search as pruned so far
        discard_unwanted(clean_html(tree, CLEANING_LIST))  # both prune in place
    found = (
        examine_elements(date_candidates(tree, options.extensive), options)
        or examine_elements(tree.xpath(".//title|.//h1"), options)
        or examine_time_elements(tree, options)
    )
    if found is not None:
        return found
    html = serialize(tree)
    found = (
        pattern_search(html, TIMESTAMP_PATTERN, options)
        or img_search(tree, options)
        or idiosyncrasies_search(html, options)
    )
    if found is not None:
        return found
    if not options.extensive:
        clean_html(tree, ["script", "style"])
        return pattern_search(" ".join(tree.itertext()), TIMESTAMP_LOOSE_PATTERN, options)
    reference: datetime | None = None
    for text in FREE_TEXT_EXPRESSIONS(tree):
        segment = text.strip()
        if MIN_SEGMENT_LEN < len(segment) < MAX_SEGMENT_LEN:
            reference = compare_reference(reference, segment, options)
    return check_extracted_reference(reference, options) or search_page(html, options)
