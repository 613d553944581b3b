"""``newsarchive stats``: what the archive holds, per site and per crawl run."""

from __future__ import annotations

from typing import Any

from archive.read import open_archive
from crawler.cli import EXIT_OK, add_db_option

RUN_COUNTS = (
    ("new", "newsarchive/articles/new"),
    ("updated", "newsarchive/articles/updated"),
    ("unchanged", "newsarchive/articles/unchanged"),
    ("duplicate", "newsarchive/articles/duplicate"),
    ("near-dup", "newsarchive/near_duplicates"),
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("stats", help="articles per site, crawl runs and their outcomes")
    add_db_option(parser)
    parser.add_argument("--runs", type=int, default=10, help="crawl runs to show (default 10)")
    parser.set_defaults(run=run)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _prefixed_sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def run_rows(runs: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for run in runs:
        stats = run["stats"] or {}
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
                *(stats.get(key, 0) for _, key in RUN_COUNTS),
                _prefixed_sum(stats, "newsarchive/skipped/"),
                _prefixed_sum(stats, "newsarchive/failed/"),
            ]
        )
    return rows


def run(args: Any) -> int:
    with open_archive(args.db) as arc:
        sites = arc.site_stats()
        runs = arc.crawl_runs(args.runs)
        total = arc.count()
    print(f"{total:,} articles in {len(sites)} sites\n")
    site_rows = [
        [
            s["site"],
            s["articles"],
            s["duplicates"],
            s["near_duplicates"],
            s["updated"],
            s["updates"] or 0,
            s["first_seen_at"].strftime("%Y-%m-%d %H:%M"),
            s["last_seen_at"].strftime("%Y-%m-%d %H:%M"),
        ]
        for s in sites
    ]
    print(
        table(
            [
                "site",
                "articles",
                "duplicates",
                "near-dups",
                "updated",
                "updates",
                "first seen",
                "last seen",
            ],
            site_rows,
        )
    )
    print(
        "(duplicates: same text as an article of another site; near-dups: in a story "
        "cluster another article started;\n updated: changed since first archived; "
        "updates: their changes)"
    )
    print("\ncrawl runs (newest first)")
    headers = ["run", "started (UTC)", "took", "status", "fetched"]
    headers += [name for name, _ in RUN_COUNTS] + ["skipped", "failed"]
    print(table(headers, run_rows(runs)))
    return EXIT_OK
