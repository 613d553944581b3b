"""End to end: `newsarchive import` runs a crawl's pipelines over WARC and ARC files.

Two sources: the WARC files a crawl of the fixture sites wrote (the import must give the
same articles as the crawl itself), and files built here with warcio's own writer, the
way another tool would write them (gzip-encoded bodies, a revisit, non-HTML records, a
redirect, an error page, an ARC file, and a truncated tail).
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import brotli
import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support.cli import SITES_DIR, MockServer, run_cli
from tests.support.warcs import record_at, records

pytestmark = pytest.mark.slow

EXPECTED: dict[str, Any] = json.loads((SITES_DIR / "expected.json").read_text(encoding="utf-8"))
EXPECTED_TITLES = {a["path"]: a["title"] for a in EXPECTED["articles"] if a["site"] == "news"}


def archive_state(db: Path) -> dict[str, Any]:
    """What an archive holds, in terms that do not depend on write order."""
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT id, url, text, title, cluster_id FROM articles").fetchall()
        urls = conn.execute(
            "SELECT a.url, u.url FROM article_urls u JOIN articles a ON a.id = u.article_id"
        ).fetchall()
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "article_urls", "captures", "versions")
        }
    by_id = {row[0]: row[1] for row in articles}
    clusters: dict[int, set[str]] = defaultdict(set)
    for _id, url, _text, _title, cluster_id in articles:
        clusters[cluster_id].add(url)
    aliases: dict[str, set[str]] = defaultdict(set)
    for primary, alias in urls:
        aliases[primary].add(alias)
    return {
        "ids": set(by_id),
        "texts": {url: text for _id, url, text, _title, _c in articles},
        "titles": {url: title for _id, url, _text, title, _c in articles},
        "clusters": {frozenset(members) for members in clusters.values()},
        "aliases": dict(aliases),
        "counts": counts,
    }


@pytest.fixture(scope="module")
def crawl_and_import(
    mockserver: MockServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    crawl_dir = tmp_path_factory.mktemp("crawl")
    import_dir = tmp_path_factory.mktemp("import")
    starts = [mockserver.url(site, path) for site, path in EXPECTED["starts"].items()]
    crawl = run_cli("crawl", *starts, "--warc", "warcs", cwd=crawl_dir)
    files = sorted(str(p) for p in (crawl_dir / "warcs").glob("*.warc.gz"))
    first = run_cli("import", *files, "-s", "PROGRESS_INTERVAL=0", cwd=import_dir)
    after_first = archive_state(import_dir / "archive.db")
    second = run_cli("import", str(crawl_dir / "warcs" / "*.warc.gz"), cwd=import_dir)
    into_crawled = run_cli("import", *files, cwd=crawl_dir)
    return {
        "crawl": crawl,
        "first": first,
        "second": second,
        "into_crawled": into_crawled,
        "crawled": archive_state(crawl_dir / "archive.db"),
        "imported": after_first,
        "again": archive_state(import_dir / "archive.db"),
        "import_db": import_dir / "archive.db",
        "files": files,
    }


def test_the_import_gives_the_articles_the_crawl_archived(crawl_and_import):
    assert crawl_and_import["crawl"].returncode == 0, crawl_and_import["crawl"].stderr
    assert crawl_and_import["first"].returncode == 0, crawl_and_import["first"].stderr
    assert "[newsarchive] import summary" in crawl_and_import["first"].stderr
    crawled, imported = crawl_and_import["crawled"], crawl_and_import["imported"]
    assert len(crawled["ids"]) >= 20
    assert imported["ids"] == crawled["ids"]
    assert imported["texts"] == crawled["texts"]
    assert imported["titles"] == crawled["titles"]
    assert imported["clusters"] == crawled["clusters"]
    assert imported["aliases"] == crawled["aliases"]


def test_importing_again_adds_nothing(crawl_and_import):
    second = crawl_and_import["second"]
    assert second.returncode == 0, second.stderr
    assert crawl_and_import["again"] == crawl_and_import["imported"]
    assert re.search(r"^  articles new +0$", second.stderr, re.MULTILINE)
    assert "import: archived" in second.stderr


def test_importing_a_crawls_own_files_into_its_archive_adds_nothing(crawl_and_import):
    assert crawl_and_import["into_crawled"].returncode == 0
    assert re.search(r"^  articles new +0$", crawl_and_import["into_crawled"].stderr, re.M)


def test_each_imported_capture_points_at_the_record_it_came_from(crawl_and_import):
    with sqlite3.connect(crawl_and_import["import_db"]) as conn:
        rows = conn.execute(
            "SELECT final_url, fetched_at, warc_file, warc_offset, warc_length, warc_record_id "
            "FROM captures"
        ).fetchall()
    for final_url, fetched_at, warc_file, offset, length, record_id in rows:
        assert warc_file in crawl_and_import["files"]
        headers, _ = record_at(warc_file, offset)
        assert headers["warc-record-id"] == record_id
        assert headers["warc-target-uri"] == final_url
        assert headers["warc-date"].startswith(fetched_at[:19].replace(" ", "T"))
        assert length > 0


def test_a_crawl_of_a_brotli_page_imports_as_it_was_crawled(mockserver, tmp_path):
    """The crawl asks for br (and zstd): its own WARC holds the body br-encoded, as sent."""
    url = mockserver.url("blog", "/posts/nachtzug-nach-wien/?encoding=br")
    crawled, fresh = tmp_path / "crawled", tmp_path / "fresh"
    crawled.mkdir()
    fresh.mkdir()
    crawl = run_cli("crawl", url, "--warc", "warcs", cwd=crawled)
    assert crawl.returncode == 0, crawl.stderr
    files = [str(p) for p in (crawled / "warcs").glob("*.warc.gz")]
    blocks = [r["block"] for f in files for r in records(f) if r["type"] == "response"]
    assert any(b"\r\nContent-Encoding: br\r\n" in block for block in blocks)
    result = run_cli("import", *files, cwd=fresh)
    assert result.returncode == 0, result.stderr
    want, got = archive_state(crawled / "archive.db"), archive_state(fresh / "archive.db")
    assert "Der Zug sollte" in got["texts"][mockserver.url("blog", "/posts/nachtzug-nach-wien/")]
    assert got["texts"] == want["texts"] and got["titles"] == want["titles"]


# --- files written by another tool -------------------------------------------------------

ORIGIN = "http://127.0.0.9"
WHEN = datetime(2024, 5, 12, 8, 0, tzinfo=UTC)


def fixture_page(site: str, path: str) -> bytes:
    file = SITES_DIR / site / path.lstrip("/") / "index.html"
    return file.read_text(encoding="utf-8").replace("{{base}}", ORIGIN).encode()


class OtherTool:
    """Writes WARC records as a tool other than newsarchive would, with warcio."""

    def __init__(self, path: Path) -> None:
        self.fh = path.open("wb")
        self.writer = WARCWriter(self.fh, gzip=True)
        self.ids: dict[str, str] = {}
        self.digests: dict[str, str] = {}

    def response(
        self,
        url: str,
        body: bytes,
        *,
        status: str = "200 OK",
        when: datetime = WHEN,
        content_type: str = "text/html; charset=utf-8",
        gzip_body: bool = False,
        extra: list[tuple[str, str]] = (),
    ) -> None:
        headers = [("Content-Type", content_type)]
        if gzip_body:
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        headers += [*extra, ("Content-Length", str(len(body)))]
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        self.writer.write_record(record)
        self.ids[url] = record.rec_headers.get_header("WARC-Record-ID")
        self.digests[url] = record.rec_headers.get_header("WARC-Payload-Digest")

    def revisit_of(self, url: str, original: str) -> None:
        first = self.ids[original]
        record = self.writer.create_revisit_record(
            url,
            digest=self.digests[original],
            refers_to_uri=original,
            refers_to_date=WHEN.strftime("%Y-%m-%dT%H:%M:%SZ"),
            http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            ),
            warc_headers_dict={"WARC-Refers-To": first},
        )
        self.writer.write_record(record)

    def metadata(self, url: str) -> None:
        data = b"via: a test\r\n"
        self.writer.write_record(
            self.writer.create_warc_record(
                url,
                "metadata",
                payload=BytesIO(data),
                length=len(data),
                warc_content_type="application/warc-fields",
            )
        )

    def close(self) -> None:
        self.fh.close()


def other_tools_file(tmp_path: Path, *, truncate: bool) -> Path:
    path = tmp_path / "other.warc.gz"
    tool = OtherTool(path)
    harbour = "/2024/05/12/harbour-expansion-approved/"
    tool.response(
        ORIGIN + harbour,
        fixture_page("news", harbour),
        gzip_body=True,
        extra=[("X-Mixed-CASE", "kept")],
    )
    tool.revisit_of(ORIGIN + "/?p=123", ORIGIN + harbour)
    tool.response(ORIGIN + "/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")
    tool.metadata(ORIGIN + harbour)
    tool.response(ORIGIN + "/missing/", b"not found\n", status="404 Not Found")
    tool.response(
        ORIGIN + "/old-slug/",
        b"",
        status="301 Moved Permanently",
        extra=[("Location", "/2024/05/02/fishing-quota-deal-reached/")],
    )
    council = "/2024/05/02/fishing-quota-deal-reached/"
    tool.response(
        ORIGIN + council, fixture_page("news", council), when=datetime(2023, 1, 1, tzinfo=UTC)
    )
    tool.close()
    if truncate:
        data = path.read_bytes()
        last = OtherTool(tmp_path / "tail.warc.gz")
        last.response(
            ORIGIN + "/2024/05/08/battery-recycling-plant-opens/",
            fixture_page("news", "/2024/05/08/battery-recycling-plant-opens/"),
        )
        last.close()
        tail = (tmp_path / "tail.warc.gz").read_bytes()
        path.write_bytes(data + tail[: len(tail) // 2])
    return path


def imported(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        articles = {
            url: (title, text)
            for url, title, text in conn.execute("SELECT url, title, text FROM articles")
        }
        aliases = {url for (url,) in conn.execute("SELECT url FROM article_urls")}
        captures = conn.execute("SELECT url, final_url, fetched_at FROM captures").fetchall()
    return {"articles": articles, "aliases": aliases, "captures": captures}


def test_another_tools_file_imports_what_it_can_and_says_where_it_stopped(tmp_path):
    path = other_tools_file(tmp_path, truncate=True)
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"newsarchive import: {path}: stopped at offset " in result.stderr
    got = imported(tmp_path / "archive.db")
    harbour = ORIGIN + "/2024/05/12/harbour-expansion-approved/"
    council = ORIGIN + "/2024/05/02/fishing-quota-deal-reached/"
    assert set(got["articles"]) == {harbour, council}
    assert "Harbour expansion approved" in got["articles"][harbour][0]
    # the revisit resolved to the harbour story's payload: one article, two URLs
    assert ORIGIN + "/?p=123" in got["aliases"]
    # the page a redirect led to keeps the URL first asked for
    assert ORIGIN + "/old-slug/" in got["aliases"]
    fetched = {final: when for _url, final, when in got["captures"]}
    assert fetched[council].startswith("2023-01-01 00:00:00")
    assert "import: not_html" in result.stderr and "import: not_ok" in result.stderr


def test_a_revisit_with_an_empty_block_is_read_as_its_original(tmp_path):
    """WARC 1.1 lets a revisit record carry no HTTP headers at all: it is its original."""
    path = tmp_path / "revisit.warc.gz"
    tool = OtherTool(path)
    harbour = ORIGIN + "/2024/05/12/harbour-expansion-approved/"
    tool.response(harbour, fixture_page("news", "/2024/05/12/harbour-expansion-approved/"))
    record = tool.writer.create_revisit_record(
        ORIGIN + "/amp/harbour/",
        digest=tool.digests[harbour],
        refers_to_uri=harbour,
        refers_to_date=WHEN.strftime("%Y-%m-%dT%H:%M:%SZ"),
        warc_headers_dict={"WARC-Refers-To": tool.ids[harbour]},
    )
    assert record.length == 0
    tool.writer.write_record(record)
    tool.close()
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got = imported(tmp_path / "archive.db")
    assert set(got["articles"]) == {harbour}
    assert ORIGIN + "/amp/harbour/" in got["aliases"]
    assert "import: not_http" not in result.stderr


def test_a_file_named_through_dot_dot_is_stored_and_read_as_one_path(tmp_path):
    path = other_tools_file(tmp_path, truncate=False)
    work = tmp_path / "work"
    work.mkdir()
    detour = f"../{work.name}/../{path.name}"
    result = run_cli("import", detour, str(path), cwd=work)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^  import: files +1$", result.stderr, re.MULTILINE), result.stderr
    with sqlite3.connect(work / "archive.db") as conn:
        stored = {file for (file,) in conn.execute("SELECT warc_file FROM captures")}
    assert stored == {str(path)}


def test_a_warc_date_is_read_by_the_one_date_parser_or_the_record_is_counted(tmp_path):
    """An offset (which some tools write) is read as such; a date that reads as none is
    no capture dated 1970 but a record counted under import: no_date."""
    path = tmp_path / "dates.warc.gz"
    tool = OtherTool(path)
    dated = {
        "/2024/05/12/harbour-expansion-approved/": "2024-05-12T10:00:00+02:00",
        "/2024/05/02/fishing-quota-deal-reached/": "2024-05-02T08:00:00.250Z",
        "/2024/05/08/battery-recycling-plant-opens/": "last Tuesday",
    }
    for page, value in dated.items():
        body = fixture_page("news", page)
        tool.writer.write_record(
            tool.writer.create_warc_record(
                ORIGIN + page,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": value},
            )
        )
    tool.close()
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fetched = {final: when for _url, final, when in imported(tmp_path / "archive.db")["captures"]}
    assert fetched == {
        ORIGIN + "/2024/05/12/harbour-expansion-approved/": "2024-05-12 08:00:00.000000",
        ORIGIN + "/2024/05/02/fishing-quota-deal-reached/": "2024-05-02 08:00:00.250000",
    }
    assert re.search(r"^  import: no_date +1$", result.stderr, re.MULTILINE), result.stderr


def test_filters_apply_before_extraction(tmp_path):
    path = other_tools_file(tmp_path, truncate=False)
    result = run_cli("import", str(path), "--since", "2024-01-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(imported(tmp_path / "archive.db")["articles"]) == {
        ORIGIN + "/2024/05/12/harbour-expansion-approved/"
    }
    assert "import: filtered" in result.stderr
    other = tmp_path / "other-site"
    other.mkdir()
    result = run_cli("import", str(path), "--site", "news.example.com", cwd=other)
    assert result.returncode == 0, result.stderr
    assert imported(other / "archive.db")["articles"] == {}
    until = tmp_path / "until"
    until.mkdir()
    result = run_cli("import", str(path), "--until", "2023-06-01", cwd=until)
    assert set(imported(until / "archive.db")["articles"]) == {
        ORIGIN + "/2024/05/02/fishing-quota-deal-reached/"
    }


def test_bodies_are_decoded_as_the_crawl_decodes_them(tmp_path):
    """br and zstd (which this crawler asks for), deflate, x-gzip, two codings in turn, and a
    body a tool stored decoded under its Content-Encoding header: each page arrives."""
    codings = {
        "/2024/05/12/harbour-expansion-approved/": ("br", brotli.compress),
        "/2024/05/02/fishing-quota-deal-reached/": ("zstd", zstandard.compress),
        "/2024/05/08/battery-recycling-plant-opens/": ("deflate", zlib.compress),
        "/2024/05/10/central-bank-holds-rates/": ("x-gzip", gzip.compress),
        "/2024/05/13/ceasefire-talks-resume-in-geneva/": (
            "gzip, br",
            lambda body: brotli.compress(gzip.compress(body)),
        ),
        "/2024/05/07/city-trials-four-day-week/": ("gzip", lambda body: body),
    }
    path = tmp_path / "encoded.warc.gz"
    tool = OtherTool(path)
    for page, (coding, encode) in codings.items():
        tool.response(
            ORIGIN + page,
            encode(fixture_page("news", page)),
            extra=[("Content-Encoding", coding)],
        )
    tool.close()
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    articles = imported(tmp_path / "archive.db")["articles"]
    assert set(articles) == {ORIGIN + page for page in codings}
    for page in codings:
        title = EXPECTED_TITLES[page]
        assert articles[ORIGIN + page][0] == title
    assert "city-trials-four-day-week/: BadGzipFile; its body read as recorded" in result.stderr


def test_an_arc_file_imports_too(tmp_path):
    url = ORIGIN + "/2024/05/12/harbour-expansion-approved/"
    body = fixture_page("news", "/2024/05/12/harbour-expansion-approved/")
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    version = b"1 0 newsarchive-test\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://test.arc 0.0.0.0 20240512080000 text/plain " + str(len(version)).encode()
    record = f"{url} 127.0.0.9 20240512080000 text/html {len(http)}".encode()
    path = tmp_path / "test.arc"
    path.write_bytes(header + b"\n" + version + b"\n" + record + b"\n" + http + b"\n")
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(imported(tmp_path / "archive.db")["articles"]) == {url}


# --- damaged files -----------------------------------------------------------------------

FOUR = (
    "/2024/05/12/harbour-expansion-approved/",
    "/2024/05/02/fishing-quota-deal-reached/",
    "/2024/05/08/battery-recycling-plant-opens/",
    "/2024/05/10/central-bank-holds-rates/",
)


def four_pages(compress: bool) -> tuple[bytes, list[int]]:
    """A WARC of four article pages written by warcio, and each record's offset.

    The same bytes on every run (warcio would stamp each record with a new id and the
    time): where a damage lands in a compressed record decides what the reader meets,
    so the damaged files must not change from one run to the next."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=compress)
    offsets = []
    for number, page in enumerate(FOUR):
        offsets.append(out.tell())
        body = fixture_page("news", page)
        writer.write_record(
            writer.create_warc_record(
                ORIGIN + page,
                "response",
                payload=BytesIO(body),
                length=len(body),
                warc_headers_dict={
                    "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>",
                    "WARC-Date": "2024-05-12T08:00:00Z",
                },
                http_headers=StatusAndHeaders(
                    "200 OK",
                    [("Content-Type", "text/html; charset=utf-8")],
                    protocol="HTTP/1.1",
                ),
            )
        )
    return out.getvalue(), offsets


def with_length(record: bytes, delta: int) -> bytes:
    """A record whose WARC Content-Length is off by ``delta``."""
    head, _, rest = record.partition(b"\r\n\r\n")
    old = re.search(rb"Content-Length: (\d+)", head)
    assert old is not None
    head = head.replace(old.group(0), b"Content-Length: %d" % (int(old.group(1)) + delta))
    return head + b"\r\n\r\n" + rest


def damaged(kind: str) -> bytes:
    if kind == "empty":
        return b""
    if kind == "one gzip stream":
        return gzip.compress(four_pages(compress=False)[0])
    if kind == "padded end":
        return four_pages(compress=True)[0] + b"\r\n"
    if kind.endswith("plain"):
        data, at = four_pages(compress=False)
        delta = 300 if kind.startswith("long") else -300
        return data[: at[1]] + with_length(data[at[1] : at[2]], delta) + data[at[2] :]
    data, at = four_pages(compress=True)
    second = data[at[1] : at[2]]
    if kind == "short length, gzip":
        second = gzip.compress(with_length(gzip.decompress(second), -300))
    else:  # a damaged gzip member: bytes flipped in its compressed data
        middle = len(second) // 2
        second = second[:middle] + bytes(b ^ 0x5A for b in second[middle : middle + 40])
        second += data[at[1] + middle + 40 : at[2]]
    return data[: at[1]] + second + data[at[2] :]


@pytest.mark.parametrize(
    ("kind", "code", "kept", "says"),
    [
        ("flipped bytes, gzip", 1, {0, 2, 3}, "no WARC or ARC record starts here; read on"),
        ("short length, gzip", 1, {0, 2, 3}, "does not fill its gzip member"),
        (
            "long length, plain",
            1,
            {0, 2, 3},
            "not followed by a record (a wrong Content-Length?); read on",
        ),
        (
            "short length, plain",
            1,
            {0, 2, 3},
            "not followed by a record (a wrong Content-Length?); read on",
        ),
        ("one gzip stream", 1, {0}, "is one gzip stream, not one gzip member per record"),
        ("empty", 1, set(), "stopped at offset 0: an empty file"),
        ("padded end", 0, {0, 1, 2, 3}, None),
    ],
)
def test_a_damaged_file_keeps_what_is_good_and_says_what_was_skipped(
    tmp_path, kind, code, kept, says
):
    path = tmp_path / ("damaged.warc" if kind.endswith("plain") else "damaged.warc.gz")
    path.write_bytes(damaged(kind))
    result = run_cli("import", str(path), cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Error -3" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsarchive import:")]
    if says is None:
        assert lines == []
    else:
        assert len(lines) == 1 and says in lines[0], result.stderr
        assert re.match(
            rf"newsarchive import: {re.escape(str(path))}: stopped at offset \d", lines[0]
        )
    articles = imported(tmp_path / "archive.db")["articles"]
    assert set(articles) == {ORIGIN + FOUR[i] for i in kept}
    if not kept:
        assert "import failed: no file held a record that could be read" in result.stderr


def test_bad_arguments_are_one_line_and_exit_2(tmp_path):
    missing = run_cli("import", str(tmp_path / "nothing-*.warc.gz"), cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "no file matches" in missing.stderr
    dates = run_cli("import", str(tmp_path), "--since", "someday", cwd=tmp_path)
    assert dates.returncode == 2 and "Traceback" not in dates.stderr
