"""The floor of the crawl benchmark: our per-page work alone, in worker processes.

Every HTML page of the benchmark site (built in memory, the same bytes the server
sends) goes through ``pipelines.worker.extract_page`` in ``--workers`` processes:
what a crawl's extraction worker does with each page (screen and decode it, extract
the article with ``pipelines.extraction.extract_article``, sign its text for
near-duplicate clustering), with no network, no Scrapy and no database. No crawl can
do the same work faster on the same cores, so the crawl's pages/s is compared with
this one. ``--bare`` runs ``extract_article`` alone instead (no screen, no signature).

    python -m bench.crawl_floor --pages 2000 --workers 2 [--bare]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys

from bench.crawl_site import Site, load_originals, unique_sentence
from pipelines.extraction import extract_article
from pipelines.worker import extract_page, quiet_worker_logs

ORIGIN = "http://127.0.0.2:8080"


def extract(task: tuple[str, bytes]) -> tuple[str, int, str]:
    url, body = task
    result = extract_page(body, "utf-8", url)
    text = result.extracted.text if result.extracted is not None else ""
    return url, len(text), text


def extract_bare(task: tuple[str, bytes]) -> tuple[str, int, str]:
    url, body = task
    doc = extract_article(body.decode("utf-8"), url)
    return url, len(doc.text), doc.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--bare", action="store_true", help="extract_article alone: no screen, no signature"
    )
    args = parser.parse_args()
    site = Site(load_originals(), args.pages)
    site.origin = ORIGIN
    marked = with_text = pages = 0
    function = extract_bare if args.bare else extract
    context = multiprocessing.get_context("fork")
    with context.Pool(args.workers, initializer=quiet_worker_logs) as pool:
        for url, size, text in pool.imap_unordered(function, site.all_html(), chunksize=4):
            pages += 1
            with_text += size > 0
            if "/news/" in url:
                number = int(url.split("/")[4])
                marked += unique_sentence(number).strip() in text
    print(
        json.dumps({"pages": pages, "with_text": with_text, "distinct_articles": marked}),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
