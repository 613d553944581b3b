"""The ``newsarchive`` command line: one module per command, each with
``add_parser(subparsers)`` and ``run(args) -> exit code``.

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

if TYPE_CHECKING:
    from collections.abc import Sequence

COMMANDS = (
    "crawl",
    "import",
    "export",
    "search",
    "stats",
    "show",
    "health",
    "serve",
    "extract",
    "reextract",
    "db",
)
# A command whose module is not named after it (``import`` is a Python keyword).
MODULES = {"import": "imports"}

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


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


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("newsarchive")
    except PackageNotFoundError:
        return "(not installed)"


def build_parser() -> CommandParser:
    parser = CommandParser(
        prog="newsarchive",
        description="Crawl news sites into an archive of clean articles, and read it back.",
        epilog="Exit codes: 0 ok, 1 the work failed, 2 bad input or usage, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {version()}")
    add_db_option(parser)
    parser.set_defaults(db=None, debug=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"crawler.cli.{MODULES.get(name, name)}").add_parser(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        # Not a default of its own: a --db given before the command name stays.
        default=argparse.SUPPRESS,
        help="the archive: a SQLite file's path or any SQLAlchemy URL "
        "(default: $NEWSARCHIVE_DB, else archive.db)",
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed; an unknown option is reported with its command's usage."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from crawler.cli.errors import run_command

        return run_command(parse_args(argv))
    except KeyboardInterrupt:  # before the command ran: while Python imported it
        print("newsarchive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
