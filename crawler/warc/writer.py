"""The WARC writer thread: fetches in, records out, off the crawler's reactor thread.

The crawler hands over each download as it completes (:class:`~crawler.warc.records.Fetch`:
bytes only, a few microseconds); this thread builds its records with warcio, hashes,
compresses and writes them, and reports in batches where each response record went,
so the archive's captures can point at their evidence. Hashing and compression
release the GIL: the reactor goes on while a page is written.

Revisits: the payload digests of responses written in full are remembered (this run's,
and those listed in the CDXJ indexes already in the folder, newest first, up to
``index_size``), and a later response with the same payload is written as a
``revisit`` of the first.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.warc.files import INDEX_SUFFIX, WarcFiles
from crawler.warc.records import Original, warc_date

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from crawler.warc.files import Location
    from crawler.warc.records import Fetch

logger = logging.getLogger(__name__)

# Payload digests remembered for revisits (~150 bytes each).
DEFAULT_INDEX_SIZE = 200_000


class DigestIndex:
    """The newest ``size`` payload digests written in full, each with its record."""

    def __init__(self, size: int = DEFAULT_INDEX_SIZE) -> None:
        self.size = max(0, size)
        self.originals: OrderedDict[str, Original] = OrderedDict()

    def get(self, digest: str) -> Original | None:
        return self.originals.get(digest)

    def add(self, digest: str, original: Original) -> None:
        if self.size == 0:
            return
        self.originals.setdefault(digest, original)
        while len(self.originals) > self.size:
            self.originals.popitem(last=False)

    def load(self, directory: Path) -> int:
        """Learn the complete 2xx responses listed by the CDXJ indexes in ``directory``,
        the newest files first, until the index is full; how many digests it holds."""
        for index in sorted(directory.glob(f"*{INDEX_SUFFIX}"), reverse=True):
            if len(self.originals) >= self.size:
                break
            try:
                lines = index.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                logger.warning("cannot read the WARC index %s: %s", index, exc)
                continue
            for digest, original in _index_originals(lines):
                if digest not in self.originals and len(self.originals) < self.size:
                    self.originals[digest] = original
        return len(self.originals)


def _index_originals(lines: list[str]) -> list[tuple[str, Original]]:
    """(digest, record) of the complete 2xx responses a CDXJ index lists."""
    found: list[tuple[str, Original]] = []
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) < 3:
            continue
        try:
            fields = json.loads(parts[2])
            when = datetime.strptime(parts[1][:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            continue
        status, digest = str(fields.get("status", "")), fields.get("digest")
        if status.startswith("2") and digest and "url" in fields:
            found.append((f"sha1:{digest}", Original(fields["url"], warc_date(when))))
    return found


class WarcWriterThread(threading.Thread):
    """Writes the fetches put to it; ``on_written`` gets each batch's (record id,
    location) pairs (location None: nothing could be written for that fetch) and
    ``on_error`` the message of a failure (nothing more is written after one). Both are
    called from this thread."""

    def __init__(
        self,
        files: WarcFiles,
        *,
        on_written: Callable[[list[tuple[str, Location | None]]], None],
        on_error: Callable[[str], None],
        revisits: DigestIndex | None = None,
    ) -> None:
        super().__init__(name="warc-writer", daemon=True)
        self.files = files
        self.revisits = revisits
        self.on_written = on_written
        self.on_error = on_error
        self.failed: str | None = None
        self.pending_bytes = 0
        self.written = 0
        self.revisit_count = 0
        self._queue: deque[Fetch] = deque()
        self._ready = threading.Condition(threading.Lock())
        self._stopping = False

    def put(self, fetch: Fetch) -> None:
        size = sum(map(len, fetch.exchange.received))
        with self._ready:
            if self.failed is not None:
                return
            self._queue.append(fetch)
            self.pending_bytes += size
            self._ready.notify()

    def stop(self) -> None:
        """Write what was put, close the open file, then end."""
        with self._ready:
            self._stopping = True
            self._ready.notify()

    def _take(self) -> tuple[list[Fetch], bool]:
        with self._ready:
            while not self._queue and not self._stopping:
                self._ready.wait()
            batch = list(self._queue)
            self._queue.clear()
            return batch, self._stopping and not batch

    def run(self) -> None:
        try:
            while True:
                batch, done = self._take()
                if done:
                    break
                self._write(batch)
        except Exception as exc:
            self._fail(exc)
        try:
            self.files.close()
        except Exception as exc:
            self._fail(exc)

    def _write(self, batch: list[Fetch]) -> None:
        written: list[tuple[str, Location | None]] = []
        size = 0
        try:
            for fetch in batch:
                size += sum(map(len, fetch.exchange.received))
                written.append((fetch.record_id, self._write_one(fetch)))
        finally:
            with self._ready:
                self.pending_bytes -= size
            if written:
                self.on_written(written)

    def _write_one(self, fetch: Fetch) -> Location | None:
        find = self.revisits.get if self.revisits is not None else _nothing
        built = self.files.maker.build(fetch, find)
        if built is None:
            logger.debug("no complete response head to record for %s", fetch.url)
            return None
        head = built.records[0].http_headers
        location = self.files.write(built, head.get_header("Content-Type") if head else None)
        self.written += 1
        self.revisit_count += built.revisit
        if built.dedupable and built.digest and self.revisits is not None:
            self.revisits.add(built.digest, Original(built.uri, built.date, fetch.record_id))
        return location

    def _fail(self, exc: Exception) -> None:
        message = f"{type(exc).__name__}: {exc}"
        logger.error("WARC writing failed: %s", message)
        with self._ready:
            self.failed = message
            self._queue.clear()
            self.pending_bytes = 0
        self.on_error(message)


def _nothing(digest: str) -> Original | None:
    return None
