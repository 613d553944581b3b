"""The one charset policy: how page bytes become text, in the crawl, ``extract`` and ``reextract``.

In order (w3lib's order, with valid UTF-8 tried early):

1. a byte order mark;
2. valid UTF-8: a server's default ``charset=iso-8859-1`` over a UTF-8 page is UTF-8 (legacy
   text almost never forms valid multi-byte UTF-8 by chance);
3. the charset the response declared (the HTTP header, else what Scrapy found);
4. the page's ``<meta charset>`` or ``http-equiv``;
5. only when nothing was declared at all: charset_normalizer's best guess, as Scrapy makes
   it for ``response.encoding`` (so a crawl, which passes that, and ``newsarchive extract``
   on the saved page, which has no header, read the same text).

A declared charset is never second-guessed: a guess that reads "à" as "ą" stores a garbled
article, a refusal stores nothing wrong. When none of these decodes every byte, the page is
decoded with replacement characters in the declared charset (else UTF-8) and
:attr:`Decoded.whole` is False, so the screen can refuse it.

The same module holds the one control-character rule that tells binary data from text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# How far into the body a ``<meta charset>`` is looked for.
SNIFF_BYTES = 4096
# Share of control characters (NUL included; not tab, newlines or form feed) above which a
# body is binary data, not text.
MAX_CONTROL_SHARE = 0.01
# How many bytes of a body the control characters are counted in.
CONTROL_SAMPLE = 1 << 20

# UTF-32 before UTF-16: a UTF-32-LE mark starts with the UTF-16-LE one. The codecs named
# consume the mark (and read the byte order from it).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.I)
CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True, slots=True)
class Decoded:
    """A body's text, the encoding it was decoded with, and whether every byte decoded."""

    text: str
    encoding: str
    whole: bool


def codec_name(encoding: str | None) -> str | None:
    """Python's name for ``encoding``, or None if it is unknown or missing."""
    try:
        return codecs.lookup(encoding).name if encoding else None
    except LookupError:
        return None


def meta_charset(body: bytes) -> str | None:
    """The charset the page declares in ``<meta charset>`` or ``http-equiv``, if known."""
    match = META_CHARSET.search(body[:SNIFF_BYTES])
    return codec_name(match.group(1).decode("ascii", "replace")) if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def guessed_charset(body: bytes) -> str | None:
    """charset_normalizer's best guess for undeclared bytes (the call Scrapy makes)."""
    from charset_normalizer import from_bytes  # only undeclared legacy pages need it

    match = from_bytes(body).best()
    return codec_name(match.encoding) if match else None


def _bom(body: bytes) -> str | None:
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return encoding
    return None


def decode(body: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes by the policy above; ``declared`` is the response's charset."""
    bom = _bom(body)
    if bom is not None:
        return Decoded(body.decode(bom, errors="replace"), bom, True)
    header, meta = codec_name(declared), meta_charset(body)
    for encoding in dict.fromkeys(filter(None, ("utf-8", header, meta))):
        text = _strict(body, encoding)
        if text is not None:
            return Decoded(text, encoding, True)
    guess = None if header or meta else guessed_charset(body)
    text = _strict(body, guess) if guess else None
    if guess and text is not None:
        return Decoded(text, guess, True)
    fallback = header or meta or "utf-8"
    return Decoded(body.decode(fallback, errors="replace"), fallback, False)


def count_controls(sample: bytes) -> int:
    """Control bytes (NUL included, not tab, newlines or form feed) in ``sample``: in UTF-8
    and single-byte charsets a control byte is a control character."""
    return len(sample) - len(sample.translate(None, CONTROL_BYTES))


def too_many_controls(controls: int, size: int) -> bool:
    """Whether ``controls`` control characters in ``size`` make a body binary data."""
    return controls > MAX_CONTROL_SHARE * size


def text_sample(text: str) -> bytes:
    """The first CONTROL_SAMPLE bytes of ``text`` as UTF-8, to count control characters in."""
    return text[:CONTROL_SAMPLE].encode("utf-8", "replace")[:CONTROL_SAMPLE]


def looks_binary(text: str) -> bool:
    """Whether decoded ``text`` is really binary data (images, archives, PDFs)."""
    sample = text_sample(text)
    return bool(sample) and too_many_controls(count_controls(sample), len(sample))
