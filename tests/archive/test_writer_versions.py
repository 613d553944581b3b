"""Why a version is made: a paywall lifted, a live blog's updates, an edit; a teaser
never replaces a story archived in full. On both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from archive.models import Article, Version
from archive.tables import VersionReason
from archive.writer import ArchiveWriter, Outcome
from tests.support.records import T0, record

URL = "https://news.example.com/2024/05/12/report/"
TEASER = "The council kept the harbour report secret."
FULL = TEASER + " It warned of cracks in the quay wall. Repairs would cost millions."


def versions(engine) -> list[tuple[int, str, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Version.version, Version.reason, Version.paywalled).order_by(Version.version)
        )
        return [tuple(row) for row in rows]


def paywalled_article(engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.scalar(select(Article.paywalled)))


def test_a_full_capture_after_a_paywalled_teaser_is_the_paywall_lifted(engine):
    writer = ArchiveWriter(engine)
    [first] = writer.write_batch([replace(record(URL, TEASER), paywalled=True)])
    assert first.outcome is Outcome.NEW and paywalled_article(engine)
    [second] = writer.write_batch([record(URL, FULL)])
    assert (second.outcome, second.reason) == (Outcome.UPDATED, "paywall_lifted")
    assert versions(engine) == [(1, "first", True), (2, "paywall_lifted", False)]
    assert not paywalled_article(engine)
    # then the publisher corrects the story: an edit
    [third] = writer.write_batch([record(URL, FULL + " Updated.")])
    assert third.reason == VersionReason.EDIT
    assert versions(engine)[-1] == (3, "edit", False)


def test_a_teaser_after_the_full_story_keeps_the_story(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(URL, FULL)])
    [again] = writer.write_batch([replace(record(URL, TEASER), paywalled=True)])
    assert again.outcome is Outcome.UNCHANGED
    with engine.connect() as conn:
        assert conn.scalar(select(Article.text)) == FULL
    assert versions(engine) == [(1, "first", False)]
    assert not paywalled_article(engine)


def test_a_changed_teaser_is_an_edit_still_behind_the_paywall(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([replace(record(URL, TEASER), paywalled=True)])
    writer.write_batch([replace(record(URL, TEASER + " Now."), paywalled=True)])
    assert versions(engine) == [(1, "first", True), (2, "edit", True)]


def test_a_live_blogs_new_updates_are_a_version_with_their_time(engine):
    writer = ArchiveWriter(engine)
    at_ten = T0 + timedelta(hours=2)
    live = replace(record(URL, "Update one."), live=True, modified_at=at_ten)
    writer.write_batch([live])
    later = replace(live, text="Update two.\nUpdate one.", modified_at=at_ten + timedelta(hours=1))
    later.content_hash = record(URL, later.text).content_hash
    [result] = writer.write_batch([later])
    assert (result.outcome, result.reason) == (Outcome.UPDATED, "live_update")
    with engine.connect() as conn:
        rows = conn.execute(
            select(Version.version, Version.reason, Version.modified_at).order_by(Version.version)
        ).all()
        assert conn.scalar(select(Article.modified_at)) == at_ten + timedelta(hours=1)
    assert [tuple(r) for r in rows] == [
        (1, "first", at_ten),
        (2, "live_update", at_ten + timedelta(hours=1)),
    ]
