"""Site-level boilerplate: short lines a site repeats on most of its articles, learned and removed.

trafilatura judges one page at a time, so a block that a CMS plugin injects inside the
story's own container ("Subscribe to ... News", "Enter your email address:") is story
text to it. The archive sees every article of a site: a short line that recurs on most
of them is the site's furniture, not its news.

**Learning.** Each article, once, adds one to the count of every distinct short line
(at most ``max_words`` words) of its extraction, keyed by a 64-bit fingerprint of the
line normalised (NFKC, case-folded, digit runs as ``0``, whitespace collapsed); a
re-capture or re-extraction that changes an article's extraction moves its counts from
the old lines to the new. The counts live in the archive, next to the articles
(``boilerplate_lines``; ``boilerplate_sites`` holds the articles counted per site), and
change inside the transaction that writes the articles, so every crawl writing to one
archive shares them. A site's model is the set of fingerprints with enough evidence:

- the site has at least ``min_site_articles`` counted articles (fewer: too few to
  judge, nothing is removed);
- the line is on at least ``min_line_articles`` of them and on at least ``min_share``
  of them; a line in the model stays until its share falls under ``keep_share``, so the
  model does not flap around the threshold.

Every change of the set is a new revision, stored with its lines' texts in
``boilerplate_models``: with a capture and the revision an article names, its text can
be reproduced exactly.

**Cleaning** removes the run of model lines at the top and the run at the bottom of a
text. Between story lines, a model line goes only on strong evidence (a plugin injecting
"Subscribe to ... News" / "Enter your email address:" in the middle of every story):

- it prompts the reader to subscribe, sign up or enter an email address, in any language
  of ``archive.prompts``; or
- it is not a sentence (no closing ``.``, ``!``, ``?`` or quote) and either sits next to
  another model line (a block of furniture) or is on at least ``STRONG_SHARE`` of the
  site's articles.

So a recurring story sentence between story lines stays (a "did not respond to a
request for comment" inside stories, even on every article), as does a long block (never
counted) or a line on few pages (never in the model). A text made only of model lines is
left whole. The lines removed are kept with the text (``{"head": [...], "tail": [...]}``,
plus ``"middle": [[index, line], ...]`` when lines went from between story lines, the
index being the line's position in the extraction), so the extraction is never lost and
re-cleaning under a new model needs no re-extraction. Cleaning one text costs one
fingerprint and one set lookup per line.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import bindparam, delete, insert, select, tuple_, update

from archive import neardup
from archive.engine import ArchiveError
from archive.models import (
    Article,
    BoilerplateLine,
    BoilerplateModel,
    BoilerplateSite,
    NearDupBand,
    NearDupSignature,
    Version,
)
from archive.prompts import EMAIL_FIELD, NEWSLETTER, SIGN_UP
from archive.tables import utcnow
from archive.text import content_hash

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, Row
    from sqlalchemy.sql.dml import Insert

logger = logging.getLogger(__name__)

# Bound parameters in one IN (...) list; SQLite allows 32,766, PostgreSQL 65,535.
IN_CHUNK = 900
# Articles re-cleaned per transaction, so other writers get the database between chunks.
RECLEAN_CHUNK = 500
# Articles searched for the text of a line that entered a model without being in the batch.
TEXT_SEARCH_ARTICLES = 5000

_PERSON = b"newsarchive-bp1"  # changes every fingerprint: never change it without a migration
_DIGITS = re.compile(r"\d+")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Policy:
    """How much evidence makes a line boilerplate (crawls take it from ARCHIVE_BOILERPLATE_*)."""

    min_site_articles: int = 6
    min_line_articles: int = 4
    min_share: float = 0.5
    keep_share: float = 0.4
    max_words: int = 30

    def __post_init__(self) -> None:
        if min(self.min_site_articles, self.min_line_articles, self.max_words) < 1:
            raise ValueError(f"boilerplate article counts and max words must be at least 1: {self}")
        if not 0 < self.keep_share <= self.min_share <= 1:
            raise ValueError(
                "boilerplate shares need 0 < keep_share <= min_share <= 1, not "
                f"keep_share={self.keep_share}, min_share={self.min_share}"
            )

    def thresholds(self, articles: int) -> tuple[int, int] | None:
        """The article counts at which a line of a site with ``articles`` counted articles
        enters the model and stays in it; None while the site has too few to judge."""
        if articles < self.min_site_articles:
            return None
        enter = max(self.min_line_articles, math.ceil(self.min_share * articles - 1e-9))
        keep = max(self.min_line_articles, math.ceil(self.keep_share * articles - 1e-9))
        return enter, keep

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_POLICY = Policy()


# --- lines and their fingerprints ----------------------------------------------------------


def normalise_line(line: str) -> str:
    """A line as compared across pages: NFKC, case-folded, digit runs as 0, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_DIGITS.sub("0", folded).split())


def fingerprint(line: str) -> int:
    """A signed 64-bit fingerprint of the normalised line, stable across processes and releases."""
    data = normalise_line(line).encode("utf-8")
    digest = hashlib.blake2b(data, digest_size=8, person=_PERSON).digest()
    return int.from_bytes(digest, "big", signed=True)


def counted_lines(text: str, max_words: int) -> dict[int, str]:
    """The distinct short lines of a text, by fingerprint (the first spelling of each)."""
    lines: dict[int, str] = {}
    for line in text.split("\n"):
        if 0 < len(line.split()) <= max_words:
            lines.setdefault(fingerprint(line), line)
    return lines


# --- cleaning ---------------------------------------------------------------------------------


# A model line on this share of the site's articles is furniture wherever it stands.
STRONG_SHARE = 0.8
# A prompt to subscribe / sign up / leave an email (in every language of archive.prompts):
# furniture wherever a model line says it.
_PROMPT = re.compile(
    rf"\b(?:{SIGN_UP}|{NEWSLETTER}|{EMAIL_FIELD}|subscription|sign-?up|unsubscribe)\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?\"\u201d\u2019)]$")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A text without its model lines, and the lines removed from each end and between."""

    text: str
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    middle: tuple[tuple[int, str], ...] = ()  # (index in the extraction, line)

    @property
    def removed(self) -> dict[str, Any] | None:
        """The removed lines as stored in ``articles.boilerplate``; None when there are none."""
        if not self.head and not self.tail and not self.middle:
            return None
        removed: dict[str, Any] = {"head": list(self.head), "tail": list(self.tail)}
        if self.middle:
            removed["middle"] = [[index, line] for index, line in self.middle]
        return removed


def is_prompt(line: str) -> bool:
    """A line asking the reader to subscribe, sign up or give an email address."""
    return bool(_PROMPT.search(line))


def is_sentence(line: str) -> bool:
    """A line that ends like a sentence of the story."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def middle_furniture(
    lines: list[str], known: list[bool], start: int, end: int, strong: frozenset[int]
) -> list[int]:
    """Indices of the model lines between ``start`` and ``end`` that go on strong evidence."""
    found: list[int] = []
    for index in range(start, end):
        if not known[index]:
            continue
        line = lines[index]
        furniture = not is_sentence(line) and (
            known[index - 1] or known[index + 1] or fingerprint(line) in strong
        )
        if furniture or is_prompt(line):
            found.append(index)
    return found


def clean(text: str, model: frozenset[int], strong: frozenset[int] = frozenset()) -> Cleaned:
    """Remove the runs of model lines at the top and the bottom of ``text``, and the model
    lines between story lines that the evidence condemns (see the module's docstring).

    ``strong`` holds the model lines on at least ``STRONG_SHARE`` of the site's articles.
    Deterministic: the same text and the same model give the same result. A text made
    only of model lines is kept whole.
    """
    if not model:
        return Cleaned(text)
    lines = text.split("\n")
    known = [fingerprint(line) in model for line in lines]
    start = 0
    while start < len(lines) and known[start]:
        start += 1
    if start == len(lines):
        return Cleaned(text)
    end = len(lines)
    while known[end - 1]:
        end -= 1
    middle = middle_furniture(lines, known, start, end, strong)
    if start == 0 and end == len(lines) and not middle:
        return Cleaned(text)
    gone = set(middle)
    kept = [line for index, line in enumerate(lines[start:end], start) if index not in gone]
    return Cleaned(
        "\n".join(kept),
        tuple(lines[:start]),
        tuple(lines[end:]),
        tuple((index, lines[index]) for index in middle),
    )


def extraction(text: str, removed: dict[str, Any] | None) -> str:
    """The extraction a stored text was cleaned from: its removed head, the text with its
    removed middle lines back in place, its tail."""
    if not removed:
        return text
    lines = [*removed.get("head", []), *text.split("\n")]
    for index, line in sorted(removed.get("middle", [])):
        lines.insert(index, line)
    return "\n".join([*lines, *removed.get("tail", [])])


# --- models -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteModel:
    """One revision of a site's model; revision 0 is the empty model."""

    revision: int = 0
    fingerprints: frozenset[int] = frozenset()
    strong: frozenset[int] = frozenset()  # lines on >= STRONG_SHARE of the site's articles

    def clean(self, text: str) -> Cleaned:
        return clean(text, self.fingerprints, self.strong)


def strong_lines(lines: dict[int, int], articles: int) -> frozenset[int]:
    """The model lines (fingerprint: articles holding it) on >= STRONG_SHARE of ``articles``."""
    return frozenset(fp for fp, n in lines.items() if articles and n >= STRONG_SHARE * articles)


EMPTY_MODEL = SiteModel()


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Models:
    """The current model of each site, cached by revision.

    A writer keeps one across its batches: a batch asks the archive for the revisions of
    its sites (one query) and reads a model's lines only when its revision moved.
    Not thread-safe: one writer thread uses it.
    """

    def __init__(self) -> None:
        self._cache: dict[str, SiteModel] = {}

    def current(self, conn: Connection, sites: Iterable[str]) -> dict[str, SiteModel]:
        """The current model of each site."""
        names = sorted(set(sites))
        revisions: dict[str, int] = {}
        for chunk in _chunks(names):
            query = select(BoilerplateSite.site, BoilerplateSite.revision).where(
                BoilerplateSite.site.in_(chunk)
            )
            revisions.update({site: revision for site, revision in conn.execute(query)})
        return {site: self.get(conn, site, revisions.get(site, 0)) for site in names}

    def get(self, conn: Connection, site: str, revision: int) -> SiteModel:
        """The model of ``site`` at ``revision``."""
        if revision == 0:
            return EMPTY_MODEL
        cached = self._cache.get(site)
        if cached is not None and cached.revision == revision:
            return cached
        row = conn.execute(
            select(BoilerplateModel.lines, BoilerplateModel.articles).where(
                BoilerplateModel.site == site, BoilerplateModel.revision == revision
            )
        ).first()
        if row is None:
            raise ArchiveError(f"boilerplate model {revision} of {site} is missing")
        counts = {int(line["fingerprint"]): int(line["articles"]) for line in row.lines}
        model = SiteModel(revision, frozenset(counts), strong_lines(counts, row.articles))
        self._cache[site] = model
        return model

    def put(self, site: str, model: SiteModel) -> None:
        self._cache[site] = model


def upsert(conn: Connection, table: Any) -> Insert:
    """An INSERT that can take ON CONFLICT, for the connection's backend."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise ArchiveError(f"boilerplate learning supports SQLite and PostgreSQL, not {conn.dialect}")


@dataclass
class _SiteCounts:
    articles: int = 0
    lines: Counter[int] = field(default_factory=Counter)
    texts: dict[int, str] = field(default_factory=dict)


class Learning:
    """Boilerplate within one write transaction: the models its articles are cleaned with,
    the counts its articles add, and the models those counts move."""

    def __init__(self, conn: Connection, policy: Policy, models: Models) -> None:
        self.conn = conn
        self.policy = policy
        self.models = models
        self.now = utcnow()
        self._counts: dict[str, _SiteCounts] = defaultdict(_SiteCounts)
        self._loaded: dict[str, SiteModel] = {}
        self._used: dict[str, set[int]] = defaultdict(set)

    # cleaning ---------------------------------------------------------------------------

    def load(self, sites: Iterable[str]) -> None:
        """Read the current models of ``sites`` once for the transaction."""
        missing = set(sites) - self._loaded.keys()
        if missing:
            self._loaded.update(self.models.current(self.conn, missing))

    def model(self, site: str) -> SiteModel:
        if site not in self._loaded:
            self.load([site])
        return self._loaded[site]

    def clean(self, site: str, text: str) -> tuple[Cleaned, int]:
        """``text`` cleaned with the site's model, and the model's revision."""
        model = self.model(site)
        self._used[site].add(model.revision)
        return model.clean(text), model.revision

    def clean_at(self, site: str, text: str, revision: int) -> Cleaned:
        """``text`` cleaned with the site's model at ``revision``."""
        self._used[site].add(revision)
        return self.models.get(self.conn, site, revision).clean(text)

    # counting ---------------------------------------------------------------------------

    def add(self, site: str, text: str) -> None:
        """Count a new article's extraction."""
        counts = self._counts[site]
        counts.articles += 1
        for fp, line in counted_lines(text, self.policy.max_words).items():
            counts.lines[fp] += 1
            counts.texts.setdefault(fp, line)

    def move(self, site: str, old: str, new: str) -> None:
        """Move a counted article's counts from its old extraction to its new one."""
        if old == new:
            return
        before = counted_lines(old, self.policy.max_words)
        after = counted_lines(new, self.policy.max_words)
        counts = self._counts[site]
        for fp in before.keys() - after.keys():
            counts.lines[fp] -= 1
        for fp in after.keys() - before.keys():
            counts.lines[fp] += 1
            counts.texts.setdefault(fp, after[fp])

    # judging ----------------------------------------------------------------------------

    def learn(self) -> set[str]:
        """Write the counts, judge the counted sites again, and return the sites whose
        archived articles need re-cleaning: their model moved, or a model other than the
        current one cleaned some of this transaction's articles.

        A fixed number of statements however many sites the batch holds: one upsert of
        the sites' article counts and one of their line counts (both returning the new
        counts), one read of the counts of model lines the batch did not touch.
        """
        stale: set[str] = set()
        sites = sorted(self._counts)
        if sites:
            state = self._count_sites(sites)
            counts = self._count_lines()
            models = {site: self.models.get(self.conn, site, state[site][1]) for site in sites}
            self._read_model_counts(models, counts)
            for site in sites:
                previous = state[site][1]
                revision = self._judge_site(site, state[site], models[site], counts[site])
                if revision != previous:
                    stale.add(site)
                self._loaded[site] = self.models.get(self.conn, site, revision)
        for site, used in self._used.items():
            if used != {self.model(site).revision}:
                stale.add(site)
        return stale

    def _count_sites(self, sites: list[str]) -> dict[str, tuple[int, int, dict[str, Any]]]:
        """Add the new articles to each site's count; each site's articles, revision, policy."""
        stmt = upsert(self.conn, BoilerplateSite)
        stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
            index_elements=["site"],
            set_={
                "articles": BoilerplateSite.articles + stmt.excluded.articles,  # type: ignore[attr-defined]
                "updated_at": stmt.excluded.updated_at,  # type: ignore[attr-defined]
            },
        ).returning(
            BoilerplateSite.site,
            BoilerplateSite.articles,
            BoilerplateSite.revision,
            BoilerplateSite.policy,
        )
        rows = [
            {
                "site": site,
                "articles": self._counts[site].articles,
                "revision": 0,
                "policy": self.policy.as_dict(),
                "updated_at": self.now,
            }
            for site in sites
        ]
        return {
            row.site: (int(row.articles), int(row.revision), dict(row.policy or {}))
            for row in self.conn.execute(stmt, rows)
        }

    def _count_lines(self) -> dict[str, dict[int, int]]:
        """Add the batch's line counts; the new count of every line it touched, per site."""
        counts: dict[str, dict[int, int]] = {site: {} for site in self._counts}
        rows = [
            {"site": site, "fingerprint": fp, "articles": n}
            for site in sorted(self._counts)
            for fp, n in sorted(self._counts[site].lines.items())
            if n != 0
        ]
        if not rows:
            return counts
        # Each returned row names its site and line, so the rows' order is not asked for:
        # on SQLite that would cost one statement per row (thousands per batch).
        stmt = upsert(self.conn, BoilerplateLine)
        stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
            index_elements=["site", "fingerprint"],
            set_={"articles": BoilerplateLine.articles + stmt.excluded.articles},  # type: ignore[attr-defined]
        ).returning(
            BoilerplateLine.site,
            BoilerplateLine.fingerprint,
            BoilerplateLine.articles,
        )
        for site, fp, n in self.conn.execute(stmt, rows):
            counts[site][int(fp)] = int(n)
        return counts

    def _read_model_counts(
        self, models: dict[str, SiteModel], counts: dict[str, dict[int, int]]
    ) -> None:
        """Add to ``counts`` those of the model lines the batch did not touch."""
        pairs = sorted(
            (site, fp)
            for site, model in models.items()
            for fp in model.fingerprints - counts[site].keys()
        )
        key = tuple_(BoilerplateLine.site, BoilerplateLine.fingerprint)
        for chunk in _chunks(pairs, IN_CHUNK // 2):
            query = select(
                BoilerplateLine.site, BoilerplateLine.fingerprint, BoilerplateLine.articles
            )
            for site, fp, n in self.conn.execute(query.where(key.in_(chunk))):
                counts[site][int(fp)] = int(n)

    def _judge_site(
        self,
        site: str,
        state: tuple[int, int, dict[str, Any]],
        model: SiteModel,
        counts: dict[int, int],
    ) -> int:
        """Judge the site's lines again; the revision of its model after.

        ``state`` is the site's articles, model revision and policy, as counted now.
        """
        articles, previous, policy = state
        rescan = policy != self.policy.as_dict()
        before = articles - self._counts[site].articles
        judged = self._judge(site, before, articles, model, counts, rescan=rescan)
        if judged is not None and judged.keys() != model.fingerprints:
            self._publish(site, previous + 1, articles, judged, self._counts[site].texts)
            return previous + 1
        if rescan:
            self._set_site(site, previous)
        return previous

    def _judge(
        self,
        site: str,
        before: int,
        articles: int,
        model: SiteModel,
        counts: dict[int, int],
        *,
        rescan: bool,
    ) -> dict[int, int] | None:
        """The site's boilerplate lines with their counts; None when nothing can have moved.

        A line enters the model only when its count reaches the entry threshold, which
        never falls as the site grows: so after the first judgement the lines counted
        now and those already in the model (``counts``) are all that can move.
        """
        thresholds = self.policy.thresholds(articles)
        if thresholds is None:
            return {} if model.fingerprints else None
        enter, keep = thresholds
        if rescan or before < self.policy.min_site_articles:
            query = select(BoilerplateLine.fingerprint, BoilerplateLine.articles).where(
                BoilerplateLine.site == site, BoilerplateLine.articles >= keep
            )
            counts = {int(fp): int(n) for fp, n in self.conn.execute(query)}
        return {
            fp: n
            for fp, n in counts.items()
            if n >= enter or (n >= keep and fp in model.fingerprints)
        }

    def _publish(
        self, site: str, revision: int, articles: int, lines: dict[int, int], texts: dict[int, str]
    ) -> None:
        known = {fp: texts[fp] for fp in lines if fp in texts}
        missing = lines.keys() - known.keys()
        if missing:
            known.update(find_line_texts(self.conn, site, missing, self.policy.max_words))
        ordered = sorted(
            lines.items(), key=lambda item: (-item[1], known.get(item[0]) or "", item[0])
        )
        entries = [{"fingerprint": fp, "text": known.get(fp), "articles": n} for fp, n in ordered]
        self.conn.execute(
            insert(BoilerplateModel).values(
                site=site, revision=revision, articles=articles, lines=entries, created_at=self.now
            )
        )
        self._set_site(site, revision)
        self.models.put(site, SiteModel(revision, frozenset(lines), strong_lines(lines, articles)))
        logger.info(
            "boilerplate of %s, revision %d from %d articles: %d lines",
            site,
            revision,
            articles,
            len(lines),
        )

    def _set_site(self, site: str, revision: int) -> None:
        self.conn.execute(
            update(BoilerplateSite)
            .where(BoilerplateSite.site == site)
            .values(revision=revision, policy=self.policy.as_dict(), updated_at=self.now)
        )


def find_line_texts(
    conn: Connection, site: str, fingerprints: set[int], max_words: int
) -> dict[int, str]:
    """The text of lines known only by fingerprint, read from the site's latest articles."""
    found: dict[int, str] = {}
    query = (
        select(Article.text, Article.boilerplate)
        .where(Article.site == site)
        .order_by(Article.id.desc())
        .limit(TEXT_SEARCH_ARTICLES)
    )
    for text, removed in conn.execute(query):
        for fp, line in counted_lines(extraction(text, removed), max_words).items():
            if fp in fingerprints:
                found.setdefault(fp, line)
        if len(found) == len(fingerprints):
            break
    return found


# --- re-cleaning archived articles --------------------------------------------------------


def recleaned(row: Row[Any], model: SiteModel) -> dict[str, Any] | None:
    """The update of a stored text (an article's or a version's: ``row`` has its id,
    text and boilerplate) cleaned again with ``model``; None when nothing changes."""
    cleaned = model.clean(extraction(row.text, row.boilerplate))
    if cleaned.text == row.text and cleaned.removed == row.boilerplate:
        return None
    return {
        "b_id": row.id,
        "b_text": cleaned.text,
        "b_boilerplate": cleaned.removed,
        "b_hash": content_hash(cleaned.text),
    }


def reclean_versions(conn: Connection, article_ids: Sequence[int], model: SiteModel) -> None:
    """Clean every version of these articles with ``model`` (versions follow their article)."""
    updates: list[dict[str, Any]] = []
    for chunk in _chunks(article_ids):
        query = select(Version.id, Version.text, Version.boilerplate).where(
            Version.article_id.in_(chunk)
        )
        for row in conn.execute(query):
            values = recleaned(row, model)
            if values is not None:
                updates.append(values)
    if updates:
        conn.execute(
            update(Version)
            .where(Version.id == bindparam("b_id"))
            .values(
                text=bindparam("b_text"),
                boilerplate=bindparam("b_boilerplate"),
                content_hash=bindparam("b_hash"),
            ),
            updates,
        )


def reclean_rows(
    conn: Connection, rows: Sequence[Row[Any]], model: SiteModel, now: datetime
) -> set[int]:
    """Clean archived articles and their versions with ``model``; the ids whose text changed.

    ``rows`` have the articles' id, text, boilerplate and version, read in this
    transaction (locked ``FOR UPDATE`` on PostgreSQL). Not a story edit: no version is
    added, but ``updated_at`` moves for every text that changed.
    """
    changed: list[dict[str, Any]] = []
    unchanged: list[int] = []
    for row in rows:
        values = recleaned(row, model)
        if values is None:
            unchanged.append(row.id)
        else:
            changed.append(values)
    if changed:
        conn.execute(
            update(Article)
            .where(Article.id == bindparam("b_id"))
            .values(
                text=bindparam("b_text"),
                boilerplate=bindparam("b_boilerplate"),
                content_hash=bindparam("b_hash"),
                boilerplate_revision=model.revision,
                updated_at=now,
            ),
            changed,
        )
    for chunk in _chunks(unchanged):
        conn.execute(
            update(Article).where(Article.id.in_(chunk)).values(boilerplate_revision=model.revision)
        )
    changed_ids = {values["b_id"] for values in changed}
    versioned = [row.id for row in rows if row.id in changed_ids or row.version > 1]
    reclean_versions(conn, versioned, model)
    resign(conn, {values["b_id"]: values["b_text"] for values in changed})
    return changed_ids


def resign(conn: Connection, texts: dict[int, str]) -> None:
    """Keep near-duplicate clustering describing these articles' new texts.

    A cluster's first article is indexed under its text's MinHash: it is re-signed. A
    later member's ``cluster_similarity`` is measured again against its first article.
    Membership itself does not change: a cluster is decided when an article arrives.
    """
    if not texts:
        return
    clusters: dict[int, int] = {}
    for chunk in _chunks(sorted(texts)):
        ids = select(Article.id, Article.cluster_id).where(
            Article.id.in_(chunk), Article.cluster_id.is_not(None)
        )
        clusters.update({int(a): int(c) for a, c in conn.execute(ids) if c is not None})
    _reindex_firsts(conn, texts, [a for a, c in clusters.items() if a == c])
    members = {a: c for a, c in clusters.items() if a != c}
    heads: dict[int, bytes] = {}
    for chunk in _chunks(sorted(set(members.values()))):
        signatures = select(NearDupSignature.article_id, NearDupSignature.signature).where(
            NearDupSignature.article_id.in_(chunk)
        )
        heads.update({int(a): bytes(sig) for a, sig in conn.execute(signatures)})
    updates = []
    for article_id, head in members.items():
        sig = neardup.signature(texts[article_id]) if head in heads else None
        if sig is not None:
            updates.append({"b_id": article_id, "b_sim": neardup.similarity(sig, heads[head])})
    if updates:
        conn.execute(
            update(Article)
            .where(Article.id == bindparam("b_id"))
            .values(cluster_similarity=bindparam("b_sim")),
            updates,
        )


def _reindex_firsts(conn: Connection, texts: dict[int, str], firsts: list[int]) -> None:
    """Re-index clusters' first articles under their new texts' signatures, in a few
    statements for all of them (``neardup.reindex_article`` does one article)."""
    for chunk in _chunks(sorted(firsts)):
        old = {
            int(a): bytes(sig)
            for a, sig in conn.execute(
                select(NearDupSignature.article_id, NearDupSignature.signature).where(
                    NearDupSignature.article_id.in_(chunk)
                )
            )
        }
        new = {a: neardup.signature(texts[a]) for a in sorted(old)}
        moved = {a: sig for a, sig in new.items() if sig is not None and sig != old[a]}
        if not moved:
            continue
        stale_bands = sorted({(key, a) for a in moved for key in neardup.band_keys(old[a])})
        band = tuple_(NearDupBand.key, NearDupBand.article_id)
        for bands in _chunks(stale_bands, IN_CHUNK // 2):
            conn.execute(delete(NearDupBand).where(band.in_(bands)))
        conn.execute(
            update(NearDupSignature)
            .where(NearDupSignature.article_id == bindparam("b_id"))
            .values(signature=bindparam("b_sig")),
            [{"b_id": a, "b_sig": sig} for a, sig in moved.items()],
        )
        conn.execute(
            insert(NearDupBand),
            [
                {"key": key, "article_id": a}
                for a, sig in moved.items()
                for key in dict.fromkeys(neardup.band_keys(sig))
            ],
        )


STALE_COLUMNS = (
    Article.id,
    Article.text,
    Article.boilerplate,
    Article.version,
    Article.boilerplate_revision,
)


def reclean_site(
    engine: Engine, site: str, models: Models | None = None, budget: int | None = None
) -> tuple[set[int], int, bool]:
    """Clean the site's articles cleaned with an older model than its current one, in
    transactions of at most ``RECLEAN_CHUNK`` articles, until none is left or ``budget``
    articles were done. The ids whose text changed, how many were done, and whether
    none is left.

    Each chunk reads the current model, so should it move meanwhile (another crawl
    writing), the articles done earlier become stale again and are done again.
    """
    models = models or Models()
    changed: set[int] = set()
    done = 0
    while budget is None or done < budget:
        size = RECLEAN_CHUNK if budget is None else min(RECLEAN_CHUNK, budget - done)
        with engine.begin() as conn:
            model = models.current(conn, [site])[site]
            rows = conn.execute(
                select(*STALE_COLUMNS)
                .where(Article.site == site, Article.boilerplate_revision < model.revision)
                .order_by(Article.id)
                .limit(size)
                .with_for_update()
            ).all()
            changed |= reclean_rows(conn, rows, model, utcnow())
        done += len(rows)
        if len(rows) < size:
            return changed, done, True
    return changed, done, False


def stale_sites(conn: Connection, sites: Iterable[str]) -> set[str]:
    """Those of ``sites`` with articles cleaned with an older model than the current one."""
    stale: set[str] = set()
    learned: list[tuple[str, int]] = []
    for chunk in _chunks(sorted(set(sites))):
        query = select(BoilerplateSite.site, BoilerplateSite.revision).where(
            BoilerplateSite.site.in_(chunk), BoilerplateSite.revision > 0
        )
        learned.extend((site, revision) for site, revision in conn.execute(query))
    for site, revision in learned:
        behind = conn.scalar(
            select(Article.id)
            .where(Article.site == site, Article.boilerplate_revision < revision)
            .limit(1)
        )
        if behind is not None:
            stale.add(site)
    return stale


def site_model_lines(conn: Connection, site: str) -> list[dict[str, Any]]:
    """The lines of the site's current model (text, fingerprint, articles), most frequent first."""
    revision = conn.scalar(select(BoilerplateSite.revision).where(BoilerplateSite.site == site))
    if not revision:
        return []
    lines = conn.scalar(
        select(BoilerplateModel.lines).where(
            BoilerplateModel.site == site, BoilerplateModel.revision == revision
        )
    )
    return list(lines or [])
