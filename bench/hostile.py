"""What surviving hostile input costs: the screen's time per page, and a crawl's memory
with decompression bombs against a crawl of plain articles.

    python -m bench.hostile [--repeat N] [--skip-crawls]

1. The screen (pipelines/screen.py) runs in the extraction worker before every
   extraction. On the saved real pages of the extraction benchmark, it prints the
   mean CPU cost per page of the screen, of the check after extraction, and of
   extract_article(), interleaved page by page so that load from other processes hits
   them alike, and their ratio.
2. Two crawls of the hostile test server, one after the other, each in a subprocess:
   four 1 GiB bombs (gzip, deflate, br, zstd) plus two articles, and six articles. It
   prints each crawl's peak RSS (the crawl process; workers are its grandchildren and
   never see a bomb) and their ratio: flat memory means a ratio near 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.metric import load_pages
from pipelines.extraction import extract_article
from pipelines.screen import check_extraction, screen_page
from tests.support.cli import fixture_crawl_args

ROOT = Path(__file__).resolve().parent.parent
DATE = "/2024/05/12/"


def cpu_ms(function: object, *args: object) -> float:
    started = time.thread_time()
    function(*args)  # type: ignore[operator]
    return (time.thread_time() - started) * 1000


def screen_cost(repeat: int) -> None:
    pages = load_pages()
    screen, extract, check = [], [], []
    for _ in range(repeat):
        for page in pages:
            body = page.html.encode("utf-8")
            screen.append(cpu_ms(screen_page, body, "utf-8"))
            extract.append(cpu_ms(extract_article, page.html, page.url))
            text = extract_article(page.html, page.url).text
            check.append(cpu_ms(check_extraction, page.html, text))
    s, e, c = (statistics.mean(costs) for costs in (screen, extract, check))
    size = statistics.median(len(p.html.encode()) for p in pages)
    print(f"screen, {len(pages)} real pages x {repeat} (median page {size / 1024:.0f} KiB):")
    print(f"  screen_page       {s:7.2f} ms CPU per page (mean)")
    print(f"  check_extraction  {c:7.2f} ms CPU per page (mean; parses short extractions)")
    print(f"  extract_article   {e:7.2f} ms CPU per page (mean)")
    print(f"  (screen + check) / extract  {(s + c) / e:7.1%}")


def crawl_peak_rss(origin: str, paths: list[str]) -> tuple[int, float]:
    """Peak RSS (KiB) and wall time of one crawl of ``paths`` listed on one page."""
    start = origin + "/links/?" + "&".join(f"to={quote(p, safe='')}" for p in paths)
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            *fixture_crawl_args(),
            start,
            "--db",
            f"sqlite:///{tmp}/archive.db",
            "--workers",
            "1",
            "-q",
            "-s",
            "DOWNLOAD_TIMEOUT=60",
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=tmp, env=env, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"crawl failed with exit code {process.returncode}")
        return usage.ru_maxrss, time.monotonic() - started


def bomb_memory() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hostile_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        origin = json.loads(server.stdout.readline())["hosts"]["site"]
        bombs = [f"{DATE}bomb-{enc}/" for enc in ("gzip", "deflate", "br", "zstd")]
        plain = [f"{DATE}story-b{i}/" for i in range(6)]
        crawl_peak_rss(origin, bombs)  # the server builds its bombs once, untimed
        with_bombs, t_bombs = crawl_peak_rss(origin, [*bombs, *plain[:2]])
        without, t_plain = crawl_peak_rss(origin, plain)
    finally:
        server.terminate()
        server.wait(10)
    print("crawl peak RSS (crawl process, DOWNLOAD_MAXSIZE 10 MiB):")
    print(f"  4 x 1 GiB bombs + 2 articles  {with_bombs / 1024:7.1f} MiB  ({t_bombs:.1f} s)")
    print(f"  6 articles                    {without / 1024:7.1f} MiB  ({t_plain:.1f} s)")
    print(f"  ratio                         {with_bombs / without:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-crawls", action="store_true")
    args = parser.parse_args()
    screen_cost(args.repeat)
    if not args.skip_crawls:
        bomb_memory()


if __name__ == "__main__":
    main()
