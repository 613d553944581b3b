"""``newsarchive db``: create or migrate an archive's schema, and say where it stands."""

from __future__ import annotations

import logging
import sys
from typing import Any

from archive.engine import (
    create_archive_engine,
    current_revision,
    head_revision,
    no_archive,
    revision_history,
    revision_number,
    upgrade_archive,
)
from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_OK, add_db_option


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help=COMMANDS["db"],
        description="Manage the archive's schema. Run `db upgrade` after installing a new "
        "release: readers refuse an archive whose schema is older than the release.",
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade", help="create the archive or migrate it to the latest schema"
    )
    add_db_option(upgrade)
    upgrade.set_defaults(run=run_upgrade)
    current = actions.add_parser(
        "current", help="the archive's schema revision (exit 1 unless it is the latest)"
    )
    add_db_option(current)
    current.set_defaults(run=run_current)
    history = actions.add_parser("history", help="every schema revision this release knows")
    history.set_defaults(run=run_history)


class _MigrationSteps(logging.Handler):
    """Prints Alembic's "Running upgrade A -> B" lines: one line per migration step."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Running upgrade"):
            step = revision_number(message.removeprefix("Running "))
            print(f"  {step}", file=sys.stderr, flush=True)


def run_upgrade(args: Any) -> int:
    engine = create_archive_engine(args.db, write=True)
    where = engine.url.render_as_string(hide_password=True)
    try:
        before = current_revision(engine)
        head = revision_number(head_revision())
        if before is not None:
            before = revision_number(before)
        if before == head:
            print(f"{where}: schema already at {head} (latest)")
            return EXIT_OK
        print(
            f"{where}: {'creating the archive' if before is None else f'upgrading from {before}'}"
            f" to {head}",
            file=sys.stderr,
        )
        steps = _MigrationSteps()
        migration_log = logging.getLogger("alembic.runtime.migration")
        migration_log.addHandler(steps)
        migration_log.setLevel(logging.INFO)
        try:
            upgrade_archive(engine)
        finally:
            migration_log.removeHandler(steps)
        print(f"{where}: schema at {revision_number(current_revision(engine) or '')} (latest)")
    finally:
        engine.dispose()
    return EXIT_OK


def run_current(args: Any) -> int:
    engine = create_archive_engine(args.db, read_only=True)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    if current is None:
        raise no_archive(engine.url)
    shown, head = revision_number(current), revision_number(head_revision())
    if current != head_revision():
        print(f"{shown} (the latest is {head}: run newsarchive db upgrade)")
        return EXIT_FAILED
    print(f"{shown} (latest)")
    return EXIT_OK


def run_history(args: Any) -> int:
    history = revision_history()
    for revision, doc in history:
        latest = "  (latest)" if revision == history[-1][0] else ""
        print(f"{revision_number(revision)}  {doc.splitlines()[0] if doc else ''}{latest}")
    return EXIT_OK
