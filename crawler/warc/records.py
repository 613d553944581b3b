"""WARC/1.1 records of one fetch, built with warcio from the bytes that crossed the wire.

A fetch becomes a ``request`` record and, concurrent to it, one of:

- ``response``: the status line and headers as received (warcio would re-serialise
  them: :class:`RawHttpHeaders` keeps the bytes) and the body as sent, content-encoded
  and, for a chunked response, with its chunk framing;
- ``revisit`` with the ``identical-payload-digest`` profile, when the payload equals
  one written before (``WARC-Refers-To*`` name that record), headers only;
- ``revisit`` with the ``server-not-modified`` profile for a 304 answer to a
  conditional request, naming the earlier capture when the crawl knows it.

Digests are SHA-1 in base32, as warcio, Heritrix and warcprox write them: the block
digest over the whole HTTP message as recorded, the payload digest over the bytes after
its header block. For a chunked response those include the chunk framing: that is what
``warcio check`` verifies, and what Heritrix and warcprox record (WARC 1.1 reads the
payload as the entity with transfer coding removed; the tools never did).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date

from crawler.warc.wire import Exchange, Head, response_body, split_message

if TYPE_CHECKING:
    from collections.abc import Callable

    from warcio.recordloader import ArcWarcRecord

WARC_VERSION = "WARC/1.1"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_date(moment: datetime) -> str:
    """A WARC 1.1 date: UTC, ``Z``, with microseconds when there are any."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(naive, use_micros=True))


def sha1_digest(data: bytes) -> str:
    """``sha1:`` and the base32 SHA-1 of ``data``, as WARC digests are written."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


class RawHttpHeaders(StatusAndHeaders):  # type: ignore[misc]
    """A message's first line and headers that warcio writes back byte for byte.

    warcio rebuilds the header block from its parsed fields (``Name: value``, its own
    spacing, continuation lines joined); evidence keeps the block as received.
    """

    def __init__(self, head: Head) -> None:
        super().__init__(head.rest_of_line, list(head.headers), protocol=head.protocol)
        self.headers_buff = head.raw

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        """Keep the block as received."""


@dataclass(frozen=True, slots=True)
class Original:
    """A record a revisit can refer to: its id (when known), target URI and date."""

    uri: str
    date: str
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Fetch:
    """What the crawler hands the writer for one download: the requested URL, the
    exchange, the response record's id (chosen when the fetch is handed over, so the
    page can name it before it is written), why the response is incomplete if it is
    (``WARC-Truncated``: ``length``, ``time``, ``disconnect``), and for a 304 the
    capture it confirms."""

    url: str
    exchange: Exchange
    record_id: str
    truncated: str | None = None
    not_modified: Original | None = None


@dataclass(frozen=True, slots=True)
class Built:
    """A fetch's records, ready to write: the response (or revisit) first, then the
    request; and what the index and the revisit decision need to know of them."""

    records: list[ArcWarcRecord]
    uri: str
    date: str
    status: int
    mime: str
    digest: str | None
    revisit: bool
    # a complete 2xx response with a body, written in full: later ones may refer to it
    dedupable: bool


def _nothing(digest: str) -> Original | None:
    return None


def make_record_id() -> str:
    return str(StatusAndHeadersParser.make_warc_id())


class RecordMaker:
    """Builds the warcio records of fetches."""

    def __init__(self) -> None:
        self.builder = RecordBuilder(warc_version=WARC_VERSION)

    def build(
        self, fetch: Fetch, find_original: Callable[[str], Original | None] = _nothing
    ) -> Built | None:
        """The records of ``fetch`` (None if no complete response head arrived).
        ``find_original(digest)`` names an earlier record with the same payload, if the
        writer knows one: the fetch is then written as a revisit of it."""
        message = split_message(fetch.exchange.response_bytes())
        if message is None:
            return None
        head, rest = message
        request = split_message(fetch.exchange.request_bytes())
        method = request[0].protocol if request else "GET"
        body = response_body(head, rest, method=method)
        date = warc_date(fetch.exchange.started)
        common = {"WARC-Date": date}
        if fetch.exchange.ip:
            common["WARC-IP-Address"] = fetch.exchange.ip
        payload = sha1_digest(body)
        dedupable = bool(body) and not fetch.truncated and 200 <= head.status < 300
        original = find_original(payload) if dedupable else None
        digest: str | None = payload
        if head.status == 304:
            response = self._not_modified(fetch, head, common)
            digest = None
        elif original is not None:
            response = self._revisit(fetch, head, payload, original, common)
        else:
            response = self._response(fetch, head, body, payload, common)
        records = [response]
        if request is not None:
            records.append(self._request(fetch, *request, common))
        return Built(
            records,
            fetch.url,
            date,
            head.status,
            head.mime,
            digest,
            revisit=head.status == 304 or original is not None,
            dedupable=dedupable and original is None,
        )

    def _response(
        self, fetch: Fetch, head: Head, body: bytes, digest: str, common: dict[str, str]
    ) -> ArcWarcRecord:
        headers = {
            **common,
            "WARC-Record-ID": fetch.record_id,
            "WARC-Payload-Digest": digest,
            "WARC-Block-Digest": sha1_digest(head.raw + body),
        }
        if fetch.truncated:
            headers["WARC-Truncated"] = fetch.truncated
        return self.builder.create_warc_record(
            fetch.url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=RawHttpHeaders(head),
            warc_headers_dict=headers,
        )

    def _revisit(
        self, fetch: Fetch, head: Head, digest: str, original: Original, common: dict[str, str]
    ) -> ArcWarcRecord:
        headers = {
            **common,
            "WARC-Record-ID": fetch.record_id,
            "WARC-Block-Digest": sha1_digest(head.raw),
        }
        if original.record_id:
            headers["WARC-Refers-To"] = original.record_id
        return self.builder.create_revisit_record(
            fetch.url,
            digest,
            original.uri,
            original.date,
            http_headers=RawHttpHeaders(head),
            warc_headers_dict=headers,
        )

    def _not_modified(self, fetch: Fetch, head: Head, common: dict[str, str]) -> ArcWarcRecord:
        headers = {
            **common,
            "WARC-Record-ID": fetch.record_id,
            "WARC-Profile": SERVER_NOT_MODIFIED,
            "WARC-Block-Digest": sha1_digest(head.raw),
        }
        earlier = fetch.not_modified
        if earlier is not None:
            headers["WARC-Refers-To-Target-URI"] = earlier.uri
            headers["WARC-Refers-To-Date"] = earlier.date
            if earlier.record_id:
                headers["WARC-Refers-To"] = earlier.record_id
        return self.builder.create_warc_record(
            fetch.url, "revisit", http_headers=RawHttpHeaders(head), warc_headers_dict=headers
        )

    def _request(
        self, fetch: Fetch, head: Head, body: bytes, common: dict[str, str]
    ) -> ArcWarcRecord:
        headers = {
            **common,
            "WARC-Concurrent-To": fetch.record_id,
            "WARC-Block-Digest": sha1_digest(head.raw + body),
        }
        return self.builder.create_warc_record(
            fetch.url,
            "request",
            payload=BytesIO(body),
            length=len(body),
            http_headers=RawHttpHeaders(head),
            warc_headers_dict=headers,
        )

    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        return self.builder.create_warcinfo_record(filename, info)
