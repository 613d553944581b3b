"""The crawl's peak memory, as the hostile-content tests read it, is the crawl's own.

Linux starts a child's peak RSS from its parent's, so a crawl started straight from a
process holding 300 MiB reports at least 300 MiB; started through
``tests.support.peak_rss`` it reports its own few MiB. Both are measured from a parent
that really holds the memory (a subprocess, so pytest's own peak is left alone).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.cli import ROOT, cli_env

PARENT = """
import json, os, subprocess, sys, tempfile
from pathlib import Path

held = bytearray(300 * 2**20)
for i in range(0, len(held), 4096):
    held[i] = 1
child = [sys.executable, "-c", "pass"]
process = subprocess.Popen(child)
_, _, direct = os.wait4(process.pid, 0)
with tempfile.TemporaryDirectory() as scratch:
    out = Path(scratch, "kib")
    subprocess.run([sys.executable, "-m", "tests.support.peak_rss", str(out), "--", *child], check=True)
    launched = int(out.read_text())
print(json.dumps({"direct": direct.ru_maxrss, "launched": launched}))
"""


def test_a_child_started_through_the_launcher_does_not_inherit_its_parents_peak():
    result = subprocess.run(
        [sys.executable, "-c", PARENT],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    kib = json.loads(result.stdout)
    assert kib["direct"] >= 300 * 1024, kib  # the inherited figure the launcher avoids
    assert 0 < kib["launched"] < 100 * 1024, kib


def test_the_launcher_passes_the_commands_exit_status_through(tmp_path):
    out = tmp_path / "kib"
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.peak_rss",
            str(out),
            "--",
            sys.executable,
            "-c",
            "raise SystemExit(3)",
        ],
        cwd=ROOT,
        env=cli_env(),
        check=False,
        timeout=60,
    ).returncode
    assert status == 3
    assert int(out.read_text()) > 0
