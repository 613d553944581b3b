"""Turn raw page input (bytes or str) into one parsed lxml tree.

Bytes are decoded the way a browser would, minus the HTTP header we do not get here: a byte
order mark wins, then valid UTF-8, then the charset the page declares in a ``<meta>``, then a
statistical guess (charset_normalizer). Callers holding a Scrapy response should pass
``response.text``: Scrapy already honours the Content-Type header.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes
from lxml.etree import ParserError
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from pipelines.extraction.model import ExtractionError

LOGGER = logging.getLogger(__name__)

# Bounds the work spent on one hostile or broken page; real article pages are far smaller.
MAX_HTML_CHARS = 10_000_000
# Share of control characters in the first chunk above which the input is taken as binary.
MAX_CONTROL_SHARE = 0.1
SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG encoding standard: these labels mean windows-1252 in a browser.
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# libxml2 can choke on a DOCTYPE holding a system id ("...//EN" "http://..."): drop any
# DOCTYPE with a slash, as trafilatura does.
_DOCTYPE = re.compile(r"^\s*<\s?!\s?doctype[^<>]*>", re.I)

# Same options as trafilatura's own parser, so the tree we hand it is the tree it would build.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)


def declared_charset(data: bytes) -> str | None:
    """Return the codec named by the page's ``<meta charset>``/http-equiv, if Python knows it."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return _BROWSER_ALIASES.get(name, name)


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _guessed_encodings(data: bytes) -> list[str]:
    sample = data if len(data) <= 2 * SNIFF_BYTES * 4 else data[: SNIFF_BYTES * 4]
    return [match.encoding for match in from_bytes(sample)]


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
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), None
    candidates = ["utf-8"]
    declared = declared_charset(data)
    if declared is not None:
        candidates.append(declared)
    for encoding in candidates:
        text = _strict_decode(data, encoding)
        if text is not None:
            return text, None
    for encoding in _guessed_encodings(data):
        text = _strict_decode(data, encoding)
        if text is not None:
            return text, None
    encoding = declared or "utf-8"
    return data.decode(encoding, errors="replace"), encoding


def looks_binary(text: str) -> bool:
    """Tell whether decoded input is really binary data (images, archives, PDFs)."""
    head = text[:SNIFF_BYTES]
    if not head:
        return False
    return len(_CONTROL_CHARS.findall(head)) / len(head) > MAX_CONTROL_SHARE


def parser_input(text: str) -> bytes:
    """UTF-8 bytes for libxml2: size bounded, C0 controls (NULs...) and a faulty DOCTYPE removed.

    Deleting control bytes after encoding is safe (UTF-8 multi-byte sequences never contain
    bytes below 0x80) and several times faster than a regex over the string.
    """
    text = text[:MAX_HTML_CHARS]
    if "\ufffe" in text or "\uffff" in text:
        text = text.replace("\ufffe", "").replace("\uffff", "")
    doctype = _DOCTYPE.match(text[:SNIFF_BYTES])
    if doctype is not None and "/" in doctype.group():
        text = text[doctype.end() :]
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
