"""The title step: each title cut of its site's learned affix (``archive.titles``).

Inside the batch transaction, with the boilerplate step (it runs when boilerplate
learning does): the batch's sites' segment counts are read, the batch's titles join
them for the decision (a site's first crawl writes its first articles in the batch
that teaches the affix), each record's title loses the affix, and the new articles'
titles as extracted are counted. When the counts give a site a new affix, its archived
titles (and their current versions) are cut too, so the site's titles agree. The title
as the page stated it stays in the article's capture (the page as fetched).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import and_, bindparam, insert, select, update

from archive.models import Article, TitleSegment, Version
from archive.titles import TitleAffixes, affixes_from_counts, end_keys, strip_learned_affixes
from archive.writer.records import ArticleRecord, Outcome, WriteResult

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TITLES = "titles"  # the ``end`` of the row counting a site's titled articles

_INSERT = insert(TitleSegment)
_ADD = (
    update(TitleSegment)
    .where(
        and_(
            TitleSegment.site == bindparam("b_site"),
            TitleSegment.end == bindparam("b_end"),
            TitleSegment.key == bindparam("b_key"),
        )
    )
    .values(articles=TitleSegment.articles + bindparam("b_add"))
)


class SiteTitles:
    """One site's counts: its titled articles and each (end, key) segment's."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, title: str) -> None:
        self.counts[(TITLES, "")] += 1
        for end, key in end_keys(title).items():
            self.counts[(end, key)] += 1

    def affixes(self) -> TitleAffixes:
        return affixes_from_counts(self.counts[(TITLES, "")], self.counts)


class Titles:
    """Cuts a batch's titles and counts the new articles' (see the module's docstring)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.stored: dict[str, SiteTitles] = {}
        self.sites: list[str] = []  # each record's site and title as extracted, in order
        self.stated: list[str | None] = []

    def stripped(self, records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
        """The records with their titles cut of their sites' affixes."""
        self.sites = [record.site for record in records]
        self.stated = [record.title for record in records]
        sites = sorted({record.site for record in records if record.title})
        self.stored = self._load(sites)
        seen: dict[str, SiteTitles] = {}
        for record in records:
            if record.title:
                site = seen.setdefault(record.site, self._copy(record.site))
                site.add(record.title)
        affixes = {site: counts.affixes() for site, counts in seen.items()}
        return [
            replace(record, title=strip_learned_affixes(record.title, affixes[record.site]))
            if record.title and affixes[record.site]
            else record
            for record in records
        ]

    def learn(self, results: Sequence[WriteResult]) -> None:
        """Count the new articles' titles as extracted; when a site's affixes change, cut
        its archived titles."""
        added: dict[str, SiteTitles] = {}
        for site, stated, result in zip(self.sites, self.stated, results, strict=True):
            if stated and result.outcome is Outcome.NEW:
                added.setdefault(site, SiteTitles()).add(stated)
        if not added:
            return
        self._save(added)
        for site, counts in added.items():
            before = self.stored.get(site, SiteTitles()).affixes()
            now = self._copy(site)
            now.counts.update(counts.counts)
            self.stored[site] = now
            affixes = now.affixes()
            if affixes and affixes != before:
                self._cut_archived(site, affixes)

    def _save(self, added: dict[str, SiteTitles]) -> None:
        updates, inserts = [], []
        for site, counts in added.items():
            known = self.stored.get(site, SiteTitles()).counts
            for (end, key), n in counts.counts.items():
                if (end, key) in known:
                    updates.append({"b_site": site, "b_end": end, "b_key": key, "b_add": n})
                else:
                    inserts.append({"site": site, "end": end, "key": key, "articles": n})
        if updates:
            self.conn.execute(_ADD, updates)
        if inserts:
            self.conn.execute(_INSERT, inserts)

    def _cut_archived(self, site: str, affixes: TitleAffixes) -> None:
        rows = self.conn.execute(
            select(Article.id, Article.version, Article.title).where(
                Article.site == site, Article.title.is_not(None)
            )
        ).all()
        changed = [
            {"b_id": row.id, "b_version": row.version, "b_title": cut}
            for row in rows
            if (cut := strip_learned_affixes(row.title, affixes)) != row.title
        ]
        if not changed:
            return
        self.conn.execute(
            update(Article)
            .where(Article.id == bindparam("b_id"))
            .values(title=bindparam("b_title")),
            changed,
        )
        self.conn.execute(
            update(Version)
            .where(
                Version.article_id == bindparam("b_id"), Version.version == bindparam("b_version")
            )
            .values(title=bindparam("b_title")),
            changed,
        )

    def load(self, sites: Iterable[str]) -> None:
        """Read the sites' counts, for :meth:`cut` (a re-extraction cuts, never counts)."""
        self.stored = self._load(sorted(set(sites)))

    def cut(self, site: str, title: str | None) -> str | None:
        """The title without its site's affixes, as the archive's counts stand."""
        if not title or site not in self.stored:
            return title
        return strip_learned_affixes(title, self.stored[site].affixes())

    def _copy(self, site: str) -> SiteTitles:
        copy = SiteTitles()
        copy.counts.update(self.stored.get(site, SiteTitles()).counts)
        return copy

    def _load(self, sites: list[str]) -> dict[str, SiteTitles]:
        loaded: dict[str, SiteTitles] = {}
        if not sites:
            return loaded
        rows = self.conn.execute(
            select(
                TitleSegment.site, TitleSegment.end, TitleSegment.key, TitleSegment.articles
            ).where(TitleSegment.site.in_(sites))
        )
        for site, end, key, articles in rows:
            loaded.setdefault(site, SiteTitles()).counts[(end, key)] = int(articles)
        return loaded
