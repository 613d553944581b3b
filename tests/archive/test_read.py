"""The read API on SQLite and PostgreSQL: fields, every filter, versions, clusters, captures."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from archive import open_archive
from archive.bodies import payload_digest
from archive.read import ARTICLE_FIELDS, ArticleFilter
from archive.search import QueryError
from archive.writer import CrawlRuns
from tests.support.cli import ROOT, cli_env
from tests.support.corpus import (
    BATTERY,
    CHANGED,
    CHANGED_AT,
    CLUSTERED,
    EXPECTED,
    HARBOUR,
    RAIL,
    REEXTRACTED,
    SEEN_AFTER_PUBLISHED,
    html_of,
    url_of,
)

MAY_1 = datetime(2024, 5, 1, tzinfo=UTC)
MAY_15 = datetime(2024, 5, 15, tzinfo=UTC)


def published(path: str) -> datetime:
    return datetime.fromisoformat(
        next(a for a in EXPECTED["articles"] if a["path"] == path)["published_at"]
    )


def ids_where(corpus, test) -> set[int]:
    return {corpus.id(a["path"]) for a in EXPECTED["articles"] if test(a)}


def test_articles_come_back_by_id_with_every_field_typed(corpus):
    with open_archive(corpus.url) as arc:
        articles = list(arc.articles())
    assert [a["id"] for a in articles] == sorted([*corpus.ids.values(), corpus.copy_id])
    assert all(tuple(a) == ARTICLE_FIELDS for a in articles)
    harbour = next(a for a in articles if a["id"] == corpus.id(HARBOUR))
    assert harbour["title"] == "Harbour expansion approved after two-year review"
    assert harbour["urls"] == [
        url_of("news", HARBOUR),
        url_of("news", "/?p=123"),
        url_of("news", HARBOUR + "?utm_source=newsletter&utm_medium=email"),
    ]
    assert harbour["authors"] == ["Maria Okafor"] and harbour["tags"][0] == "harbour"
    assert harbour["published_at"] == published(HARBOUR)
    for article in articles:
        for name in ("published_at", "first_seen_at", "last_seen_at", "updated_at"):
            assert article[name].utcoffset() == timedelta(0), name
    copy = articles[-1]
    assert (copy["site"], copy["duplicate_of"]) == ("copy.example", corpus.id(HARBOUR))
    assert (copy["version"], harbour["version"], harbour["duplicate_of"]) == (1, 1, None)


def test_site_and_language_filters(corpus):
    with open_archive(corpus.url) as arc:
        blog = {a["id"] for a in arc.articles(site="blog.example")}
        two = {a["id"] for a in arc.articles(site=["blog.example", "daily.example"])}
        german = [a["title"] for a in arc.articles(language="de")]
        news_en = list(arc.articles(ArticleFilter(site="news.example"), language="en"))
    assert blog == ids_where(corpus, lambda a: a["site"] == "blog")
    assert two == ids_where(corpus, lambda a: a["site"] in ("blog", "daily"))
    assert german == ["Mit dem Nachtzug nach Wien: ein Erfahrungsbericht"]
    assert len(news_en) == 11


def test_a_language_filter_is_asked_in_the_stored_form(corpus):
    """A reader types the tag they know ("DE", "en-US", "en_GB"): the archive stores
    ISO 639-1 codes, and the filter asks in that form; what is no tag matches nothing."""
    with open_archive(corpus.url) as arc:
        german = [a["title"] for a in arc.articles(language="DE")]
        english = {a["id"] for a in arc.articles(language=["en-US", "en_GB"])}
        stored_english = {a["id"] for a in arc.articles(language="en")}
        nothing = list(arc.articles(language="not a language"))
    assert german == ["Mit dem Nachtzug nach Wien: ein Erfahrungsbericht"]
    assert english == stored_english and english
    assert nothing == []


def test_publication_date_range(corpus):
    with open_archive(corpus.url) as arc:
        got = {a["id"] for a in arc.articles(published_since=MAY_1, published_until=MAY_15)}
    want = ids_where(corpus, lambda a: MAY_1 <= datetime.fromisoformat(a["published_at"]) < MAY_15)
    assert got == want | {corpus.copy_id}
    assert len(want) == 11


def test_first_seen_range(corpus):
    since, until = MAY_1 + SEEN_AFTER_PUBLISHED, MAY_15 + SEEN_AFTER_PUBLISHED
    with open_archive(corpus.url) as arc:
        got = {a["id"] for a in arc.articles(since=since, until=until)}
        after = {a["id"] for a in arc.articles(since=datetime(2024, 6, 1, tzinfo=UTC))}
    assert got == ids_where(
        corpus, lambda a: MAY_1 <= datetime.fromisoformat(a["published_at"]) < MAY_15
    ) | {corpus.copy_id}
    assert after == ids_where(corpus, lambda a: a["published_at"] >= "2024-06-01")


def test_changed_since_finds_new_versions_and_clustering_for_incremental_syncs(corpus):
    with open_archive(corpus.url) as arc:
        changed = {a["id"] for a in arc.articles(changed_since=CHANGED_AT)}
        clustered = {a["id"] for a in arc.articles(changed_since=CLUSTERED)}
        later = list(arc.articles(changed_since=CLUSTERED + timedelta(seconds=1)))
    assert changed == {corpus.id(CHANGED), corpus.id(REEXTRACTED), corpus.id(RAIL[1])}
    assert clustered == {corpus.id(RAIL[1])}  # joined its story's cluster
    assert later == []


def test_text_query_and_duplicates_filters(corpus):
    with open_archive(corpus.url) as arc:
        harbour = {a["id"] for a in arc.articles(query="harbour")}
        originals = {
            a["id"] for a in arc.articles(query="harbour", where=None) if a["duplicate_of"] is None
        }
        no_copies = {
            a["id"] for a in arc.articles(ArticleFilter(query="harbour", include_duplicates=False))
        }
    assert corpus.id(HARBOUR) in harbour and corpus.copy_id in harbour
    assert len(harbour) == 4
    assert no_copies == originals == harbour - {corpus.copy_id}


def test_versions_and_cluster_members_on_demand(corpus):
    with open_archive(corpus.url) as arc:
        plain = next(arc.articles())
        full = {a["id"]: a for a in arc.articles(with_versions=True, with_cluster=True)}
        one = arc.article(corpus.id(CHANGED))
        versions = arc.versions(corpus.id(CHANGED))
        cluster = arc.cluster(corpus.id(RAIL[0]))
        copies = arc.cluster(corpus.id(HARBOUR))
        assert arc.article(10**9) is None
    assert "versions" not in plain and "cluster_members" not in plain
    changed = full[corpus.id(CHANGED)]
    assert [v["version"] for v in changed["versions"]] == [1, 2] == [v["version"] for v in versions]
    assert changed["versions"][1]["text"] == changed["text"] != changed["versions"][0]["text"]
    assert changed["text"].endswith("Update: the talks were adjourned until Friday.")
    assert one is not None and one["versions"] == changed["versions"]
    rail = sorted(map(corpus.id, RAIL))
    assert full[rail[0]]["cluster_members"] == rail == full[rail[1]]["cluster_members"]
    assert full[rail[1]]["cluster_id"] == rail[0] and full[rail[1]]["cluster_similarity"] == 0.82
    assert full[rail[0]]["cluster_id"] == rail[0] and full[rail[0]]["cluster_similarity"] == 1.0
    # an exact copy on another site joins its first copy's cluster; others stand alone
    harbour = [corpus.id(HARBOUR), corpus.copy_id]
    assert full[corpus.id(HARBOUR)]["cluster_members"] == harbour
    assert full[corpus.id(CHANGED)]["cluster_members"] == [corpus.id(CHANGED)]
    assert one["cluster_members"] == [corpus.id(CHANGED)]
    assert [(m["id"], m["similarity"]) for m in cluster] == [(rail[0], 1.0), (rail[1], 0.82)]
    assert [m["id"] for m in copies] == harbour


def test_small_chunks_stream_the_same_articles(corpus):
    with open_archive(corpus.url) as arc:
        whole = list(arc.articles(with_versions=True, with_cluster=True))
        chunked = list(arc.articles(with_versions=True, with_cluster=True, chunk_size=3))
        assert arc.count() == len(whole)
        assert arc.count(ArticleFilter(site="wire.example")) == 6
    assert chunked == whole


def test_naive_dates_and_empty_queries_are_refused():
    with pytest.raises(ValueError, match="naive"):
        ArticleFilter(since=datetime(2024, 5, 1))
    with pytest.raises(QueryError, match="no word"):
        ArticleFilter(query="-sport")


def test_article_captures_give_raw_pages_and_every_url(corpus):
    with open_archive(corpus.url) as arc:
        groups = {g.article_id: g for g in arc.article_captures()}
        wire = list(arc.article_captures(ArticleFilter(site="wire.example")))
    assert len(groups) == len(corpus.ids) + 1 and len(wire) == 6
    harbour = groups[corpus.id(HARBOUR)]
    [capture] = harbour.captures
    assert capture["body"] == html_of("news", HARBOUR)
    assert capture["payload_digest"] == payload_digest(capture["body"])
    assert capture["version"] == 1 and capture["status"] == 200
    assert [u for u, _ in harbour.urls][1] == url_of("news", "/?p=123")
    battery = groups[corpus.id(BATTERY)].captures[0]
    assert (battery["url"], battery["final_url"]) == (
        url_of("news", "/2024/05/08/battery-plant-opens/"),
        url_of("news", BATTERY),
    )
    rates = groups[corpus.id(REEXTRACTED)].captures
    assert [c["version"] for c in rates] == [1, 2]
    assert rates[0]["payload_digest"] == rates[1]["payload_digest"]
    changed = groups[corpus.id(CHANGED)].captures
    assert changed[0]["payload_digest"] != changed[1]["payload_digest"]


def test_daily_counts_per_site(corpus):
    today = datetime(2024, 5, 14, 23, 0, tzinfo=UTC)
    with open_archive(corpus.url) as arc:
        daily = arc.daily_counts(7, today=today)
    news = [0] * 7
    for a in EXPECTED["articles"]:
        day = (datetime.fromisoformat(a["published_at"]) + SEEN_AFTER_PUBLISHED).date()
        index = (day - today.date()).days + 6
        if a["site"] == "news" and 0 <= index < 7:
            news[index] += 1
    assert daily["news.example"] == news and sum(news) == 7
    assert daily["copy.example"] == [0, 0, 0, 0, 1, 0, 0]  # 8 to 14 May: the copy on the 12th
    assert "blog.example" not in daily


def test_site_outcomes_sum_the_runs_since(db_url):
    from archive.engine import create_archive_engine, upgrade_archive

    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    runs = CrawlRuns(engine)
    for counts in (
        {("a.example", "articles/new"): 3, ("a.example", "failed/extract_timeout"): 1},
        {("a.example", "articles/new"): 2, ("b.example", "skipped/listing"): 4},
    ):
        run_id = runs.start_run({})
        runs.finish_run(run_id, "finished", "finished", {}, counts)
    engine.dispose()
    with open_archive(db_url) as arc:
        recent = arc.site_outcomes(since=datetime.now(UTC) - timedelta(days=1))
        none = arc.site_outcomes(since=datetime.now(UTC) + timedelta(days=1))
    assert recent == {
        "a.example": {"articles/new": 5, "failed/extract_timeout": 1},
        "b.example": {"skipped/listing": 4},
    }
    assert none == {}


def test_importing_archive_does_not_import_scrapy():
    code = (
        "import sys, archive, archive.read, archive.search, archive.export, "
        "archive.arrow, archive.export.jsonl, archive.export.csv, archive.export.parquet, archive.export.warc\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted', 'crawler', 'pipelines')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
