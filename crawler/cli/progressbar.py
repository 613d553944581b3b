"""A progress bar on standard error, drawn only when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
MIN_INTERVAL = 0.2


class ProgressBar:
    """Call with the number of items done; :meth:`close` ends the line.

    Silent when ``out`` is not a terminal (a log file or a pipe gets no control
    characters) or when ``enabled`` is false.
    """

    def __init__(
        self, total: int, unit: str, out: TextIO = sys.stderr, *, enabled: bool = True
    ) -> None:
        self.total = total
        self.unit = unit
        self.out = out
        self.enabled = enabled and out.isatty()
        self.started = time.monotonic()
        self._drawn = 0.0
        self._done = 0

    def __call__(self, done: int) -> None:
        self._done = done
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= MIN_INTERVAL or done >= self.total):
            self._drawn = now
            self.out.write("\r" + self.line(done, now - self.started))
            self.out.flush()

    def line(self, done: int, elapsed: float) -> str:
        share = min(1.0, done / self.total) if self.total else 1.0
        filled = round(share * WIDTH)
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 and done < self.total else 0.0
        return (
            f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} "
            f"{done:,}/{self.total:,} {self.unit} {rate:,.0f}/s eta {left:,.0f}s "
        )

    def close(self) -> None:
        if self.enabled:
            self.out.write("\r" + self.line(self._done, time.monotonic() - self.started) + "\n")
            self.out.flush()
