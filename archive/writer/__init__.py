"""Idempotent, batched writes of articles into the archive.

The writer decides, inside the transaction that writes a batch, what each incoming
article is to the archive: new, an unchanged re-capture, a changed story (a new
version), or a copy of a story already stored, and which story cluster a new
article joins (``archive.neardup``). Deciding here rather than upstream keeps the
outcome right when several crawls write to one archive at once: the database, not a
process's memory, is the source of truth. SQLite serialises writers at ``BEGIN
IMMEDIATE``; on PostgreSQL each batch takes a transaction-level advisory lock first,
so two crawls writing copies of one story at once still agree on its cluster.

The same transaction cleans each text of its site's learned boilerplate and counts
its lines (``archive.boilerplate``): the model lives where the counts are, so every
crawl writing to the archive cleans with the same one. Texts are compared, hashed,
signed and stored cleaned; when a batch moves a site's model, the site's earlier
articles are re-cleaned right after it commits (and, at the latest, by ``catch_up``
at the end of a crawl).

The parts, one module each: ``records`` (what is written, what it came to), ``writer``
(``ArchiveWriter``: batches, retries one by one on a race, re-cleaning), ``transaction``
(one batch, decided record by record, new articles inserted together), ``urls`` (URL
identity), ``duplicates`` (exact copies), ``clusters`` (story clusters), ``cleaning``
(the boilerplate step), ``titles`` (the site's learned title affixes cut, ``archive.titles``),
``versions``, ``captures``, ``seen`` (articles a re-crawl found unchanged) and ``runs``
(crawl runs).
"""

from __future__ import annotations

from archive.writer.records import (
    ArticleRecord,
    CaptureRecord,
    Outcome,
    WarcPointer,
    WriteResult,
)
from archive.writer.runs import CrawlRuns
from archive.writer.transaction import PG_WRITE_LOCK
from archive.writer.versions import version_reason
from archive.writer.writer import DEFAULT_NEAR_THRESHOLD, DEFAULT_RECLEAN_BUDGET, ArchiveWriter

__all__ = [
    "DEFAULT_NEAR_THRESHOLD",
    "DEFAULT_RECLEAN_BUDGET",
    "PG_WRITE_LOCK",
    "ArchiveWriter",
    "ArticleRecord",
    "CaptureRecord",
    "CrawlRuns",
    "Outcome",
    "WarcPointer",
    "WriteResult",
    "version_reason",
]
