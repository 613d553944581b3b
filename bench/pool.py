"""The extraction pool's Linux fast paths against its portable fallbacks, side by side.

    python -m bench.pool                          # 3 rounds of each load, both paths
    python -m bench.pool --tasks 4000 --repeat 5

``pipelines/pool.py`` watches its workers through pidfds and asks the kernel what a
worker has not read (``TIOCOUTQ``) before sending it a task ahead; the portable paths
(macOS, or ``NEWSARCHIVE_POOL_PORTABLE=1``) watch a pipe and bound the unread bytes by
what was sent since the worker's last result. Three loads, each run by both kinds of
pool in alternation within each round, with the pool started and warmed up beforehand:

- ``tiny``: 100-byte tasks that cost nothing: the dispatcher's own cost per task;
- ``page``: 200 KB tasks (a news page's size) that cost nothing: sending ahead and
  the socket buffer's bound;
- ``cpu``: 1 KB tasks of ~2 ms of CPU each (PBKDF2): close to a crawl's extraction.

Prints tasks per second per path and the portable / fast ratio (median of rounds), and
the CPU the pool's process spent per task (its dispatcher thread, steadier than wall
time on a shared host). Target: the fallback within 10% of the fast paths on ``cpu``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from pipelines.pool import ProcessPool, linux_fast_paths

TARGET_RATIO = 0.9


def _calibrated_iterations(ms: float) -> int:
    """PBKDF2 iterations that take about ``ms`` of CPU here."""
    started = time.process_time()
    hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 20_000)
    per_iteration = (time.process_time() - started) / 20_000
    return max(1, int(ms / 1000 / per_iteration))


def loads(tasks: int) -> dict[str, tuple[Callable[..., Any], list[tuple[Any, ...]]]]:
    iterations = _calibrated_iterations(2.0)
    page = os.urandom(200_000)
    return {
        "tiny": (len, [(b"x" * 100,)] * tasks),
        "page": (len, [(page,)] * (tasks // 4)),
        "cpu": (
            hashlib.pbkdf2_hmac,
            [("sha256", b"x" * 1000, b"salt", iterations)] * (tasks // 4),
        ),
    }


def run(
    target: Callable[..., Any], args: list[tuple[Any, ...]], *, portable: bool, workers: int
) -> tuple[float, float]:
    """Tasks per second through a started, warmed-up pool, and this process's CPU
    seconds per task."""
    pool = ProcessPool(target, workers, 60, portable=portable).start()
    try:
        for future in [pool.submit(*args[0]) for _ in range(workers * 4)]:
            future.result(timeout=60)
        started, cpu = time.perf_counter(), time.process_time()
        futures = [pool.submit(*a) for a in args]
        for future in futures:
            future.result(timeout=600)
        elapsed = time.perf_counter() - started
        return len(args) / elapsed, (time.process_time() - cpu) / len(args)
    finally:
        pool.close(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=4000, help="tiny tasks a round (default 4000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not linux_fast_paths():
        raise SystemExit("bench.pool: no Linux fast paths here (or NEWSARCHIVE_POOL_PORTABLE set)")
    rates: dict[tuple[str, bool], list[float]] = {}
    cpu: dict[tuple[str, bool], list[float]] = {}
    work = loads(args.tasks)
    for round_ in range(args.repeat):
        for name, (target, task_args) in work.items():
            # alternate which path goes first, so neither always meets a warmer host
            order = (False, True) if round_ % 2 == 0 else (True, False)
            for portable in order:
                rate, cpu_per_task = run(target, task_args, portable=portable, workers=args.workers)
                rates.setdefault((name, portable), []).append(rate)
                cpu.setdefault((name, portable), []).append(cpu_per_task)
    print(f"{args.workers} workers, {args.repeat} rounds, load {os.getloadavg()[0]:.1f}")
    print(
        f"{'load':<6} {'tasks':>6} {'fast /s':>9} {'portable /s':>12} {'ratio':>6}"
        f" {'CPU µs/task fast':>17} {'portable':>9}  ratio per round"
    )
    for name, (_, task_args) in work.items():
        fast, portable = (statistics.median(rates[name, p]) for p in (False, True))
        fast_cpu, portable_cpu = (statistics.median(cpu[name, p]) * 1e6 for p in (False, True))
        rounds = ", ".join(
            f"{p / f:.2f}" for f, p in zip(rates[name, False], rates[name, True], strict=True)
        )
        print(
            f"{name:<6} {len(task_args):>6} {fast:>9,.0f} {portable:>12,.0f}"
            f" {portable / fast:>6.2f} {fast_cpu:>17.0f} {portable_cpu:>9.0f}  {rounds}"
        )
    print(f"target: portable / fast >= {TARGET_RATIO} on cpu")


if __name__ == "__main__":
    main()
