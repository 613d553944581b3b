"""``newsarchive stats``: what the archive holds, per site and per crawl run.

Per site it also shows articles archived per day over the last weeks as a row of
bars, extraction failures and the share of duplicates, so a site whose output
drops (its template changed, it blocked us) stands out at a glance; and the sites that
answered with blocks (challenge, captcha, access-denied, rate-limit or consent pages,
``crawler/blocks.py``), with how often each crawl stopped them.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from archive.outcomes import (
    ARTICLE_COUNTS,
    EXTRACTION_FAILURES,
    PAGE_TYPE_SKIPS,
    Kind,
    SkipReason,
    Stat,
    outcome,
    outcome_totals,
    run_outcome_counts,
)
from archive.read import open_archive
from crawler.cli import COMMANDS, EXIT_OK, add_db_option
from crawler.cli.options import MOST_DAYS, whole_number

BLOCKED = f"{Kind.BLOCKED}/"
# a fetched page that should have given an article and did not (what a changed template
# looks like): extraction failed, timed out or crashed, or found no text in it; a 404 or a
# timeout is the fetch's failure, counted in the crawl runs' "failed" column
EXTRACTION_FAILED = frozenset(
    {outcome(Kind.FAILED, reason) for reason in EXTRACTION_FAILURES}
    | {outcome(Kind.SKIPPED, SkipReason.EMPTY_TEXT)}
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help=COMMANDS["stats"],
        description="What the archive holds: articles per site (duplicates, near-duplicates, "
        "updates, extraction failures), articles archived per day, sites answering with "
        "blocks, and the last crawl runs with their outcomes.",
    )
    add_db_option(parser)
    parser.add_argument(
        "--runs",
        type=whole_number(0),
        default=10,
        help="crawl runs to show (default 10; 0 leaves the table out)",
    )
    parser.add_argument(
        "--days",
        type=whole_number(1, maximum=MOST_DAYS),
        default=28,
        help="days of per-site activity to show (default 28)",
    )
    parser.set_defaults(run=run)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def run_rows(runs: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for run in runs:
        stats = run["stats"] or {}
        totals = outcome_totals(run_outcome_counts(stats))
        started = run["started_at"].strftime("%Y-%m-%d %H:%M:%S")
        duration = (
            f"{(run['finished_at'] - run['started_at']).total_seconds():.0f}s"
            if run["finished_at"]
            else "-"
        )
        rows.append(
            [
                run["id"],
                started,
                duration,
                run["status"],
                stats.get("downloader/response_count", 0),
                *(totals[label] for label, _ in ARTICLE_COUNTS),
                stats.get(Stat.NEAR_DUPLICATES, 0),
                totals["skipped"],
                totals["failed"],
                totals["blocked"],
            ]
        )
    return rows


def blocked_rows(outcomes: dict[str, dict[str, int]]) -> list[list[Any]]:
    """Per site that answered with blocks: how many, why, and in how many runs it was
    stopped (``stopped/blocked``)."""
    rows = []
    for site, counts in sorted(outcomes.items()):
        reasons = {k.removeprefix(BLOCKED): n for k, n in counts.items() if k.startswith(BLOCKED)}
        if not reasons:
            continue
        why = ", ".join(f"{reason} {n:,}" for reason, n in sorted(reasons.items()))
        rows.append([site, sum(reasons.values()), why, counts.get("stopped/blocked", 0)])
    return rows


BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = ".:-=+*#@"


def sparkline(counts: list[int], bars: str = BARS, zero: str = "·") -> str:
    """One character per day, scaled to the busiest day; ``zero`` marks a day with none."""
    top = max(counts, default=0)
    if top == 0:
        return zero * len(counts)
    return "".join(
        zero if n == 0 else bars[min(len(bars) - 1, (n * len(bars) - 1) // top)] for n in counts
    )


def can_print(text: str, out: TextIO) -> bool:
    try:
        text.encode(out.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def is_extraction_failure(key: str) -> bool:
    """A page that should have given an article and did not (``EXTRACTION_FAILED``)."""
    return key in EXTRACTION_FAILED


def reached_extraction(key: str) -> bool:
    """A page that was fetched and extracted: an article, a page-type skip, or a failure of
    extraction (not a page skipped before, a failed fetch or a block)."""
    kind, _, reason = key.partition("/")
    return (
        kind == Kind.ARTICLES
        or (kind == Kind.SKIPPED and reason in PAGE_TYPE_SKIPS)
        or is_extraction_failure(key)
    )


def extraction_failures(outcomes: dict[str, int]) -> str:
    """``failures/pages (share)`` of the pages of one site that reached extraction, from its
    per-outcome page counts."""
    pages = sum(n for key, n in outcomes.items() if reached_extraction(key))
    if not pages:
        return "-"
    failed = sum(n for key, n in outcomes.items() if is_extraction_failure(key))
    return f"{failed:,}/{pages:,} ({failed / pages:.0%})"


def site_rows(sites: list[dict[str, Any]], outcomes: dict[str, dict[str, int]]) -> list[list[Any]]:
    return [
        [
            s["site"],
            s["articles"],
            s["duplicates"],
            f"{s['duplicates'] / s['articles']:.0%}" if s["articles"] else "-",
            s["near_duplicates"],
            s["updated"],
            s["updates"] or 0,
            extraction_failures(outcomes.get(s["site"], {})),
            s["first_seen_at"].strftime("%Y-%m-%d %H:%M"),
            s["last_seen_at"].strftime("%Y-%m-%d %H:%M"),
        ]
        for s in sites
    ]


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


WEEK = 7


def activity_headers(days: int) -> list[str]:
    """The activity table's columns: a last-week total only when the table shows more."""
    return ["site", "per day", f"{days}d", *(["7d"] if days > WEEK else [])]


def activity_rows(
    sites: list[dict[str, Any]], daily: dict[str, list[int]], days: int, out: TextIO
) -> list[list[Any]]:
    bars, zero = (BARS, "·") if can_print(BARS + "·", out) else (ASCII_BARS, "_")
    rows = []
    for s in sites:
        counts = daily.get(s["site"], [0] * days)
        week = [sum(counts[-WEEK:])] if days > WEEK else []
        rows.append([s["site"], sparkline(counts, bars, zero), sum(counts), *week])
    return rows


def run(args: Any) -> int:
    days = args.days
    now = datetime.now(UTC)
    with open_archive(args.db) as arc:
        sites = arc.site_stats()
        runs = arc.crawl_runs(args.runs)
        total = arc.count()
        daily = arc.daily_counts(days, today=now)
        outcomes = arc.site_outcomes(since=now - timedelta(days=days))
    print(f"{plural(total, 'article')} in {plural(len(sites), 'site')}\n")
    headers = ["site", "articles", "duplicates", "dup-share", "near-dups", "updated", "updates"]
    headers += [f"extraction failures ({days}d)", "first seen", "last seen"]
    print(table(headers, site_rows(sites, outcomes)))
    print(
        "(duplicates: same text as an article of another site; near-dups: in a story "
        "cluster another article started;\n updated: changed since first archived; "
        "updates: their changes)"
    )
    print(f"\narticles archived per day, last {days} days (UTC, oldest to newest)")
    activity = table(activity_headers(days), activity_rows(sites, daily, days, sys.stdout))
    print("\n".join("  " + line for line in activity.splitlines()))
    blocked = blocked_rows(outcomes)
    if blocked:
        print(f"\nsites answering with blocks, last {days} days (never archived)")
        rows = table(["site", "blocked", "why", "runs stopped"], blocked)
        print("\n".join("  " + line for line in rows.splitlines()))
    if args.runs:  # --runs 0: no crawl runs asked for, so no empty table of them
        print("\ncrawl runs (newest first)")
        headers = ["run", "started (UTC)", "took", "status", "fetched"]
        headers += [label for label, _ in ARTICLE_COUNTS] + ["near-dup", "skipped", "failed"]
        headers += ["blocked"]
        print(table(headers, run_rows(runs)))
    return EXIT_OK
