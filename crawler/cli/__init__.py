"""The ``newsarchive`` command line: one module per command, each with
``add_parser(subparsers)`` and ``run(args) -> exit code``.

Only the chosen command's module is imported: the others appear in ``--help`` by their
one-line summary (:data:`COMMANDS`), so ``newsarchive stats`` never loads Scrapy, Twisted
or the extraction engine (``tests/crawler/test_cli_startup.py``, ``bench/startup.py``).

A command reports an expected failure by raising (``CommandError``, ``UsageError``,
``ArchiveError``...): :func:`crawler.cli.errors.run_command` turns it into one line on
standard error and the exit code of the table in ``docs/operations.md``.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any, NoReturn

from crawler.exits import EXIT_CODES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from collections.abc import Sequence

# Every command, in --help's order, with its one-line summary. The command's own module
# registers its parser with this summary (``help=COMMANDS[name]``).
COMMANDS = {
    "crawl": "crawl sites, sitemaps or feeds into the archive",
    "import": "extract and archive the HTML pages of WARC or ARC files",
    "export": "write the archive's articles to a file (JSON Lines, CSV, Parquet, or a WARC "
    "reconstruction)",
    "search": "full-text search: ranked articles with a highlighted snippet",
    "stats": "articles per site, crawl runs and their outcomes",
    "show": "show an archived article, its versions and their differences",
    "health": "flag sites that went silent, fail, block us or stopped changing (exit 1 if any)",
    "serve": "browse the archive in a web browser (read-only)",
    "extract": "extract articles from saved HTML files (JSON Lines on stdout, in input order)",
    "reextract": "extract the archived captures again and update what changed",
    "db": "create or upgrade the archive's schema (Alembic migrations)",
}
# A command whose module is not named after it (``import`` is a Python keyword).
MODULES = {"import": "imports"}

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


class CommandParser(argparse.ArgumentParser):
    """A parser whose errors name the command they belong to, and that takes the global
    options (``--debug``, and ``--db`` where a command has an archive) before or after
    the command's name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="on an error, show its traceback too",
        )
        # The parser that parsed last is the innermost command's: errors found after
        # parsing (unknown options) are reported with its usage.
        self.set_defaults(command_parser=self)

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: "):
            message += self._did_you_mean(message.split(": ", 1)[1].split())
        super().error(message)

    def _did_you_mean(self, unknown: list[str]) -> str:
        known = [s for action in self._actions for s in action.option_strings]
        for word in unknown:
            close = difflib.get_close_matches(word.partition("=")[0], known, n=1, cutoff=0.75)
            if word.startswith("-") and close and close[0] != word:
                return f" (did you mean {close[0]}?)"
        return ""


class VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the
    package metadata costs every other command a tenth of a second)."""

    HELP = "show program's version number and exit"

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        print(f"newsarchive {version()}")
        parser.exit()


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("newsarchive")
    except PackageNotFoundError:
        return "(not installed)"


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on a command line, found before parsing it: the first word that
    is neither an option nor the value of ``--db``."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word == "--" or not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> CommandParser:
    """The parser, with ``command``'s own options (its module imported) and every other
    command as its summary only; None imports every command (for tools that read the
    whole command line)."""
    parser = CommandParser(
        prog="newsarchive",
        description="Crawl news sites into an archive of clean articles, and read it back.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action=VersionAction, nargs=0, help=VersionAction.HELP)
    add_db_option(parser)
    parser.set_defaults(db=None, debug=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if command is None or name == command:
            import_module(f"crawler.cli.{MODULES.get(name, name)}").add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=summary, add_help=False)
    return parser


def archive_option(value: str) -> str:
    """``--db``'s value: not empty (``--db "$ARCHIVE"`` with ARCHIVE unset would read, or
    a crawl create, ./archive.db instead)."""
    if not value:
        raise argparse.ArgumentTypeError("empty: name the archive's file or URL")
    return value


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        type=archive_option,
        # Not a default of its own: a --db given before the command name stays.
        default=argparse.SUPPRESS,
        help="the archive: a SQLite file's path or any SQLAlchemy URL "
        "(default: $NEWSARCHIVE_DB, else archive.db)",
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed; an unknown option is reported with its command's usage."""
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(chosen_command(argv) or "")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    for dest, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and dest not in PATH_DESTS and not _is_utf8(text):
                args.command_parser.error(f"{text!r} is not valid UTF-8")
    return args


# Options that name files: any bytes the system allows. Every other word of a command
# line (a query, a site, a URL, a setting) becomes text the archive stores or compares,
# so bytes that are not UTF-8 (Python's surrogate escapes) are refused before any work.
PATH_DESTS = frozenset({"db", "output", "sites", "files", "paths", "warc", "token_file"})


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from crawler.cli.errors import run_command

        return run_command(parse_args(argv))
    except KeyboardInterrupt:  # before the command ran: while Python imported it
        print("newsarchive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
