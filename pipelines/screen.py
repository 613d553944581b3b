"""The screen: cheap checks that keep pages no reader could read away from extraction.

A hostile or broken site serves binary, NUL bytes or a PDF as ``text/html``, declares
the wrong charset, nests elements 100,000 deep, or cuts its page short. Extraction on
such input returns an empty or garbled article, or hangs. :func:`screen_page` runs in
the extraction worker, before extraction, over the page's bytes and its text, and
either passes the page (with the text to extract, decoded in the right charset) or
refuses it with a reason the crawl counts (``newsarchive/skipped/<reason>``, or
``newsarchive/failed/truncated``). It is a pure function of the body and the
declared encoding, so tests call it directly.

Reasons: ``empty``, ``pdf``, ``binary``, ``bad_charset``, ``mojibake``, ``truncated``.
After extraction, :func:`check_extraction` refuses an empty result (``empty_text``) and
a short one from a page nested past the HTML parser's depth limit (``too_deep``: the
parser built only the outer part of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from archive.outcomes import FailReason, Kind, SkipReason
from pipelines.charset import CONTROL_SAMPLE, decode, text_sample, too_many_controls
from pipelines.charset import count_controls as count_controls_in

# libxml2 (under lxml and trafilatura) stops building the tree 256 elements deep: the
# rest of a deeper page is lost. An extraction shorter than this many characters is
# checked for that (a parse costs ~10 % of an extraction, so not every page is).
MAX_DEPTH = 256
DEPTH_CHECK_BELOW = 2000
# Share of the non-ASCII characters that may be undecodable or mojibake pairs.
MAX_BAD_SHARE = 0.1
MIN_BAD_CHARS = 8
SAMPLE = CONTROL_SAMPLE

_MAGIC: tuple[tuple[bytes, SkipReason], ...] = (
    (b"%PDF-", SkipReason.PDF),
    (b"\x89PNG", SkipReason.BINARY),
    (b"GIF8", SkipReason.BINARY),
    (b"\xff\xd8\xff", SkipReason.BINARY),
    (b"PK\x03\x04", SkipReason.BINARY),
    (b"\x1f\x8b", SkipReason.BINARY),
    (b"BZh", SkipReason.BINARY),
    (b"\xfd7zXZ", SkipReason.BINARY),
    (b"7z\xbc\xaf", SkipReason.BINARY),
    (b"Rar!", SkipReason.BINARY),
    (b"\x7fELF", SkipReason.BINARY),
    (b"OggS", SkipReason.BINARY),
    (b"ID3", SkipReason.BINARY),
    (b"wOFF", SkipReason.BINARY),
    (b"wOF2", SkipReason.BINARY),
    (b"RIFF", SkipReason.BINARY),
    (b"\x00\x00\x01\x00", SkipReason.BINARY),
    (b"\xd0\xcf\x11\xe0", SkipReason.BINARY),
)
# UTF-8 read as Latin-1/cp1252: "\u00c3\u00a9" for "\u00e9", "\u00e2\u20ac\u2122" for a
# right quote, "\u00c2\u00a0" for a no-break space.
_MOJIBAKE = re.compile(
    "[\u00c3\u00c2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122]|\u00e2\u20ac"
)
_OPENS_DOCUMENT = re.compile(r"<(html|body)[\s>]", re.IGNORECASE)
_CLOSES_DOCUMENT = re.compile(r"</(html|body)\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A page the screen refused: the stats reason, what was found, and its outcome."""

    reason: str
    detail: str
    outcome: str = Kind.SKIPPED


@dataclass(frozen=True, slots=True)
class Screened:
    """A page that passed: its text, and the encoding that text was decoded with."""

    text: str
    encoding: str


def decode_page(body: bytes, declared: str | None) -> tuple[str, str, bool]:
    """The page's text, the encoding it was decoded with, and whether every byte decoded,
    by the one charset policy (:mod:`pipelines.charset`)."""
    decoded = decode(body, declared)
    return decoded.text, decoded.encoding, decoded.whole


def sniff_binary(body: bytes) -> str | None:
    """``pdf`` or ``binary`` when the body starts like a known non-text file format."""
    head = body.lstrip(b"\x00\t\n\r\x0c ")[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def exceeds_parser_depth(text: str) -> bool:
    """Whether the HTML parser gives up on ``text`` for nesting past its depth limit."""
    parser = etree.HTMLParser(collect_ids=False)
    try:
        etree.fromstring(text, parser)
    except (etree.ParserError, ValueError):
        return False
    return any(
        error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message
        for error in parser.error_log
    )


def looks_truncated(text: str) -> bool:
    """A document that opens ``<html>`` or ``<body>``, closes neither and ends mid-text
    or mid-tag was cut short (a dropped connection, a Content-Length that lied)."""
    if not _OPENS_DOCUMENT.search(text[:SAMPLE]) or text.rstrip().endswith(">"):
        return False
    return _CLOSES_DOCUMENT.search(text) is None


def count_controls(body: bytes, text: str, encoding: str) -> tuple[int, int]:
    """Control characters (NUL included, not tab, newlines or form feed) in the first
    SAMPLE bytes, and how many bytes were looked at. Counted on bytes: it is C-fast, and
    in UTF-8 and single-byte charsets a control byte is a control character."""
    wide = encoding.startswith("utf-16") or encoding.startswith("utf-32")
    sample = text_sample(text) if wide else body[:SAMPLE]
    return count_controls_in(sample), len(sample)


def count_mojibake(text: str) -> int:
    """UTF-8 sequences in ``text`` that were decoded as Latin-1 or cp1252."""
    if text.count("\u00c3") + text.count("\u00c2") + text.count("\u00e2") < MIN_BAD_CHARS:
        return 0
    return len(_MOJIBAKE.findall(text))


def _bad_share(count: int, text: str) -> float:
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return count / non_ascii if non_ascii else 0.0


def screen_page(body: bytes, encoding: str | None) -> Screened | Refusal:
    """Pass a fetched page on to extraction with its text, or refuse it with a reason."""
    if not body.strip():
        return Refusal(SkipReason.EMPTY, "the body is empty")
    kind = sniff_binary(body)
    if kind is not None:
        return Refusal(kind, f"served as HTML but starts like {kind} data ({body[:8]!r})")
    text, chosen, whole = decode_page(body, encoding)
    sample = text[:SAMPLE]
    controls, size = count_controls(body, sample, chosen)
    if too_many_controls(controls, size):
        return Refusal(SkipReason.BINARY, f"{controls:,} control characters in {size:,}")
    undecodable = 0 if whole else sample.count("\ufffd")
    if undecodable >= MIN_BAD_CHARS and _bad_share(undecodable, sample) > MAX_BAD_SHARE:
        return Refusal(
            SkipReason.BAD_CHARSET,
            f"{undecodable:,} bytes are not {chosen}, the charset declared ({encoding}), "
            "nor UTF-8 or the page's <meta charset>",
        )
    mojibake = count_mojibake(sample)
    if mojibake >= MIN_BAD_CHARS and _bad_share(2 * mojibake, sample) > MAX_BAD_SHARE:
        return Refusal(SkipReason.MOJIBAKE, f"{mojibake:,} UTF-8 sequences read as {chosen}")
    if looks_truncated(text):
        return Refusal(FailReason.TRUNCATED, "the page ends mid-document", outcome=Kind.FAILED)
    return Screened(text, chosen)


def check_extraction(text: str, extracted_text: str) -> Refusal | None:
    """Why the article text extracted from ``text`` cannot be kept, if it cannot: there
    is none, or the HTML parser gave up on the page (``too_deep``), so the text came
    from the part it built. Only short extractions are checked for depth."""
    if len(extracted_text.strip()) < DEPTH_CHECK_BELOW and exceeds_parser_depth(text):
        return Refusal(
            SkipReason.TOO_DEEP,
            f"elements nest more than {MAX_DEPTH} deep, past what the parser builds",
        )
    if not extracted_text.strip():
        return Refusal(SkipReason.EMPTY_TEXT, "extraction found no article text")
    return None
