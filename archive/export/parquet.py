"""Parquet through pyarrow: a typed schema, one row group per batch of articles.

Timestamps are ``timestamp[us, tz=UTC]``, lists are ``list<string>``, ids ``int64``;
columns are zstd-compressed. Batches of ``BATCH_ROWS`` articles are written as they
are read, so memory holds one batch, whatever the archive's size.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from archive.read import ARTICLE_FIELDS

if TYPE_CHECKING:
    from archive.export import Progress
    from archive.read import Archive, ArticleFilter

BATCH_ROWS = 5000
COMPRESSION = "zstd"

_TIMESTAMP = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())
_TYPES: dict[str, Any] = {
    "id": pa.int64(),
    "urls": _STRINGS,
    "authors": _STRINGS,
    "tags": _STRINGS,
    "categories": _STRINGS,
    "published_at": _TIMESTAMP,
    "modified_at": _TIMESTAMP,
    "first_seen_at": _TIMESTAMP,
    "last_seen_at": _TIMESTAMP,
    "updated_at": _TIMESTAMP,
    "version": pa.int32(),
    "duplicate_of": pa.int64(),
    "cluster_id": pa.int64(),
    "cluster_similarity": pa.float64(),
}
_REQUIRED = {
    "id",
    "url",
    "urls",
    "site",
    "text",
    "authors",
    "tags",
    "categories",
    "content_hash",
    "version",
    "first_seen_at",
    "last_seen_at",
    "updated_at",
}
SCHEMA = pa.schema(
    [
        pa.field(name, _TYPES.get(name, pa.string()), nullable=name not in _REQUIRED)
        for name in ARTICLE_FIELDS
    ],
    metadata={"source": "newsarchive", "timezone": "UTC"},
)


def write(arc: Archive, where: ArticleFilter | None, out: IO[bytes], progress: Progress) -> int:
    count = 0
    batch: list[Any] = []
    with pq.ParquetWriter(out, SCHEMA, compression=COMPRESSION) as writer:
        for article in arc.articles(where):
            batch.append(article)
            if len(batch) == BATCH_ROWS:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=SCHEMA))
                count += len(batch)
                batch = []
                progress(count)
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=SCHEMA))
            count += len(batch)
    progress(count)
    return count
