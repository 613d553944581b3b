"""Articles as Apache Arrow record batches: the typed schema every columnar export shares.

Arrow is the fast way into pandas (``batch.to_pandas()``), DuckDB, Polars and
Parquet. Conversions happen in Arrow's C++ where they can: SQLite's timestamp text
is parsed by an Arrow cast and PostgreSQL sends integer microseconds, not one
``datetime`` at a time made in Python. Needs pyarrow
(``pip install 'newsarchive[parquet]'``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from archive.fields import ARTICLE_FIELDS, BOOL_FIELDS, JSON_LIST_FIELDS, TIMESTAMP_FIELDS
from archive.read import Columns, json_lists

TIMESTAMP = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())
_TYPES: dict[str, Any] = {
    "id": pa.int64(),
    "urls": _STRINGS,
    **dict.fromkeys(JSON_LIST_FIELDS, _STRINGS),
    **dict.fromkeys(TIMESTAMP_FIELDS, TIMESTAMP),
    "version": pa.int32(),
    **dict.fromkeys(BOOL_FIELDS, pa.bool_()),
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
    "paywalled",
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


def _timestamps(values: list[Any], dialect: str) -> pa.Array:
    if dialect == "sqlite":
        # naive UTC text: parse in C++, then label the values UTC (no shift)
        return pa.array(values, pa.string()).cast(pa.timestamp("us")).cast(TIMESTAMP)
    return pa.array(values, pa.int64()).cast(TIMESTAMP)  # microseconds since the epoch


def record_batch(raw: Columns, dialect: str) -> pa.RecordBatch:
    """A record batch of ``SCHEMA`` from the read API's raw columns: timestamps as
    SQLite's text or PostgreSQL's epoch microseconds, lists as JSON text."""
    arrays = []
    for field in SCHEMA:
        values = raw[field.name]
        if field.name in TIMESTAMP_FIELDS:
            arrays.append(_timestamps(values, dialect))
        elif field.name in JSON_LIST_FIELDS:
            arrays.append(pa.array(json_lists(values), field.type))
        elif field.name in BOOL_FIELDS:
            arrays.append(pa.array([bool(v) for v in values], field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)
