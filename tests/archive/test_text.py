"""The text keys stay what archives already hold: a faster normaliser, the same hashes."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata

from archive.text import content_hash, normalize_text

WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def regex_normalize(text: str) -> str:
    """The definition archives were hashed with before: NFKC, casefold, ``\\s+`` to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def test_normalize_text_equals_the_regex_definition_on_every_whitespace_character():
    text = "x".join(WHITESPACE) + " Ünïcode\u00a0Text\u2003with\u3000spaces "
    assert normalize_text(text) == regex_normalize(text)
    assert all(not re.fullmatch(r"\s", c) or c.isspace() for c in map(chr, range(0x3100)))


def test_content_hash_is_pinned():
    assert content_hash("  Harbour\u00a0EXPANSION\n\napproved ") == content_hash(
        "harbour expansion approved"
    )
    digest = hashlib.sha256(b"harbour expansion approved").hexdigest()
    assert content_hash("harbour expansion approved") == digest
