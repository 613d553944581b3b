"""WARC writing without a crawl: records from recorded exchanges, files, indexes, revisits."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

from crawler.warc.files import INDEX_SUFFIX, OPEN_SUFFIX, WarcFiles, index_path
from crawler.warc.records import (
    IDENTICAL_PAYLOAD,
    SERVER_NOT_MODIFIED,
    Fetch,
    Original,
    make_record_id,
    sha1_digest,
)
from crawler.warc.wire import Exchange
from crawler.warc.writer import DigestIndex, WarcWriterThread
from tests.support.warcs import record_at, records, warcio

WHEN = datetime(2024, 5, 12, 6, 30, 1, 250000, tzinfo=UTC)
BODY = gzip.compress(b"<html><body><p>The harbour story.</p></body></html>", mtime=0)


def head_for(body: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\n"
        b"content-type: text/html; charset=utf-8\r\n"
        b"Content-Encoding: gzip\r\n"
        b"X-MiXeD:   spaced value\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )


HEAD = head_for(BODY)
REQUEST = b"GET /story/ HTTP/1.1\r\nHost: 127.0.0.2:8080\r\nAccept-Encoding: gzip\r\n\r\n"


def exchange(head: bytes | None = None, body: bytes = BODY, *, split: int = 7) -> Exchange:
    data = (head or head_for(body)) + body
    return Exchange(
        WHEN,
        "127.0.0.2",
        sent=[REQUEST[:10], REQUEST[10:]],
        received=[data[i : i + split] for i in range(0, len(data), split)],
    )


def fetch(url: str = "http://127.0.0.2:8080/story/", **kwargs) -> Fetch:
    ex = kwargs.pop("ex", None) or exchange()
    return Fetch(url, ex, make_record_id(), **kwargs)


class Written:
    """A writer thread over a folder, run to the end on a list of fetches."""

    def __init__(self, folder: Path, fetches: list[Fetch], **options) -> None:
        self.locations: dict[str, object] = {}
        self.errors: list[str] = []
        revisits = options.pop("revisits", DigestIndex())
        files = WarcFiles(folder, info=lambda: {"software": "test"}, host="testhost", **options)
        thread = WarcWriterThread(
            files,
            on_written=self.locations.update,
            on_error=self.errors.append,
            revisits=revisits,
        )
        thread.start()
        for one in fetches:
            thread.put(one)
        thread.stop()
        thread.join(10)
        self.thread = thread
        self.files = files


def test_a_response_record_holds_the_bytes_as_received(tmp_path):
    one = fetch()
    written = Written(tmp_path, [one])
    location = written.locations[one.record_id]
    headers, block = record_at(location.path, location.offset)
    assert block == HEAD + BODY
    assert headers["warc-type"] == "response"
    assert headers["warc-record-id"] == one.record_id
    assert headers["warc-target-uri"] == "http://127.0.0.2:8080/story/"
    assert headers["warc-date"] == "2024-05-12T06:30:01.250000Z"
    assert headers["warc-ip-address"] == "127.0.0.2"
    assert headers["warc-payload-digest"] == sha1_digest(BODY)
    assert headers["warc-block-digest"] == sha1_digest(HEAD + BODY)
    assert headers["content-type"] == "application/http; msgtype=response"
    request = next(r for r in records(location.path) if r["type"] == "request")
    assert request["block"] == REQUEST
    assert request["headers"]["warc-concurrent-to"] == one.record_id
    assert request["headers"]["warc-date"] == headers["warc-date"]
    check = warcio("check", "-v", location.path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout


def test_a_chunked_response_keeps_its_framing_and_passes_warcio_check(tmp_path):
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
    body = b"5\r\nhello\r\n0\r\n\r\n"
    one = fetch(ex=exchange(head, body))
    written = Written(tmp_path, [one])
    location = written.locations[one.record_id]
    assert record_at(location.path, location.offset)[1] == head + body
    assert warcio("check", location.path).returncode == 0


def test_the_same_payload_again_is_a_revisit_of_the_first(tmp_path):
    first, second = fetch(), fetch("http://127.0.0.2:8080/story/?p=1")
    written = Written(tmp_path, [first, second])
    original = written.locations[first.record_id]
    headers, block = record_at(original.path, written.locations[second.record_id].offset)
    assert headers["warc-type"] == "revisit"
    assert headers["warc-profile"] == IDENTICAL_PAYLOAD
    assert headers["warc-refers-to"] == first.record_id
    assert headers["warc-refers-to-target-uri"] == "http://127.0.0.2:8080/story/"
    assert headers["warc-refers-to-date"] == "2024-05-12T06:30:01.250000Z"
    assert headers["warc-payload-digest"] == sha1_digest(BODY)
    assert block == HEAD  # headers as received, no payload
    assert written.thread.revisit_count == 1


def test_errors_and_empty_bodies_are_never_revisits(tmp_path):
    head = b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n"
    missing = [fetch(ex=exchange(head, b"not found\n")) for _ in range(2)]
    empty_head = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /x/\r\nContent-Length: 0\r\n\r\n"
    moved = [fetch(ex=exchange(empty_head, b"")) for _ in range(2)]
    written = Written(tmp_path, [*missing, *moved])
    path = written.files.closed[0]
    assert [r["type"] for r in records(path) if r["type"] != "request"][1:] == ["response"] * 4


def test_a_304_is_a_server_not_modified_revisit_naming_the_capture_it_confirms(tmp_path):
    head = b'HTTP/1.1 304 Not Modified\r\nETag: "abc"\r\n\r\n'
    earlier = Original("http://127.0.0.2:8080/story/", "2024-05-01T00:00:00Z", "<urn:uuid:x>")
    one = fetch(ex=exchange(head, b""), not_modified=earlier)
    written = Written(tmp_path, [one])
    location = written.locations[one.record_id]
    headers, block = record_at(location.path, location.offset)
    assert headers["warc-type"] == "revisit"
    assert headers["warc-profile"] == SERVER_NOT_MODIFIED
    assert headers["warc-refers-to-target-uri"] == earlier.uri
    assert headers["warc-refers-to-date"] == earlier.date
    assert headers["warc-refers-to"] == earlier.record_id
    assert block == head


def test_a_truncated_download_is_marked(tmp_path):
    one = fetch(ex=exchange(HEAD, BODY[:10]), truncated="length")
    written = Written(tmp_path, [one])
    location = written.locations[one.record_id]
    headers, block = record_at(location.path, location.offset)
    assert headers["warc-truncated"] == "length"
    assert block == HEAD + BODY[:10]


def test_files_rotate_at_their_size_and_each_closed_file_has_a_sorted_index(tmp_path):
    fetches = [
        fetch(f"http://127.0.0.2:8080/{n}/", ex=exchange(body=BODY + bytes([n]))) for n in range(6)
    ]
    written = Written(tmp_path, fetches, max_size=1500, prefix="news")
    closed = written.files.closed
    assert len(closed) >= 3
    assert not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    for path in closed:
        assert re.fullmatch(r"news-\d{20}-\d{5}-testhost\.warc\.gz", path.name)
        assert warcio("check", str(path)).returncode == 0
        assert records(path)[0]["type"] == "warcinfo"
        lines = index_path(path).read_text().splitlines()
        assert lines == sorted(lines)
        for line in lines:
            key, stamp, fields = line.split(" ", 2)
            entry = json.loads(fields)
            assert stamp == "20240512063001"
            assert entry["filename"] == path.name
            assert entry["status"] == "200" and entry["mime"] == "text/html"
            headers, _ = record_at(path, int(entry["offset"]))
            assert headers["warc-target-uri"] == entry["url"]
            assert key.startswith("2,0,0,127:8080)/")
    listed = {
        json.loads(line.split(" ", 2)[2])["url"]
        for p in closed
        for line in index_path(p).read_text().splitlines()
    }
    assert listed == {f.url for f in fetches}


def test_a_file_is_written_under_an_open_name_until_closed(tmp_path):
    files = WarcFiles(tmp_path, info=lambda: {}, host="h")
    from crawler.warc.records import RecordMaker

    built = RecordMaker().build(fetch())
    location = files.write(built, "text/html")
    assert location.path == str(files.current)
    assert Path(location.path + OPEN_SUFFIX).exists() and not Path(location.path).exists()
    files.close()
    assert Path(location.path).exists() and index_path(Path(location.path)).exists()


def test_a_later_writer_revisits_payloads_listed_by_the_folders_indexes(tmp_path):
    first = fetch()
    Written(tmp_path, [first])
    index = DigestIndex()
    assert index.load(tmp_path) == 1
    again = fetch(ex=exchange())
    written = Written(tmp_path, [again], revisits=index)
    location = written.locations[again.record_id]
    headers, _ = record_at(location.path, location.offset)
    assert headers["warc-type"] == "revisit"
    assert headers["warc-refers-to-target-uri"] == first.url
    assert headers["warc-refers-to-date"] == "2024-05-12T06:30:01Z"


def test_an_exchange_without_a_complete_head_writes_nothing(tmp_path):
    broken = fetch(ex=Exchange(WHEN, None, sent=[REQUEST], received=[b"HTTP/1.1 200 OK\r\nX: y"]))
    written = Written(tmp_path, [broken, fetch()])
    assert written.locations[broken.record_id] is None  # reported, so no one waits for it
    assert sum(1 for where in written.locations.values() if where) == 1


def test_a_write_failure_is_reported_once_and_stops_writing(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    written = Written(blocker / "warcs", [fetch(), fetch()])
    assert len(written.errors) == 1
    assert not any(written.locations.values())
    assert written.thread.failed


def test_a_killed_writer_leaves_the_open_file_readable_up_to_its_last_whole_record(tmp_path):
    files = WarcFiles(tmp_path, info=lambda: {}, host="h")
    from crawler.warc.records import RecordMaker

    maker = RecordMaker()
    for n in range(3):
        files.write(maker.build(fetch(f"http://127.0.0.2:8080/{n}/")), "text/html")
    open_file = Path(f"{files.current}{OPEN_SUFFIX}")
    data = open_file.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 50])  # the last member half written
    from warcio.archiveiterator import ArchiveIterator

    seen = []
    with cut.open("rb") as fh, contextlib.suppress(Exception):  # the cut member: any error
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            seen.append(record.rec_type)
    assert seen[:6] == ["warcinfo", "response", "request", "response", "request", "response"]
    assert not list(tmp_path.glob(f"*{INDEX_SUFFIX}"))


def test_the_writer_thread_takes_fetches_from_other_threads(tmp_path):
    fetches = [
        fetch(f"http://127.0.0.2:8080/{n}/", ex=exchange(body=BODY + bytes([n]))) for n in range(40)
    ]
    files = WarcFiles(tmp_path, info=lambda: {}, host="h")
    done: dict[str, object] = {}
    thread = WarcWriterThread(files, on_written=done.update, on_error=print)
    thread.start()
    putters = [
        threading.Thread(target=lambda part=part: [thread.put(f) for f in part])
        for part in (fetches[:20], fetches[20:])
    ]
    for putter in putters:
        putter.start()
    for putter in putters:
        putter.join()
    thread.stop()
    thread.join(10)
    assert set(done) == {f.record_id for f in fetches}
    assert thread.pending_bytes == 0
