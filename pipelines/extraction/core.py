"""extract_article(): one parse, one trafilatura pass, stated metadata first.

The page is parsed once. trafilatura copies the tree it is given before pruning it, so the
same tree serves our metadata reader and the split-body recovery afterwards. trafilatura runs
in precision mode with links kept: precision mode measured best on the benchmark, and the
<ref> elements let the cleanup see which lines are links. A text that comes out empty or
gutted gets a second chance (``fallback.py``). trafilatura's metadata reader runs apart,
step by step, and only its searches whose answer ``fill_metadata`` will use: htmldate's
date search alone cost more than half of trafilatura's text extraction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache, partial
from itertools import islice
from typing import TYPE_CHECKING

from lxml.etree import Element, XPath, iterwalk
from trafilatura import bare_extraction
from trafilatura import metadata as trafilatura_meta
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import Document
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

from archive.outcomes import SkipReason
from pipelines.extraction.dateline import (
    MAX_DATE_LINE,
    ambiguous_slash_date,
    month_first_page,
    read_date_line,
)
from pipelines.extraction.datesearch import search_date, url_date
from pipelines.extraction.decode import parse_html
from pipelines.extraction.fallback import (
    COLLAPSED_PART,
    GUTTED_PART,
    MISSED_SHARE,
    Candidate,
    better_candidate,
    fuller_candidate,
    is_suspect,
    longer_stated_body,
    missed_share,
    stated_body,
)
from pipelines.extraction.joiners import (
    clean_and_trim,
    extract_catstags,
    extract_title,
    line_processing,
    xmltotxt,
)
from pipelines.extraction.language import page_language
from pipelines.extraction.metadata import (
    ARTICLE_TYPES,
    PUBLISHED,
    UPDATED,
    PageMeta,
    absolute_url,
    byline_core,
    clean_text,
    declared_language,
    headline_element,
    parse_datetime,
    plausible_names,
    read_metadata,
    split_names,
    unique,
    with_final_marks,
)
from pipelines.extraction.model import Extracted
from pipelines.extraction.pagetype import classify_page, clearly_article_like, markup_verdict
from pipelines.extraction.precision import precision_pass, resolve_body_links
from pipelines.extraction.stoplist import share_justext_stoplist
from pipelines.extraction.text import (
    CleanBody,
    FurnitureBoxes,
    author_bio_lines,
    clean_body,
    drop_next_articles,
    hoist_main,
    paragraph_texts,
    recover_chunks,
    unwrap_empty_inline,
    unwrap_heading_anchors,
)

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

# trafilatura's justext fallback otherwise holds its stoplist three times (~28 MiB).
share_justext_stoplist()

# Our extraction costs 30-60 us per element (trafilatura.extract about half: measured on the
# largest tuning pages, their body repeated to 40-45,000 elements); this bounds one hostile
# page to a few seconds. A big publisher's article page can pass 30,000 elements, mostly
# inline icons: trafilatura has no bound and finds its story.
MAX_TREE_ELEMENTS = 60_000
# Subtrees that never hold story text (trafilatura drops them with their content), dropped
# from a page over the bound before it is counted again.
TEXTLESS_TAGS = ("svg", "math", "style", "select", "datalist")
FAVOR_PRECISION = True  # trafilatura's mode for the story text (see the module docstring)


_ELEMENT_COUNT = XPath("count(descendant-or-self::*)")  # in C: no Python object per element


def drop_textless(tree: HtmlElement) -> None:
    """Drop the page's ``TEXTLESS_TAGS`` subtrees (their tails stay)."""
    for element in list(tree.iter(*TEXTLESS_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()


def is_oversized(tree: HtmlElement, url: str | None) -> bool:
    """Whether the page is too large for text extraction even without its text-less
    subtrees (logged); they are dropped from a page over ``MAX_TREE_ELEMENTS`` only, so
    the others are read as they are."""
    size = int(_ELEMENT_COUNT(tree))
    if size > MAX_TREE_ELEMENTS:
        drop_textless(tree)
        size = int(_ELEMENT_COUNT(tree))
    if size > MAX_TREE_ELEMENTS:
        LOGGER.warning("page too large for text extraction (%d elements): %s", size, url)
        return True
    return False


def run_trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    """trafilatura's body for the page, or None when it finds no main text.

    trafilatura runs without the URL and only the body's links are resolved
    (``precision.resolve_body_links``): the same document. In precision mode its pass runs
    step by step, its comparison with readability and justext only where that can change the
    result, the links resolved before the text is written (``precision.precision_pass``): the
    same document again. Any exception inside
    trafilatura is logged and treated as "no text": one odd page must not take down a worker.
    """
    try:
        result = (
            precision_pass(tree, url)
            if FAVOR_PRECISION
            else bare_extraction(
                tree,
                url=None,
                favor_precision=False,
                include_comments=False,
                include_links=True,
                with_metadata=False,
            )
        )
    except Exception:
        LOGGER.exception("trafilatura failed on %s", url)
        return None
    if not isinstance(result, Document):
        return None
    if not FAVOR_PRECISION and result.body is not None and resolve_body_links(result.body, url):
        # the text writes the links' targets (xmltotxt without formatting keeps the body)
        result.text = result.raw_text = xmltotxt(result.body, False)
    return result


# Cheap necessary conditions for trafilatura's costly searches (their XPaths test
# attributes with Python regexes, and the byline search first copies and prunes the tree):
# when a page has nothing they could match, the search is skipped, with the same answer.
# Every predicate of trafilatura.xpaths.AUTHOR_XPATHS implies an <author> or <rel> element
# or one of these substrings in one of these attributes (a regex alternative implies its
# literal; "byl" covers byline, "Author" AuthorCard/AuthorURL/AuthorName). Plain substring
# tests: the regex alternation over the joined values cost 0.4 ms median, these 0.08.
# Each attribute's values come joined in C (EXSLT ``str:concat``: one string, not one Python
# string per value, 0.63 → 0.31 ms median); two values run together can only make a hint
# appear that no single value holds, which runs the search for its same answer.
_AUTHOR_ATTRIBUTES = tuple(
    XPath(
        f"str:concat(descendant-or-self::*/@{name})",
        namespaces={"str": "http://exslt.org/strings"},
    )
    for name in ("class", "id", "itemprop", "rel", "data-testid", "data-component")
)
_AUTHOR_HINTS = (
    "author", "Author", "byl", "Byl", "BBL", "username", "screenname", "writer", "channel-name",
    "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by", "journalist-name",
)  # fmt: skip


def may_name_author(tree: HtmlElement) -> bool:
    """Whether trafilatura's byline search could find anything on the page."""
    if next(tree.iter("author", "rel"), None) is not None:
        return True
    values = "\n".join(str(select(tree)) for select in _AUTHOR_ATTRIBUTES)
    return any(hint in values for hint in _AUTHOR_HINTS)


# extract_catstags keeps only links whose href matches "/categor(?:y|ies|s)?/" or
# "/tag(?:y|ies|s)?/" (its own regexes); its category fallback reads these <meta> contents.
# The hrefs holding the regex's literal start are selected in C and tested in Python: a
# page whose only such links are "/categoria/..." or "/tagged/..." skips its XPaths too.
_MAY_LINK = {
    kind: (
        XPath(f"descendant-or-self::a[contains(@href, '/{stem}')]/@href", smart_strings=False),
        re.compile(f"/{stem}(?:y|ies|s)?/"),
    )
    for kind, stem in (("category", "categor"), ("tag", "tag"))
}
_SECTION_META = XPath(
    './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
)


# trafilatura.metadata.extract_author (trafilatura 2.3.1) copies the tree, prunes it with
# AUTHOR_DISCARD_XPATHS and tries AUTHOR_XPATHS in turn; their re:test() predicates and
# string tests cost libxml2 5-9 ms per expression on a page. byline_search() gives the same
# answer from one Python pass over the elements with the same regexes (lxml's re:test is
# Python's re.search), then reads only the candidates outside a pruned section.
# tests/extraction/test_byline_search.py pins trafilatura's expressions (an upgrade that
# changes them fails loudly) and compares the answers.
_BYLINE_TAGS = (
    frozenset({"a", "address", "div", "link", "p", "span", "strong"}),
    frozenset({"a", "div", "h3", "h4", "p", "span"}),
)
_BYLINE_CLASS = (
    re.compile("author-?name|AuthorName|authorName"),
    re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"),
    re.compile("[Aa]uthor|screenname|writer|[Bb]yline"),
)
_BYLINE_ID = (re.compile("author|zuozhe|bianji|xiaobian"), re.compile("[Aa]uthor"))
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)


def _byline_candidates(tree: HtmlElement) -> tuple[list[list[HtmlElement]], set[HtmlElement]]:
    """The elements each of AUTHOR_XPATHS selects, and those AUTHOR_DISCARD_XPATHS prune."""
    found: list[list[HtmlElement]] = [[], [], []]
    pruned: set[HtmlElement] = set()
    for element in tree.iter(Element):
        tag = element.tag
        get = element.attrib.get
        klass, ident, itemprop = get("class", ""), get("id", ""), get("itemprop", "")
        if element is not tree and (
            tag in ("time", "figure")
            or (
                tag in _DISCARD_TAGS
                and (
                    ident == "comments"
                    or klass in ("comments", "title", "date")
                    or _DISCARD_ID.search(ident)
                    or _DISCARD_CLASS.search(klass)
                    or "Figure" in get("data-component", "")
                )
            )
        ):
            pruned.add(element)
        if tag == "author" or (
            tag in _BYLINE_TAGS[0]
            and (
                get("rel") == "author"
                or ident == "author"
                or klass == "author"
                or itemprop == "author name"
                or get("data-testid") in ("AuthorCard", "AuthorURL")
                or _BYLINE_CLASS[0].search(klass)
            )
        ):
            found[0].append(element)
        if tag in _BYLINE_TAGS[1] and (
            klass in ("byline", "username", "byl", "BBL")
            or "author" in itemprop
            or _BYLINE_ID[0].search(ident)
            or _BYLINE_CLASS[1].search(klass)
        ):
            found[1].append(element)
        if (
            "Byline" in get("data-component", "")
            or "author" in itemprop
            or _BYLINE_ID[1].search(ident)
            or _BYLINE_CLASS[2].search(klass)
        ):
            found[2].append(element)
    return found, pruned


def _pruned_text(element: HtmlElement, pruned: set[HtmlElement]) -> str:
    """The element's text once the pruned sections inside it are cut, as in the pruned copy."""
    if not any(inner in pruned for inner in element.iterdescendants()):
        return trim(" ".join(element.itertext()))
    copy = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
    return trim(" ".join(copy.itertext()))


def byline_search(tree: HtmlElement, tidy: Callable[[str], str] | None = None) -> str | None:
    """trafilatura's ``metadata.extract_author``, the same answer at a fraction of the cost;
    ``tidy`` rewrites the byline's text before trafilatura's reading of it (ours: a date
    before the name goes, ``metadata.byline_core``).

    A page with a ``<rel>`` element (its XPath tests such a child's text) goes to
    trafilatura's own search."""
    if next(tree.iter("rel"), None) is not None:
        return trafilatura_meta.extract_author(tree)
    found, pruned = _byline_candidates(tree)
    for candidates in found:
        for element in candidates:
            if element in pruned or any(up in pruned for up in element.iterancestors()):
                continue
            content = _pruned_text(element, pruned)
            if content and 2 < len(content) < 120:
                tidied = tidy(content) if tidy else content
                return with_final_marks(normalize_authors(None, tidied), tidied)
    return None


def trafilatura_author(tree: HtmlElement, tidy: Callable[[str], str] | None = None) -> str | None:
    """trafilatura's byline search, skipped on a page with no element it could match."""
    return byline_search(tree, tidy) if may_name_author(tree) else None


def trafilatura_catstags(kind: str, tree: HtmlElement) -> list[str]:
    """trafilatura's category ("category") or tag ("tag") links, skipped on a page with no
    link it could keep; categories then come from its <meta> fallback, as trafilatura does."""
    hrefs, kept = _MAY_LINK[kind]
    if any(kept.search(href) for href in hrefs(tree)):
        return extract_catstags(kind, tree)
    if kind != "category":
        return []
    results = [element.attrib["content"] for element in _SECTION_META(tree)]
    return [r for r in dict.fromkeys(line_processing(x) for x in results if x) if r]


_FIRST_TIME = XPath("(descendant-or-self::time[@datetime])[1]/@datetime", smart_strings=False)


def htmldate_date(
    tree: HtmlElement,
    url: str | None,
    extensive: bool,
    keep_tree: Callable[[], bool],
    header: bool = True,
) -> datetime | None:
    """htmldate's publication date: its fast search (the URL's date, header markup,
    date-like elements, timestamp patterns) or its extensive one (free text too); the tree
    is pruned in place unless ``keep_tree()`` (``datesearch``); ``header=False`` skips the
    header markup. An error inside htmldate is logged: the page has no date, its other
    fields stand."""
    try:
        found = search_date(tree, url, extensive, keep_tree, header)
    except Exception:
        LOGGER.exception("htmldate failed on %s", url)
        return None
    return parse_datetime(found)


# The texts around the first <h1>: after it first (a byline line, "Updated May 4, 2025 ·
# 5 min read"), then before it (a kicker, a date above the headline), nearest first. They
# are walked lazily: an XPath axis (following::text()) collects the whole rest of the page.
HEADLINE_TEXTS_AFTER, HEADLINE_TEXTS_BEFORE = 10, 5
# the header is over after a text this long, or after this many characters of text: the
# story has begun (a date inside it is not the page's)
STORY_LINE, HEADER_CHARS = 200, 400
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_Text = tuple[str, "HtmlElement"]  # a text node and the element it stands in
_Shown = tuple[datetime, str]  # a shown date and its line, whitespace collapsed


def _subtree_texts(root: HtmlElement) -> Iterator[_Text]:
    """The text nodes of an element's subtree in document order (its own tail left out)."""
    for event, element in iterwalk(root, events=("start", "end")):
        if event == "start":
            if element.text and isinstance(element.tag, str) and element.tag not in _NOT_TEXT:
                yield element.text, element
        elif element is not root and element.tail:
            yield element.tail, element.getparent()


def _texts_after(heading: HtmlElement) -> Iterator[_Text]:
    node: HtmlElement | None = heading
    while node is not None:
        if node.tail:
            yield node.tail, node.getparent()
        for sibling in node.itersiblings():
            yield from _subtree_texts(sibling)
            if sibling.tail:
                yield sibling.tail, node.getparent()
        node = node.getparent()


def _texts_before(heading: HtmlElement) -> Iterator[_Text]:
    """Nearest first."""
    node: HtmlElement | None = heading
    while node is not None:
        parent = node.getparent()
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail, parent
            yield from reversed(list(_subtree_texts(sibling)))
        if parent is not None and parent.text and parent.tag not in _NOT_TEXT:
            yield parent.text, parent
        node = parent


# a shown date labelled as the story's update ("Updated: January 2, 2026"), in the languages
# of ``UPDATED`` with their "last" and their nouns ("Zuletzt aktualisiert", "Zuletzt
# geändert", "Dernière mise à jour", "Última actualización", "Ultimo aggiornamento",
# "Laatst gewijzigd", "Ostatnia aktualizacja", "Последнее обновление")
_LAST = r"last|zuletzt|derni[eè]re|[uú]ltim[ao]|laatst|ostatni[ao]|последнее"
_UPDATE_NOUNS = (
    r"modified|ge[äa]ndert|mise [àa] jour|modifi[ée]|actualizaci[óo]n|atualiza[çc][ãa]o"
    r"|aggiornamento|modificad[oa]|modificat[oa]|gewijzigd|aktualizacja|обновление"
)
_UPDATE_LINE = re.compile(rf"^\W*(?:(?:{_LAST})\s+)?(?:{UPDATED}|{_UPDATE_NOUNS})\b", re.I)
# the publication's label later on such a line ("Updated Dec 7, 2024 | Published Dec 5, 2024")
_PUBLISHED_LABEL = re.compile(rf"\b(?:{PUBLISHED})\b", re.I)


def _date_line(
    texts: Iterator[_Text],
    count: int,
    latest: datetime,
    language: str | None,
    month_first: Callable[[], bool],
) -> _Shown | None:
    seen = 0
    updated: _Shown | None = None  # an update's date, when the page shows no other
    for raw, parent in islice(((t, p) for t, p in texts if not t.isspace()), count):
        text = " ".join(raw.split())
        if len(text) > STORY_LINE or seen > HEADER_CHARS:
            return updated
        seen += len(text)
        if parent is not None and parent.tag == "time" and not any(c.isalpha() for c in text):
            # "03/01/2017": the element's datetime says which number is the month (a
            # month's name says it better than a datetime in UTC, a day later or earlier)
            stated = parse_datetime(parent.get("datetime"))
            if stated is not None:
                return stated, text
        if len(text) <= MAX_DATE_LINE:
            order = ambiguous_slash_date(text) and month_first()
            found = read_date_line(text, latest, language, order)
            if found:
                if _UPDATE_LINE.match(text):
                    label = _PUBLISHED_LABEL.search(text)
                    first = label and read_date_line(text[label.start() :], latest, language, order)
                    if first:
                        return _shown(first, text)
                    updated = updated or _shown(found, text)
                    continue
                return _shown(found, text)
    return updated


def _shown(found: str, text: str) -> _Shown | None:
    day = parse_datetime(found)
    return None if day is None else (day, text)


def visible_date(
    tree: HtmlElement, language: str | None = None, titles: Iterable[str] = ()
) -> datetime | None:
    """The date the page shows its readers beside the headline: the first short text
    reading as a date (htmldate's fast parser: numbers and month names, other languages'
    spelled for it by :func:`dateline.read_date_line`) among the
    ``HEADLINE_TEXTS_AFTER`` texts after the first ``<h1>``, else among the
    ``HEADLINE_TEXTS_BEFORE`` before it, nearest first; the story (a long text, or many
    short ones) ends the search on its side. ``language``: the page's (the month's names two
    languages give two months: "listopada" is the Polish November, the Croatian October).
    "12/05/2024" reads month first when the page's other numeric dates are written so
    (:func:`dateline.month_first_page`: "3/13/2026" and no "19/02/2025"), else day first.
    On a page with no ``<h1>``, the heading standing for it (``metadata.headline_element``:
    an ``<h2>``-``<h4>`` a stated title of ``titles`` holds)."""
    found = shown_date(tree, language, titles)
    return None if found is None else found[0]


def shown_date(
    tree: HtmlElement, language: str | None = None, titles: Iterable[str] = ()
) -> _Shown | None:
    """:func:`visible_date` with the line that shows it (its text node, whitespace
    collapsed): a header line the story's text may repeat (``text.trailing_header``)."""
    heading = headline_element(tree, titles)
    if heading is None:
        return None
    latest = datetime.combine(date.today(), datetime.max.time())  # a day: one cache key
    # the page's numeric dates' order, read only when a date line needs it
    month_first = cache(lambda: month_first_page(tree.itertext()))
    found = _date_line(_texts_after(heading), HEADLINE_TEXTS_AFTER, latest, language, month_first)
    if found is None:
        found = _date_line(
            _texts_before(heading), HEADLINE_TEXTS_BEFORE, latest, language, month_first
        )
    return found


# a day shown beside the headline this close before the stated day is the same instant
# read in another offset (a page stating UTC, showing its local day), not a moved story
OFFSET_SLACK = timedelta(days=1)


def published_date(
    tree: HtmlElement, meta: PageMeta, result: Extracted, url: str | None
) -> datetime | None:
    """When the page was published: the one date policy, by trust and then by cost.

    0. the full date its URL's path spells (``url``: the page's canonical URL; "/2025/12/18/",
       :func:`datesearch.url_date`), written when the story went up and never moved: right
       on every labelled article that has one (18 of 18 on each part of the benchmark),
       where a stated date in UTC can fall on the next day. The stated or shown date of
       that day is kept for its time;
    1. what its markup states (``metadata._read_dates``: JSON-LD ``datePublished``, the
       ``<meta>`` names of ``PUBLISHED_META``, microdata, ``<time pubdate>``), unless the
       page shows an earlier day beside its headline: the story was first published then
       (a moved or republished story's markup states the day of the move); a day shown
       only one day earlier is the stated instant in another offset, not a move
       (``OFFSET_SLACK``), and the stated date stands;
    2. the date it shows beside its headline (:func:`visible_date`);
    3. its first ``<time datetime>``;
    4. htmldate's fast search (``url``: the page's canonical URL, for its date); on a page
       whose markup states only when it was modified, without the header markup (whose
       answer would be that day: "December 3, 2025. Updated: December 7, 2025" under the
       story is read instead), else the stated modified date;
    5. htmldate's extensive search (free text through dateparser: ~50 ms median, hundreds
       on long pages), only for a page the crawl archives (``classify_page``): a date
       nobody stores is not worth it.

    A stated date keeps the page's offset, so its day is the readers' day. Each step was
    measured on the tuning part and kept when the checking part agreed (docs/extraction.md).
    ``result`` must hold the page's text and metadata (the decision reads them). The last
    search prunes ``tree`` in place: the caller must not need it afterwards.
    """
    shown = visible_date(tree, result.language, meta.titles)
    in_url = parse_datetime(url_date(url))
    if in_url is not None:
        for candidate in (meta.published_at, shown):
            if candidate is not None and candidate.date() == in_url.date():
                return candidate
        return in_url
    if meta.published_at is not None:
        if shown is not None and shown.date() < meta.published_at.date() - OFFSET_SLACK:
            return shown
        return meta.published_at
    if shown is not None:
        return shown
    for value in _FIRST_TIME(tree):
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed

    @cache
    def archived() -> bool:
        return classify_page(result, result.url or result.canonical_url).is_article

    if meta.modified_at is not None:  # a modified date stated, no published one
        found = htmldate_date(tree, url, extensive=False, keep_tree=lambda: False, header=False)
        return found or meta.modified_at
    found = htmldate_date(tree, url, extensive=False, keep_tree=archived)
    if found is None and archived():
        found = htmldate_date(tree, url, extensive=True, keep_tree=lambda: False)
    return found


def json_metadata(tree: HtmlElement, document: Document, url: str | None) -> Document:
    """``document`` with what trafilatura reads in the page's JSON-LD. Its reader raises on
    some shapes it does not expect (an author given as a number, a list inside ``@graph``):
    it is logged in one line, and the page keeps
    what was read up to the failing part and everything the other steps read."""
    try:
        return trafilatura_meta.extract_meta_json(tree, document)
    except Exception as error:  # a shape of the page's markup, not a fault of ours: one line
        LOGGER.warning(
            "trafilatura's JSON-LD reader failed on %s (%s: %s); the page keeps its other metadata",
            url,
            type(error).__name__,
            error,
        )
        return document


def trafilatura_metadata(tree: HtmlElement, url: str | None, meta: PageMeta) -> Document:
    """trafilatura's metadata (``trafilatura.metadata.extract_metadata``, step by step),
    reading only what ``fill_metadata`` will use: its costly searches run only for a field
    the page's stated markup left open, and only on a page they could match: the byline
    search (unused when markup names the authors) and the tag links (unused when markup
    lists tags). The date is :func:`published_date`'s. Errors are logged: the page keeps
    its stated metadata (and, when only the JSON-LD step fails, the other steps' findings).
    """
    try:  # each step reads the tree (the byline search works on a copy)
        document = trafilatura_meta.examine_meta(tree)
        if document.author and " " not in document.author:
            document.author = None
        document = json_metadata(tree, document, url)
        document.title = document.title or extract_title(tree)
        if not document.author and not meta.authors and not meta.byline_authors:
            tidy = partial(byline_core, language=declared_language(tree))
            document.author = trafilatura_author(tree, tidy)
        document.url = document.url or trafilatura_meta.extract_url(tree, url)
        document.sitename = document.sitename or trafilatura_meta.extract_sitename(tree)
        if document.sitename:
            document.sitename = document.sitename.lstrip("@")
            if "." not in document.sitename and not document.sitename[0:1].isupper():
                document.sitename = document.sitename.title()
        elif document.url and (match := trafilatura_meta.META_URL.match(document.url)):
            document.sitename = match[1]
        document.categories = document.categories or trafilatura_catstags("category", tree)
        if not document.tags and not meta.tags:
            document.tags = trafilatura_catstags("tag", tree)
        clean_and_trim(document)  # trafilatura's, keeping the joiners (joiners.py)
    except Exception:
        LOGGER.exception("trafilatura metadata failed on %s", url)
        return Document()
    return document


def merged_authors(meta: PageMeta, document: Document) -> list[str]:
    """People named in markup, else a visible "By Jane Doe", else trafilatura's byline
    search ("A; B" split into a list), else the first link to an author's page, else the
    organisations named as authors."""
    if meta.authors:
        return meta.authors
    if meta.byline_authors:
        return meta.byline_authors
    byline = document.author or ""
    names = plausible_names(
        unique(name for part in byline.split(";") for name in split_names(part))
    )
    return names or meta.linked_authors or meta.boxed_authors or meta.author_organisations


def fill_metadata(result: Extracted, meta: PageMeta, document: Document, base: str | None) -> None:
    """Fill each field from stated markup first, trafilatura's metadata second."""
    result.title = meta.title or clean_text(document.title) or meta.page_title
    result.authors = merged_authors(meta, document)
    result.published_at = meta.published_at  # the rest of the policy: published_date()
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


def declares_article(meta: PageMeta) -> bool:
    """Whether the page's markup says it is an article (og:type or a JSON-LD type)."""
    return meta.og_type == "article" or bool(ARTICLE_TYPES.intersection(meta.jsonld_types))


# Skips a fuller text did not overturn on the tuning part (no decision changed): the page-look
# model's veto and a link-dense text. A partial text on such a page is not completed: it is
# never archived (docs/extraction.md, "Never collapse").
SKIPS_NOT_COMPLETED = frozenset({SkipReason.NOT_ARTICLE_LIKE, SkipReason.LINK_DENSE})


def worth_completing(result: Extracted, gutted: bool = True) -> bool:
    """Whether a partial story text (``result`` holds it, with the page's metadata) may be
    archived once completed: the decision on it as it stands is no skip a fuller text did
    not overturn; unless the text is ``gutted`` (it lacks ``GUTTED_PART`` of itself or
    more), no skip at all: a text that already holds most of a story is completed for its
    reader, never to change the decision (one more manual archived on the checking part)."""
    verdict = classify_page(result, result.url)
    return verdict.skip not in SKIPS_NOT_COMPLETED if gutted else verdict.is_article


def needs_completing(share: float, result: Extracted, decided: bool = False) -> bool:
    """Whether a text lacking ``share`` of itself (``fallback.missed_share``) lacks enough of
    the page's story to be completed (``fallback``), on a page whose decision a fuller text
    may be worth (:func:`worth_completing`). On a page the markup and URL rules have
    ``decided`` is no article, only a collapsed text is (``COLLAPSED_PART``)."""
    if decided and share < COLLAPSED_PART:
        return False
    return share >= MISSED_SHARE and worth_completing(result, gutted=share >= GUTTED_PART)


def completion_check(result: Extracted, marked: bool) -> Callable[[Candidate], bool]:
    """Whether a collapsed text may take a candidate of another layout reading
    (``fallback.fuller_from_modes``): on a page whose markup declares an article, or whose
    markup and URL have decided it is none (its decision cannot move), always; elsewhere when
    the page with that text is still skipped, or archived looking clearly like an article
    (``clearly_article_like``): forums and service pages have the collapse shape too (a
    question without its answers), and their whole reading made some look like articles."""
    if marked:
        return lambda candidate: True

    def article_like(candidate: Candidate) -> bool:
        trial = replace(result)
        set_text(trial, candidate.cleaned, candidate.lines, candidate.chars, 0)
        verdict = classify_page(trial, result.url)
        return not verdict.is_article or clearly_article_like(trial, result.url)

    return article_like


def set_text(
    result: Extracted, cleaned: CleanBody, lines: list[str], kept_chars: int, recovered_links: int
) -> None:
    """Store the story text, its link density and its word count on ``result``, without
    the author's bio at its end (``text.author_bio_lines``; the authors are filled first)."""
    bio = author_bio_lines(lines, result.authors)
    if bio:
        lines = lines[:-bio]
        kept_chars = min(kept_chars, sum(len(line) for line in lines))
    result.text = "\n".join(lines)
    added_chars = sum(len(line) for line in lines) - kept_chars
    total = kept_chars + added_chars
    if total:
        links = cleaned.link_density * kept_chars + recovered_links
        result.link_density = round(min(1.0, links / total), 4)
    result.word_count = len(result.text.split())


def fill_text(
    result: Extracted,
    tree: HtmlElement,
    document: Document | None,
    titles: list[str],
    *,
    declared: bool = True,
    decided: bool = False,
) -> None:
    """Clean trafilatura's body into the story text and its link density; a text that
    came out empty or gutted is replaced by a better candidate, one that lacks much of the
    page's story by a fuller one (``fallback``), unless the page's markup and URL have
    already ``decided`` it is no article (but for a collapsed text: :func:`needs_completing`),
    or the decision on the text as it stands is a skip a fuller text does not overturn
    (:func:`worth_completing`): its text is never archived.
    ``result`` holds the page's metadata (the decision reads it)."""
    cleaned = CleanBody([], 0.0)
    if document is not None and document.body is not None:

        @cache
        def shown_line() -> str:
            shown = shown_date(tree, result.language, titles)
            return shown[1] if shown is not None else ""

        def is_date_line(text: str) -> bool:
            # searched only for a line that could be one: as short, with a digit (every
            # shown date line read has one; a bare <time>'s "Yesterday" is left in place)
            short = len(text) <= STORY_LINE and any(ch.isdigit() for ch in text)
            return short and text == shown_line()

        cleaned = clean_body(document.body, titles, declared_language(tree), is_date_line)
    texts = paragraph_texts(tree)  # read once for the recovery and the partial-story test
    lines, recovered_links = recover_chunks(tree, cleaned.lines, texts)
    kept_chars = sum(len(line) for line in cleaned.lines)
    found_chars = len(document.raw_text or "") if document is not None else 0
    set_text(result, cleaned, lines, kept_chars, recovered_links)
    candidate = None
    if is_suspect(sum(len(line) for line in lines), found_chars, tree, declared):
        candidate = better_candidate(tree, result.url, titles, sum(len(x) for x in lines))
    elif needs_completing(share := missed_share(tree, lines, texts), result, decided):
        accept = completion_check(result, declared or decided)
        candidate = fuller_candidate(tree, result.url, titles, lines, share, accept=accept)
    if candidate is not None:
        set_text(result, candidate.cleaned, candidate.lines, candidate.chars, 0)
    kept = sum(len(line) for line in result.text.splitlines())
    stated = longer_stated_body(tree, kept) if declared else None
    if stated is not None:
        set_text(result, stated.cleaned, stated.lines, stated.chars, 0)


def story_metadata(tree: HtmlElement, url: str | None, page: PageMeta) -> PageMeta:
    """The metadata of the story left in ``tree`` once the articles a page appends below
    it are dropped (``text.drop_next_articles``): without them a story stating no JSON-LD
    of its own took the appended one's (its headline as the title, its author, its date),
    and the appended byline named the authors. The page-look counts stay ``page``'s, those
    of the page as served: the page-type model learnt from whole pages."""
    meta = read_metadata(tree, url)
    meta.signals = page.signals
    return meta


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
        body = stated_body(tree)  # the story the page states, at no walk of the page
        if body is not None:
            set_text(result, body.cleaned, body.lines, body.chars, 0)
            result.language = page_language(result.language, result.text)
        return result
    if drop_next_articles(tree, meta.titles):  # infinite scroll: the story's own metadata
        meta = story_metadata(tree, url, meta)
    unwrap_empty_inline(tree)  # after the signals are counted: the page-look model's input
    unwrap_heading_anchors(tree, url)
    hoist_main(tree)
    boxes = FurnitureBoxes(tree)  # hidden while the text is read, not the metadata
    boxes.hide()
    try:
        document = run_trafilatura(tree, url)
    finally:
        boxes.show()
    stated = trafilatura_metadata(tree, url, meta)
    skipped = markup_verdict(
        Extracted(url=url, og_type=meta.og_type, jsonld_types=meta.jsonld_types), url
    )
    fill_metadata(result, meta, stated, url)
    boxes.hide()
    try:
        fill_text(
            result,
            tree,
            document,
            title_variants(meta, stated),
            declared=declares_article(meta),
            decided=skipped is not None,
        )
    finally:
        boxes.show()
    result.language = page_language(result.language, result.text)
    result.published_at = published_date(tree, meta, result, stated.url or url)
    return result
