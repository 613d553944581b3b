"""`newsarchive export`, `search` and `stats` run as a user runs them, on both backends."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.engine import create_archive_engine, upgrade_archive
from archive.writer import ArchiveWriter, CrawlRuns
from crawler.cli.progressbar import ProgressBar
from crawler.cli.stats import sparkline
from tests.support.cli import run_cli
from tests.support.corpus import (
    HARBOUR,
    RAIL,
    by_path,
    corpus,  # noqa: F401 - the fixture
    record_of,
)

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess


def test_export_writes_every_format_to_a_file(corpus, tmp_path):  # noqa: F811
    total = len(corpus.ids) + 1
    for fmt, name, *more in (
        ("jsonl", "a.jsonl"),
        ("csv", "a.csv"),
        ("parquet", "a.parquet", "--compression", "zstd"),
        ("warc", "a.warc.gz"),
    ):
        result = run_cli(
            "export", "--format", fmt, "-o", name, *more, "--db", corpus.url, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert f"exported {total} articles to {name}" in result.stderr
        assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == total
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == total
    parquet = pq.ParquetFile(tmp_path / "a.parquet")
    assert parquet.metadata.num_rows == total
    assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"
    with (tmp_path / "a.warc.gz").open("rb") as f:
        types = [r.rec_type for r in ArchiveIterator(f)]
    assert types.count("response") == total + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.csv",
        "a.jsonl",
        "a.parquet",
        "a.warc.gz",
    ]


def test_export_filters_and_stdout(corpus, tmp_path):  # noqa: F811
    result = run_cli(
        "export",
        "--site",
        "blog.example",
        "--site",
        "www.daily.example",  # a site is named as the archive names it: without www.
        "--since",
        "2024-04-15",
        "--db",
        corpus.url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["site"] for r in rows} == {"daily.example"}
    assert len(rows) == 3  # 15, 18 and 22 April; the blog's posts are from March
    changed = run_cli(
        "export",
        "--format",
        "csv",
        "--changed-since",
        "2024-06-22T00:00:00Z",
        "--db",
        corpus.url,
        cwd=tmp_path,
    )
    assert changed.returncode == 0, changed.stderr
    rows = list(csv.DictReader(io.StringIO(changed.stdout.removeprefix("\ufeff"))))
    assert [int(r["id"]) for r in rows] == [corpus.id(RAIL[1])]


def test_export_refuses_bad_input_clearly(corpus, tmp_path):  # noqa: F811
    bad_date = run_cli("export", "--since", "last tuesday", "--db", corpus.url, cwd=tmp_path)
    assert (
        bad_date.returncode == 2
        and "--since 'last tuesday' is not an ISO 8601 date" in bad_date.stderr
    )
    parquet = run_cli("export", "--format", "parquet", "--db", corpus.url, cwd=tmp_path)
    assert parquet.returncode == 2 and "needs a regular file" in parquet.stderr
    codec = run_cli("export", "--compression", "zstd", "--db", corpus.url, cwd=tmp_path)
    assert codec.returncode == 2 and "--compression applies to --format parquet" in codec.stderr
    folder = run_cli("export", "-o", "no/such/dir/a.jsonl", "--db", corpus.url, cwd=tmp_path)
    assert folder.returncode == 2 and "does not exist" in folder.stderr
    assert list(tmp_path.iterdir()) == []


def test_search_prints_ranked_results_with_highlighted_snippets(corpus, tmp_path):  # noqa: F811
    result = run_cli("search", "rail tender", "--limit", "2", "--db", corpus.url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. Transport ministry delays rail tender for third time"
    assert lines[1].startswith(
        "   https://plugin.example/news/transport-ministry-delays-rail-tender/  ·  plugin.example  ·  2024-06-03  ·  score "
    )
    assert "**rail**" in lines[2].lower() or "**tender**" in lines[2].lower()
    assert lines[4] == "2. Tender for cross-border rail link delayed again"
    assert "3. " not in result.stdout


def test_search_options_and_json(corpus, tmp_path):  # noqa: F811
    result = run_cli(
        "search",
        "harbour",
        "--site",
        "https://www.news.example/world/",  # a URL names its site
        "--since",
        "2024-05-13",
        "--json",
        "--db",
        corpus.url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    [hit] = [json.loads(line) for line in result.stdout.splitlines()]
    assert hit["title"] == "Coastal towns brace for record spring tides"
    assert hit["published_at"] == "2024-05-14T05:15:00+00:00" and hit["score"] > 0
    none = run_cli("search", "zeppelin", "--db", corpus.url, cwd=tmp_path)
    assert (
        none.returncode == 0
        and none.stdout == ""
        and "no article matches 'zeppelin'" in none.stderr
    )
    empty = run_cli("search", "--db", corpus.url, "--", "-sport", cwd=tmp_path)
    assert empty.returncode == 2 and "has no word to look for" in empty.stderr


def test_stats_show_activity_failures_and_duplicate_share(db_url, tmp_path):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    writer, runs = ArchiveWriter(engine), CrawlRuns(engine)
    run_id = runs.start_run({})
    harbour = by_path(HARBOUR)
    writer.write_batch(
        [record_of(harbour), record_of(harbour, site="copy", url="https://copy.example/h/")], run_id
    )
    outcomes = {
        ("news.example", "articles/new"): 1,
        ("news.example", "skipped/listing"): 6,
        ("news.example", "failed/extract_timeout"): 2,
        ("news.example", "skipped/empty_text"): 1,
        ("news.example", "failed/http_404"): 4,  # the fetch's failures, not extraction's
        ("news.example", "failed/timeout"): 1,
        ("copy.example", "articles/duplicate"): 1,
    }
    runs.finish_run(run_id, "finished", "finished", {"newsarchive/starts/site": 1}, outcomes)
    engine.dispose()
    result = run_cli("stats", "--days", "14", "--db", db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("2 articles in 2 sites")
    site_table, activity = out.split("articles archived per day, last 14 days", 1)
    rows = {line.split()[0]: line for line in site_table.splitlines() if ".example" in line}
    # 3 of the 10 pages that reached extraction in the last 14 days failed there (2 timed
    # out, 1 gave no text); its 404s and its timed-out fetch are the fetch's failures
    assert "3/10 (30%)" in rows["news.example"]
    assert "100%" in rows["copy.example"].split()  # its one article is a copy
    day_rows = {
        line.split()[0]: line.split() for line in activity.splitlines() if ".example" in line
    }
    assert day_rows["news.example"][1] == "·" * 13 + "█"  # one article, today
    assert day_rows["news.example"][2:] == ["1", "1"]
    assert out.index("articles archived per day") < out.index("crawl runs")
    no_runs = run_cli("stats", "--runs", "0", "--db", db_url, cwd=tmp_path)
    assert no_runs.returncode == 0, no_runs.stderr
    assert "crawl runs" not in no_runs.stdout  # not asked for: no empty table of them
    assert no_runs.stdout.startswith("2 articles in 2 sites")


def test_sparkline_and_progress_bar():
    assert sparkline([0, 1, 2, 4, 8]) == "·▁▂▄█"
    assert sparkline([0, 0]) == "··"
    assert sparkline([3, 0, 3], bars=".:", zero="_") == ":_:"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(200, "articles", screen)
    bar(200)
    bar.close()
    assert "\r[" + "#" * 30 + "] 100% 200/200 articles" in screen.getvalue()
    assert screen.getvalue().endswith("\n")
    pipe = io.StringIO()
    quiet = ProgressBar(200, "articles", pipe)
    quiet(100)
    quiet.close()
    assert pipe.getvalue() == ""
