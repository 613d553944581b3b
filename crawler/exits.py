"""How a ``newsarchive`` command ends: its exit codes (``docs/operations.md``, Exit codes).

A module of its own, importing nothing, so that ``python -m crawler.cli`` can answer a
Ctrl-C that comes while the command line itself is still importing.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_CODES = (
    f"Exit codes: {EXIT_OK} ok, {EXIT_FAILED} the work failed, {EXIT_USAGE} bad input or "
    f"usage, {EXIT_INTERRUPTED} interrupted."
)
