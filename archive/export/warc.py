"""A WARC 1.1 reconstruction, through warcio, of the raw captures the archive keeps.

This is not evidence as received: the archive stores bodies decoded and headers as the
crawler parsed them, so the records below are rebuilt from those (a status line made
from the stored status, headers fixed for the decoded body). A crawl with ``--warc DIR``
writes the real thing at fetch time (``crawler/extensions/warc.py``); use those files
for preservation and replay, and this export to hand a subset of articles to a tool
that reads WARC.

For each selected article, oldest capture first:

- a ``response`` record: the page's status line, original headers and body, with
  the stored ``WARC-Payload-Digest`` (``sha1:`` + base32, as the archive computes it);
- a ``revisit`` record (profile identical-payload-digest, ``WARC-Refers-To`` the first
  record) instead, when a later capture of the article has a payload identical to an
  earlier one;
- a ``revisit`` record for each other URL the article was reached under
  (``article_urls``: same-site aliases, redirect sources, the canonical URL) that has
  no capture of its own: an unchanged or same-text page is not stored twice, so this
  is how the archive says "this URL served this article", and how replay tools find
  the capture from the alias. Its date is when the alias was first seen; it refers
  to the capture current at that time;
- a ``metadata`` record (``WARC-Concurrent-To`` the record above) with the archive's
  ids: ``article-id``, ``capture-id``, ``crawl-run-id``, ``article-version``, ``site``,
  and the URL requested when it differs (a redirect).

The crawler stores bodies decoded (gzip, chunked transfer undone), so a header that
would make a reader decode them again (``Content-Encoding``, ``Transfer-Encoding``) or
that no longer matches (``Content-Length``) is kept under ``X-Archive-Orig-<name>``
and, for the length, replaced by the true one: the block then is exactly what a
replay tool should serve. A ``.warc`` path is written uncompressed, any other
gzip-compressed record by record (``.warc.gz``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from archive.export import Progress
    from archive.read import Archive, ArticleCaptures, ArticleFilter, CaptureDict

WARC_VERSION = "1.1"
SOFTWARE = "newsarchive 0.1 (warcio)"
# Headers describing an encoding the stored body no longer has.
DECODED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
ORIGINAL_PREFIX = "X-Archive-Orig-"


@dataclass(frozen=True, slots=True)
class Original:
    """The record a revisit refers to."""

    record_id: str
    uri: str
    date: str
    capture: CaptureDict


def warc_date(value: datetime) -> str:
    """A WARC 1.1 date: UTC, ``Z``, microseconds when there are any."""
    return str(datetime_to_iso_date(value.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def http_headers(capture: CaptureDict) -> StatusAndHeaders:
    """The capture's status line and headers, fixed for its decoded body."""
    status = capture["status"]
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    headers: list[tuple[str, str]] = []
    for name, value in capture["headers"]:
        if name.lower() in DECODED_HEADERS:
            if name.lower() != "content-length" or value != str(len(capture["body"])):
                headers.append((ORIGINAL_PREFIX + name, value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(capture["body"]))))
    return StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")


def metadata_fields(group: ArticleCaptures, capture: CaptureDict, uri: str) -> bytes:
    fields: list[tuple[str, Any]] = [
        ("article-id", group.article_id),
        ("capture-id", capture["id"]),
        ("crawl-run-id", capture["crawl_run_id"]),
        ("article-version", capture["version"]),
        ("site", group.site),
    ]
    if capture["url"] != uri:
        fields.append(("requested-url", capture["url"]))
    return "".join(f"{k}: {v}\r\n" for k, v in fields if v is not None).encode("utf-8")


class ArticleWarcWriter:
    """Writes the records of one article at a time to a warcio writer."""

    def __init__(self, out: IO[bytes], *, gzip: bool) -> None:
        self.writer = WARCWriter(out, gzip=gzip, warc_version=WARC_VERSION)

    def warcinfo(self, filename: str | None) -> None:
        info = {
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "a reconstruction of news articles' stored captures, exported from "
            "a newsarchive archive (bodies decoded; not the bytes as received)",
        }
        self.writer.write_record(self.writer.create_warcinfo_record(filename, info))

    def article(self, group: ArticleCaptures) -> None:
        by_digest: dict[str, Original] = {}
        written: list[Original] = []
        for capture in group.captures:
            uri = capture["final_url"]
            date = warc_date(capture["fetched_at"])
            original = by_digest.get(capture["payload_digest"])
            if original is None:
                record_id = self._response(capture, uri, date)
                original = by_digest[capture["payload_digest"]] = Original(
                    record_id, uri, date, capture
                )
            else:
                record_id = self._revisit(uri, date, original, capture)
            written.append(Original(original.record_id, original.uri, original.date, capture))
            self._metadata(uri, date, record_id, metadata_fields(group, capture, uri))
        self._aliases(group, written)

    def _aliases(self, group: ArticleCaptures, written: list[Original]) -> None:
        if not written:
            return
        captured = {u for o in written for u in (o.capture["url"], o.capture["final_url"])}
        for url, seen_at in group.urls:
            if url in captured:
                continue
            current = next(
                (o for o in reversed(written) if o.capture["fetched_at"] <= seen_at), written[0]
            )
            date = warc_date(seen_at)
            record_id = self._revisit(url, date, current, current.capture)
            fields = metadata_fields(group, current.capture, url) + b"alias-of: %s\r\n" % (
                current.uri.encode("utf-8")
            )
            self._metadata(url, date, record_id, fields)

    def _response(self, capture: CaptureDict, uri: str, date: str) -> str:
        body = capture["body"]
        record = self.writer.create_warc_record(
            uri,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http_headers(capture),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Payload-Digest": capture["payload_digest"],
            },
        )
        self.writer.write_record(record)
        return str(record.rec_headers.get_header("WARC-Record-ID"))

    def _revisit(self, uri: str, date: str, original: Original, capture: CaptureDict) -> str:
        record = self.writer.create_revisit_record(
            uri,
            digest=original.capture["payload_digest"],
            refers_to_uri=original.uri,
            refers_to_date=original.date,
            http_headers=http_headers(capture),
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": original.record_id},
        )
        self.writer.write_record(record)
        return str(record.rec_headers.get_header("WARC-Record-ID"))

    def _metadata(self, uri: str, date: str, concurrent_to: str, fields: bytes) -> None:
        record = self.writer.create_warc_record(
            uri,
            "metadata",
            payload=BytesIO(fields),
            length=len(fields),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )
        self.writer.write_record(record)


def write(arc: Archive, where: ArticleFilter | None, out: IO[bytes], progress: Progress) -> int:
    name = getattr(out, "name", None)
    is_path = isinstance(name, str) and not name.startswith("<")  # not <stdout>
    filename = str(name) if is_path else None
    gzip = not (filename or "").endswith(".warc")
    writer = ArticleWarcWriter(out, gzip=gzip)
    writer.warcinfo(filename.rsplit("/", 1)[-1] if filename else None)
    count = 0
    for group in arc.article_captures(where):
        writer.article(group)
        count += 1
        if count % 100 == 0:
            progress(count)
    progress(count)
    return count
