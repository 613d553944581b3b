"""Each export format read back by its own reader: json, csv, pyarrow, warcio."""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import ArchiveError, open_archive
from archive.export import export
from archive.export import parquet as parquet_format
from archive.read import ARTICLE_FIELDS, ArticleFilter, to_json
from archive.writer import ArchiveWriter
from tests.support.corpus import (
    BATTERY,
    CHANGED,
    CHANGED_AT,
    COPY_URL,
    HARBOUR,
    RAIL,
    REEXTRACTED,
    by_path,
    html_of,
    record_of,
    url_of,
)


def articles_of(corpus, where=None) -> list[dict]:
    with open_archive(corpus.url) as arc:
        return list(arc.articles(where))


def run_export(corpus, fmt, path, where=None) -> int:
    with open_archive(corpus.url) as arc:
        return export(arc, fmt, path, where)


# --- JSON Lines -----------------------------------------------------------------------


def test_jsonl_round_trips_through_json(corpus, tmp_path):
    path = tmp_path / "a.jsonl"
    assert run_export(corpus, "jsonl", path) == len(corpus.ids) + 1
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows == [to_json(a) for a in articles_of(corpus)]
    harbour = next(r for r in rows if r["id"] == corpus.id(HARBOUR))
    assert list(harbour) == list(ARTICLE_FIELDS)
    assert harbour["published_at"] == "2024-05-12T06:30:00+00:00"
    assert (harbour["version"], harbour["duplicate_of"]) == (1, None)
    assert harbour["cluster_id"] == harbour["id"]  # it started its story's cluster
    copy = next(r for r in rows if r["url"] == COPY_URL)
    assert copy["duplicate_of"] == copy["cluster_id"] == corpus.id(HARBOUR)
    rail = next(r for r in rows if r["id"] == corpus.id(RAIL[1]))
    assert rail["cluster_id"] == corpus.id(RAIL[0])


def test_exports_apply_the_filters(corpus, tmp_path):
    path = tmp_path / "a.jsonl"
    where = ArticleFilter(site="plugin.example", changed_since=CHANGED_AT)
    run_export(corpus, "jsonl", path, where)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [corpus.id(RAIL[1])]


# --- CSV --------------------------------------------------------------------------------


def test_csv_reads_back_with_the_csv_module(corpus, tmp_path):
    path = tmp_path / "a.csv"
    run_export(corpus, "csv", path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,url,urls,") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    articles = articles_of(corpus)
    assert len(rows) == len(articles) and list(rows[0]) == list(ARTICLE_FIELDS)
    for row, article in zip(rows, articles, strict=True):
        assert int(row["id"]) == article["id"]
        assert row["text"] == article["text"]  # paragraphs (newlines), quotes, commas intact
        assert row["urls"].split("; ") == article["urls"]
        assert row["authors"] == "; ".join(article["authors"])
        assert row["duplicate_of"] == str(article["duplicate_of"] or "")
    harbour = next(r for r in rows if r["id"] == str(corpus.id(HARBOUR)))
    assert harbour["published_at"] == "2024-05-12 06:30:00"
    assert harbour["tags"] == "harbour; infrastructure; shipping"
    assert harbour["title"] == "Harbour expansion approved after two-year review"
    assert "\n" in harbour["text"] and "," in harbour["text"]


def test_csv_defuses_formulas_in_scraped_text(db_url, tmp_path):
    from archive.engine import create_archive_engine, upgrade_archive

    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    record = record_of(by_path(HARBOUR), text='=HYPERLINK("http://evil.example","x")')
    record.title = '-5 degrees, "cold" snap'
    record.authors = ["@desk", "Ann"]
    ArchiveWriter(engine).write_batch([record])
    engine.dispose()
    path = tmp_path / "f.csv"
    with open_archive(db_url) as arc:
        export(arc, "csv", path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert row["text"] == "'" + '=HYPERLINK("http://evil.example","x")'
    assert row["title"] == '\'-5 degrees, "cold" snap'
    assert row["authors"] == "'@desk; Ann"
    assert row["id"] == "1"


# --- Parquet ---------------------------------------------------------------------------


def test_parquet_reads_back_with_pyarrow_in_typed_columns(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_format, "BATCH_ROWS", 4)
    monkeypatch.setattr(parquet_format, "ROW_GROUP_ROWS", 10)
    path = tmp_path / "a.parquet"
    assert run_export(corpus, "parquet", path) == len(corpus.ids) + 1
    parquet = pq.ParquetFile(path)
    groups = [
        parquet.metadata.row_group(i).num_rows for i in range(parquet.metadata.num_row_groups)
    ]
    assert groups == [12, 12, 12, 2]  # read 4 at a time, written once 10 or more wait
    table = parquet.read()
    schema = table.schema
    assert schema.names == list(ARTICLE_FIELDS)
    assert schema.field("id").type == pa.int64() and not schema.field("id").nullable
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("version").type == pa.int32()
    assert schema.field("duplicate_of").type == pa.int64()
    assert schema.field("cluster_similarity").type == pa.float64()
    rows = table.to_pylist()
    articles = articles_of(corpus)
    assert rows == articles
    assert rows[0]["published_at"].tzinfo is not None
    group = parquet.metadata.row_group(0)
    stats = {
        group.column(i).path_in_schema: group.column(i).statistics for i in range(group.num_columns)
    }
    assert stats["published_at"].has_min_max and stats["site"].has_min_max
    assert stats["text"] is None  # no min/max over long texts


def test_arrow_batches_and_columns_agree_with_articles(corpus):
    with open_archive(corpus.url) as arc:
        articles = list(arc.articles())
        batches = list(arc.arrow_batches(ArticleFilter(), batch_size=7))
        columns = list(arc.article_columns(chunk_size=7))
    assert [b.num_rows for b in batches] == [7] * 5 + [3]
    assert pa.Table.from_batches(batches).to_pylist() == articles
    rebuilt = [
        dict(zip(c, values, strict=True))
        for c in columns
        for values in zip(*c.values(), strict=True)
    ]
    assert rebuilt == articles


def test_parquet_compression_is_snappy_unless_asked(corpus, tmp_path):
    codecs = {}
    for name, options in (("default", {}), ("zstd", {"compression": "zstd"})):
        with open_archive(corpus.url) as arc:
            export(arc, "parquet", tmp_path / f"{name}.parquet", **options)
        meta = pq.ParquetFile(tmp_path / f"{name}.parquet").metadata
        codecs[name] = meta.row_group(0).column(list(ARTICLE_FIELDS).index("text")).compression
    assert codecs == {"default": "SNAPPY", "zstd": "ZSTD"}
    with open_archive(corpus.url) as arc, pytest.raises(ValueError, match="compression"):
        export(arc, "parquet", tmp_path / "x.parquet", compression="brotli2")
    assert not (tmp_path / "x.parquet").exists()


def test_parquet_needs_a_file(corpus):
    with open_archive(corpus.url) as arc, pytest.raises(ArchiveError, match="-o PATH"):
        export(arc, "parquet", "-")


# --- WARC --------------------------------------------------------------------------------


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def read_warc(path) -> list[dict]:
    records = []
    with path.open("rb") as f:
        for record in ArchiveIterator(f, check_digests="raise"):
            records.append(
                {
                    "type": record.rec_type,
                    "headers": dict(record.rec_headers.headers),
                    "http": record.http_headers,
                    "payload": record.content_stream().read(),
                }
            )
    return records


def test_warc_reads_back_with_warcio(corpus, tmp_path):
    path = tmp_path / "a.warc.gz"
    assert run_export(corpus, "warc", path) == len(corpus.ids) + 1
    with path.open("rb") as f:
        assert f.read(2) == b"\x1f\x8b"  # gzip, record by record
    records = read_warc(path)
    assert records[0]["type"] == "warcinfo"
    assert all(r["headers"]["WARC-Record-ID"].startswith("<urn:uuid:") for r in records)
    assert {r["headers"]["WARC-Type"] for r in records} == {
        "warcinfo",
        "response",
        "revisit",
        "metadata",
    }
    by_id = {r["headers"]["WARC-Record-ID"]: r for r in records}
    responses = [r for r in records if r["type"] == "response"]
    # one response per distinct page of each article: 37 + the copy + the changed page
    assert len(responses) == len(corpus.ids) + 2
    for response in responses:
        assert response["headers"]["WARC-Payload-Digest"] == sha1_digest(response["payload"])
        assert response["headers"]["WARC-Date"].endswith("Z")
        assert (
            response["http"].protocol == "HTTP/1.1" and response["http"].get_statuscode() == "200"
        )
    harbour = next(
        r for r in responses if r["headers"]["WARC-Target-URI"] == url_of("news", HARBOUR)
    )
    assert harbour["payload"] == html_of("news", HARBOUR)
    assert harbour["headers"]["WARC-Date"] == "2024-06-20T08:00:00Z"
    http = harbour["http"]
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("ETag") is not None
    # the body is stored decoded: the encoding headers are kept only as a record of the original
    assert http.get_header("Content-Encoding") is None
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert http.get_header("Content-Length") == str(len(harbour["payload"]))

    metadata = [r for r in records if r["type"] == "metadata"]
    assert len(metadata) == len(records) - 1 - len(metadata)  # one per response or revisit
    for record in metadata:
        assert record["headers"]["WARC-Concurrent-To"] in by_id
        assert record["headers"]["Content-Type"] == "application/warc-fields"
    fields = dict(
        line.split(": ", 1)
        for line in next(
            m
            for m in metadata
            if m["headers"]["WARC-Concurrent-To"] == harbour["headers"]["WARC-Record-ID"]
        )["payload"]
        .decode()
        .splitlines()
    )
    assert fields["article-id"] == str(corpus.id(HARBOUR))
    assert fields["article-version"] == "1" and fields["site"] == "news.example"
    assert int(fields["capture-id"]) > 0 and int(fields["crawl-run-id"]) > 0


def revisits(records) -> dict[str, dict]:
    return {r["headers"]["WARC-Target-URI"]: r for r in records if r["type"] == "revisit"}


def test_warc_revisits_for_aliases_and_identical_recaptures(corpus, tmp_path):
    path = tmp_path / "a.warc.gz"
    run_export(corpus, "warc", path)
    records = read_warc(path)
    by_id = {r["headers"]["WARC-Record-ID"]: r for r in records}
    visits = revisits(records)
    harbour = url_of("news", HARBOUR)
    for alias in ("/?p=123", HARBOUR + "?utm_source=newsletter&utm_medium=email"):
        revisit = visits[url_of("news", alias)]
        headers = revisit["headers"]
        original = by_id[headers["WARC-Refers-To"]]
        assert original["type"] == "response"
        assert (
            headers["WARC-Refers-To-Target-URI"]
            == harbour
            == original["headers"]["WARC-Target-URI"]
        )
        assert headers["WARC-Refers-To-Date"] == original["headers"]["WARC-Date"]
        assert headers["WARC-Payload-Digest"] == original["headers"]["WARC-Payload-Digest"]
        assert headers["WARC-Profile"].endswith("/warc/1.1/revisit/identical-payload-digest")
        assert revisit["payload"] == b""
        assert revisit["http"].get_header("Content-Type") == "text/html; charset=utf-8"
    # the redirect source was the capture's requested URL: no alias revisit, but named in metadata
    assert url_of("news", "/2024/05/08/battery-plant-opens/") not in visits
    battery_meta = next(
        r
        for r in records
        if r["type"] == "metadata" and r["headers"]["WARC-Target-URI"] == url_of("news", BATTERY)
    )
    assert (
        b"requested-url: " + url_of("news", "/2024/05/08/battery-plant-opens/").encode()
        in battery_meta["payload"]
    )
    # a re-extraction stored a second capture of identical bytes: a revisit of the first
    rates = url_of("news", REEXTRACTED)
    rates_records = [
        r
        for r in records
        if r["headers"].get("WARC-Target-URI") == rates and r["type"] != "metadata"
    ]
    assert [r["type"] for r in rates_records] == ["response", "revisit"]
    assert (
        rates_records[1]["headers"]["WARC-Refers-To"]
        == rates_records[0]["headers"]["WARC-Record-ID"]
    )
    # a changed page is a second response
    changed = [
        r["type"] for r in records if r["headers"].get("WARC-Target-URI") == url_of("news", CHANGED)
    ]
    assert changed == ["response", "metadata", "response", "metadata"]


def test_uncompressed_warc_and_a_filtered_export(corpus, tmp_path):
    path = tmp_path / "news.warc"
    count = run_export(corpus, "warc", path, ArticleFilter(site="blog.example"))
    assert count == 3
    raw = path.read_bytes()
    assert raw.startswith(b"WARC/1.1\r\n")
    records = read_warc(path)
    assert len([r for r in records if r["type"] == "response"]) == 3
    assert records[0]["headers"]["WARC-Filename"] == "news.warc"


# --- every format --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "warc"])
def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(corpus, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(b"previous export")

    def fail(done: int) -> None:
        if done:
            raise RuntimeError("disk full")

    with open_archive(corpus.url) as arc, pytest.raises(RuntimeError, match="disk full"):
        export(arc, fmt, path, progress=fail)
    assert path.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [path]


def test_progress_is_reported_and_missing_folders_are_refused(corpus, tmp_path):
    seen: list[int] = []
    with open_archive(corpus.url) as arc:
        export(arc, "jsonl", tmp_path / "a.jsonl", progress=seen.append)
        with pytest.raises(ArchiveError, match="does not exist"):
            export(arc, "jsonl", tmp_path / "missing" / "a.jsonl")
        with pytest.raises(ArchiveError, match="unknown export format"):
            export(arc, "xml", tmp_path / "a.xml")
    assert seen[-1] == len(corpus.ids) + 1


def test_gzip_warc_members_are_one_per_record(corpus, tmp_path):
    path = tmp_path / "a.warc.gz"
    run_export(corpus, "warc", path, ArticleFilter(site="blog.example"))
    text = gzip.decompress(path.read_bytes())
    assert text.count(b"WARC/1.1\r\n") == 1 + 3 * 2  # warcinfo, then response + metadata each
