"""Defaults that travel: every newsarchive setting is declared once (crawler/defaults.py),
crawler/settings.py takes its values from there, components read them through the
declarations, and docs/settings.md is generated from them."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults
from scrapy.utils.test import get_crawler

import crawler.settings as project
from archive.engine import current_revision
from crawler import defaults
from crawler.cli.errors import UsageError
from crawler.cli.overrides import check_override, known_types
from crawler.cli.reextract import reextract_settings
from crawler.extensions.progress import Progress
from crawler.middlewares.blocks import BlockMiddleware
from crawler.middlewares.incremental import IncrementalMiddleware
from crawler.middlewares.netguard import NetworkGuardMiddleware
from crawler.middlewares.retry import BackoffRetryMiddleware
from crawler.sites import SiteConfig
from crawler.spiders.news import NewsSpider
from pipelines.extract import ExtractPipeline
from pipelines.runs import CrawlRunRecorder
from pipelines.store import StorePipeline, open_archive

ROOT = Path(__file__).resolve().parents[2]


def test_the_settings_doc_is_generated_from_the_declarations():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == defaults.settings_doc(), "run: python -m crawler.defaults"
    for setting in defaults.SETTINGS:
        assert f"| `{setting.name}` |" in doc


def test_the_generator_checks_and_writes(tmp_path, monkeypatch):
    """``python -m crawler.defaults --check`` fails on a stale doc; without it, rewrites it."""
    stale = tmp_path / "settings.md"
    stale.write_text("# Settings\n", encoding="utf-8")
    monkeypatch.setattr(defaults, "DOC_PATH", stale)
    monkeypatch.setattr(sys, "argv", ["crawler.defaults", "--check"])
    assert defaults.main() == 1
    monkeypatch.setattr(sys, "argv", ["crawler.defaults"])
    assert defaults.main() == 0
    assert stale.read_text(encoding="utf-8") == defaults.settings_doc()


def test_the_project_settings_are_the_declared_defaults():
    for setting in defaults.SETTINGS:
        assert getattr(project, setting.name) == setting.default, setting.name


def test_no_setting_of_ours_is_left_undeclared():
    """Every name crawler/settings.py sets is Scrapy's or declared in crawler/defaults.py."""
    ours = {name for name in dir(project) if name.isupper() and not name.startswith("_")}
    undeclared = ours - set(dir(scrapy_defaults)) - set(defaults.BY_NAME)
    assert undeclared <= {"BOT_NAME", "SPIDER_MODULES", "NEWSPIDER_MODULE"}, undeclared


def test_a_declaration_reads_its_default_where_nothing_is_set():
    empty = Settings()
    for setting in defaults.SETTINGS:
        assert setting.get(empty) == setting.default, setting.name
    assert defaults.EXTRACT_TIMEOUT.get(Settings({"EXTRACT_TIMEOUT": "2.5"})) == 2.5
    assert defaults.CRAWL_REVISIT_DAYS.get(Settings({"CRAWL_REVISIT_DAYS": "inf"})) == float("inf")


# --- components built outside the project: Scrapy's get_crawler, no settings --------------


@pytest.fixture
def bare():
    """A crawler as Scrapy's get_crawler builds it in another project: none of our
    settings set, only Scrapy's defaults."""
    return get_crawler(Spider, {})


def test_the_store_stage_keeps_its_defaults(bare):
    store = StorePipeline.from_crawler(bare)
    assert store.retry_timeout == defaults.ARCHIVE_RETRY_TIMEOUT.default == 60.0
    assert store.batch_size == defaults.ARCHIVE_BATCH_SIZE.default
    assert store.flush_interval == defaults.ARCHIVE_FLUSH_INTERVAL.default
    assert store.near_threshold == defaults.DEDUP_NEAR_THRESHOLD.default  # near-dups on
    assert store.boilerplate is not None  # ARCHIVE_BOILERPLATE_ENABLED
    assert store.boilerplate.min_site_articles == defaults.ARCHIVE_BOILERPLATE_MIN_ARTICLES.default


def test_the_archive_is_created_and_runs_recorded_by_default(tmp_path):
    """ARCHIVE_AUTO_UPGRADE and ARCHIVE_RUNS_ENABLED are on where nothing sets them."""
    crawler = get_crawler(Spider, {"ARCHIVE_DB_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    engine = open_archive(crawler.settings)
    try:
        assert current_revision(engine) is not None
    finally:
        engine.dispose()
    assert CrawlRunRecorder.from_crawler(crawler).run_id is None  # built, not NotConfigured


def test_the_extract_stage_keeps_its_defaults(bare):
    extract = ExtractPipeline.from_crawler(bare)
    assert extract.timeout == defaults.EXTRACT_TIMEOUT.default == 30.0
    assert extract.with_signature is True  # DEDUP_NEAR_ENABLED
    assert extract.max_pending == defaults.EXTRACT_MAX_PENDING.default
    assert extract.function == defaults.EXTRACT_FUNCTION.default
    assert extract.start_method == "subprocess"
    assert extract.max_tasks == defaults.EXTRACT_WORKER_MAX_TASKS.default


def test_a_worker_s_task_limit_can_be_set():
    extract = ExtractPipeline.from_crawler(get_crawler(Spider, {"EXTRACT_WORKER_MAX_TASKS": 3}))
    assert extract.max_tasks == 3


def test_the_progress_line_is_on(bare):
    progress = Progress.from_crawler(bare)  # PROGRESS_ENABLED: no NotConfigured
    assert progress.interval == defaults.PROGRESS_INTERVAL.default


def test_the_middlewares_keep_their_defaults(bare):
    blocks = BlockMiddleware.from_crawler(bare)
    assert (blocks.stop_after, blocks.backoff_start, blocks.backoff_max) == (5, 5.0, 60.0)
    retry = BackoffRetryMiddleware.from_crawler(bare)
    assert (retry.backoff_base, retry.backoff_max, retry.retry_after_max) == (1.0, 30.0, 120.0)
    NetworkGuardMiddleware.from_crawler(bare)  # NETGUARD_ENABLED: no NotConfigured
    incremental = IncrementalMiddleware.from_crawler(bare)
    assert incremental.conditional is True and incremental.recheck is False


def test_the_spider_keeps_its_defaults():
    crawler = get_crawler(NewsSpider, {})
    spider = NewsSpider(url="https://news.example/")
    (config,) = spider.build_configs(crawler.settings)
    assert config.revisit_days == defaults.CRAWL_REVISIT_DAYS.default == 7.0
    assert config.depth == defaults.CRAWL_DEPTH.default
    assert config.max_pages == defaults.CRAWL_MAX_PAGES.default


def test_a_site_config_s_own_defaults_are_the_declared_ones():
    """A sites file entry without revisit_days re-checks as the setting says (it said inf)."""
    site = SiteConfig(start=("https://news.example/",))
    assert site.revisit_days == defaults.CRAWL_REVISIT_DAYS.default
    assert site.depth == defaults.CRAWL_DEPTH.default


# --- -s overrides ----------------------------------------------------------------------


def test_overrides_are_checked_against_the_declarations():
    types = known_types()
    for setting in defaults.SETTINGS:
        assert types[setting.name] is (None if setting.optional else setting.kind)
    with pytest.raises(UsageError, match="must be 0 or more"):
        check_override("EXTRACT_TIMEOUT", "-1")
    with pytest.raises(UsageError, match="must be a whole number"):
        check_override("EXTRACT_WORKER_MAX_TASKS", "2.5")
    assert check_override("CRAWL_REVISIT_DAYS", "inf") is None


def test_reextract_honours_s_overrides():
    args = argparse.Namespace(
        workers=None, set=["EXTRACT_TIMEOUT=5", "ARCHIVE_BOILERPLATE_ENABLED=false"]
    )
    settings = reextract_settings(args)
    assert defaults.EXTRACT_TIMEOUT.get(settings) == 5.0
    assert defaults.ARCHIVE_BOILERPLATE_ENABLED.get(settings) is False
    args = argparse.Namespace(workers=2, set=[])
    assert defaults.EXTRACT_WORKERS.get(reextract_settings(args)) == 2


def test_reextract_refuses_a_bad_override_in_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "reextract",
            "--db",
            str(tmp_path / "a.db"),
            "-s",
            "EXTRACT_TIMEOUT=soon",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsarchive reextract: -s EXTRACT_TIMEOUT=soon: must be a number"
    ]
