"""MinHash signatures of article texts: the pure half of ``archive.neardup``.

No database here (numpy and the standard library only), so the extraction worker
processes sign texts without importing SQLAlchemy or the archive schema. numpy is
imported only by the functions that sign texts (in the workers): the crawler process
compares and indexes signatures with the standard library and never loads it (~11 MiB). What the
signature estimates, how the bands are cut and why is explained in
``archive.neardup``; everything here is stable on disk, and changing it needs a new
``SCHEME`` and a migration that rebuilds the index.
"""

from __future__ import annotations

import hashlib
import operator
import re
import sys
import unicodedata
import zlib
from array import array
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SCHEME = 1
NUM_PERM = 128
BANDS = 42
ROWS = 3
SHINGLE_WORDS = 3
# Fewer words than this make too few shingles for a meaningful estimate.
MIN_WORDS = 20
SIGNATURE_BYTES = NUM_PERM * 4

_WORD = re.compile(r"\w+")
_SIGNATURE_DTYPE = "<u4"
_BIG_ENDIAN = sys.byteorder == "big"


@cache
def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    """The ``a`` (odd) and ``b`` of each permutation ``h(x) = ((a*x + b) mod 2^64) >> 32``."""
    import numpy as np

    raw = b"".join(
        hashlib.blake2b(f"newsarchive-minhash:{SCHEME}:{i}".encode(), digest_size=16).digest()
        for i in range(NUM_PERM)
    )
    pairs = np.frombuffer(raw, dtype="<u8").reshape(NUM_PERM, 2)
    return pairs[:, 0] | np.uint64(1), pairs[:, 1].copy()


def words(text: str) -> list[str]:
    """The text's words as shingles see them: NFKC, case-folded, punctuation dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the text's word 3-grams."""
    import numpy as np

    tokens = words(text)
    shingles = (
        " ".join(tokens[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    )
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint32)
    return np.unique(hashes)


def signature(text: str) -> bytes | None:
    """The text's MinHash signature (``NUM_PERM`` little-endian uint32), or None when
    the text has fewer than ``MIN_WORDS`` words."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    import numpy as np

    a, b = _coefficients()
    hashes = shingle_hashes(text).astype(np.uint64)
    with np.errstate(over="ignore"):
        permuted = hashes[:, None] * a
        permuted += b
    permuted >>= np.uint64(32)
    return bytes(permuted.min(axis=0).astype(_SIGNATURE_DTYPE).tobytes())


def _values(sig: bytes) -> array[int]:
    """The signature's ``NUM_PERM`` values (little-endian uint32 on disk)."""
    if len(sig) != SIGNATURE_BYTES:
        raise ValueError(f"a signature has {SIGNATURE_BYTES} bytes, not {len(sig)}")
    values = array("I", sig)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def similarity(sig: bytes, other: bytes) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets, 0 to 1."""
    equal: int = sum(map(operator.eq, _values(sig), _values(other)))
    return equal / NUM_PERM


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band: equal keys make two signatures candidates."""
    return list(_band_keys(sig))


@lru_cache(maxsize=4096)
def _band_keys(sig: bytes) -> tuple[int, ...]:
    # Cached: a batch asks for one text's keys to look it up, to match it against the
    # batch's own new clusters and to index it.
    _values(sig)
    size = ROWS * 4
    return tuple(
        int.from_bytes(
            hashlib.blake2b(
                bytes((SCHEME, band)) + sig[band * size : (band + 1) * size], digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    )
