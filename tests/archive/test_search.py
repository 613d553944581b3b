"""Full-text search on SQLite FTS5 and PostgreSQL tsvector: ranking, syntax, sync on writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import delete, text, update

from archive import open_archive
from archive.engine import _alembic_config, create_archive_engine, upgrade_archive
from archive.models import Article, ArticleUrl, Capture, Version
from archive.read import ArticleFilter
from archive.search import Query, QueryError, Term, fts5_match, parse_query
from archive.writer import ArchiveWriter
from tests.support.corpus import CHANGED, HARBOUR, RAIL, by_path, record_of

# the revision the search index's migration follows
BEFORE_SEARCH = "0003_issue4_near_duplicates"
NIGHT_TRAINS = "/posts/night-trains-are-back/"
NACHTZUG = "/posts/nachtzug-nach-wien/"
STRIKE = "/stories/2024/04/port-workers-end-strike.html"
ELECTION = "/2024/05/03/election-observers-report-orderly-vote/"
COMET = "/stories/2024/04/telescope-captures-comet-images.html"
CORAL = "/2024/05/09/deep-sea-survey-finds-new-coral-species/"
MUSEUM = "/news/city-museum-reopens/"
TIDES = "/2024/05/14/coastal-towns-brace-for-record-tides/"


def hit_ids(arc, query, **kw) -> list[int]:
    return [h["id"] for h in arc.search(query, **kw)]


def test_a_title_match_ranks_above_a_passing_mention(corpus):
    with open_archive(corpus.url) as arc:
        hits = arc.search("harbour")
    # the harbour story and its cross-site copy name it in the headline; two texts mention it once
    assert {h["id"] for h in hits[:2]} == {corpus.id(HARBOUR), corpus.copy_id}
    assert {h["id"] for h in hits[2:]} == {corpus.id(MUSEUM), corpus.id(TIDES)}
    assert hits[0]["score"] >= hits[1]["score"] > hits[2]["score"] >= hits[3]["score"] > 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("night trains", [NIGHT_TRAINS]),
        ("NACHTZUG", [NACHTZUG]),
        ("port workers strike", [STRIKE]),
        ('"rail tender"', [RAIL[1]]),
        ("rail tender", [RAIL[1], RAIL[0]]),
        ("coral OR comet", None),
        ("elect*", None),
    ],
)
def test_ranking_on_the_fixture_articles(corpus, query, expected):
    with open_archive(corpus.url) as arc:
        got = hit_ids(arc, query)
    if query == "coral OR comet":
        assert set(got) == {corpus.id(COMET), corpus.id(CORAL)}
    elif query == "elect*":
        assert got[0] == corpus.id(ELECTION)  # "Election" in the headline, then "electric"...
        assert len(got) > 1
    else:
        assert got == [corpus.id(p) for p in expected]


def test_excluded_words_and_phrases(corpus):
    with open_archive(corpus.url) as arc:
        ministry = set(hit_ids(arc, "ministry", limit=50))
        without_rail = set(hit_ids(arc, "ministry -rail", limit=50))
        with_rail = set(hit_ids(arc, "ministry rail", limit=50))
        without_phrase = set(hit_ids(arc, 'ministry -"rail tender"', limit=50))
    assert corpus.id(RAIL[1]) in with_rail and corpus.id(HARBOUR) in with_rail
    assert without_rail == ministry - with_rail
    assert without_phrase == ministry - {corpus.id(RAIL[1])}


def test_filters_limit_and_snippets(corpus):
    with open_archive(corpus.url) as arc:
        news_only = arc.search("harbour", site="news.example")
        recent = arc.search("harbour", since=datetime(2024, 5, 13, tzinfo=UTC))
        where = arc.search("harbour", ArticleFilter(include_duplicates=False), limit=1)
        bold = arc.search("tender", highlight=("<b>", "</b>"))
    assert {h["site"] for h in news_only} == {"news.example"} and len(news_only) == 2
    assert {h["id"] for h in recent} == {corpus.id(TIDES), corpus.id(MUSEUM)}  # 14 May, June
    assert [h["id"] for h in where] == [corpus.id(HARBOUR)]
    # the snippet comes from the text: a headline-only match shows the text's start
    assert "<b>tender</b>" in bold[0]["snippet"].lower()
    assert all(h["snippet"] for h in bold)
    hit = next(h for h in recent if h["id"] == corpus.id(TIDES))
    assert hit["title"] == "Coastal towns brace for record spring tides"
    assert hit["published_at"] == datetime(2024, 5, 14, 5, 15, tzinfo=UTC)
    assert "[harbour]" in hit["snippet"].lower()


@pytest.mark.parametrize(
    "query",
    [
        "title:harbour",
        "NEAR(harbour port)",
        '"unclosed phrase',
        "harbour AND",
        "a*b",
        "(((",
        "covid-19",
        "^harbour",
        "harbour OR",
        "OR harbour",
        '""',
        "'; DROP TABLE articles;--",
        "harbour & port | !tide",
        "ü",
        "*",
        "harbour\x00",  # NUL ended FTS5's string ("unterminated string"); PostgreSQL refused it
        '"harbour\x00port" \x00-tide',
    ],
)
def test_any_typed_query_is_searched_or_refused_cleanly(corpus, query):
    with open_archive(corpus.url) as arc:
        try:
            hits = arc.search(query)
        except QueryError:
            assert query in ('""', "*", "(((")
        else:
            assert isinstance(hits, list)
        assert arc.count() == len(corpus.ids) + 1


def test_query_parsing():
    assert parse_query('harbour "port authority" -tide elect* OR vote') == Query(
        groups=(
            (Term("harbour"),),
            (Term("port authority", phrase=True),),
            (Term("elect", prefix=True), Term("vote")),
        ),
        excluded=(Term("tide"),),
    )
    assert fts5_match(parse_query('say "hi" title:x')) == '(("say") AND ("hi") AND ("title:x"))'
    assert fts5_match(parse_query('a"b -c')) == '(("a""b")) NOT "c"'
    assert parse_query('"port\x00authority" tide\x00') == parse_query('"port authority" tide')
    for empty in ("", "   ", "-only -negative", "OR", "!!!", "\x00"):
        with pytest.raises(QueryError):
            parse_query(empty)


# --- the index follows every write ----------------------------------------------------


def test_the_index_follows_new_articles_versions_edits_and_deletes(engine, db_url):
    writer = ArchiveWriter(engine)
    changed = by_path(CHANGED)
    [first] = writer.write_batch([record_of(changed)])
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "ceasefire") == [first.article_id]
        assert hit_ids(arc, "adjourned") == []
    text_v2 = "\n".join([*changed["paragraphs"], "Update: the talks were adjourned until Friday."])
    writer.write_batch([record_of(changed, text=text_v2, body=b"<html>v2</html>")])
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "adjourned") == [first.article_id]  # a new version
    with engine.begin() as conn:  # a re-extraction, or any tool, rewriting the row
        conn.execute(
            update(Article)
            .where(Article.id == first.article_id)
            .values(title="Truce negotiations stall", text="Nothing else remains.")
        )
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "truce") == [first.article_id]
        assert hit_ids(arc, "adjourned") == hit_ids(arc, "ceasefire") == []
    with engine.begin() as conn:
        for model in (Version, ArticleUrl, Capture):
            conn.execute(delete(model))
        conn.execute(delete(Article))
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "truce") == []


def test_an_unchanged_recrawl_leaves_the_index_alone(engine, db_url):
    writer = ArchiveWriter(engine)
    record = record_of(by_path(HARBOUR))
    [first] = writer.write_batch([record])
    [again] = writer.write_batch([record_of(by_path(HARBOUR))])
    assert again.outcome.value == "unchanged"
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "harbour") == [first.article_id]


def test_the_search_migration_follows_the_revision_tested_before_it():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from archive.engine import migrations_location

    config = Config()
    config.set_main_option("script_location", migrations_location())
    script = ScriptDirectory.from_config(config)
    search = next(r for r in script.walk_revisions() if "search" in r.revision)
    assert search.down_revision == BEFORE_SEARCH


def test_the_triggers_exist_at_head(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert {n for (n,) in names} >= {
                "articles_fts_insert",
                "articles_fts_update",
                "articles_fts_delete",
            }
        else:
            names = conn.execute(
                text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles'::regclass")
            )
            assert "articles_search_vector" in {n for (n,) in names}
            storage = conn.scalar(
                text(
                    "SELECT attstorage FROM pg_attribute "
                    "WHERE attrelid = 'articles'::regclass AND attname = 'search_vector'"
                )
            )
            assert storage == "m"  # kept in the row for ranking, not in TOAST


def test_upgrading_an_archive_with_articles_indexes_them(db_url):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    ArchiveWriter(engine).write_batch([record_of(by_path(HARBOUR)), record_of(by_path(NACHTZUG))])
    # The writer only speaks the newest schema: write there, then step back to before
    # the search index (articles stay), and upgrade again as an old archive would.
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), BEFORE_SEARCH)
    upgrade_archive(engine)
    engine.dispose()
    with open_archive(db_url) as arc:
        assert len(hit_ids(arc, "harbour")) == 1
        assert len(hit_ids(arc, "nachtzug")) == 1


def test_equal_scores_rank_by_id(engine, db_url):
    writer = ArchiveWriter(engine)
    now = datetime.now(UTC)
    records = []
    for n in range(3):
        record = record_of(by_path(HARBOUR), url=f"https://s{n}.example/a/", site=f"s{n}")
        record.capture.fetched_at = now - timedelta(minutes=n)
        records.append(record)
    results = writer.write_batch(records)
    with open_archive(db_url) as arc:
        assert hit_ids(arc, "harbour") == [r.article_id for r in results]
