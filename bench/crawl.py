"""Crawl benchmark: newsarchive against a naive Scrapy spider, our extraction floor and peers.

    python -m bench.crawl [--pages 2000] [--peers] [--warc] [--repeat N] [--keep DIR]

Builds a local news site of ``--pages`` distinct article pages made from the 88 saved real
pages of the extraction benchmark (each copy carries a unique sentence in its story; index
pages and a sitemap around them, see bench/crawl_site.py), serves it on 127.0.0.2 from a
separate process, checks that the server is not the bottleneck, then runs, one after the
other on the same pages:

  crawl   ``newsarchive crawl`` from the site's home into a fresh SQLite archive
  naive   a plain Scrapy spider calling trafilatura.bare_extraction(with_metadata=True)
          in its callback and inserting each article through SQLAlchemy
  floor   our extraction workers' per-page function (pipelines.worker.extract_page:
          screen, extract, sign) over the same pages in 2 processes (no network, no
          database): the most the crawl's per-page work allows on 2 cores
  crawl+warc  with --warc: the same crawl also writing every response to WARC files
          (``--warc DIR``), right after the plain crawl; its pages/s over the plain
          crawl's is the cost of WARC writing (target: at least 0.9)
  peers   with --peers: ``trafilatura --sitemap`` (its own downloader, from the sitemap,
          no sleep between requests)

Each run is measured as a whole process tree (bench/proctree.py): wall time, CPU
seconds of every process, peak summed RSS and PSS. pages/s is HTML pages fetched (or
extracted) divided by the run's wall time, start-up included; "cores" is CPU seconds
over wall seconds (about 2 for the crawl and the floor, 1 for the naive spider, on an
idle 2-core machine: lower means other load took the CPU). With ``--repeat N`` every
run is done N times, interleaved, and each one's best round is reported. The table ends
with the ratios the targets are stated in, and compares the crawl's own progress lines
with the benchmark's figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.crawl_site import Site, load_originals
from tests.support.cli import fixture_crawl_args

ROOT = Path(__file__).resolve().parent.parent

# What the crawl is measured under, explicitly, so the figures stay comparable across
# releases: the site's own crawl at full speed, as the tests crawl fixture sites (no
# AutoThrottle, 8 requests at once to the site, no Crawl-delay), not the polite defaults.
CRAWL_SETTINGS = fixture_crawl_args()

PYTHON = sys.executable
MIB = 1024 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_LINE_RATE = re.compile(r"^\[newsarchive\] [\d,]+ pages \(([\d.]+) pages/s\)", re.M)
_SUMMARY_RATE = re.compile(r"^\s+pages/s\s+([\d.]+)\s*$", re.M)


@dataclass
class Run:
    name: str
    pages: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    server_cpu_s: float = 0.0
    ok: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.wall_s if self.wall_s > 0 else 0.0


class Server:
    """The benchmark site in its own process, so that its CPU is measured apart."""

    def __init__(self, pages: int) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.crawl_site", "--pages", str(pages)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the benchmark site's server did not start")
        self.info: dict[str, Any] = json.loads(line)
        self.origin: str = self.info["origin"]

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        if self.process.poll() is None:
            self.process.kill()


async def _fetch_all(origin: str, paths: list[str], connections: int) -> int:
    host, port = origin.split("//")[1].split(":")
    queue = list(reversed(paths))
    fetched = 0

    async def client() -> None:
        nonlocal fetched
        reader, writer = await asyncio.open_connection(host, int(port))
        while queue:
            path = queue.pop()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            fetched += 1
        writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return fetched


def check_server(server: Server, site: Site) -> Run:
    """The server alone under a fast keep-alive client: how many pages/s it can give."""
    paths = [url.removeprefix(site.origin) for url, _ in site_pages(site)]
    cpu_before = server.cpu_s()
    started = time.monotonic()
    fetched = asyncio.run(_fetch_all(server.origin, paths, connections=16))
    run = Run("server alone", pages=fetched, wall_s=time.monotonic() - started)
    run.server_cpu_s = server.cpu_s() - cpu_before
    return run


def site_pages(site: Site) -> list[tuple[str, None]]:
    pages = [(site.origin + "/", None)]
    pages += [(f"{site.origin}/section/{k}/", None) for k in range(site.indexes)]
    return pages + [(url, None) for url in site.article_urls()]


def measured(
    name: str, command: list[str], workdir: Path, server: Server, env: dict[str, str] | None = None
) -> tuple[Run, str, str]:
    """Run ``command`` under bench/proctree.py; the Run and the command's stdout and stderr."""
    result_file = workdir / f"{name}.proctree.json"
    out_file, err_file = workdir / f"{name}.stdout", workdir / f"{name}.stderr"
    cpu_before = server.cpu_s()
    with out_file.open("w") as out, err_file.open("w") as err:
        completed = subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.proctree",
                "--out",
                str(result_file),
                "--",
                *command,
            ],
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            stdout=out,
            stderr=err,
            check=False,
        )
    tree = json.loads(result_file.read_text())
    run = Run(
        name,
        wall_s=tree["wall_s"],
        cpu_s=tree["cpu_s"],
        peak_rss=tree["peak_rss_bytes"],
        peak_pss=tree["peak_pss_bytes"],
        server_cpu_s=server.cpu_s() - cpu_before,
        ok=completed.returncode == 0,
    )
    if not run.ok:
        run.note = f"exit code {completed.returncode} (see {err_file})"
    return run, out_file.read_text(), err_file.read_text()


# --- the contestants ----------------------------------------------------------------------


def run_crawl(server: Server, workdir: Path, interval: float, *, warc: bool = False) -> Run:
    name = "crawl+warc" if warc else "crawl"
    db = workdir / f"{name}-archive.db"
    with contextlib.suppress(FileNotFoundError):
        db.unlink()
    command = [PYTHON, "-m", "crawler.cli", "crawl", *CRAWL_SETTINGS, server.origin + "/"]
    command += ["--db", f"sqlite:///{db}"]
    command += ["-s", f"PROGRESS_INTERVAL={interval:g}"]
    if warc:
        folder = workdir / "warcs"
        shutil.rmtree(folder, ignore_errors=True)
        command += ["--warc", str(folder)]
    run, _, err = measured(name, command, workdir, server)
    stats = _crawl_stats(db) if db.exists() else {}
    run.pages = int(stats.get("newsarchive/pages", 0))
    articles = {o: int(stats.get(f"newsarchive/articles/{o}", 0)) for o in ("new", "duplicate")}
    run.extra = {
        "articles": articles,
        "responses": int(stats.get("downloader/response_count", 0)),
        "line_rates": [float(r) for r in _LINE_RATE.findall(err)],
        "summary_rate": next((float(r) for r in _SUMMARY_RATE.findall(err)), None),
    }
    run.note = run.note or f"{articles['new']:,} new, {articles['duplicate']:,} duplicate articles"
    if warc:
        size = sum(p.stat().st_size for p in (workdir / "warcs").glob("*.warc.gz"))
        run.note += f"; WARC {size / MIB:.1f} MiB"
    return run


def _crawl_stats(db: Path) -> dict[str, Any]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        row = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row else {}


def run_naive(server: Server, workdir: Path) -> Run:
    db = workdir / "naive.db"
    with contextlib.suppress(FileNotFoundError):
        db.unlink()
    command = [PYTHON, "-m", "bench.crawl_naive", "--start", server.origin + "/"]
    run, out, _ = measured("naive", [*command, "--db", f"sqlite:///{db}"], workdir, server)
    result = _last_json(out)
    run.pages = int(result.get("pages", 0))
    run.note = run.note or f"{int(result.get('articles', 0)):,} articles"
    return run


def run_floor(server: Server, workdir: Path, pages: int, workers: int) -> Run:
    command = [PYTHON, "-m", "bench.crawl_floor", "--pages", str(pages)]
    run, out, _ = measured("floor", [*command, "--workers", str(workers)], workdir, server)
    result = _last_json(out)
    run.pages = int(result.get("pages", 0))
    run.note = run.note or (
        f"{int(result.get('distinct_articles', 0)):,} articles carry their unique sentence"
    )
    return run


def run_trafilatura(server: Server, workdir: Path) -> Run | None:
    executable = shutil.which("trafilatura") or str(Path(PYTHON).parent / "trafilatura")
    if not Path(executable).exists():
        return None
    config = workdir / "trafilatura.cfg"
    settings = Path(__import__("trafilatura").__file__).parent / "settings.cfg"
    text = settings.read_text()
    text = re.sub(r"(?m)^SLEEP_TIME = .*$", "SLEEP_TIME = 0", text)
    text = re.sub(r"(?m)^SSRF_PROTECTION = .*$", "SSRF_PROTECTION = off", text)
    config.write_text(text)
    output = workdir / "trafilatura-out"
    shutil.rmtree(output, ignore_errors=True)
    command = [executable, "--sitemap", server.origin + "/sitemap.xml", "--with-metadata"]
    command += ["--config-file", str(config), "-o", str(output)]
    run, _, _ = measured("trafilatura", command, workdir, server)
    run.pages = sum(1 for _ in output.rglob("*")) if output.exists() else 0
    run.note = run.note or "articles written (sitemap only: no index pages)"
    return run


def _last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.splitlines()):
        with contextlib.suppress(json.JSONDecodeError):
            value = json.loads(line)
            if isinstance(value, dict):
                return value
    return {}


# --- report ------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    header = (
        "run",
        "pages",
        "wall s",
        "pages/s",
        "CPU s",
        "cores",
        "CPU ms/page",
        "RSS MiB",
        "PSS MiB",
    )
    rows = [header]
    for run in runs:
        rows.append(
            (
                run.name,
                f"{run.pages:,}",
                f"{run.wall_s:.1f}",
                f"{run.rate:.1f}",
                f"{run.cpu_s:.1f}" if run.cpu_s else "-",
                f"{run.cpu_s / run.wall_s:.2f}" if run.cpu_s and run.wall_s else "-",
                f"{1000 * run.cpu_s / run.pages:.1f}" if run.pages and run.cpu_s else "-",
                f"{run.peak_rss / MIB:.0f}" if run.peak_rss else "-",
                f"{run.peak_pss / MIB:.0f}" if run.peak_pss else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for run in runs:
        server = f"; server CPU {run.server_cpu_s:.1f} s" if run.server_cpu_s else ""
        lines.append(f"  {run.name}: {run.note}{server}")
    return "\n".join(lines)


def ratios(runs: dict[str, Run]) -> list[str]:
    crawl = runs.get("crawl")
    if crawl is None or not crawl.rate:
        return []
    out = []
    targets = {"naive": 1.6, "floor": 0.8, "news-please": 10.0}
    with_warc = runs.get("crawl+warc")
    if with_warc is not None and with_warc.ok and with_warc.rate:
        ratio = with_warc.rate / crawl.rate
        verdict = "met" if ratio >= 0.9 else "NOT met"
        out.append(f"crawl+warc / crawl  {ratio:5.2f}x pages/s  (target >= 0.9: {verdict})")
    for name in ("naive", "floor", "trafilatura", "news-please"):
        other = runs.get(name)
        if other is None or not other.ok or not other.rate:
            continue
        ratio = crawl.rate / other.rate
        target = targets.get(name)
        verdict = (
            f"  (target >= {target:g}: {'met' if ratio >= target else 'NOT met'})" if target else ""
        )
        out.append(f"crawl / {name:<12} {ratio:5.2f}x pages/s{verdict}")
    return out


def paired_ratios(rounds: dict[int, dict[str, Run]]) -> list[str]:
    """With several rounds: each round's own crawl / floor and crawl / naive, and their
    median. A round's runs follow each other, so a drift in the machine's speed (other
    work on a shared host) moves both sides of its ratio, where the best-of-each ratio
    above may pair a fast round of one run with a slow round of the other."""
    if len(rounds) < 2:
        return []
    out = []
    for name in ("floor", "naive", "crawl+warc"):
        paired = [
            (
                runs[name].rate / runs["crawl"].rate
                if name == "crawl+warc"
                else runs["crawl"].rate / runs[name].rate
            )
            for runs in rounds.values()
            if "crawl" in runs and name in runs and runs[name].rate
        ]
        if len(paired) >= 2:
            listed = ", ".join(f"{r:.2f}" for r in paired)
            label = "crawl+warc / crawl" if name == "crawl+warc" else f"crawl / {name:<12}"
            out.append(f"{label} {statistics.median(paired):5.2f}x median of rounds ({listed})")
    return out


def progress_agreement(crawl: Run) -> list[str]:
    rates = crawl.extra.get("line_rates") or []
    summary = crawl.extra.get("summary_rate")
    out = []
    if rates:
        mean = statistics.fmean(rates)
        out.append(
            f"progress lines: mean {mean:.1f} pages/s over {len(rates)} lines "
            f"({mean / crawl.rate:.2f} of the benchmark's {crawl.rate:.1f})"
        )
    if summary:
        out.append(
            f"progress summary: {summary:.1f} pages/s "
            f"({summary / crawl.rate:.2f} of the benchmark's)"
        )
    return out


def load_line() -> str:
    """The machine's load average, and the share of time some task waited for a CPU."""
    parts = []
    with contextlib.suppress(OSError):
        parts.append("load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    with contextlib.suppress(OSError, IndexError):
        some = Path("/proc/pressure/cpu").read_text().split()[1]
        parts.append(f"CPU pressure {some.replace('avg10=', '')}% (10 s)")
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument("--peers", action="store_true", help="also run trafilatura --sitemap")
    parser.add_argument(
        "--warc",
        action="store_true",
        help="also run the crawl with --warc (each round: right after the plain crawl)",
    )
    parser.add_argument(
        "--only", default="crawl,naive,floor", help="runs to do, comma-separated (default: all)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes of the floor run")
    parser.add_argument(
        "--progress-interval", type=float, default=5.0, help="seconds between the crawl's lines"
    )
    parser.add_argument("--keep", type=Path, help="keep archives and logs in this folder")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of all runs; each run's best round is reported (less noise on a shared "
        "machine)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    originals = load_originals()
    server = Server(args.pages)
    site = Site(originals, args.pages)
    site.origin = server.origin
    print(
        f"site: {server.origin}, {args.pages:,} articles from {len(originals)} real pages, "
        f"{site.html_pages():,} HTML pages; {os.cpu_count()} cores; {load_line()}",
        flush=True,
    )
    runs: dict[str, Run] = {}
    rounds: dict[int, dict[str, Run]] = {}
    try:
        alone = check_server(server, site)
        print(
            f"server alone: {alone.rate:,.0f} pages/s to a 16-connection client, "
            f"{1000 * alone.server_cpu_s / max(1, alone.pages):.2f} ms of server CPU per page",
            flush=True,
        )
        # floor and crawl run back to back, so each round's crawl / floor compares two
        # runs a minute apart on a machine whose speed drifts
        contestants: list[tuple[str, Callable[[], Run | None]]] = [
            ("floor", lambda: run_floor(server, workdir, args.pages, args.workers)),
            ("crawl", lambda: run_crawl(server, workdir, args.progress_interval)),
        ]
        interval = args.progress_interval
        if args.warc:  # right after the plain crawl, so each round pairs them
            contestants.append(
                ("crawl+warc", lambda: run_crawl(server, workdir, interval, warc=True))
            )
        contestants.append(("naive", lambda: run_naive(server, workdir)))
        contestants = [
            (name, run) for name, run in contestants if name in only or name == "crawl+warc"
        ]
        if args.peers:
            contestants.append(("trafilatura", lambda: run_trafilatura(server, workdir)))
        for round_number in range(1, args.repeat + 1):
            for name, contestant in contestants:
                result = contestant()
                if result is None:
                    print(f"{name}: not installed, skipped", flush=True)
                    continue
                print(
                    f"round {round_number}: {name} {result.rate:.1f} pages/s "
                    f"({result.cpu_s / max(result.wall_s, 1e-9):.2f} cores busy; {load_line()})",
                    flush=True,
                )
                best = runs.get(name)
                if best is None or (result.ok and result.rate > best.rate):
                    runs[name] = result
                if result.ok:
                    rounds.setdefault(round_number, {})[name] = result
        if args.peers and shutil.which("news-please"):
            print(
                "news-please: installed, but not run: its newspaper extractor fetches each "
                "article's images from their original hosts, and this benchmark sends "
                "nothing beyond 127.0.0.0/8 (see README)"
            )
    finally:
        server.stop()
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(list(runs.values())))
    if "crawl" in runs:
        print()
        for line in [*ratios(runs), *paired_ratios(rounds), *progress_agreement(runs["crawl"])]:
            print(line)
    print(f"\n{load_line()}")
    return 0 if all(run.ok for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
