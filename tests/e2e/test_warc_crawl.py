"""End to end: `newsarchive crawl --warc` writes what the servers sent, as they sent it.

The fixture sites are crawled once with ``--warc`` and again (an incremental re-crawl)
into the same folder. The mock server keeps the exact bytes of each response it sends
(``/__control__/raw``), so the records can be compared with them byte for byte: status
line, headers in their case and order, and the body as sent (blog's posts include a
gzip-encoded response and a chunked one, with mixed-case header names).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.warc.files import INDEX_SUFFIX, OPEN_SUFFIX
from crawler.warc.records import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED
from tests.support.cli import ROOT, SITES_DIR, MockServer, cli_env, run_cli
from tests.support.warcs import record_at, records, warcio

pytestmark = pytest.mark.slow

EXPECTED: dict[str, Any] = json.loads((SITES_DIR / "expected.json").read_text(encoding="utf-8"))


def starts(server: MockServer) -> list[str]:
    """Every site's start, and a redirect and a missing page: their answers are recorded too."""
    extra = [("news", "/2024/05/08/battery-plant-opens/"), ("news", "/no-such-page/")]
    return [server.url(site, path) for site, path in [*EXPECTED["starts"].items(), *extra]]


def responses(paths: list[Path]) -> list[dict[str, Any]]:
    """The response and revisit records of the files, with their file."""
    found = []
    for path in paths:
        for record in records(path):
            if record["type"] in ("response", "revisit"):
                found.append({**record, "path": path})
    return found


@pytest.fixture(scope="module")
def crawled(mockserver: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("warc-crawl")
    mockserver.reset()
    first = run_cli("crawl", *starts(mockserver), "--warc", "warcs", cwd=workdir)
    first_files = sorted((workdir / "warcs").glob("*.warc.gz"))
    log = mockserver.log()
    raw = {
        (site, path): mockserver.raw(site, path)
        for site, paths in log.items()
        for path, entry in paths.items()
        if entry["count"] == 1
    }
    show = run_cli("show", mockserver.url("blog", "/posts/night-trains-are-back/"), cwd=workdir)
    second = run_cli("crawl", *starts(mockserver), "--warc", "warcs", cwd=workdir)
    all_files = sorted((workdir / "warcs").glob("*.warc.gz"))
    return {
        "workdir": workdir,
        "first": first,
        "second": second,
        "first_files": first_files,
        "second_files": [p for p in all_files if p not in first_files],
        "raw": raw,
        "show": show,
    }


def test_both_crawls_finish_and_close_their_files(crawled):
    for run in (crawled["first"], crawled["second"]):
        assert run.returncode == 0, run.stderr
    assert crawled["first_files"] and crawled["second_files"]
    assert not list((crawled["workdir"] / "warcs").glob(f"*{OPEN_SUFFIX}"))


def test_every_file_passes_warcio_check_and_index(crawled):
    for path in crawled["first_files"] + crawled["second_files"]:
        check = warcio("check", "-v", str(path))
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout
        index = warcio("index", str(path))
        assert index.returncode == 0, index.stderr
        lines = [json.loads(line) for line in index.stdout.splitlines()]
        assert lines[0]["warc-type"] == "warcinfo"
        assert len(lines) == len(records(path))
        cdxj = path.with_name(path.name.removesuffix(".warc.gz") + INDEX_SUFFIX)
        listed = sum(1 for line in lines if line["warc-type"] in ("response", "revisit"))
        assert len(cdxj.read_text().splitlines()) == listed


def test_the_crawl_asks_only_for_codings_that_warc_readers_decode(crawled):
    """Not zstd, which warcio cannot decode and pywb would replay as binary; the news
    site's central bank story is served zstd-encoded to a client that asks for it."""
    requests = [r for p in crawled["first_files"] for r in records(p) if r["type"] == "request"]
    asked = {
        line.split(b":", 1)[1].strip()
        for r in requests
        for line in r["block"].split(b"\r\n")
        if line.lower().startswith(b"accept-encoding:")
    }
    assert asked == {b"gzip, deflate, br"}
    story = [
        r
        for r in responses(crawled["first_files"])
        if r["headers"]["warc-target-uri"].endswith("/2024/05/10/central-bank-holds-rates/")
    ]
    assert story and all(b"Content-Encoding" not in r["block"].split(b"\r\n\r\n")[0] for r in story)


def test_each_file_opens_with_a_warcinfo_naming_the_software_and_the_crawl_run(crawled):
    path = crawled["first_files"][0]
    info = records(path)[0]["block"].decode()
    assert "software: newsarchive/" in info and "warcio/" in info
    assert "isPartOf: newsarchive crawl run 1" in info
    assert "WARC File Format 1.1" in info


def test_every_response_is_the_bytes_the_server_sent(crawled, mockserver):
    site_of_origin = {urlsplit(origin).netloc: site for site, origin in mockserver.sites.items()}
    compared = 0
    kinds: set[str] = set()
    for record in responses(crawled["first_files"]):
        if record["type"] != "response":
            continue
        parts = urlsplit(record["headers"]["warc-target-uri"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        sent = crawled["raw"].get((site_of_origin[parts.netloc], path))
        if sent is None:  # fetched more than once: the server kept the last only
            continue
        assert record["block"] == sent, record["headers"]["warc-target-uri"]
        compared += 1
        status = sent.split(b" ", 2)[1]
        kinds.add(status.decode())
        if b"Content-Encoding: gzip" in sent:
            kinds.add("gzip")
        if b"Transfer-Encoding: chunked" in sent:
            kinds.add("chunked")
    assert compared >= 40
    assert {"200", "301", "404", "gzip", "chunked"} <= kinds


def test_header_names_keep_their_case_and_the_gzip_body_stays_encoded(crawled, mockserver):
    url = mockserver.url("blog", "/posts/night-trains-are-back/")
    record = next(
        r for r in responses(crawled["first_files"]) if r["headers"]["warc-target-uri"] == url
    )
    head, _, body = record["block"].partition(b"\r\n\r\n")
    assert b"\r\ncache-CONTROL: max-age=60\r\n" in head
    assert b"\r\nx-lower: yes\r\n" in head
    assert b"\r\nContent-Encoding: gzip\r\n" in head
    assert body[:2] == b"\x1f\x8b"
    assert record["headers"]["warc-ip-address"] == "127.0.0.5"


def test_requests_are_recorded_beside_their_responses(crawled):
    path = crawled["first_files"][0]
    found = records(path)
    ids = {r["headers"]["warc-record-id"] for r in found if r["type"] in ("response", "revisit")}
    requests = [r for r in found if r["type"] == "request"]
    assert requests
    for request in requests:
        assert request["headers"]["warc-concurrent-to"] in ids
        assert request["block"].startswith(b"GET ")
        assert b"\r\nUser-Agent: newsarchive/" in request["block"]


def test_each_article_capture_points_at_its_response_record(crawled):
    """...or at the revisit record of its fetch, when the payload was written before (the
    same page under another URL), naming a response the files hold."""
    written = {
        r["headers"]["warc-record-id"]: r
        for r in responses(crawled["first_files"])
        if r["type"] == "response"
    }
    db = crawled["workdir"] / "archive.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT final_url, warc_file, warc_offset, warc_length, warc_record_id FROM captures"
        ).fetchall()
    assert len(rows) >= 20
    for final_url, warc_file, offset, length, record_id in rows:
        assert warc_file and Path(warc_file).is_file(), final_url
        headers, _ = record_at(warc_file, offset)
        assert headers["warc-record-id"] == record_id
        assert headers["warc-target-uri"] == final_url
        if headers["warc-type"] == "revisit":
            assert headers["warc-profile"] == IDENTICAL_PAYLOAD
            assert headers["warc-refers-to"] in written
        else:
            assert headers["warc-type"] == "response"
        assert length > 0


def test_show_says_where_the_evidence_is(crawled):
    show = crawled["show"]
    assert show.returncode == 0, show.stderr
    line = next(x for x in show.stdout.splitlines() if x.strip().startswith("evidence"))
    assert ".warc.gz at offset " in line and "(record <urn:uuid:" in line


def test_a_recrawl_writes_revisits_of_the_first_crawls_records(crawled):
    first_ids = {
        r["headers"]["warc-record-id"]: r["headers"]["warc-target-uri"]
        for r in responses(crawled["first_files"])
    }
    again = responses(crawled["second_files"])
    not_modified = [r for r in again if r["headers"].get("warc-profile") == SERVER_NOT_MODIFIED]
    identical = [r for r in again if r["headers"].get("warc-profile") == IDENTICAL_PAYLOAD]
    assert not_modified, "the re-crawl's 304s"
    for record in not_modified:
        assert record["block"].startswith(b"HTTP/1.0 304") or record["block"].startswith(
            b"HTTP/1.1 304"
        )
        refers = record["headers"]["warc-refers-to"]
        assert first_ids[refers] == record["headers"]["warc-refers-to-target-uri"]
    assert identical, "unchanged robots.txt, sitemaps and feeds"
    for record in identical:
        target = record["headers"]["warc-refers-to-target-uri"]
        assert target in first_ids.values() or target in {
            r["headers"]["warc-target-uri"] for r in again
        }


def test_a_killed_crawl_leaves_valid_closed_files_and_a_readable_open_one(mockserver, tmp_path):
    warcs = tmp_path / "warcs"
    command = [sys.executable, "-m", "crawler.cli", "crawl", *starts(mockserver)]
    command += ["--warc", str(warcs), "-s", "WARC_MAX_SIZE=20000", "-s", "DOWNLOAD_DELAY=0.2"]
    command += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=cli_env(PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        # Two closed files, and an open one past its first records (a kill right after
        # a rotation would find the new file still empty: valid, but nothing to read).
        while time.monotonic() < deadline and not (
            len(list(warcs.glob("*.warc.gz"))) >= 2
            and any(p.stat().st_size >= 4096 for p in warcs.glob(f"*{OPEN_SUFFIX}"))
        ):
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(10)
    closed = sorted(warcs.glob("*.warc.gz"))
    opened = sorted(warcs.glob(f"*{OPEN_SUFFIX}"))
    assert len(closed) >= 2
    for path in closed:
        assert warcio("check", str(path)).returncode == 0, path
    assert len(opened) == 1
    read = 0
    with opened[0].open("rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
                read += 1
        except Exception:
            pass  # a record cut by the kill, at the end only
    assert read >= 1
