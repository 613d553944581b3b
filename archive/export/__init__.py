"""Exports of the archive: JSON Lines, CSV, Parquet and WARC, one module per format.

Each format module has ``write(arc, where, out, progress) -> int``: it streams the
articles ``where`` selects into the binary file ``out``, calls ``progress`` with the
number of articles done so far every few hundred, and returns how many it wrote.
:func:`export` adds what every format needs: an output decided before any work, and
a file written under a temporary name and renamed only once complete, so an
interrupted export never leaves a half file where a finished one is expected
(:mod:`archive.export.output`). Nothing here imports Scrapy.

    from archive import open_archive
    from archive.export import export
    from archive.read import ArticleFilter

    with open_archive("sqlite:///archive.db") as arc:
        export(arc, "parquet", "articles.parquet", ArticleFilter(site="example.com"))
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.engine import ArchiveInputError
from archive.export.output import Output, OutputError, decide_output, open_output

if TYPE_CHECKING:
    from archive.read import Archive, ArticleFilter

Progress = Callable[[int], None]

FORMATS = ("jsonl", "csv", "parquet", "warc")
# Formats whose file can go to a pipe (Parquet needs its footer written last, to a file).
STREAMABLE = ("jsonl", "csv", "warc")
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet", "warc": ".warc.gz"}
EXTRAS = {"parquet": ("pyarrow", "parquet"), "warc": ("warcio", "warc")}
PARQUET_COMPRESSIONS = ("snappy", "zstd", "lz4", "gzip", "none")


def no_progress(done: int) -> None:
    """The default progress callback: report nothing."""


Writer = Callable[..., int]


def format_writer(fmt: str) -> Writer:
    """The ``write`` function of format ``fmt``; ArchiveInputError if its library is missing."""
    if fmt not in FORMATS:
        raise ArchiveInputError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    try:
        module = import_module(f"archive.export.{fmt}")
    except ModuleNotFoundError as exc:
        package, extra = EXTRAS.get(fmt, (exc.name, fmt))
        if exc.name != package:
            raise
        raise ArchiveInputError(
            f"{fmt} export needs {package}: pip install 'newsarchive[{extra}]'"
        ) from exc
    write: Writer = module.write
    return write


def export(
    arc: Archive,
    fmt: str,
    path: str | Path | None,
    where: ArticleFilter | None = None,
    progress: Progress = no_progress,
    **options: Any,
) -> int:
    """Write the articles ``where`` selects to ``path`` (None or "-": standard output)
    in format ``fmt``; return how many articles were written. ``options`` go to the
    format's writer (``compression`` for parquet, ``bom`` for csv)."""
    write = format_writer(fmt)
    output = check_output(fmt, path)
    with open_output(output) as out:
        return write(arc, where, out, progress, **options)


def check_output(fmt: str, path: str | Path | None) -> Output:
    """Where the export will go (see :mod:`archive.export.output`); OutputError, before
    any work, if it cannot go there."""
    output = decide_output(path)
    if output.streams and fmt not in STREAMABLE:
        raise OutputError(f"{fmt} export needs a regular file: give -o PATH")
    return output
