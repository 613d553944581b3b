"""Outcome names and stats keys are declared once (archive/outcomes.py), documented in
docs/schema.md from the declarations, and written nowhere else as literals."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from archive import outcomes
from archive.outcomes import (
    PREFIX,
    ArticleOutcome,
    BlockReason,
    FailReason,
    Group,
    Kind,
    SkipReason,
    Stat,
    outcome,
    stats_key,
)
from crawler.items import PageItem
from pipelines.classify import ClassifyPipeline
from pipelines.extract import PageDropped
from pipelines.extraction.model import Extracted
from pipelines.runs import drop_outcome
from pipelines.screen import Refusal, screen_page

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("crawler", "pipelines", "archive", "web")
# A stats key written out: "newsarchive/" then a lower-case name.
LITERAL_KEY = re.compile(r"""["']newsarchive/[a-z_{]""")


def test_docs_schema_lists_every_outcome_from_the_declarations():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert outcomes.with_outcomes_doc(doc) == doc, "run: python -m archive.outcomes"
    for enum in (ArticleOutcome, SkipReason, FailReason, BlockReason):
        for member in enum:
            assert f"`{member.value}`" in doc, member
    for key in [*Stat, *Group]:
        assert f"`{key.removeprefix(PREFIX)}`" in doc, key


def test_the_generator_checks_and_rewrites(tmp_path, monkeypatch):
    stale = tmp_path / "schema.md"
    stale.write_text(
        f"# Schema\n\n{outcomes.DOC_START}old list\n{outcomes.DOC_END}\nmore\n", encoding="utf-8"
    )
    monkeypatch.setattr(outcomes, "DOC_PATH", stale)
    monkeypatch.setattr(sys, "argv", ["archive.outcomes", "--check"])
    assert outcomes.main() == 1
    monkeypatch.setattr(sys, "argv", ["archive.outcomes"])
    assert outcomes.main() == 0
    text = stale.read_text(encoding="utf-8")
    assert "old list" not in text and text.endswith("more\n")
    assert f"`{SkipReason.LISTING}`" in text


def test_no_stats_key_is_written_out_anywhere_else():
    """Every ``newsarchive/...`` key is named through archive/outcomes.py."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "archive" / "outcomes.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                # the user agent and WARC "software" name newsarchive/<version>
                if LITERAL_KEY.search(line) and not re.search(r"USER_AGENT|_version\(", line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_checker_sees_a_literal_key():
    assert LITERAL_KEY.search('stats.inc_value("newsarchive/pages")')
    assert LITERAL_KEY.search("f'newsarchive/{kind}'")
    assert not LITERAL_KEY.search('USER_AGENT = "newsarchive/0.1 (...)"'.replace("0.1", "0"))


def test_names_are_the_strings_archives_hold():
    """Members are the very strings stored in crawl_runs and crawl_run_outcomes."""
    assert outcome(Kind.SKIPPED, SkipReason.LISTING) == "skipped/listing"
    assert stats_key(outcome(Kind.FAILED, FailReason.TIMEOUT)) == "newsarchive/failed/timeout"
    assert Group.STARTS.of("sitemap") == "newsarchive/starts/sitemap"
    assert Stat.PAGES == "newsarchive/pages"
    assert {"new": 1}[ArticleOutcome.NEW] == 1
    for enum in (ArticleOutcome, SkipReason, FailReason, BlockReason, Stat, Group):
        values = [member.value for member in enum]
        assert len(values) == len(set(values)), enum


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", SkipReason.EMPTY),
        (b"%PDF-1.7 ...", SkipReason.PDF),
        (b"\x89PNG....", SkipReason.BINARY),
    ],
)
def test_the_screen_refuses_with_declared_reasons(body, reason):
    refused = screen_page(body, "utf-8")
    assert isinstance(refused, Refusal)
    assert (refused.outcome, refused.reason) == (Kind.SKIPPED, reason)


def page(url: str, text: str) -> PageItem:
    item = PageItem(
        url=url,
        final_url=url,
        status=200,
        headers=[],
        body=b"<html></html>",
        encoding="utf-8",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        site="news.example",
        source="page",
    )
    item.extracted = Extracted(url=url, text=text)
    return item


def test_a_page_that_is_no_article_is_dropped_with_its_outcome():
    """No "skip:" string is parsed: the verdict carries its SkipReason, the drop its key."""
    classify = ClassifyPipeline.from_crawler(get_crawler(Spider, {}))
    item = page("https://news.example/tag/politics/", "")
    with pytest.raises(PageDropped) as dropped:
        classify.process_item(item)
    assert dropped.value.key == "skipped/no_text"
    assert drop_outcome(dropped.value) == outcome(Kind.SKIPPED, SkipReason.NO_TEXT)
    assert classify.stats.get_value(stats_key("skipped/no_text")) == 1
