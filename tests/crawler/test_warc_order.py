"""`newsarchive import` reads files oldest first, by the date of their first record,
whatever order they are named in (files written by warcio's own writer)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc.reader import first_date, in_time_order


def warc_file(path: Path, begun: str) -> str:
    """A WARC file whose warcinfo (its first record) is dated ``begun``, and one page."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(path.name, {"software": "a test"})
        info.rec_headers.replace_header("WARC-Date", begun)
        writer.write_record(info)
        body = b"<html><title>t</title><p>a page</p></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = writer.create_warc_record(
            "http://127.0.0.9/a/", "response", payload=BytesIO(body), http_headers=headers
        )
        writer.write_record(page)
    return str(path)


def test_files_are_read_oldest_first_whatever_their_names(tmp_path):
    march = warc_file(tmp_path / "a-crawl.warc.gz", "2024-03-01T10:00:00Z")
    january = warc_file(tmp_path / "z-crawl.warc.gz", "2024-01-15T08:30:00Z")
    february = warc_file(tmp_path / "m-crawl.warc.gz", "2024-02-01T00:00:00Z")
    assert first_date(january) == datetime(2024, 1, 15, 8, 30, tzinfo=UTC)
    assert in_time_order([march, january, february]) == [january, february, march]


def test_files_of_one_date_keep_their_order_and_unreadable_ones_come_last(tmp_path):
    one = warc_file(tmp_path / "one.warc.gz", "2024-01-01T00:00:00Z")
    two = warc_file(tmp_path / "two.warc.gz", "2024-01-01T00:00:00Z")
    older = warc_file(tmp_path / "older.warc.gz", "2023-12-31T23:59:59Z")
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"\x1f\x8b" + b"garbage" * 10)  # a gzip magic and nothing readable
    assert first_date(str(junk)) is None
    assert in_time_order([str(junk), two, one, older]) == [older, two, one, str(junk)]
