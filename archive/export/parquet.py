"""Parquet through pyarrow: a typed schema, one row group per batch of articles.

The schema is ``archive.arrow.SCHEMA``: timestamps ``timestamp[us, tz=UTC]``, lists
``list<string>``, ids ``int64``; columns are zstd-compressed. Batches of
``BATCH_ROWS`` articles are written as they are read, so memory holds one batch,
whatever the archive's size.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

import pyarrow.parquet as pq

from archive.arrow import SCHEMA

if TYPE_CHECKING:
    from archive.export import Progress
    from archive.read import Archive, ArticleFilter

BATCH_ROWS = 5000
COMPRESSION = "zstd"
# Dictionary-encode only columns that repeat; trying it on unique text is wasted work.
DICTIONARY_COLUMNS = ["site", "sitename", "language", "categories", "tags", "authors"]
# Min/max statistics where readers filter (DuckDB, pandas and Spark skip row groups
# with them); on long texts they cost time and help nobody.
STATISTICS_COLUMNS = [
    "id",
    "site",
    "language",
    "published_at",
    "modified_at",
    "version",
    "duplicate_of",
    "cluster_id",
    "first_seen_at",
    "last_seen_at",
    "updated_at",
]


def write(arc: Archive, where: ArticleFilter | None, out: IO[bytes], progress: Progress) -> int:
    count = 0
    with pq.ParquetWriter(
        out,
        SCHEMA,
        compression=COMPRESSION,
        use_dictionary=DICTIONARY_COLUMNS,
        write_statistics=STATISTICS_COLUMNS,
    ) as writer:
        for batch in arc.arrow_batches(where, batch_size=BATCH_ROWS):
            writer.write_batch(batch)
            count += batch.num_rows
            progress(count)
    progress(count)
    return count
