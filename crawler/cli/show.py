"""``newsarchive show``: one article, its versions and what changed between them."""

from __future__ import annotations

import difflib
import itertools
from datetime import datetime
from typing import TYPE_CHECKING, Any

from archive.read import open_archive
from crawler.cli import COMMANDS, EXIT_OK, add_db_option
from crawler.cli.errors import CommandError, UsageError
from crawler.cli.options import LARGEST

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from archive.read import Archive


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help=COMMANDS["show"],
        description="Show an archived article by id or by any URL it was reached under. "
        "Without options it prints the current version's metadata and text.",
    )
    parser.add_argument("article", metavar="ID|URL", help="article id, or a URL of the article")
    parser.add_argument(
        "--versions", action="store_true", help="list every version (v1 is the first seen)"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of title and text between consecutive versions",
    )
    add_db_option(parser)
    parser.set_defaults(run=run)


def _when(value: datetime | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def article_ref(ref: str) -> int | str:
    """An article id, or a URL normalised as the archive keys them; UsageError for
    anything else."""
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():
        return int(ref)
    if "://" not in ref:
        raise UsageError(f"{ref!r} is neither an article id nor a URL (http://...)")
    # only for a URL: tldextract's suffix list is most of `show ID`'s start-up otherwise
    from crawler.urls import normalize_url

    try:
        return normalize_url(ref)
    except ValueError as exc:
        raise UsageError(f"{ref!r} is not a valid URL: {exc}") from None


def find(arc: Archive, ref: int | str) -> int | None:
    """The article an id or a normalised URL names."""
    if isinstance(ref, int):
        # an id past the database's integers names no article (and would overflow it)
        return arc.find_article(article_id=ref) if ref <= LARGEST else None
    return arc.find_article(url=ref)


def header(article: Mapping[str, Any], cluster: list[dict[str, Any]]) -> Iterator[str]:
    yield f"article {article['id']}: {article['title'] or '(no title)'}"
    yield f"  url          {article['url']}"
    for alias in article["urls"][1:]:
        yield f"  also at      {alias}"
    yield f"  site         {article['site']}"
    if article["authors"]:
        yield f"  by           {', '.join(article['authors'])}"
    yield f"  published    {_when(article['published_at'])}"
    if article["categories"]:
        yield f"  categories   {', '.join(article['categories'])}"
    if article["tags"]:
        yield f"  tags         {', '.join(article['tags'])}"
    yield (
        f"  version      {article['version']} (first seen {_when(article['first_seen_at'])}, "
        f"last seen {_when(article['last_seen_at'])})"
    )
    if article["paywalled"]:
        yield "  paywalled    the page declared its content not free to read: a teaser, maybe"
    if article["duplicate_of"] is not None:
        yield f"  duplicate of {article['duplicate_of']} (same text, archived first elsewhere)"
    if article["cluster_id"] is not None:
        yield (
            f"  story        cluster {article['cluster_id']}, {len(cluster)} article(s); "
            f"similarity to its first {article['cluster_similarity']:.2f}"
        )
        for member in cluster:
            if member["id"] != article["id"]:
                similarity = f"{member['similarity']:.2f}"
                yield f"    {member['id']:>8}  {similarity}  {member['url']}{_role(member)}"


def evidence_rows(captures: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """Where each fetch of the article is kept as received: its WARC record, if any."""
    for capture in captures:
        where = (
            f"{capture['warc_file']} at offset {capture['warc_offset']} "
            f"(record {capture['warc_record_id']})"
            if capture["warc_file"]
            else "in no WARC file (fetched without --warc)"
        )
        yield f"  evidence     {_when(capture['fetched_at'])}  {capture['status']}  {where}"


def _role(member: dict[str, Any]) -> str:
    if member["id"] == member["cluster_id"]:
        return "  (first)"
    if member["duplicate_of"] is not None:
        return f"  (same text as {member['duplicate_of']})"
    return ""


def version_rows(versions: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    yield f"{'version':>7}  {'seen (UTC)':19}  {'chars':>7}  {'hash':12}  {'why':14}  title"
    for v in versions:
        why = str(v.get("reason") or "").replace("_", " ")
        if v.get("paywalled"):
            why += " (paywalled)"
        yield (
            f"{v['version']:>7}  {_when(v['seen_at'])}  {len(v['text']):>7,}  "
            f"{v['content_hash'][:12]}  {why:14}  {v['title'] or ''}"
        )


def _lines(version: Mapping[str, Any]) -> list[str]:
    return [f"Title: {version['title'] or ''}", "", *version["text"].splitlines()]


def diffs(versions: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """Unified diffs of title and text, version by version."""
    for old, new in itertools.pairwise(versions):
        yield from difflib.unified_diff(
            _lines(old),
            _lines(new),
            fromfile=f"version {old['version']} ({_when(old['seen_at'])})",
            tofile=f"version {new['version']} ({_when(new['seen_at'])})",
            lineterm="",
        )


def run(args: Any) -> int:
    ref = article_ref(args.article)
    with open_archive(args.db) as arc:
        article_id = find(arc, ref)
        if article_id is None:
            raise CommandError(f"no article {ref} in the archive")
        article = arc.article(article_id)
        assert article is not None
        cluster = arc.cluster(article["cluster_id"]) if article["cluster_id"] else []
        versions = arc.versions(article_id) if args.versions or args.diff else []
        evidence = arc.evidence(article_id)
    lines = [*header(article, cluster), *evidence_rows(evidence)]
    if args.versions:
        lines += ["", *version_rows(versions)]
    if args.diff:
        lines += ["", *(diffs(versions) if len(versions) > 1 else ["(one version: no diff)"])]
    if not (args.versions or args.diff):
        lines += ["", article["text"]]
    print("\n".join(lines))
    return EXIT_OK
