"""The ``newsarchive`` command line: one module per command, each with
``add_parser(subparsers)`` and ``run(args) -> exit code``."""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import TYPE_CHECKING

from archive.engine import ArchiveError
from crawler.frontier.connection import FrontierError
from crawler.sites import SitesError

if TYPE_CHECKING:
    from collections.abc import Sequence

COMMANDS = ("crawl", "import", "export", "search", "stats", "show", "extract", "reextract", "db")
# A command whose module is not named after it (``import`` is a Python keyword).
MODULES = {"import": "imports"}

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Crawl news sites into an archive of clean articles, and read it back.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"crawler.cli.{MODULES.get(name, name)}").add_parser(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="archive database, any SQLAlchemy URL "
        "(default: $NEWSARCHIVE_DB, else sqlite:///archive.db)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (ArchiveError, FrontierError, SitesError) as exc:
        print(f"newsarchive {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
