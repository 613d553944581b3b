"""``newsarchive health``: is each site still giving articles? For cron and monitoring.

Prints one line per problem (``site: flag: detail``) and exits 1 when there is any,
nothing and 0 when every site is healthy; ``--json`` prints one JSON object for
machines. The flags are decided by ``archive.health``.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from archive.health import DEFAULT_DAYS, check
from archive.read import open_archive
from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_OK, add_db_option
from crawler.cli.options import MOST_DAYS, whole_number


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "health",
        help=COMMANDS["health"],
        description="Check every site of the archive: silent (no new article for DAYS days "
        "while crawled), failing (most fetches of its latest crawls failed), blocked (403, "
        "429 or challenge pages), stale (its listings did not move). One line per problem; "
        "exit 0 when every site is healthy, 1 otherwise. Opens the archive read-only.",
    )
    parser.add_argument(
        "--days",
        type=whole_number(1, maximum=MOST_DAYS),
        default=DEFAULT_DAYS,
        help=f"the window to judge, in days (default {DEFAULT_DAYS})",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object, for machines")
    add_db_option(parser)
    parser.set_defaults(run=run)


def report(problems: dict[str, list[Any]], days: int, now: datetime) -> dict[str, Any]:
    return {
        "checked_at": now.isoformat(),
        "days": days,
        "healthy": not any(problems.values()),
        "sites": {site: [p.as_json() for p in found] for site, found in problems.items()},
    }


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with open_archive(args.db) as arc:
        problems = check(arc, days=args.days, now=now)
    if args.json:
        print(json.dumps(report(problems, args.days, now), ensure_ascii=False))
    else:
        for found in problems.values():
            for problem in found:
                print(problem.line())
    return EXIT_FAILED if any(problems.values()) else EXIT_OK
