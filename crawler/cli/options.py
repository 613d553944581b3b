"""Types for command-line options: a value out of range is refused by the parser, with
the option's name, before any work starts."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from crawler.defaults import EXTRACT_WORKERS

# The largest whole number a database column or LIMIT holds (SQLite's and PostgreSQL's
# 64-bit integer): a number past it reaches the database as an overflow, not a result.
LARGEST = 2**63 - 1
# Day windows end a date that many days back: a century, far inside the calendar.
MOST_DAYS = 36_525


def whole_number(minimum: int, hint: str = "", maximum: int = LARGEST) -> Callable[[str], int]:
    """An int option from ``minimum`` to ``maximum``; ``hint`` says what to do instead."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(
                f"must be at least {minimum}, not {number}{f' ({hint})' if hint else ''}"
            )
        if number > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, not {number:,}")
        return number

    parse.__name__ = "whole number"
    return parse


def parse_site(value: str) -> str:
    """A site as the archive names it (its registrable domain, so no ``www.``; the port
    when not the default), from a host or a URL."""
    from crawler.urls import site_of  # tldextract: only for the commands given a --site

    site = site_of(value if "://" in value else f"http://{value}")
    if not site:
        raise argparse.ArgumentTypeError(f"not a host: {value!r}")
    return site


def add_site_option(parser: argparse.ArgumentParser, what: str = "site") -> None:
    """``--site HOST``: only this site (repeatable), named as the archive names sites."""
    parser.add_argument(
        "--site",
        action="append",
        type=parse_site,
        metavar="HOST",
        help=f"only this {what} (a host or URL; sites are named by registrable domain: "
        "www.news.example.com is example.com); repeatable",
    )


def days(value: str) -> float:
    """A number of days >= 0, or ``inf``."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days") from None
    if math.isnan(number) or number < 0:
        raise argparse.ArgumentTypeError(f"must be a number of days >= 0 (or inf), not {value}")
    return number


def add_settings_option(parser: argparse.ArgumentParser) -> None:
    """``-s NAME=VALUE``: a setting overridden for this run (repeatable)."""
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting (docs/settings.md); repeatable",
    )


def add_workers_option(parser: argparse.ArgumentParser) -> None:
    """``--workers N``: extraction processes (default: one per core)."""
    parser.add_argument(
        "--workers",
        type=whole_number(
            1, "leave it out for one per core", int(EXTRACT_WORKERS.maximum or LARGEST)
        ),
        metavar="N",
        help="extraction processes (default: one per core)",
    )
