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
  date, else the payload digest); a 304 revisit takes the original's status and headers;
- a redirect (3xx with ``Location``) is remembered, so the page it leads to carries the
  URL first asked for, as a crawl's page does;
- a file that ends in the middle of a record, or is not a WARC at all, stops there: the
  reader yields a :class:`Stopped` saying where and goes on with the next file.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from warcio.recordloader import ArcWarcRecord

logger = logging.getLogger(__name__)

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
        data = self._read(limit)
        if self._end is not None:
            length, self.truncated = self._end()
            self.where = Where(self.where.file, self.where.offset, length)
        return data

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(frozen=True, slots=True)
class Stopped:
    """A file read no further: where and why."""

    file: str
    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is no page: ``reason`` is ``not_response``, ``not_http``,
    ``revisit_unresolved``."""

    reason: str


def record_date(record: ArcWarcRecord) -> datetime:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        moment: datetime = iso_date_to_datetime(value)
    except (ValueError, TypeError):
        return datetime.fromtimestamp(0, UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def first_date(file: str) -> datetime | None:
    """The ``WARC-Date`` of a file's first record (a WARC's ``warcinfo``, an ARC's
    ``filedesc``): when the file was begun. None when it cannot be read or has none."""
    try:
        with open(file, "rb") as fh:
            for record in ArchiveIterator(fh, arc2warc=True):
                has_date = bool(record.rec_headers.get_header("WARC-Date"))
                return record_date(record) if has_date else None
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
            iterator = ArchiveIterator(fh, arc2warc=True)
            offset = 0
            try:
                for record in iterator:
                    offset = iterator.offset
                    yield self._one(file, iterator, record, wanted)
                    if _ended_inside(iterator, record):
                        yield Stopped(file, offset, "the file ends inside this record")
                        return
                    offset = iterator.offset
            except Exception as exc:
                yield Stopped(file, offset, f"{type(exc).__name__}: {exc}")

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
        if not record.http_headers or not record.http_headers.statusline:
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
            lambda: (iterator.get_record_length(), _ended_inside(iterator, record)),
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
        if status == 304:
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


def _ended_inside(iterator: ArchiveIterator, record: ArcWarcRecord) -> bool:
    """Whether the file ended before the record's declared length (read to its end)."""
    iterator.read_to_end()
    return int(getattr(record.raw_stream, "limit", 0) or 0) > 0


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
