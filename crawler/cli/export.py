"""``newsarchive export``: the archive's articles as JSON Lines."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from archive.read import open_archive
from crawler.cli import EXIT_OK, add_db_option
from crawler.discovery import parse_date

FORMATS = ("jsonl",)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="write the archive's articles to a file")
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument(
        "-o", "--output", metavar="PATH", default="-", help="file (default: stdout)"
    )
    parser.add_argument("--site", help="only this site (host, without www.)")
    parser.add_argument(
        "--since", metavar="DATE", help="only articles first seen since DATE (ISO 8601)"
    )
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: Any) -> int:
    since = parse_date(args.since) if args.since else None
    if args.since and since is None:
        print(
            f"newsarchive export: --since {args.since!r} is not an ISO 8601 date", file=sys.stderr
        )
        return 2
    output: Any = nullcontext(sys.stdout) if args.output == "-" else _open_atomic(args.output)
    count = 0
    with open_archive(args.db) as arc, output as out:
        for article in arc.articles(site=args.site, since=since):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    if args.output != "-":
        print(f"exported {count:,} articles to {args.output}", file=sys.stderr)
    return EXIT_OK


class _open_atomic:
    """Write to PATH.part and rename on success, so a failed export leaves no half file."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.part = self.path.with_name(self.path.name + ".part")
        self.file: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        self.file = self.part.open("w", encoding="utf-8", newline="\n")
        return self.file

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.file is not None
        self.file.close()
        if exc_type is None:
            self.part.replace(self.path)
        else:
            self.part.unlink(missing_ok=True)
