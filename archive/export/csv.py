"""CSV for spreadsheets: one article per row, the JSON Lines export's columns.

Choices, for Excel, LibreOffice and Google Sheets first (programs should read the
Parquet or JSON Lines export, which keep every value exact):

- UTF-8 with a byte order mark. Excel reads a CSV without one in the machine's legacy
  code page and garbles every accent; LibreOffice, Google Sheets, pandas and DuckDB
  skip the mark. Python's ``csv`` module should open the file with
  ``encoding="utf-8-sig"``.
- RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a comma,
  a quote (doubled) or a line break (article text keeps its paragraphs).
- Lists (urls, authors, tags, categories) joined with ``"; "``.
- Timestamps as ``YYYY-MM-DD HH:MM:SS``, in UTC, which spreadsheets parse as dates
  (they do not parse ISO 8601 with an offset).
- A scraped value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading apostrophe, so that a spreadsheet shows it as text instead of
  running it as a formula (CSV injection); our own values (ids, dates) never need it.
- A cell holds at most 32,767 characters in Excel; longer texts are not cut here.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from archive.fields import ARTICLE_FIELDS, BOOL_FIELDS, LIST_FIELDS, TIMESTAMP_FIELDS

if TYPE_CHECKING:
    from archive.export import Progress
    from archive.read import Archive, ArticleFilter

LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000
NUMBER_FIELDS = ("id", "version", "duplicate_of", "cluster_id", "cluster_similarity")


def cell_text(value: str) -> str:
    """Scraped text as a spreadsheet shows it, never as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _texts(values: list[str | None]) -> list[str]:
    return ["" if v is None else cell_text(v) for v in values]


def _lists(values: list[list[str]]) -> list[str]:
    return [cell_text(LIST_SEPARATOR.join(v)) for v in values]


def _times(values: list[datetime | None]) -> list[str]:
    return ["" if v is None else v.isoformat(" ", "seconds")[:19] for v in values]


def _numbers(values: list[Any]) -> list[Any]:
    return ["" if v is None else v for v in values]


def cells(name: str, values: list[Any]) -> list[Any]:
    """One column's values as CSV cells."""
    if name in BOOL_FIELDS:
        return ["true" if v else "false" for v in values]
    if name in LIST_FIELDS:
        return _lists(values)
    if name in TIMESTAMP_FIELDS:
        return _times(values)
    if name in NUMBER_FIELDS:
        return _numbers(values)
    return _texts(values)


def write(
    arc: Archive,
    where: ArticleFilter | None,
    out: IO[bytes],
    progress: Progress,
    *,
    bom: bool = True,
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="")
    count = 0
    try:
        writer = csv.writer(text, dialect="excel")
        writer.writerow(ARTICLE_FIELDS)
        for columns in arc.article_columns(where, chunk_size=CHUNK):
            writer.writerows(zip(*(cells(n, v) for n, v in columns.items()), strict=True))
            count += len(columns["id"])
            progress(count)
        text.flush()
    finally:
        text.detach()  # leave ``out`` open: the caller owns it
    progress(count)
    return count
