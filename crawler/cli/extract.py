"""``newsarchive extract``: extraction alone, on saved HTML files, one JSON object per line.

Each line also carries the crawl's own article-or-not decision (``classify_page``, the
code the classify stage runs): ``"archive"`` and its ``"reason"``, so a user sees why a
crawl would skip the page. The decision reads the page's URL: ``--url``, else the page's
own canonical URL; without either, the URL's shape is not weighed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_OK


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "extract",
        help=COMMANDS["extract"],
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="HTML files ('-' for stdin)")
    parser.add_argument("--url", help="the URL the page(s) came from (resolves relative links)")
    parser.set_defaults(run=run)


def _read(path: str) -> bytes:
    return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()


def run(args: Any) -> int:
    from pipelines.extraction import ExtractionError, classify_page, extract_article

    status = EXIT_OK
    for path in args.files:
        try:
            doc = extract_article(_read(path), args.url)
        except OSError as exc:
            print(f"newsarchive extract: {path}: {exc.strerror}", file=sys.stderr)
            result: dict[str, Any] = {"file": path, "error": exc.strerror}
            status = EXIT_FAILED
        except ExtractionError as exc:
            print(f"newsarchive extract: {path}: {exc}", file=sys.stderr)
            result = {"file": path, "error": str(exc)}
            status = EXIT_FAILED
        else:
            verdict = classify_page(doc, args.url or doc.canonical_url)
            result = {
                "file": path,
                **doc.to_json(),
                "archive": verdict.is_article,
                "reason": verdict.reason,
            }
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return status
