"""The command line as a user meets it: clear errors, progress, extraction alone, scrapy crawl."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.support.cli import ROOT, SITES_DIR, cli_env, run_cli

pytestmark = pytest.mark.slow


def test_crawl_without_starts_is_a_usage_error(tmp_path):
    result = run_cli("crawl", cwd=tmp_path)
    assert result.returncode == 2
    assert "give start URLs or --sites FILE" in result.stderr
    assert not (tmp_path / "archive.db").exists()


def test_bad_sites_file_says_where(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text("[[site]]\nstart = 'https://a.example/'\ndepht = 3\n")
    result = run_cli("crawl", "--sites", str(sites), cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown option(s) depht" in result.stderr and "site #1" in result.stderr


def test_not_a_url_is_refused_before_crawling(tmp_path):
    result = run_cli("crawl", "news.example.com", cwd=tmp_path)
    assert result.returncode == 2
    assert "is not an http(s) URL" in result.stderr


def test_archive_in_a_missing_folder_is_a_clear_error(tmp_path, mockserver):
    result = run_cli(
        "crawl",
        mockserver.url("blog", "/atom.xml"),
        "--db",
        f"sqlite:///{tmp_path}/no/such/dir/a.db",
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "does not exist" in result.stderr


def test_reading_a_missing_archive_says_so(tmp_path):
    result = run_cli("export", cwd=tmp_path, NEWSARCHIVE_DB=f"sqlite:///{tmp_path}/empty.db")
    assert result.returncode == 2
    assert f"no archive at {tmp_path}/empty.db (run `newsarchive crawl`" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unreachable_start_fails_the_crawl(tmp_path, mockserver):
    dead = mockserver.url("news", "/no-such-page/")
    result = run_cli("crawl", dead, "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "crawl failed" in result.stderr


def test_progress_lines_appear_while_crawling(tmp_path, mockserver):
    result = run_cli(
        "crawl",
        mockserver.url("iria", "/"),
        "-s",
        "DOWNLOAD_DELAY=0.25",
        "-s",
        "PROGRESS_INTERVAL=0.5",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = [
        line
        for line in result.stderr.splitlines()
        if re.search(r"\d+ pages \([\d.]+ pages/s\), \d+ responses", line)
    ]
    assert len(lines) >= 2
    assert re.search(
        r"articles: \d+ new, \d+ updated, \d+ unchanged, \d+ duplicate \| \d+ skipped \| \d+ failed",
        lines[-1],
    )
    assert "crawl summary" in result.stderr


def test_quiet_crawl_prints_nothing(tmp_path, mockserver):
    result = run_cli("crawl", mockserver.url("blog", "/atom.xml"), "-q", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


def test_environment_variable_names_the_archive(tmp_path, mockserver):
    db = tmp_path / "elsewhere.db"
    result = run_cli(
        "crawl",
        mockserver.url("blog", "/atom.xml"),
        "-q",
        cwd=tmp_path,
        NEWSARCHIVE_DB=f"sqlite:///{db}",
    )
    assert result.returncode == 0, result.stderr
    assert db.exists() and not (tmp_path / "archive.db").exists()


def test_extract_prints_one_json_object_per_file_in_input_order(tmp_path):
    pages = sorted((SITES_DIR / "blog" / "posts").glob("*/index.html"))
    result = run_cli("extract", *map(str, pages), "--url", "http://blog.example/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(p) for p in pages]
    assert all(r["text"] and r["title"] for r in rows)
    assert {r["language"] for r in rows} == {"en", "de"}


def test_extract_says_whether_a_crawl_would_archive_each_page(tmp_path):
    post = next((SITES_DIR / "blog" / "posts").glob("*/index.html"))
    front = SITES_DIR / "blog" / "index.html"
    about = SITES_DIR / "blog" / "about" / "index.html"
    result = run_cli(
        "extract",
        str(post),
        str(front),
        str(about),
        "--url",
        "http://blog.example/posts/x-y-z/",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    story, listing, about_page = (json.loads(line) for line in result.stdout.splitlines())
    assert story["archive"] is True and story["reason"].startswith("article:")
    # the crawl's own decision and reason: the front page lists stories, the about page is short
    assert listing["archive"] is False and listing["reason"].startswith("skip:")
    assert about_page["archive"] is False and about_page["reason"].startswith("skip:")


def test_extract_reports_a_missing_file_and_goes_on(tmp_path):
    page = next((SITES_DIR / "blog" / "posts").glob("*/index.html"))
    result = run_cli("extract", str(tmp_path / "missing.html"), str(page), cwd=tmp_path)
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["error"] and second["title"]
    assert "missing.html" in result.stderr


def test_scrapy_crawl_news_works_from_the_project_root(tmp_path, mockserver):
    db = tmp_path / "scrapy.db"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            "-a",
            f"url={mockserver.url('blog', '/atom.xml')}",
            "-s",
            f"ARCHIVE_DB_URL=sqlite:///{db}",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exported = run_cli("export", "--db", f"sqlite:///{db}", cwd=tmp_path)
    assert len(exported.stdout.splitlines()) == 3
