"""The crawler process's start-up heap is frozen while the spider runs, and only then."""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterator

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.gcfreeze import FreezeStartupHeap
from tests.support.cli import run_cli


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_heap_is_frozen_from_spider_open_to_close(unfrozen):
    crawler = get_crawler(settings_dict={"GC_FREEZE_ENABLED": True})
    extension = FreezeStartupHeap.from_crawler(crawler)
    assert gc.get_freeze_count() == 0

    extension.spider_opened(crawler.spider)
    frozen = gc.get_freeze_count()
    # this test process holds pytest's, Scrapy's and Twisted's modules: far more objects
    assert frozen > 10_000
    assert crawler.stats is not None
    assert crawler.stats.get_value("newsarchive/gc_frozen_objects") == frozen
    # objects made afterwards are the collector's as before
    cycle: list[object] = []
    cycle.append(cycle)
    assert gc.is_tracked(cycle) and gc.get_freeze_count() == frozen

    extension.spider_closed(crawler.spider)
    assert gc.get_freeze_count() == 0


def test_the_setting_turns_it_off():
    crawler = get_crawler(settings_dict={"GC_FREEZE_ENABLED": False, "GC_GEN0_THRESHOLD": 0})
    with pytest.raises(NotConfigured):
        FreezeStartupHeap.from_crawler(crawler)


@pytest.fixture
def threshold() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def test_young_objects_are_collected_less_often_while_the_spider_runs(unfrozen, threshold):
    crawler = get_crawler(settings_dict={"GC_FREEZE_ENABLED": False, "GC_GEN0_THRESHOLD": 50_000})
    extension = FreezeStartupHeap.from_crawler(crawler)

    extension.spider_opened(crawler.spider)
    assert gc.get_threshold() == (50_000, *threshold[1:])
    assert gc.get_freeze_count() == 0  # freezing stays off
    # a cycle made now is still found by a collection
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1

    extension.spider_closed(crawler.spider)
    assert gc.get_threshold() == threshold


def test_a_zero_threshold_leaves_pythons_own(unfrozen, threshold):
    crawler = get_crawler(settings_dict={"GC_FREEZE_ENABLED": True, "GC_GEN0_THRESHOLD": 0})
    extension = FreezeStartupHeap.from_crawler(crawler)
    extension.spider_opened(crawler.spider)
    assert gc.get_threshold() == threshold
    extension.spider_closed(crawler.spider)
    assert gc.get_threshold() == threshold


@pytest.mark.slow  # a crawl in a subprocess
def test_a_crawl_records_how_many_objects_it_froze(tmp_path, mockserver):
    result = run_cli("crawl", mockserver.url("blog", "/atom.xml"), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "archive.db")
    (stats,) = db.execute("SELECT stats FROM crawl_runs").fetchone()
    db.close()
    # Scrapy, Twisted, SQLAlchemy and lxml alone leave over 100,000 objects at start-up
    assert json.loads(stats)["newsarchive/gc_frozen_objects"] > 50_000
