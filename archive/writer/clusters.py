"""Story clusters in a batch: the clusters' first articles a text may join, held in memory.

One query reads, for the whole batch, the indexed clusters that share a band with any of
its texts; clusters started earlier in the batch (pending, ids below zero) join them as
they are decided, and :func:`archive.neardup.best_match` picks among them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from archive import neardup

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# Sorts pending articles (ids below zero) after every inserted one, in creation order.
_PENDING_ORDER = 1 << 62


def creation_order(article_id: int) -> int:
    return article_id if article_id > 0 else _PENDING_ORDER - article_id


class Clusters:
    """The clusters a batch's texts may join; ``threshold`` None: clustering is off."""

    def __init__(self, conn: Connection, threshold: float | None) -> None:
        self.conn = conn
        self.threshold = threshold
        self.sigs: dict[int, bytes] = {}
        self.band_clusters: dict[int, set[int]] = {}
        self.fetched_keys: set[int] = set()

    def load(self, signatures: Iterable[bytes | None]) -> None:
        """Read at once the indexed clusters the batch's possibly new texts may join."""
        keys: set[int] = set()
        for sig in signatures:
            if sig is not None:
                keys.update(neardup.band_keys(sig))
        self.fetch(keys)

    def fetch(self, keys: set[int]) -> None:
        keys -= self.fetched_keys
        if not keys:
            return
        self.fetched_keys |= keys
        for article_id, sig in neardup.indexed_clusters(self.conn, keys).items():
            if article_id not in self.sigs:
                self.know(article_id, sig)

    def know(self, article_id: int, sig: bytes) -> None:
        self.sigs[article_id] = sig
        for key in neardup.band_keys(sig):
            self.band_clusters.setdefault(key, set()).add(article_id)

    def forget(self, article_id: int) -> None:
        old = self.sigs.pop(article_id, None)
        if old is not None:
            for key in neardup.band_keys(old):
                self.band_clusters.get(key, set()).discard(article_id)

    def move(self, placeholder: int, article_id: int) -> None:
        """Let a pending cluster's first article be known by its inserted id."""
        sig = self.sigs.get(placeholder)
        if sig is not None:
            self.forget(placeholder)
            self.know(article_id, sig)

    def match(self, sig: bytes) -> neardup.Match | None:
        """The cluster whose first article is most similar to ``sig`` (at least the
        threshold; the oldest on a tie), among the clusters of the batch and those indexed."""
        assert self.threshold is not None
        keys = neardup.band_keys(sig)
        self.fetch(set(keys))
        candidates = {c for key in keys for c in self.band_clusters.get(key, ())}
        clusters = ((c, self.sigs[c]) for c in candidates)
        return neardup.best_match(sig, clusters, self.threshold, creation_order)

    def reindex(self, article_id: int, cluster_id: int | None, sig: bytes | None) -> None:
        """Keep a cluster's first article indexed under its current text."""
        if sig is None or self.threshold is None or cluster_id != article_id:
            return
        if not neardup.reindex_article(self.conn, article_id, sig):
            neardup.index_article(self.conn, article_id, sig)
        self.forget(article_id)
        self.know(article_id, sig)

    def index(self, items: Sequence[tuple[int, bytes]]) -> None:
        """Index new articles as the first of their clusters."""
        neardup.index_articles(self.conn, items)
