"""Near-duplicate stories: MinHash signatures and a persisted LSH index.

A story republished with light edits (a new intro, one paragraph added, a trimmed
ending) keeps most of its word 3-grams (shingles). The Jaccard similarity of two
texts' shingle sets is estimated by their MinHash signatures: the share of the
``NUM_PERM`` positions on which the two agree. Locality-sensitive hashing finds the
candidates without comparing against every article: the signature's first
``BANDS * ROWS`` values are cut into ``BANDS`` bands of ``ROWS``, each band hashed to
one 64-bit key, and two texts become candidates when one band key is equal, with
probability ``1 - (1 - s**ROWS)**BANDS`` at similarity ``s``. With 42 bands of 3 rows
that is 99.6% at 0.5, 94% at 0.4, 29% at 0.2 and 0.1% at 0.03 (two different
stories on one topic): thresholds down to about 0.4 keep their recall, and false
candidates are few and only cost a 512-byte comparison each.

The index lives in the archive (``near_dup_signatures`` and ``near_dup_bands``), so it
survives restarts and every crawl writing to the archive shares it; a lookup is one
indexed query. Only the first article of each story cluster is indexed: a new text is
compared with the clusters' first articles, joins the most similar one above the
threshold, and ``cluster_similarity`` is its similarity to that first article. Clusters
therefore cannot drift through chains of edits of edits.

Everything here is stable on disk: the hash coefficients derive from ``SCHEME`` by
BLAKE2b, not from a random generator whose stream could change between releases.
Changing ``NUM_PERM``, ``BANDS``, ``ROWS`` or the shingling needs a new ``SCHEME`` and a
migration that rebuilds the index. Computing a signature costs about 1 ms for a 5 kB
text (see ``bench/neardup.py``), so it runs in the extraction worker processes, not
in the crawler's reactor thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, any_, cast, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from archive.minhash import (
    BANDS,
    MIN_WORDS,
    NUM_PERM,
    ROWS,
    SCHEME,
    SHINGLE_WORDS,
    SIGNATURE_BYTES,
    band_keys,
    shingle_hashes,
    signature,
    similarity,
    words,
)
from archive.models import NearDupBand, NearDupSignature

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Sequence

    from sqlalchemy.engine import Connection

# The signing half lives in archive.minhash (no database); it is part of this API too.
__all__ = [
    "BANDS",
    "MIN_WORDS",
    "NUM_PERM",
    "ROWS",
    "SCHEME",
    "SHINGLE_WORDS",
    "SIGNATURE_BYTES",
    "Match",
    "band_keys",
    "best_match",
    "find_cluster",
    "index_article",
    "index_articles",
    "indexed_clusters",
    "reindex_article",
    "shingle_hashes",
    "signature",
    "similarity",
    "words",
]


@dataclass(frozen=True, slots=True)
class Match:
    """The story cluster a text belongs to: its first article and the similarity to it."""

    cluster_id: int
    similarity: float


def best_match(
    sig: bytes,
    candidates: Iterable[tuple[int, bytes]],
    threshold: float,
    order: Callable[[int], int] = int,
) -> Match | None:
    """The candidate cluster (first article id, its signature) most similar to ``sig``, at
    least ``threshold``; on a tie the first by ``order`` (the oldest), or None. The one
    cluster matcher: the writer calls it with the clusters it holds in memory."""
    best: Match | None = None
    for cluster_id, candidate in sorted(candidates, key=lambda c: order(c[0])):
        score = similarity(sig, candidate)
        if score >= threshold and (best is None or score > best.similarity):
            best = Match(cluster_id, score)
    return best


def find_cluster(conn: Connection, sig: bytes, threshold: float) -> Match | None:
    """The indexed cluster whose first article is most similar to ``sig`` (at least
    ``threshold``; the oldest cluster on a tie), or None. One indexed query."""
    return best_match(sig, indexed_clusters(conn, band_keys(sig)).items(), threshold)


def indexed_clusters(conn: Connection, keys: Collection[int]) -> dict[int, bytes]:
    """The indexed first articles sharing a band key with any of ``keys``: article id ->
    signature. A batch looks up all its texts' candidates at once with it."""
    if not keys:
        return {}
    if conn.dialect.name == "postgresql":  # one array parameter, not thousands
        matches = NearDupBand.key == any_(cast(list(keys), ARRAY(BigInteger)))
    else:
        matches = NearDupBand.key.in_(keys)
    rows = conn.execute(
        select(NearDupSignature.article_id, NearDupSignature.signature).where(
            NearDupSignature.article_id.in_(select(NearDupBand.article_id).where(matches))
        )
    )
    return {article_id: signature for article_id, signature in rows}


def index_articles(conn: Connection, items: Sequence[tuple[int, bytes]]) -> None:
    """Index several articles as the first of their clusters, two statements in all."""
    if not items:
        return
    conn.execute(
        insert(NearDupSignature), [{"article_id": a, "signature": sig} for a, sig in items]
    )
    rows = [(k, a) for a, sig in items for k in dict.fromkeys(band_keys(sig))]
    if conn.dialect.name == "postgresql":
        # Forty-two rows per article: two arrays, unnested by the server, instead of a
        # statement with two parameters per row.
        keys = cast([k for k, _ in rows], ARRAY(BigInteger))
        ids = cast([a for _, a in rows], ARRAY(BigInteger))
        # two set-returning functions in one select list are zipped row by row
        conn.execute(
            insert(NearDupBand).from_select(
                ["key", "article_id"], select(func.unnest(keys), func.unnest(ids))
            )
        )
    else:
        conn.execute(insert(NearDupBand), [{"key": k, "article_id": a} for k, a in rows])


def index_article(conn: Connection, article_id: int, sig: bytes) -> None:
    """Index an article as the first of its story cluster."""
    conn.execute(insert(NearDupSignature).values(article_id=article_id, signature=sig))
    _insert_bands(conn, article_id, sig)


def reindex_article(conn: Connection, article_id: int, sig: bytes) -> bool:
    """Replace an indexed article's signature by its new text's; False if not indexed."""
    old = conn.scalar(
        select(NearDupSignature.signature).where(NearDupSignature.article_id == article_id)
    )
    if old is None:
        return False
    conn.execute(
        delete(NearDupBand).where(
            NearDupBand.article_id == article_id, NearDupBand.key.in_(band_keys(old))
        )
    )
    conn.execute(
        update(NearDupSignature)
        .where(NearDupSignature.article_id == article_id)
        .values(signature=sig)
    )
    _insert_bands(conn, article_id, sig)
    return True


def _insert_bands(conn: Connection, article_id: int, sig: bytes) -> None:
    keys = dict.fromkeys(band_keys(sig))
    conn.execute(insert(NearDupBand), [{"key": k, "article_id": article_id} for k in keys])
