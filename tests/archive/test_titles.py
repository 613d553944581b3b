"""Title affixes learned from a site's titles (archive.titles, pure functions)."""

from __future__ import annotations

from sqlalchemy import select

from archive.models import Article, TitleSegment, Version
from archive.titles import learn_title_affixes, strip_learned_affixes
from archive.writer import ArchiveWriter, Outcome
from tests.support.records import record


def test_title_suffix_learned_from_a_site():
    # the site names itself nowhere in its markup; its titles all end the same way
    titles = [
        "The Best Portable Speaker for 2026 \u2013 PH Gear Lab",
        "Carry-on or checked? A packing guide \u2013 PH Gear Lab",
        "Ten travel backpacks, tested \u2013 PH Gear Lab",
        "Reviews \u2013 Rain jackets under $200 \u2013 PH Gear Lab",
        "Why we stopped recommending hard cases",
    ]
    affixes = learn_title_affixes(titles)
    assert strip_learned_affixes(titles[0], affixes) == "The Best Portable Speaker for 2026"
    assert strip_learned_affixes(titles[3], affixes) == "Reviews \u2013 Rain jackets under $200"
    assert strip_learned_affixes(titles[4], affixes) == titles[4]
    # a segment two titles share is not yet the site's: a headline can end like another
    few = learn_title_affixes(["A \u2013 Analysis", "B \u2013 Analysis", "C", "D", "E", "F"])
    assert strip_learned_affixes("G \u2013 Analysis", few) == "G \u2013 Analysis"
    assert strip_learned_affixes("PH Gear Lab", affixes) == "PH Gear Lab"  # never emptied


def test_title_affixes_learned_across_the_other_separators():
    # "Title « Blog" and a Chinese portal's unspaced "_" name the site as " | " does
    titles = [
        "Mayor resigns \u00ab Harbour Gazette",
        "Storm hits \u00ab Harbour Gazette",
        "Ferry late \u00ab Harbour Gazette",
    ]
    assert strip_learned_affixes(titles[0], learn_title_affixes(titles)) == "Mayor resigns"
    titles = [
        "记者手记_新浪新闻",
        "股市大涨_新浪新闻",
        "华为发布_新浪新闻",
    ]
    assert strip_learned_affixes(titles[2], learn_title_affixes(titles)) == "华为发布"
    # a Latin underscore or hyphen is no separator: nothing recurs
    titles = ["snake_case tips", "snake_case traps", "snake_case rules"]
    assert not learn_title_affixes(titles)


def test_the_writer_learns_a_site_suffix_and_cuts_it_from_earlier_titles(engine):
    writer = ArchiveWriter(engine)
    headlines = ["Harbour reopens", "Ferry strike", "Council votes", "Tram delays - again"]
    for index, headline in enumerate(headlines):  # one batch each: the first two come
        url = f"https://news.example.com/{index}/"  # before the suffix is learnable
        [result] = writer.write_batch(
            [record(url, f"Story {index}.", title=f"{headline} | Harbour Town Gazette")]
        )
        assert result.outcome is Outcome.NEW
    # another site's titles are its own
    writer.write_batch(
        [
            record(
                "https://other.example/a/",
                "Other.",
                site="other.example",
                title="Elsewhere | Harbour Town Gazette",
            )
        ]
    )
    with engine.connect() as conn:
        titles = dict(conn.execute(select(Article.url, Article.title)).all())
        versions = sorted(conn.scalars(select(Version.title)).all())
        counts = {
            (row.end, row.key): row.articles
            for row in conn.execute(select(TitleSegment))
            if row.site == "news.example.com"
        }
    assert [titles[f"https://news.example.com/{i}/"] for i in range(4)] == headlines
    assert titles["https://other.example/a/"] == "Elsewhere | Harbour Town Gazette"
    assert versions == sorted([*headlines, "Elsewhere | Harbour Town Gazette"])
    assert counts[("suffix", "harbourtowngazette")] == 4 and counts[("titles", "")] == 4
    # a re-capture of an article is not counted again, and keeps its title: unchanged
    [again] = writer.write_batch(
        [
            record(
                "https://news.example.com/0/",
                "Story 0.",
                title="Harbour reopens | Harbour Town Gazette",
            )
        ]
    )
    assert again.outcome is Outcome.UNCHANGED


def test_without_boilerplate_learning_titles_are_kept_as_extracted(engine):
    writer = ArchiveWriter(engine, boilerplate_policy=None)
    for index in range(4):
        writer.write_batch(
            [
                record(
                    f"https://news.example.com/{index}/",
                    f"Story {index}.",
                    title=f"Headline {index} | Harbour Town Gazette",
                )
            ]
        )
    with engine.connect() as conn:
        titles = conn.scalars(select(Article.title)).all()
    assert all(title.endswith(" | Harbour Town Gazette") for title in titles)
