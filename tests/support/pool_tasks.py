"""Module-level task functions for the pool tests (workers import them by name)."""

from __future__ import annotations

import os
import signal
import time


def echo(value: object) -> object:
    return value


def sleep_then(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def crash(_: object) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def fail(message: str) -> None:
    raise ValueError(message)


def pid(_: object) -> int:
    return os.getpid()


EXTRACT_DELAY_S = 0.05


def slow_extract_page(body: bytes, encoding: str | None, url: str, *args: object) -> object:
    """The real extraction of one page, after a pause: a worker slower than the fetching."""
    from pipelines.worker import extract_page

    time.sleep(EXTRACT_DELAY_S)
    return extract_page(body, encoding, url, *args)  # type: ignore[arg-type]


def extraction_loaded(*_: object) -> bool:
    """Whether this worker had imported the extraction engine and the signer."""
    import sys

    return "pipelines.extraction.core" in sys.modules and "archive.minhash" in sys.modules


def sleep_then_crash_on(seconds: float, value: object) -> object:
    """Sleep, then crash the worker if ``value`` is "crash", else return it."""
    time.sleep(seconds)
    if value == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    return value


def slow_start(seconds: float) -> None:
    """An initializer that takes ``seconds``: a worker slow to start."""
    time.sleep(seconds)
