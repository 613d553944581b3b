"""Export throughput and memory: 100,000 synthetic articles to Parquet.

    python -m bench.export                       # 100,000 articles, SQLite
    python -m bench.export --backend both --articles 50000

Builds the archive (bulk inserts), then runs each export in a fresh child process
so that its peak resident memory is the export's alone, not the build's: first bare
reads through the read API (``arrow``: Arrow batches, the floor of the Parquet
export; ``read``: article dicts, the floor of JSON Lines and CSV), then Parquet
(snappy, the default, and zstd), JSON Lines and CSV. Rates are given per second of
wall time and per second of the process's CPU time: on a shared machine the second
is the steadier figure.
Targets: Parquet at 20,000 articles/s or more, under 300 MB peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import Corpus, archive_url, fill

TARGET_RATE = 20_000
TARGET_MB = 300
FORMATS = "arrow,parquet,parquet-zstd,read,jsonl,csv"


def child(url: str, fmt: str, out: str) -> None:
    """Run one export in this process and print its figures as JSON."""
    from archive import open_archive
    from archive.export import export

    with open_archive(url) as arc:
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu = time.perf_counter(), time.process_time()
        if fmt == "read":
            count = sum(1 for _ in arc.articles())
        elif fmt == "arrow":
            count = sum(batch.num_rows for batch in arc.arrow_batches())
        elif fmt == "parquet-zstd":
            count = export(arc, "parquet", out, compression="zstd")
        else:
            count = export(arc, fmt, out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = Path(out).stat().st_size if Path(out).exists() else 0
    figures = {"count": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak}
    print(json.dumps({**figures, "baseline_mb": baseline, "bytes": size}))


def measure(url: str, fmt: str, folder: str) -> dict[str, float]:
    out = str(Path(folder) / f"bench.{fmt}")
    result = subprocess.run(
        [sys.executable, "-m", "bench.export", "--child", url, fmt, out],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))


def report(fmt: str, r: dict[str, float]) -> str:
    rate, cpu_rate = r["count"] / r["seconds"], r["count"] / r["cpu"]
    line = (
        f"  {fmt:<12} {rate:>11,.0f} {cpu_rate:>10,.0f} {r['seconds']:>8.2f} "
        f"{r['peak_mb']:>8.0f} {r['baseline_mb']:>9.0f} {r['bytes'] / 1e6:>8.1f}"
    )
    if fmt == "parquet":
        met = rate >= TARGET_RATE and r["peak_mb"] < TARGET_MB
        line += f"  target >= {TARGET_RATE:,}/s, < {TARGET_MB} MB: {'met' if met else 'NOT met'}"
    return line


def run_backend(backend: str, articles: int, corpus: Corpus, formats: list[str]) -> None:
    with archive_url(backend) as url, tempfile.TemporaryDirectory() as folder:
        build = fill(url, articles, corpus)
        print(f"\n{backend}: {articles:,} articles inserted in {build:.1f} s")
        print(
            f"  {'export':<12} {'articles/s':>11} {'per CPU s':>10} {'seconds':>8} "
            f"{'peak MB':>8} {'at start':>9} {'file MB':>8}"
        )
        for fmt in formats:
            print(report(fmt, measure(url, fmt, folder)), flush=True)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--formats", default=FORMATS, help=f"comma separated (default {FORMATS})")
    args = parser.parse_args()
    corpus = Corpus.make()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        run_backend(backend, args.articles, corpus, args.formats.split(","))


if __name__ == "__main__":
    main()
