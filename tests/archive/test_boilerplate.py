"""Site-level boilerplate: fingerprints, cleaning, and learning in the archive on both backends."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import neardup
from archive.boilerplate import (
    Policy,
    clean,
    counted_lines,
    extraction,
    fingerprint,
    normalise_line,
)
from archive.models import (
    Article,
    BoilerplateModel,
    BoilerplateSite,
    NearDupBand,
    NearDupSignature,
    Version,
)
from archive.text import content_hash
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, Outcome

SITE = "times.example.com"
PLUGIN = ["Subscribe to Times News", "Enter your email address:"]
RECURRING = "The ministry did not respond to a request for comment."
VOCABULARY = [
    "harbour",
    "council",
    "ferry",
    "bridge",
    "tender",
    "budget",
    "school",
    "museum",
    "river",
    "tram",
    "port",
    "clinic",
    "library",
    "market",
    "festival",
    "station",
    "tunnel",
    "airport",
    "stadium",
    "hospital",
    "minister",
    "mayor",
    "union",
    "strike",
    "court",
    "judge",
    "police",
    "farmer",
    "harvest",
    "storm",
    "flood",
    "drought",
    "bank",
    "loan",
    "tax",
    "pension",
    "teacher",
    "student",
    "nurse",
    "doctor",
    "engineer",
    "pilot",
    "sailor",
    "miner",
    "baker",
    "artist",
    "singer",
    "league",
    "coach",
    "goal",
    "season",
    "record",
    "price",
    "wage",
    "rent",
    "tenant",
    "landlord",
    "plan",
    "vote",
    "poll",
    "party",
    "leader",
    "rival",
]


def story(n: int, lines: int = 4) -> list[str]:
    """Story paragraphs that no other article shares, nor most of their word triples."""
    rng = random.Random(n)
    return [
        f"Paragraph {k} of story {n}: " + " ".join(rng.choices(VOCABULARY, k=18)) + "."
        for k in range(lines)
    ]


def record(n: int, lines: list[str], site: str = SITE, title: str | None = None) -> ArticleRecord:
    text = "\n".join(lines)
    url = f"https://{site}/news/{n}/"
    return ArticleRecord(
        url=url,
        urls=[url],
        site=site,
        text=text,
        content_hash=content_hash(text),
        title=title or f"Story {n}",
        capture=CaptureRecord(
            url=url,
            final_url=url,
            status=200,
            headers=[],
            body=f"<html><p>{n}</p></html>".encode(),
            fetched_at=datetime(2024, 6, 1, tzinfo=UTC),
        ),
    )


def with_plugin(n: int) -> list[str]:
    return [*story(n), *PLUGIN]


def texts(engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {row.id: row.text for row in conn.execute(select(Article.id, Article.text))}


def site_state(engine, site: str = SITE) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            select(BoilerplateSite.articles, BoilerplateSite.revision).where(
                BoilerplateSite.site == site
            )
        ).one()
    return row.articles, row.revision


def write_one_by_one(writer: ArchiveWriter, records: list[ArticleRecord]) -> None:
    for rec in records:
        [result] = writer.write_batch([rec])
        assert result.outcome in {Outcome.NEW, Outcome.DUPLICATE}, result


# --- pure functions ------------------------------------------------------------------------


def test_fingerprints_ignore_case_spacing_digits_and_compatibility_forms():
    assert normalise_line("  \uff33ubscribe   to NEWS  \t") == "subscribe to news"
    assert fingerprint("Subscribe to Times News") == fingerprint("subscribe  to times news")
    assert fingerprint("12 comments") == fingerprint("3 comments")
    assert fingerprint("Subscribe to Times News") != fingerprint("Subscribe to Times")


def test_fingerprints_are_stable_across_releases():
    # Stored counts and models are keyed by these values: changing the scheme needs a migration.
    assert fingerprint("Subscribe to Plugin Times News") == -3325762682060081964
    digest = hashlib.blake2b(b"back to top", digest_size=8, person=b"newsarchive-bp1").digest()
    assert fingerprint("Back to Top") == int.from_bytes(digest, "big", signed=True)


def test_only_distinct_short_lines_are_counted():
    long_line = " ".join(["word"] * 31)
    lines = counted_lines("\n".join(["Share this", long_line, "", "share  THIS", "Back"]), 30)
    assert sorted(lines.values()) == ["Back", "Share this"]


def test_cleaning_removes_model_runs_at_both_ends_only():
    model = frozenset(fingerprint(line) for line in ["Markets", *PLUGIN, RECURRING])
    lines = ["Markets", "Story one.", RECURRING, "Story two.", *PLUGIN]
    cleaned = clean("\n".join(lines), model)
    assert cleaned.text == f"Story one.\n{RECURRING}\nStory two."
    assert cleaned.head == ("Markets",) and cleaned.tail == tuple(PLUGIN)
    assert extraction(cleaned.text, cleaned.removed) == "\n".join(lines)


def test_cleaning_removes_model_lines_mid_story_only_on_strong_evidence():
    weak, block, everywhere = "Related Articles", ["Most read", "Top stories"], "Editor's picks"
    model = frozenset(fingerprint(line) for line in [*PLUGIN, RECURRING, weak, *block, everywhere])
    strong = frozenset({fingerprint(everywhere), fingerprint(RECURRING)})
    lines = [
        "Story one.",
        PLUGIN[0],  # a prompt to subscribe, alone between story lines
        "Story two.",
        RECURRING,  # a sentence, on most articles: stays
        "Story three.",
        weak,  # learned, alone, on few enough articles: stays
        "Story four.",
        *block,  # a block of learned lines
        "Story five.",
        everywhere,  # on (nearly) every article of the site
        "Story six.",
        PLUGIN[1],  # "Enter your email address:" at the end
    ]
    cleaned = clean("\n".join(lines), model, strong)
    assert cleaned.text.split("\n") == [
        "Story one.",
        "Story two.",
        RECURRING,
        "Story three.",
        weak,
        "Story four.",
        "Story five.",
        "Story six.",
    ]
    assert cleaned.tail == (PLUGIN[1],)
    assert cleaned.removed == {
        "head": [],
        "tail": [PLUGIN[1]],
        "middle": [[1, PLUGIN[0]], [7, block[0]], [8, block[1]], [10, everywhere]],
    }
    assert extraction(cleaned.text, cleaned.removed) == "\n".join(lines)
    # without the share evidence, a lone learned line that is not a prompt stays
    assert everywhere in clean("\n".join(lines), model).text.split("\n")


@pytest.mark.parametrize(
    "plugin",
    [
        ["Newsletter der Zeitung abonnieren", "Ihre E-Mail-Adresse:"],
        ["Recevez notre infolettre", "Votre adresse e-mail :"],
        ["Suscríbete al boletín", "Tu correo electrónico:"],
    ],
)
def test_a_sign_up_plugin_in_another_language_goes_from_mid_story(plugin):
    # learned lines, alone between story lines: only their prompt says they are furniture
    model = frozenset(fingerprint(line) for line in [*plugin, RECURRING])
    lines = ["Story one.", plugin[0], "Story two.", RECURRING, "Story three.", plugin[1], "Four."]
    cleaned = clean("\n".join(lines), model)
    assert cleaned.text.split("\n") == [
        "Story one.",
        "Story two.",
        RECURRING,
        "Story three.",
        "Four.",
    ]
    assert extraction(cleaned.text, cleaned.removed) == "\n".join(lines)


def test_cleaning_keeps_a_text_made_only_of_model_lines_and_ignores_an_empty_model():
    model = frozenset(fingerprint(line) for line in PLUGIN)
    only_plugin = "\n".join(PLUGIN)
    assert clean(only_plugin, model).text == only_plugin
    assert clean(only_plugin, model).removed is None
    assert clean(only_plugin, frozenset()).text == only_plugin


def test_policy_needs_enough_articles_and_checks_its_shares():
    policy = Policy(min_site_articles=6, min_line_articles=4, min_share=0.5, keep_share=0.4)
    assert policy.thresholds(5) is None
    assert policy.thresholds(6) == (4, 4)
    assert policy.thresholds(21) == (11, 9)
    with pytest.raises(ValueError, match="keep_share"):
        Policy(min_share=0.3, keep_share=0.5)
    with pytest.raises(ValueError, match="at least 1"):
        Policy(min_site_articles=0)


# --- learning in the archive ---------------------------------------------------------------


def test_a_site_with_too_few_articles_is_not_judged(engine):
    writer = ArchiveWriter(engine)
    write_one_by_one(writer, [record(n, with_plugin(n)) for n in range(5)])
    assert site_state(engine) == (5, 0)
    for text in texts(engine).values():
        assert text.endswith("\n".join(PLUGIN))


def test_recurring_tail_is_learned_and_earlier_articles_are_cleaned_without_new_versions(engine):
    writer = ArchiveWriter(engine)
    write_one_by_one(writer, [record(n, with_plugin(n)) for n in range(5)])
    with engine.connect() as conn:
        before = {
            row.id: row.updated_at for row in conn.execute(select(Article.id, Article.updated_at))
        }
    write_one_by_one(writer, [record(n, with_plugin(n)) for n in range(5, 8)])
    assert site_state(engine) == (8, 1)
    stored = texts(engine)
    assert len(stored) == 8
    for article_id, text in stored.items():
        assert text == "\n".join(story(article_id - 1))
    with Session(engine) as session:
        rows = session.scalars(select(Article)).all()
        versions = session.scalars(select(Version)).all()
        model = session.scalars(select(BoilerplateModel)).one()
    assert len(versions) == 8, "cleaning must not add versions"
    for article in rows:
        assert article.content_hash == content_hash(article.text)
        assert article.boilerplate == {"head": [], "tail": PLUGIN}
        assert article.boilerplate_revision == 1
        assert extraction(article.text, article.boilerplate) == "\n".join(
            with_plugin(article.id - 1)
        )
        if article.id in before:
            assert article.updated_at > before[article.id]
    for version in versions:
        assert version.text == stored[version.article_id]
        assert version.content_hash == content_hash(version.text)
    assert sorted(line["text"] for line in model.lines) == sorted(PLUGIN)
    # the 6th article was cleaned with the model its own batch replaced
    assert writer.recleaned == {*before, 6}


def test_a_short_line_repeated_inside_stories_stays(engine):
    # on every article, but a sentence between story lines: kept
    def lines(n: int) -> list[str]:
        first, *rest = story(n)
        return [first, RECURRING, *rest, *PLUGIN]

    ArchiveWriter(engine).write_batch([record(n, lines(n)) for n in range(8)])
    assert site_state(engine) == (8, 1)
    for article_id, text in texts(engine).items():
        assert RECURRING in text.split("\n")
        assert not set(PLUGIN) & set(text.split("\n")), article_id


def test_a_plugin_block_mid_story_is_removed_and_a_recurring_story_sentence_stays(engine):
    # the plugin injects its block between paragraphs 2 and 3 of every story; the ministry's
    # sentence is in half of the stories, so it is learned too, but it reads as a sentence
    def lines(n: int) -> list[str]:
        first, second, *rest = story(n)
        return [first, second, *PLUGIN, *([RECURRING] if n % 2 else []), *rest]

    ArchiveWriter(engine).write_batch([record(n, lines(n)) for n in range(8)])
    assert site_state(engine) == (8, 1)
    with Session(engine) as session:
        model = session.scalars(select(BoilerplateModel)).one()
        rows = session.scalars(select(Article)).all()
    assert sorted(line["text"] for line in model.lines) == sorted([*PLUGIN, RECURRING])
    assert len(rows) == 8
    for article in rows:
        n = article.id - 1
        kept = article.text.split("\n")
        assert not set(PLUGIN) & set(kept)
        assert (RECURRING in kept) == bool(n % 2)
        assert kept == [line for line in lines(n) if line not in PLUGIN]
        assert article.boilerplate == {
            "head": [],
            "tail": [],
            "middle": [[2, PLUGIN[0]], [3, PLUGIN[1]]],
        }
        assert extraction(article.text, article.boilerplate) == "\n".join(lines(n))
        assert article.content_hash == content_hash(article.text)


def test_a_short_story_line_ending_a_minority_of_stories_stays(engine):
    # at the very end of 3 stories of 8: the share guard keeps it
    records = [record(n, [*story(n), RECURRING] if n % 3 == 0 else story(n)) for n in range(8)]
    ArchiveWriter(engine).write_batch(records)
    assert site_state(engine) == (8, 0)
    assert sum(text.endswith(RECURRING) for text in texts(engine).values()) == 3


def test_a_line_on_only_a_few_pages_stays_even_at_a_high_share(engine):
    # 3 of 6 articles is half of them, but fewer than min_line_articles (4)
    records = [
        record(n, [*story(n), "Read the full report"] if n < 3 else story(n)) for n in range(6)
    ]
    ArchiveWriter(engine).write_batch(records)
    assert site_state(engine) == (6, 0)
    assert sum(text.endswith("Read the full report") for text in texts(engine).values()) == 3


def test_a_long_recurring_block_stays(engine):
    disclaimer = (
        "This article is part of our series on public infrastructure, supported by a grant "
        "from the regional development fund; the fund had no say over what we chose to "
        "report or how we reported it, and our editors alone decide what appears here."
    )
    assert len(disclaimer.split()) > Policy().max_words
    ArchiveWriter(engine).write_batch([record(n, [*story(n), disclaimer]) for n in range(8)])
    assert all(text.endswith(disclaimer) for text in texts(engine).values())


def test_articles_archived_before_the_learning_are_counted_and_cleaned_on_recapture(engine):
    ArchiveWriter(engine, boilerplate_policy=None).write_batch(
        [record(n, with_plugin(n)) for n in range(8)]
    )
    assert all(text.endswith(PLUGIN[-1]) for text in texts(engine).values())
    writer = ArchiveWriter(engine)
    results = writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    assert [r.outcome for r in results] == [Outcome.UNCHANGED] * 8
    assert site_state(engine) == (8, 1)
    assert all(not text.endswith(PLUGIN[-1]) for text in texts(engine).values())
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Version)) == 8


def test_a_story_edit_after_learning_is_a_new_version_and_both_versions_are_clean(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    edited = [*story(0), "A correction was added on Monday.", *PLUGIN]
    [result] = writer.write_batch([record(0, edited)])
    assert result.outcome is Outcome.UPDATED
    with engine.connect() as conn:
        versions = conn.execute(
            select(Version.version, Version.text)
            .where(Version.article_id == 1)
            .order_by(Version.version)
        ).all()
    assert versions == [
        (1, "\n".join(story(0))),
        (2, "\n".join([*story(0), "A correction was added on Monday."])),
    ]


def test_pages_differing_only_in_boilerplate_are_one_story(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    copy = record(100, story(3))  # the same story under another URL, without the plugin block
    [result] = writer.write_batch([copy])
    assert (result.outcome, result.article_id) == (Outcome.DUPLICATE, 4)


def test_when_a_line_stops_recurring_it_comes_back_into_the_texts(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    assert site_state(engine) == (8, 1)
    # 8 of 20 articles (0.40) keeps the line (keep_share 0.4); 8 of 21 drops it
    writer.write_batch([record(n, story(n)) for n in range(8, 20)])
    assert site_state(engine) == (20, 1)
    writer.write_batch([record(20, story(20))])
    assert site_state(engine) == (21, 2)
    stored = texts(engine)
    for n in range(8):
        assert stored[n + 1] == "\n".join(with_plugin(n))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Version)) == 21
        model = conn.scalar(select(BoilerplateModel.lines).where(BoilerplateModel.revision == 2))
    assert model == []


def test_two_writers_share_the_counts_and_the_model(engine):
    first, second = ArchiveWriter(engine), ArchiveWriter(engine)
    for n in range(8):
        (first if n % 2 else second).write_batch([record(n, with_plugin(n))])
    assert site_state(engine) == (8, 1)
    [late] = second.write_batch([record(9, with_plugin(9))])
    assert texts(engine)[late.article_id] == "\n".join(story(9))
    assert all(not text.endswith(PLUGIN[-1]) for text in texts(engine).values())


def test_sites_learn_separately(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    writer.write_batch([record(n, with_plugin(n), site="other.example.org") for n in range(4)])
    assert site_state(engine, "other.example.org") == (4, 0)
    with engine.connect() as conn:
        other = conn.scalars(select(Article.text).where(Article.site == "other.example.org")).all()
    assert all(text.endswith(PLUGIN[-1]) for text in other)


def test_cleaned_texts_are_reproducible_from_the_extraction_and_the_model(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(n, with_plugin(n)) for n in range(8)])
    with Session(engine) as session:
        models = {
            (row.site, row.revision): frozenset(line["fingerprint"] for line in row.lines)
            for row in session.scalars(select(BoilerplateModel))
        }
        for article in session.scalars(select(Article)):
            model = models[(article.site, article.boilerplate_revision)]
            original = "\n".join(with_plugin(article.id - 1))
            assert clean(original, model).text == article.text


def test_near_duplicate_signatures_describe_the_cleaned_texts(engine):
    def signed(n: int) -> ArticleRecord:
        rec = record(n, with_plugin(n))
        rec.signature = neardup.signature(rec.text)  # as the extraction worker signs it
        return rec

    writer = ArchiveWriter(engine)
    for n in range(8):  # 1-5 are re-cleaned once the model exists, 6-8 arrive after it
        writer.write_batch([signed(n)])
    with engine.connect() as conn:
        stored = {row.article_id: row.signature for row in conn.execute(select(NearDupSignature))}
    cleaned = texts(engine)
    assert set(stored) == set(cleaned)
    for article_id, text in cleaned.items():
        assert stored[article_id] == neardup.signature(text), article_id
        assert stored[article_id] != neardup.signature(text + "\n" + "\n".join(PLUGIN))
    with engine.connect() as conn:
        bands = {(row.key, row.article_id) for row in conn.execute(select(NearDupBand))}
        for article_id, text in cleaned.items():
            match = neardup.find_cluster(conn, neardup.signature(text), 0.99)
            assert match is not None and match.cluster_id == article_id
    assert bands == {
        (key, article_id) for article_id, sig in stored.items() for key in neardup.band_keys(sig)
    }


def test_re_cleaning_is_spread_over_batches_within_its_budget_and_finished_by_catch_up(engine):
    writer = ArchiveWriter(engine, reclean_budget=2)
    write_one_by_one(writer, [record(n, with_plugin(n)) for n in range(6)])
    assert site_state(engine) == (6, 1)
    assert writer.recleaned == {1, 2} and writer.pending == {SITE}
    writer.write_batch([record(6, with_plugin(6))])
    assert writer.recleaned == {1, 2, 3, 4}
    assert writer.catch_up() == 2
    assert writer.recleaned == {1, 2, 3, 4, 5, 6} and not writer.pending
    assert all(not text.endswith(PLUGIN[-1]) for text in texts(engine).values())
    assert writer.catch_up() == 0
