"""The fetched pages WARC and ARC files hold, for ``newsarchive import``.

:class:`PageReader` walks files in the order given (:func:`in_time_order` puts them
oldest first; gzip-compressed record by record or not; WARC or ARC, which warcio reads
as WARC) and yields, for each HTTP response record,
a :class:`Record`: the URL, the date of the fetch, status, headers, where the record is,
and a way to read its body only once the page is kept, so that filters cost no
decompression. The body is the payload with its chunked framing undone and its content
coding (gzip, br, zstd...) kept, as a download hands it to Scrapy's middlewares: the
import decodes it with the crawl's own decompression (``crawler.spiders.imports``).

- a ``revisit`` record is resolved to the payload of the record it names, when that
  record came earlier in the same files (by ``WARC-Refers-To``, else its target URI and
  date, else the payload digest); a 304 revisit, or one with no HTTP headers, takes the
  original's status and headers;
- a redirect (3xx with ``Location``) is remembered, so the page it leads to carries the
  URL first asked for, as a crawl's page does;
- where a file is damaged (it ends inside a record, a gzip member does not decompress or
  holds more than its record, a Content-Length is wrong, it is no WARC at all) the
  reader yields a :class:`Stopped` saying where and why, and reads on from the next
  record it can read (the next gzip member, else the next ``WARC/1.x`` line), if any.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from crawler.dates import parse_date

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator

    from warcio.recordloader import ArcWarcRecord

logger = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
SCAN_BLOCK = 1 << 20
BLANK = b"\r\n\t \x00"
ENDS_INSIDE = "the file ends inside this record"
NOT_ITS_MEMBER = "the record does not fill its gzip member (a wrong Content-Length?)"
NOT_FOLLOWED = "the record is not followed by a record (a wrong Content-Length?)"
# How a file is laid out: one gzip member per record, an uncompressed WARC, or else (ARC).
GZIP, WARC, OTHER = "gzip", "warc", "other"
WHOLE_GZIP = (
    "the file is one gzip stream, not one gzip member per record: only its first record "
    "was read (`warcio recompress FILE NEW.warc.gz` makes it readable)"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Responses remembered for revisits and redirects (their locations, not their bodies).
REMEMBERED = 500_000


class BodyTooLarge(ValueError):
    """A body past the size cap once decoded."""


@dataclass(frozen=True, slots=True)
class Where:
    """A record's place: its file, offset and length (of its gzip member)."""

    file: str
    offset: int
    length: int


@dataclass(slots=True)
class Record:
    """One fetched response a WARC file holds. ``url`` is the URL first requested (the
    start of a redirect chain the files hold), ``final_url`` the record's target.

    :meth:`body` must be called, if at all, before the reader moves to the next record;
    then ``where`` has the record's length, and ``truncated`` says whether the file
    ended inside it (the body is incomplete: the reader stops there)."""

    url: str
    final_url: str
    fetched_at: datetime
    status: int
    headers: list[tuple[str, str]]
    record_id: str | None
    where: Where
    _read: Callable[[int], bytes]
    _end: Callable[[], tuple[int, bool]] | None = None
    truncated: bool = False

    def body(self, limit: int = 0) -> bytes:
        """The payload, transfer coding undone, content coding kept; BodyTooLarge past
        ``limit`` bytes (0: no limit)."""
        with quiet():
            data = self._read(limit)
            end = self._end() if self._end is not None else None
        if end is not None:
            length, self.truncated = end
            self.where = Where(self.where.file, self.where.offset, length)
        return data

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(frozen=True, slots=True)
class Stopped:
    """Where and why a file could be read no further (its reason says where the
    reading went on, if it did)."""

    file: str
    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is no page: ``reason`` is ``not_response``, ``not_http``,
    ``redirect``, ``no_date``, ``filtered``, ``revisit_unresolved``."""

    reason: str


def record_date(record: ArcWarcRecord) -> datetime | None:
    """The record's ``WARC-Date`` in UTC (by the project's one date parser: a fraction of a
    second or an offset, which some tools write, is read too); None if it has none that
    reads as a date."""
    return parse_date(record.rec_headers.get_header("WARC-Date") or "")


def first_date(file: str) -> datetime | None:
    """The ``WARC-Date`` of a file's first record (a WARC's ``warcinfo``, an ARC's
    ``filedesc``): when the file was begun. None when it cannot be read or has none."""
    try:
        with open(file, "rb") as fh:
            for record in ArchiveIterator(fh, arc2warc=True):
                return record_date(record)
    except Exception:  # not a WARC, unreadable: the import says so when it reads it
        return None
    return None


def in_time_order(files: Iterable[str]) -> list[str]:
    """``files`` oldest first, by the date of their first record, so that an older
    capture of a page is read before a newer one (its versions follow the fetches) and
    a revisit comes after the record it names. Files of one date keep the order given;
    files with no readable date come last."""
    dated = [(first_date(file), index, file) for index, file in enumerate(files)]
    latest = datetime.max.replace(tzinfo=UTC)
    return [file for date, _, file in sorted(dated, key=lambda d: (d[0] or latest, d[1]))]


def _headers(record: ArcWarcRecord) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in record.http_headers.headers]


def _has_http(record: ArcWarcRecord) -> bool:
    return bool(record.http_headers and record.http_headers.statusline)


def _status(record: ArcWarcRecord) -> int:
    code = record.http_headers.get_statuscode() if record.http_headers else None
    return int(code) if code and str(code).isdigit() else 0


def payload_stream(record: ArcWarcRecord) -> Any:
    """The record's HTTP payload with a chunked transfer coding undone and any content
    coding kept (warcio's ``content_stream`` would decode only the codings warcio knows,
    and fails on the ``brotli`` package Scrapy uses)."""
    coding = record.http_headers.get_header("Transfer-Encoding") or ""
    if coding.rsplit(",", 1)[-1].strip().lower() == "chunked":
        return ChunkedDataReader(record.raw_stream)  # falls back to the bytes if not chunked
    return record.raw_stream


def read_limited(stream: Any, limit: int) -> bytes:
    """Read a stream to its end, refusing more than ``limit`` bytes (0: no limit)."""
    data = stream.read(limit + 1) if limit else stream.read()
    if limit and len(data) > limit:
        raise BodyTooLarge(f"body larger than {limit:,} bytes")
    return bytes(data)


class PageReader:
    """Reads the response records of files; one reader for one import (revisits and
    redirects are resolved across the files it reads)."""

    def __init__(self, remembered: int = REMEMBERED) -> None:
        self.remembered = remembered
        self.by_id: OrderedDict[str, Where] = OrderedDict()
        self.by_target: OrderedDict[tuple[str, str], Where] = OrderedDict()
        self.by_digest: OrderedDict[str, Where] = OrderedDict()
        self.redirects: OrderedDict[str, str] = OrderedDict()
        self._layout = OTHER  # the file being read: GZIP (record by record), WARC or other

    def records(
        self, files: Iterable[str], wanted: Callable[[str, datetime], bool]
    ) -> Iterator[Record | Skipped | Stopped]:
        """Every response of ``files``; ``wanted(url, date)`` filters before any body is
        read (a record it refuses is yielded as ``Skipped("filtered")``)."""
        for file in files:
            yield from self._file(file, wanted)

    def _file(
        self, file: str, wanted: Callable[[str, datetime], bool]
    ) -> Iterator[Record | Skipped | Stopped]:
        try:
            fh = open(file, "rb")  # noqa: SIM115 - closed below, the generator may pause
        except OSError as exc:
            yield Stopped(file, 0, exc.strerror or str(exc))
            return
        with fh:
            if os.fstat(fh.fileno()).st_size == 0:
                yield Stopped(file, 0, "an empty file")
                return
            layout = self._layout = _layout(fh.read(5))
            start: int | None = 0
            while start is not None:
                fh.seek(start)
                damage = yield from self._records_from(file, fh, wanted, layout)
                if damage is None:
                    return
                offset, reason = damage
                start = None if reason == WHOLE_GZIP else _next_start(fh, offset, layout)
                if reason == ENDS_INSIDE and start is not None:  # a damaged gzip member
                    reason = "the record ends before its Content-Length (damaged or misdeclared)"
                if start is not None:
                    reason = f"{reason}; read on from offset {start:,}"
                yield Stopped(file, offset, reason)

    def _records_from(
        self,
        file: str,
        fh: BinaryIO,
        wanted: Callable[[str, datetime], bool],
        layout: str,
    ) -> Generator[Record | Skipped, None, tuple[int, str] | None]:
        """The records from ``fh``'s position on; returns where and why the reading
        stopped before the file's end, or None at its end."""
        iterator = ArchiveIterator(fh, arc2warc=True)
        offset = last = iterator.offset
        try:
            for record in iterator:
                offset = last = iterator.offset
                yield self._one(file, iterator, record, wanted)
                with quiet():
                    damage = _damage(iterator, record, layout)
                if damage:
                    return offset, damage
                offset = iterator.offset
        except Exception as exc:
            # Past a gzip member that held more than its record, warcio's offset is no
            # place in the file: the damage is in the last record's member.
            if layout == GZIP and not _member_at(fh, offset, at_end=True):
                offset = last
            return max(offset, 0), _reason(exc)
        return None

    def _one(
        self,
        file: str,
        iterator: ArchiveIterator,
        record: ArcWarcRecord,
        wanted: Callable[[str, datetime], bool],
    ) -> Record | Skipped:
        kind = record.rec_type
        if kind not in ("response", "revisit"):
            return Skipped("not_response")
        # A revisit's block may be empty (WARC 1.1, 6.7): it is read as its original.
        if kind == "response" and not _has_http(record):
            return Skipped("not_http")
        uri = str(record.rec_headers.get_header("WARC-Target-URI") or "")
        date = record_date(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        where = Where(file, iterator.offset, 0)
        status = _status(record)
        if kind == "response":
            self._remember(record, uri, where, record_id, status)
        if status in REDIRECT_STATUSES:
            location = record.http_headers.get_header("Location")
            if location:
                self._redirect(uri, urljoin(uri, location))
            return Skipped("redirect")
        if date is None:  # no fetch to date its capture by
            return Skipped("no_date")
        if not wanted(uri, date):
            return Skipped("filtered")
        first = self.redirects.get(uri, uri)
        if kind == "revisit":
            where = Where(file, where.offset, iterator.get_record_length())
            return self._revisit(
                record, first=first, uri=uri, date=date, record_id=record_id, where=where
            )
        return Record(
            first,
            uri,
            date,
            status,
            _headers(record),
            record_id,
            where,
            lambda limit: read_limited(payload_stream(record), limit),
            lambda: (
                iterator.get_record_length(),
                bool(_damage(iterator, record, self._layout)),
            ),
        )

    def _remember(
        self, record: ArcWarcRecord, uri: str, where: Where, record_id: str | None, status: int
    ) -> None:
        if record_id:
            _put(self.by_id, record_id, where, self.remembered)
        date = record.rec_headers.get_header("WARC-Date") or ""
        _put(self.by_target, (uri, date[:19]), where, self.remembered)
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        if digest and 200 <= status < 300:
            _put(self.by_digest, digest, where, self.remembered)

    def _redirect(self, source: str, target: str) -> None:
        if target != source:
            _put(self.redirects, target, self.redirects.get(source, source), self.remembered)

    def _revisit(
        self,
        record: ArcWarcRecord,
        *,
        first: str,
        uri: str,
        date: datetime,
        record_id: str | None,
        where: Where,
    ) -> Record | Skipped:
        headers = record.rec_headers
        original = None
        refers_to = headers.get_header("WARC-Refers-To")
        if refers_to:
            original = self.by_id.get(refers_to)
        target, when = (
            headers.get_header("WARC-Refers-To-Target-URI"),
            headers.get_header("WARC-Refers-To-Date"),
        )
        if original is None and target and when:
            original = self.by_target.get((target, when[:19]))
        digest = headers.get_header("WARC-Payload-Digest")
        if original is None and digest:
            original = self.by_digest.get(digest)
        if original is None:
            return Skipped("revisit_unresolved")
        status = _status(record)
        found = _read_original(original)
        if found is None:
            return Skipped("revisit_unresolved")
        original_status, original_headers = found
        if status == 304 or not _has_http(record):
            status, own = original_status, original_headers
        else:  # the payload is the original's, and so are its codings
            own = [*_without_codings(_headers(record)), *_codings(original_headers)]
        return Record(
            first,
            uri,
            date,
            status,
            own,
            record_id,
            where,
            partial(_original_body, original),
        )


CODINGS = frozenset({"content-encoding", "transfer-encoding"})


def _codings(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() in CODINGS]


def _without_codings(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() not in CODINGS]


def quiet() -> contextlib.AbstractContextManager[Any]:
    """Silences what warcio prints itself (``Error -3 while decompressing data`` for a
    damaged gzip member, then it reads on): the import says, once, where a file is damaged."""
    return contextlib.redirect_stderr(io.StringIO())


def _reason(exc: Exception) -> str:
    """Why a file could be read no further, on one line."""
    text = " ".join(str(exc).split())
    if "non-chunked gzip" in text:
        return WHOLE_GZIP
    if text.startswith("Unknown archive format"):
        return "no WARC or ARC record starts here"
    return f"{type(exc).__name__}: {text[:200]}"


def _next_start(fh: BinaryIO, after: int, layout: str) -> int | None:
    """The offset of the first readable record after ``after``: the next gzip member
    (of a file compressed record by record) or ``WARC/`` version line that warcio reads as
    a record; None if there is none."""
    marker = GZIP_MAGIC + b"\x08" if layout == GZIP else b"WARC/1."
    position = after + 1
    while (found := _find(fh, marker, position)) is not None:
        if _readable_at(fh, found):
            return found
        position = found + 1
    return None


def _find(fh: BinaryIO, marker: bytes, position: int) -> int | None:
    fh.seek(position)
    tail = b""
    while block := fh.read(SCAN_BLOCK):
        data = tail + block
        at = data.find(marker)
        if at >= 0:
            return position - len(tail) + at
        position += len(block)
        tail = data[-(len(marker) - 1) :]
    return None


def _member_at(fh: BinaryIO, offset: int, *, at_end: bool = False) -> bool:
    """Whether a gzip member starts at ``offset`` (or, ``at_end``, nothing but blank
    bytes follow: the file's end, padded or not); the file's position is kept."""
    head = _head_at(fh, offset)
    return head.startswith(GZIP_MAGIC + b"\x08") or (at_end and not head.strip(BLANK))


def _readable_at(fh: BinaryIO, offset: int) -> bool:
    """Whether a record whose headers warcio parses starts at ``offset``."""
    fh.seek(offset)
    with quiet():
        try:
            next(iter(ArchiveIterator(fh, arc2warc=True)))
        except Exception:  # not a record: the search goes on
            return False
    return True


def _damage(iterator: ArchiveIterator, record: ArcWarcRecord, layout: str) -> str | None:
    """Why a record (read to its end) is incomplete, or None: the file ended before its
    declared length, or what follows that length is neither the file's end nor the next
    record (its gzip member holds more; the next line is no ``WARC/`` line)."""
    iterator.read_to_end()
    if int(getattr(record.raw_stream, "limit", 0) or 0) > 0:
        return ENDS_INSIDE
    if layout == GZIP and not _member_at(iterator.fh, iterator.offset, at_end=True):
        return NOT_ITS_MEMBER
    if layout == WARC:
        head = _head_at(iterator.fh, iterator.offset)
        if head.strip(BLANK) and not head.startswith(b"WARC/"):
            return NOT_FOLLOWED
    return None


def _layout(head: bytes) -> str:
    if head.startswith(GZIP_MAGIC):
        return GZIP
    return WARC if head.startswith(b"WARC/") else OTHER


def _head_at(fh: BinaryIO, offset: int) -> bytes:
    """The first bytes from ``offset`` on; the file's position is kept."""
    position = fh.tell()
    fh.seek(max(offset, 0))
    head = fh.read(64)
    fh.seek(position)
    return head


def _put(table: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    table[key] = value
    table.move_to_end(key)
    while len(table) > size:
        table.popitem(last=False)


@contextlib.contextmanager
def _record_at(where: Where) -> Iterator[ArcWarcRecord]:
    with open(where.file, "rb") as fh:
        yield _first_record(fh, where.offset)


def _first_record(fh: BinaryIO, offset: int) -> ArcWarcRecord:
    fh.seek(offset)
    return next(iter(ArchiveIterator(fh, arc2warc=True)))


def _read_original(where: Where) -> tuple[int, list[tuple[str, str]]] | None:
    try:
        with _record_at(where) as record:
            return _status(record), _headers(record)
    except Exception as exc:
        logger.warning("cannot read the record at %s:%d: %s", where.file, where.offset, exc)
        return None


def _original_body(where: Where, limit: int) -> bytes:
    with _record_at(where) as record:
        return read_limited(payload_stream(record), limit)
