"""extract_article(): one parse, one trafilatura pass, stated metadata first.

The page is parsed once. trafilatura copies the tree it is given before pruning it, so the
same tree serves our metadata reader and the split-body recovery afterwards. trafilatura runs
in precision mode with links kept: precision mode measured best on the benchmark, and the
<ref> elements let the cleanup see which lines are links.
"""

from __future__ import annotations

import logging
from copy import copy
from datetime import datetime
from typing import TYPE_CHECKING

from trafilatura import bare_extraction
from trafilatura.metadata import Document, extract_metadata

from pipelines.extraction.decode import parse_html
from pipelines.extraction.language import page_language
from pipelines.extraction.metadata import (
    PageMeta,
    absolute_url,
    clean_text,
    parse_datetime,
    read_metadata,
    split_names,
    unique,
)
from pipelines.extraction.model import Extracted
from pipelines.extraction.stoplist import share_justext_stoplist
from pipelines.extraction.text import clean_body, recover_chunks

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

# trafilatura's justext fallback otherwise holds its stoplist three times (~28 MiB).
share_justext_stoplist()

# trafilatura costs about 0.2 ms per element; real article pages have a few thousand
# (at most 1,600 in the benchmark), so this bounds one hostile page to a few seconds.
MAX_TREE_ELEMENTS = 30_000


def is_oversized(tree: HtmlElement, url: str | None) -> bool:
    """Whether trafilatura would need more than a few seconds for this tree (logged)."""
    size = sum(1 for _ in tree.iter())
    if size > MAX_TREE_ELEMENTS:
        LOGGER.warning("page too large for text extraction (%d elements): %s", size, url)
        return True
    return False


def run_trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    """trafilatura's body and metadata for the page, or None when it finds no main text.

    Any exception inside trafilatura is logged and treated as "no text": one odd page must
    not take down a worker.
    """
    try:
        result = bare_extraction(
            tree,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_links=True,
            with_metadata=True,
        )
    except Exception:
        LOGGER.exception("trafilatura failed on %s", url)
        return None
    return result if isinstance(result, Document) else None


def fallback_metadata(tree: HtmlElement, url: str | None) -> Document:
    """trafilatura's metadata alone, for pages where it found no main text."""
    try:
        return extract_metadata(copy(tree), url)
    except Exception:
        LOGGER.exception("trafilatura metadata failed on %s", url)
        return Document()


def trafilatura_date(document: Document) -> datetime | None:
    """htmldate's date (a day, no time) as midnight UTC."""
    return parse_datetime(document.date)


def merged_authors(meta: PageMeta, document: Document) -> list[str]:
    """People named in markup, else trafilatura's byline search ("A; B" split into a list),
    else the organisations named as authors."""
    if meta.authors:
        return meta.authors
    byline = document.author or ""
    names = unique(name for part in byline.split(";") for name in split_names(part))
    return names or meta.author_organisations


def fill_metadata(result: Extracted, meta: PageMeta, document: Document, base: str | None) -> None:
    """Fill each field from stated markup first, trafilatura's metadata second."""
    result.title = meta.title or clean_text(document.title) or meta.page_title
    result.authors = merged_authors(meta, document)
    result.published_at = meta.published_at or trafilatura_date(document)
    result.modified_at = meta.modified_at
    result.sitename = meta.sitename or clean_text(document.sitename)
    result.description = meta.description or clean_text(document.description)
    result.language = meta.language
    # A page states its primary section in markup (article:section) and often lists
    # every category as visible rel="category" links, which trafilatura reads: keep both.
    result.categories = unique([*meta.categories, *(document.categories or [])])
    result.tags = meta.tags or unique(document.tags or [])
    result.image = meta.image or absolute_url(document.image, base)
    result.canonical_url = meta.canonical_url
    result.og_type = meta.og_type
    result.jsonld_types = meta.jsonld_types
    result.paywalled = meta.paywalled
    result.signals = meta.signals


def title_variants(meta: PageMeta, document: Document) -> list[str]:
    """Every spelling of the page title, to recognise it when the body repeats it."""
    return unique([*meta.titles, *filter(None, [clean_text(document.title)])])


def fill_text(result: Extracted, tree: HtmlElement, document: Document, titles: list[str]) -> None:
    """Clean trafilatura's body into the story text and its link density."""
    if document.body is None:
        return
    cleaned = clean_body(document.body, titles)
    lines, recovered_links = recover_chunks(tree, cleaned.lines)
    result.text = "\n".join(lines)
    kept_chars = sum(len(line) for line in cleaned.lines)
    added_chars = sum(len(line) for line in lines) - kept_chars
    total = kept_chars + added_chars
    if total:
        links = cleaned.link_density * kept_chars + recovered_links
        result.link_density = round(min(1.0, links / total), 4)
    result.word_count = len(result.text.split())


def extract_article(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the story text, metadata and page-type signals of one HTML page.

    Raises ExtractionError only when the input cannot be parsed as HTML at all; a page without
    a story gives an Extracted with empty text (its metadata is still filled).
    """
    tree = parse_html(html)
    meta = read_metadata(tree, url)
    result = Extracted(url=url)
    if is_oversized(tree, url):
        fill_metadata(result, meta, Document(), url)
        return result
    document = run_trafilatura(tree, url)
    if document is not None:
        fill_text(result, tree, document, title_variants(meta, document))
    else:
        document = fallback_metadata(tree, url)
    fill_metadata(result, meta, document, url)
    result.language = page_language(result.language, result.text)
    return result
