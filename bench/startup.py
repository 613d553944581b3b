"""Start-up time of ``newsarchive`` commands: the command line as shipped (only the chosen
command's module imported) side by side with every command module imported first, as the
command line did before it loaded them lazily.

    python -m bench.startup                 # 7 rounds each
    python -m bench.startup --rounds 15

Each figure is a fresh interpreter running ``crawler.cli.main`` on an empty archive:
median wall-clock seconds and median CPU seconds (user + system of the child, steadier on
a busy host). Target: ``newsarchive stats`` under 0.5 s.

The project's modules are timed from their cached bytecode, as an installed package runs
them (pip compiles them at install): a first untimed run of each command writes the
``__pycache__`` files, even when ``PYTHONDONTWRITEBYTECODE`` is set, which would otherwise
make every run compile each of our modules from source.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 0.5
COMMANDS = {
    "--help": ["--help"],
    "stats": ["stats"],
    "search": ["search", "election"],
    "show": ["show", "1"],
}
# ``eager`` imports every command module before running, as build_parser() used to.
PROBE = """
import sys
from crawler import cli
if sys.argv[1] == "eager":
    cli.build_parser(None)
try:
    code = cli.main(sys.argv[2:])
except SystemExit as exit:
    code = exit.code
"""


def run_once(mode: str, args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh interpreter running the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PROBE, mode, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def make_archive(folder: Path) -> str:
    path = folder / "archive.db"
    subprocess.run(
        [sys.executable, "-m", "crawler.cli", "db", "upgrade", "--db", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = make_archive(Path(folder))
        writing = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        lines = {
            name: args if name == "--help" else [*args, "--db", db]
            for name, args in COMMANDS.items()
        }
        for full in lines.values():  # untimed: writes the bytecode cache
            for mode in ("lazy", "eager"):
                run_once(mode, full, writing)
        print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {options.rounds} rounds")
        header = ("lazy wall", "lazy cpu", "eager wall", "eager cpu")
        print(f"{'command':<10}" + "".join(f"{title:>12}" for title in header))
        for name, full in lines.items():
            figures: dict[str, list[tuple[float, float]]] = {"lazy": [], "eager": []}
            for _ in range(options.rounds):  # interleaved: both see the same load
                for mode, sample in figures.items():
                    sample.append(run_once(mode, full))
            row = [
                statistics.median(sample[i] for sample in figures[mode])
                for mode in figures
                for i in (0, 1)
            ]
            print(f"{name:<10}" + "".join(f"{figure:>11.3f}s" for figure in row))
            if name == "stats":
                verdict = "met" if row[0] < TARGET_S else "not met"
                print(f"{'':<10} target: stats under {TARGET_S} s wall: {verdict}")


if __name__ == "__main__":
    main()
