"""Import benchmark: `newsarchive import` of a WARC of the crawl benchmark's site, vs the floor.

    python -m bench.import [--pages 2000] [--repeat N] [--keep DIR]

Writes one WARC file of the crawl benchmark's site (bench/crawl_site.py: the home, the
index pages and ``--pages`` distinct articles, with robots.txt and the sitemap), each
page as the benchmark's server sends it, through the crawl's own WARC writer
(``crawler.warc``), then runs, back to back in each round:

  floor   our extraction workers' per-page function over the same pages in 2 processes
          (bench/crawl_floor.py): the most the per-page work allows on 2 cores
  import  ``newsarchive import`` of the WARC into a fresh SQLite archive

Both are measured as whole process trees (bench/proctree.py). The target: import
pages/s at least 0.8 of the floor's. Reading the WARC, the archive writes and Scrapy's
item machinery are what the import adds to the floor's work.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.crawl import PYTHON, Run, _last_json, load_line, measured, table
from bench.crawl_site import Site, load_originals

ROOT = Path(__file__).resolve().parent.parent

ORIGIN = "http://127.0.0.2:8080"


class NoServer:
    """The import fetches nothing: no server CPU to count."""

    def cpu_s(self) -> float:
        return 0.0


def site_responses(site: Site) -> list[tuple[str, bytes]]:
    """(URL, response bytes as the benchmark's server sends them) for every page."""
    paths = ["/robots.txt", "/sitemap.xml", "/"]
    paths += [f"/section/{k}/" for k in range(site.indexes)]
    paths += [site.article_path(n) for n in range(site.articles)]
    found = []
    for path in paths:
        status, content_type, body = site.resolve(path)
        head = (
            f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        ).encode()
        found.append((site.origin + path, head + body))
    return found


def write_warc(site: Site, folder: Path) -> Path:
    from crawler.warc.files import WarcFiles
    from crawler.warc.records import Fetch, RecordMaker, make_record_id
    from crawler.warc.wire import Exchange

    files = WarcFiles(folder, info=lambda: {"software": "bench/import.py"}, host="bench")
    maker = RecordMaker()
    for url, response in site_responses(site):
        path = url.removeprefix(site.origin)
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.2:8080\r\n\r\n".encode()
        exchange = Exchange(datetime.now(UTC), "127.0.0.2", [request], [response])
        built = maker.build(Fetch(url, exchange, make_record_id()))
        assert built is not None
        files.write(built, "text/html")
    return files.close() or folder


def run_import(warc: Path, workdir: Path) -> Run:
    db = workdir / "import.db"
    db.unlink(missing_ok=True)
    command = [PYTHON, "-m", "crawler.cli", "import", str(warc), "--db", f"sqlite:///{db}"]
    run, _, _ = measured("import", [*command, "-s", "PROGRESS_INTERVAL=0"], workdir, NoServer())  # type: ignore[arg-type]
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    stats = json.loads(row[0]) if row else {}
    run.pages = int(stats.get("newsarchive/pages", 0))
    run.note = run.note or f"{articles:,} articles archived"
    return run


def run_floor(pages: int, workdir: Path) -> Run:
    command = [PYTHON, "-m", "bench.crawl_floor", "--pages", str(pages)]
    run, out, _ = measured("floor", [*command, "--workers", "2"], workdir, NoServer())  # type: ignore[arg-type]
    run.pages = int(_last_json(out).get("pages", 0))
    run.note = run.note or "extract_page over the same pages, 2 processes"
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each run's best is shown")
    parser.add_argument("--keep", type=Path, help="keep the WARC, archives and logs here")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsarchive-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    site = Site(load_originals(), args.pages)
    site.origin = ORIGIN
    warc = write_warc(site, workdir / "warcs")
    print(
        f"WARC: {warc.name}, {warc.stat().st_size / 2**20:.1f} MiB, {site.html_pages():,} HTML "
        f"pages; {load_line()}",
        flush=True,
    )
    best: dict[str, Run] = {}
    ratios: list[float] = []
    try:
        for round_number in range(1, args.repeat + 1):
            floor = run_floor(args.pages, workdir)
            imported = run_import(warc, workdir)
            for run in (floor, imported):
                print(f"round {round_number}: {run.name} {run.rate:.1f} pages/s; {load_line()}")
                if run.ok and (run.name not in best or run.rate > best[run.name].rate):
                    best[run.name] = run
            if floor.ok and imported.ok and floor.rate:
                ratios.append(imported.rate / floor.rate)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(list(best.values())))
    if "import" in best and "floor" in best:
        ratio = best["import"].rate / best["floor"].rate
        verdict = "met" if ratio >= 0.8 else "NOT met"
        print(f"\nimport / floor {ratio:5.2f}x pages/s  (target >= 0.8: {verdict})")
    if len(ratios) > 1:
        listed = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"import / floor {statistics.median(ratios):5.2f}x median of rounds ({listed})")
    return 0 if all(run.ok for run in best.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
