"""``newsarchive export``: the archive's articles as JSON Lines, CSV, Parquet or WARC.

The formats themselves live in ``archive.export`` (usable without the crawler);
this module parses the command line and draws the progress bar.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from archive.engine import archive_url
from archive.export import FORMATS, PARQUET_COMPRESSIONS, check_output, export
from archive.read import ArticleFilter, open_archive
from crawler.cli import COMMANDS, EXIT_INTERRUPTED, EXIT_OK, add_db_option
from crawler.cli.errors import UsageError
from crawler.cli.options import add_site_option
from crawler.cli.progressbar import ProgressBar
from crawler.dates import parse_date


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help=COMMANDS["export"],
        description="Write the archive's articles (current versions) to a file. jsonl: one "
        "JSON object per line; csv: for spreadsheets (UTF-8 with BOM); parquet: typed "
        "columns for pandas, DuckDB, Spark; warc: a WARC 1.1 reconstruction of the stored "
        "captures (decoded bodies, headers as stored: not evidence as received; for that, "
        "crawl with --warc DIR).",
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default="-",
        help="file, written under a temporary name and renamed when complete; a pipe, "
        "/dev/stdout or '-' is streamed to (default: stdout, not for parquet)",
    )
    add_site_option(parser)
    parser.add_argument("--language", action="append", help="only this language; repeatable")
    add_paywalled_option(parser)
    parser.add_argument("--since", metavar="DATE", help="only articles first seen since DATE")
    parser.add_argument(
        "--changed-since",
        metavar="DATE",
        help="only articles new or changed since DATE (for incremental syncs)",
    )
    parser.add_argument(
        "--compression",
        choices=PARQUET_COMPRESSIONS,
        help="Parquet column compression (default snappy; zstd: files about a third "
        "smaller, export slower)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    add_db_option(parser)
    parser.set_defaults(run=run)


def add_paywalled_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--paywalled",
        action=argparse.BooleanOptionalAction,
        help="only articles archived from behind a paywall (their text may be a teaser); "
        "--no-paywalled: only the others",
    )


def date_option(args: argparse.Namespace, name: str) -> Any:
    """The option's value as an aware UTC datetime; UsageError if it is not a date."""
    value = getattr(args, name.replace("-", "_"))
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise UsageError(f"--{name} {value!r} is not an ISO 8601 date")
    return parsed


def article_filter(args: argparse.Namespace) -> ArticleFilter:
    return ArticleFilter(
        site=args.site,
        language=getattr(args, "language", None),
        since=date_option(args, "since"),
        changed_since=date_option(args, "changed-since"),
        paywalled=getattr(args, "paywalled", None),
    )


def is_the_archive(output: str, db: str | None) -> bool:
    url = archive_url(db)
    if url.get_backend_name() != "sqlite" or not url.database or output == "-":
        return False
    return os.path.realpath(output) == os.path.realpath(url.database)


def run(args: argparse.Namespace) -> int:
    if args.compression and args.format != "parquet":
        raise UsageError("--compression applies to --format parquet")
    options = {"compression": args.compression} if args.compression else {}
    where = article_filter(args)
    check_output(args.format, args.output)
    if is_the_archive(args.output, args.db):
        raise UsageError(f"-o {args.output} is the archive itself")
    show_bar = not args.quiet and sys.stderr.isatty()
    with open_archive(args.db) as arc:
        bar = ProgressBar(arc.count(where) if show_bar else 0, "articles", enabled=show_bar)
        try:
            count = export(arc, args.format, args.output, where, progress=bar, **options)
        except KeyboardInterrupt:
            bar.close()
            print("newsarchive export: interrupted, no file written", file=sys.stderr)
            return EXIT_INTERRUPTED
        bar.close()
    if args.output != "-" and not args.quiet:
        print(f"exported {count:,} articles to {args.output}", file=sys.stderr)
    return EXIT_OK
