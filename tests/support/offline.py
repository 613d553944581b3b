"""Run a snippet in a fresh interpreter that cannot reach any network and has an empty
home: what it needs must come from the packages' bundled data, and it must write nothing."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

from tests.support.cli import ROOT, cli_env

if TYPE_CHECKING:
    from pathlib import Path

REFUSE_NETWORK = (
    "import socket\n"
    "def refuse(*args, **kwargs):\n"
    "    raise AssertionError(f'network access: {args!r}')\n"
    "socket.socket.connect = refuse\n"
    "socket.create_connection = refuse\n"
    "socket.getaddrinfo = refuse\n"
)


def run_offline(code: str, home: Path) -> None:
    """Run ``code`` (which ends by printing ``offline ok``) with every connection and name
    lookup refused and ``home`` as an empty home; assert it passed and left ``home`` empty."""
    env = cli_env(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))
    env.pop("TLDEXTRACT_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-c", REFUSE_NETWORK + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"
    assert list(home.rglob("*")) == []
