"""Turn raw page input (bytes or str) into one parsed lxml tree.

Bytes are decoded by the crawl's one charset policy (:mod:`pipelines.charset`), minus the
HTTP header we do not get here, so ``newsarchive extract page.html`` reads a saved page as the
crawl read it. Callers holding a Scrapy response should pass ``response.text``: Scrapy
already honours the Content-Type header.
"""

from __future__ import annotations

import logging
import re

from lxml.etree import ElementDefaultClassLookup, ParserError
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from pipelines.charset import SNIFF_BYTES, decode, looks_binary
from pipelines.extraction.model import ExtractionError

LOGGER = logging.getLogger(__name__)

# Bounds the work spent on one hostile or broken page; real article pages are far smaller.
MAX_HTML_CHARS = 10_000_000
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# libxml2 can choke on a DOCTYPE holding a system id ("...//EN" "http://..."): drop any
# DOCTYPE with a slash, as trafilatura does.
_DOCTYPE = re.compile(r"^\s*<\s?!\s?doctype[^<>]*>", re.I)
# libxml2 ends the document at a self-closed root ("<html lang="en" />", as some templates
# write it): the head and body after it are lost, an "empty HTML document" where
# trafilatura, which reopens it (``utils.repair_faulty_html``), finds the story.
_SELF_CLOSED_ROOT = re.compile(r"(<html\b[^<>]*?)\s*/>", re.I)

# Same options as trafilatura's own parser, so the tree we hand it is the tree it would build.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
# lxml.html picks each element's class in Python, once per element every time a pass over
# the tree meets it (trafilatura makes dozens of passes): ~6% of our CPU per page. A
# C-level lookup gives every element the plain HtmlElement (no FormElement/InputElement
# helpers, which nothing here uses); trafilatura's copies of the tree inherit it. Outputs
# were byte-identical on 80 benchmark pages (docs/extraction.md, "What it costs").
_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)


def decode_html(data: bytes) -> str:
    """Decode page bytes; never returns silently replaced characters (it logs a warning)."""
    text, replaced_as = _decode(data)
    if replaced_as is not None:
        _warn_replaced(replaced_as)
    return text


def _warn_replaced(encoding: str) -> None:
    LOGGER.warning("undecodable page bytes: decoded as %s with replacement characters", encoding)


def _decode(data: bytes) -> tuple[str, str | None]:
    """The text, and the encoding it was decoded with replacement characters (None when
    it decoded cleanly)."""
    decoded = decode(data)
    return decoded.text, None if decoded.whole else decoded.encoding


# A numeric character reference to a character XML forbids (C0 controls but tab, line
# feed and carriage return; U+FFFE, U+FFFF): libxml2 puts the character into the tree, and
# lxml then refuses every string holding it ("All strings must be XML compatible"), so
# trafilatura's pass over a page with one such link (`href="…&#1;…"`) failed and the story
# was lost. They go as the raw characters do.
_FORBIDDEN_REFERENCE = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeE]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    r"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9]));?"
)


def parser_input(text: str) -> bytes:
    """UTF-8 bytes for libxml2: size bounded, C0 controls (NULs...), references to them
    and a faulty DOCTYPE removed, a self-closed root reopened.

    Deleting control bytes after encoding is safe (UTF-8 multi-byte sequences never contain
    bytes below 0x80) and several times faster than a regex over the string.
    """
    text = text[:MAX_HTML_CHARS]
    if "&#" in text:
        text = _FORBIDDEN_REFERENCE.sub("", text)
    if "\ufffe" in text or "\uffff" in text:
        text = text.replace("\ufffe", "").replace("\uffff", "")
    doctype = _DOCTYPE.match(text[:SNIFF_BYTES])
    if doctype is not None and "/" in doctype.group():
        text = text[doctype.end() :]
    root = _SELF_CLOSED_ROOT.search(text, 0, SNIFF_BYTES)
    if root is not None:
        text = f"{text[: root.start()]}{root[1]}>{text[root.end() :]}"
    return text.encode("utf-8", "surrogatepass").translate(None, _CONTROL_BYTES)


def parse_html(html: str | bytes) -> HtmlElement:
    """Decode and parse a page into one lxml tree, or raise ExtractionError."""
    text, replaced_as = _decode(html) if isinstance(html, bytes) else (html, None)
    if not isinstance(text, str):
        raise ExtractionError(f"unsupported input type: {type(html).__name__}")
    if looks_binary(text):
        raise ExtractionError("input looks binary, not HTML")
    if replaced_as is not None:  # said only of a page that is HTML after all
        _warn_replaced(replaced_as)
    if "<" not in text[:MAX_HTML_CHARS]:
        raise ExtractionError("input holds no markup")
    try:
        tree = document_fromstring(parser_input(text), parser=_PARSER)
    except (ParserError, ValueError) as err:
        raise ExtractionError(f"unparsable HTML: {err}") from err
    if tree is None or len(tree) == 0:
        raise ExtractionError("empty HTML document")
    return tree
