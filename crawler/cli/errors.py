"""How a command ends: every expected error is one line on standard error and an exit code.

The codes are ``crawler.cli.EXIT_*``: 0 done, 1 the work failed, 2 bad input or usage,
130 interrupted; ``docs/operations.md`` (Exit codes) says which failure is which.
A traceback is printed only with ``--debug`` (or a crawl's ``-v``), or for an error
nobody expected: that is a bug, and the last line asks for a report.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from crawler.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE


class CommandError(Exception):
    """An expected failure of the work; the message is the line the user sees."""

    exit_code = EXIT_FAILED


class UsageError(CommandError):
    """Bad input: an option's value, a setting, a start URL."""

    exit_code = EXIT_USAGE


def explain(exc: BaseException) -> tuple[int, str] | None:
    """The exit code and the message for an expected error; None for a bug."""
    usage = (
        _loaded("archive.engine", "ArchiveInputError")
        + _loaded("crawler.frontier.connection", "FrontierInputError")
        + _loaded("crawler.sites", "SitesError")
    )
    failed = _loaded("archive.engine", "ArchiveError") + _loaded(
        "crawler.frontier.connection", "FrontierError"
    )
    if isinstance(exc, CommandError):
        return exc.exit_code, str(exc)
    if isinstance(exc, argparse.ArgumentTypeError):  # an option's value, checked late
        return EXIT_USAGE, str(exc)
    if isinstance(exc, usage):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, failed):
        return EXIT_FAILED, str(exc)
    if isinstance(exc, _loaded("sqlalchemy.exc", "SQLAlchemyError")):
        from archive.engine import db_error_message

        return EXIT_FAILED, f"archive error: {db_error_message(exc)}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_FAILED, f"{where}{exc.strerror}"
    return None


def _loaded(module: str, *names: str) -> tuple[type[BaseException], ...]:
    """The exception classes ``names`` of ``module`` if the command imported it, else
    none: then nothing can have raised them, and importing a module only to ask would
    cost an error message its start-up (``crawler.sites`` loads the public suffix list,
    a fifth of a second; ``sqlalchemy`` more)."""
    found = sys.modules.get(module)
    return () if found is None else tuple(getattr(found, name) for name in names)


def one_line(message: str) -> str:
    return " ".join(message.split()) or "failed"


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; expected errors end as one line and an exit code."""
    name = args.command_parser.prog
    debug = args.debug or getattr(args, "verbose", 0) > 0
    if sys.stdout is None:  # started with standard output closed (`>&-`): Python's None
        print(
            f"{name}: standard output is closed: redirect it (> FILE, or > /dev/null to "
            "discard it)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`newsarchive export | head`): not an error. Point stdout
        # at /dev/null so that flushing it at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        explained = explain(exc)
        if explained is None:
            traceback.print_exc()
            print(
                f"{name}: unexpected {type(exc).__name__}: {one_line(str(exc))}\n"
                f"This is a bug in newsarchive {_version()}: please report it to its "
                "maintainers, with the command and the traceback above",
                file=sys.stderr,
            )
            return EXIT_FAILED
        code, message = explained
        if debug:
            traceback.print_exc()
        print(f"{name}: {one_line(message)}", file=sys.stderr)
        return code


def _version() -> str:
    from crawler.cli import version

    return version()
