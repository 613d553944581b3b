"""The floor of the crawl benchmark: our extraction alone, in worker processes.

Every HTML page of the benchmark site (built in memory, the same bytes the server
sends) goes through ``pipelines.extraction.extract_article`` in ``--workers``
processes: no network, no Scrapy, no database. No crawl can do the same work faster
on the same cores, so the crawl's pages/s is compared with this one.

    python bench/crawl_floor.py --pages 2000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl_site import Site, load_originals, unique_sentence
from pipelines.extraction import extract_article

ORIGIN = "http://127.0.0.2:8080"


def extract(task: tuple[str, bytes]) -> tuple[str, int, str]:
    url, body = task
    doc = extract_article(body.decode("utf-8"), url)
    return url, len(doc.text), doc.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    site = Site(load_originals(), args.pages)
    site.origin = ORIGIN
    marked = with_text = pages = 0
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for url, size, text in pool.imap_unordered(extract, site.all_html(), chunksize=4):
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
