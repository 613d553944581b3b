"""Run a command and measure its whole process tree: wall time, CPU seconds, peak memory.

    python -m bench.proctree --out result.json -- COMMAND [ARGS ...]

Memory is sampled from /proc every ``--interval`` seconds over the command and all its
descendants (worker processes, a multiprocessing fork server): the peak of the summed
RSS (what the brief's target counts; pages shared by forked workers count once per
process) and the peak of the summed PSS (shared pages split between the processes that
share them: the tree's real footprint). CPU seconds come from the kernel, not from
sampling: this process makes itself a child subreaper (Linux ``prctl``), so descendants
orphaned when the command exits are reparented here and reaped, and
``getrusage(RUSAGE_CHILDREN)`` then holds the user and system time of every process of
the tree. The command's exit status is this process's exit status; standard output and
error pass through.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
                found += [int(child) for child in text.split()]
    return found


def tree(roots: list[int]) -> list[int]:
    """The given processes and all their descendants that are still alive."""
    seen: list[int] = []
    stack = list(roots)
    while stack:
        pid = stack.pop()
        if pid not in seen and os.path.exists(f"/proc/{pid}"):
            seen.append(pid)
            stack += children(pid)
    return seen


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (its reaped children not included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class Sampler:
    def __init__(self) -> None:
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        self.by_process: dict[int, dict[str, Any]] = {}

    def sample(self, roots: list[int]) -> None:
        pids = tree(roots)
        rss = {pid: rss_bytes(pid) for pid in pids}
        pss = {pid: pss_bytes(pid) for pid in pids}
        self.peak_rss = max(self.peak_rss, sum(rss.values()))
        self.peak_pss = max(self.peak_pss, sum(pss.values()))
        self.peak_processes = max(self.peak_processes, len(pids))
        self.samples += 1
        for pid in pids:
            entry = self.by_process.setdefault(
                pid,
                {"command": command_line(pid), "peak_rss_bytes": 0, "peak_pss_bytes": 0},
            )
            entry["cpu_s"] = max(entry.get("cpu_s", 0.0), cpu_seconds(pid))
            entry["peak_rss_bytes"] = max(entry["peak_rss_bytes"], rss[pid])
            entry["peak_pss_bytes"] = max(entry["peak_pss_bytes"], pss[pid])


def reap_orphans(sampler: Sampler, interval: float, timeout: float) -> int:
    """Wait for descendants reparented to us (they exit once the command is gone)."""
    reaped = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid:
            reaped += 1
            continue
        sampler.sample(children(os.getpid()))
        time.sleep(interval)
    return reaped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON result")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    subreaper = become_subreaper()
    sampler = Sampler()
    started = time.monotonic()
    process = subprocess.Popen(command)
    while process.poll() is None:
        sampler.sample([process.pid])
        time.sleep(args.interval)
    wall = time.monotonic() - started
    orphans = reap_orphans(sampler, args.interval, timeout=30.0)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "command": command,
        "returncode": process.returncode,
        "wall_s": wall,
        "cpu_user_s": usage.ru_utime,
        "cpu_system_s": usage.ru_stime,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_bytes": sampler.peak_rss,
        "peak_pss_bytes": sampler.peak_pss,
        "peak_processes": sampler.peak_processes,
        "samples": sampler.samples,
        "orphans_reaped": orphans,
        "cpu_complete": subreaper,
        "processes": list(sampler.by_process.values()),
    }
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
