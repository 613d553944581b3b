"""The store stage's writer thread: batches by size and time, and the last one at shutdown."""

from __future__ import annotations

import threading
import time

from archive.models import Article
from archive.writer import ArchiveWriter, WriteResult
from pipelines.store import BatchWriterThread
from tests.archive.test_writer import count, record


class Batches:
    """What the thread reports back: the size of each batch written, in order."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.outcomes: list[str] = []
        self.errors: list[Exception] = []
        self.lock = threading.Lock()

    def results(self, batch: list[object], results: list[WriteResult]) -> None:
        with self.lock:
            self.sizes.append(len(batch))
            self.outcomes += [r.outcome.value for r in results]


def writer_thread(engine, batches: Batches, *, batch_size: int, flush_interval: float):
    thread = BatchWriterThread(
        ArchiveWriter(engine),
        None,
        batch_size=batch_size,
        flush_interval=flush_interval,
        on_results=batches.results,
        on_error=batches.errors.append,
    )
    thread.start()
    return thread


def records(n: int):
    return [record(f"https://news.example.com/{i}/", f"Story number {i}.") for i in range(n)]


def test_articles_short_of_a_batch_are_written_at_shutdown(engine):
    batches = Batches()
    thread = writer_thread(engine, batches, batch_size=100, flush_interval=3600)
    for rec in records(7):
        thread.put(rec)
    time.sleep(0.2)
    assert count(engine, Article) == 0  # neither the size nor the time was reached

    thread.stop()
    thread.join(30)

    assert not thread.is_alive()
    assert batches.sizes == [7] and batches.outcomes == ["new"] * 7
    assert count(engine, Article) == 7


def test_full_batches_are_written_at_once_and_the_rest_after_the_interval(engine):
    batches = Batches()
    thread = writer_thread(engine, batches, batch_size=4, flush_interval=0.3)
    for rec in records(10):
        thread.put(rec)
    deadline = time.monotonic() + 30
    while sum(batches.sizes) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    thread.stop()
    thread.join(30)

    assert batches.sizes == [4, 4, 2]
    assert count(engine, Article) == 10
    assert not batches.errors
