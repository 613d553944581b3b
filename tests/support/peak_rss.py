"""Run a command and write its process tree's peak RSS, as the kernel counts it, to a file.

    python -m tests.support.peak_rss OUT -- COMMAND [ARGS ...]

``wait4()`` reports the peak RSS of a child and the descendants it reaped, but Linux
starts a child's count from what its parent held: ``fork`` copies the parent's resident
pages into the count, and ``exec`` after ``vfork`` (which ``subprocess`` uses) carries the
parent's own peak over. A crawl started straight from pytest therefore reports pytest's
peak when that is higher (a test that built a 640 MiB model earlier in the session made
every later crawl "use" 655 MiB). Started from this small process instead, the command's
figure carries over only this process's ~10 MiB. The exit status is the command's;
standard error passes through, standard output is discarded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m tests.support.peak_rss OUT -- COMMAND [ARGS ...]", file=sys.stderr)
        return 2
    out, command = Path(argv[0]), argv[2:]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    out.write_text(str(usage.ru_maxrss), encoding="utf-8")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
