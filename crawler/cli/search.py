"""``newsarchive search``: full-text search of the archive, best matches first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from archive.read import ArticleFilter, SearchHit, open_archive, to_json
from crawler.cli import COMMANDS, EXIT_OK, add_db_option
from crawler.cli.export import add_paywalled_option, date_option
from crawler.cli.options import add_site_option, whole_number

BOLD = ("\x1b[1m", "\x1b[0m")
PLAIN = ("**", "**")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help=COMMANDS["search"],
        description='Search titles and texts. Words must all match; "a phrase" in quotes; '
        "a OR b; -word excludes; word* matches a prefix. Case and (on SQLite) accents "
        "are ignored; words are not stemmed. A query that starts with - goes after --: "
        "newsarchive search -- '-sport harbour'.",
    )
    parser.add_argument("query", metavar="QUERY")
    add_site_option(parser)
    parser.add_argument("--since", metavar="DATE", help="only articles first seen since DATE")
    add_paywalled_option(parser)
    parser.add_argument(
        "--limit", type=whole_number(1), default=10, help="results at most (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per result")
    add_db_option(parser)
    parser.set_defaults(run=run)


def render(rank: int, hit: SearchHit) -> str:
    when = hit["published_at"] or hit["first_seen_at"]
    return (
        f"{rank}. {hit['title'] or '(no title)'}\n"
        f"   {hit['url']}  ·  {hit['site']}  ·  {when:%Y-%m-%d}  ·  score {hit['score']:.3f}\n"
        f"   {' '.join(hit['snippet'].split())}\n"
    )


def run(args: argparse.Namespace) -> int:
    where = ArticleFilter(
        site=args.site, since=date_option(args, "since"), paywalled=args.paywalled
    )
    marks = BOLD if sys.stdout.isatty() and not args.json else PLAIN
    with open_archive(args.db) as arc:
        hits = arc.search(args.query, where, limit=args.limit, highlight=marks)
    for rank, hit in enumerate(hits, 1):
        if args.json:
            print(json.dumps(to_json(hit), ensure_ascii=False))
        else:
            print(render(rank, hit))
    if not hits:
        print(f"no article matches {args.query!r}", file=sys.stderr)
    return EXIT_OK
