"""Full-text search over the current version of every article.

The index itself is kept by the database (migration ``0004_issue8_search``: an FTS5
table on SQLite, a ``tsvector`` column with a GIN index on PostgreSQL, both fed by
triggers). This module turns a query a person types into SQL for either backend:

- ``harbour strike``: articles with both words (in the title or the text);
- ``"harbour strike"``: the phrase;
- ``strike OR walkout``: either word;
- ``-sport``: without this word (a query needs at least one word to look for);
- ``elect*``: any word starting with ``elect``.

Matching ignores case (and accents on SQLite) and does not stem: ``strike`` does not
find ``strikes``, use ``strike*``. Every piece of the query reaches the database as a
bound parameter, never as SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    REAL,
    Float,
    Integer,
    String,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)

from archive.engine import ArchiveInputError
from archive.fields import LISTED_FIELDS
from archive.tables import articles

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.selectable import Select

FTS_TABLE = "articles_fts"
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_articles_search_vector"
# A word in the title counts ten times one in the text: a headline names its story.
# bm25 weights of the title and text columns on SQLite; ts_rank weights of the
# D, C, B (text) and A (title) labels on PostgreSQL.
SQLITE_WEIGHTS = (10.0, 1.0)
PG_WEIGHTS = "{0.01, 0.01, 0.1, 1.0}"
# ts_rank (term frequency, like bm25; cheaper than ts_rank_cd's cover density)
# with normalization 1: divide by 1 + log(document length), as bm25 favours short
# documents with the same matches.
PG_RANK_NORMALIZATION = 1
SNIPPET_WORDS = 24

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")
_PREFIX = re.compile(r"^\w+\*$")


class QueryError(ArchiveInputError, ValueError):
    """A search query with nothing to look for."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group must match (one of its terms), no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]


def parse_query(text: str) -> Query:
    """Parse a search as typed; raise QueryError when it has no word to look for."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    # NUL ends a string for SQLite's FTS5 parser and PostgreSQL refuses it: a separator
    for match in _TOKEN.finditer(text.replace("\0", " ")):
        negated, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            join_next = bool(groups)
            continue
        term = _term(phrase, word)
        if term is None:
            continue
        if negated or (word is not None and word.startswith("-")):
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        raise QueryError(f"the search {text!r} has no word to look for")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _term(phrase: str | None, word: str | None) -> Term | None:
    if phrase is not None:
        return Term(phrase.strip(), phrase=True) if _WORD.search(phrase) else None
    assert word is not None
    word = word.removeprefix("-")
    if not _WORD.search(word):
        return None
    if _PREFIX.match(word):
        return Term(word[:-1], prefix=True)
    return Term(word)


# --- SQLite: an FTS5 MATCH expression ---------------------------------------------------

_fts = table(FTS_TABLE, column("rowid", Integer), column("title"), column("text"))
_fts_ref: ColumnElement[Any] = literal_column(FTS_TABLE)


def _fts_term(term: Term) -> str:
    # An FTS5 string: its content goes through the tokenizer, never the query parser.
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def _match(query: Query) -> ColumnElement[bool]:
    return _fts_ref.op("MATCH", is_comparison=True)(fts5_match(query))


def fts5_match(query: Query) -> str:
    """The FTS5 query string for ``query`` (bound as a parameter to MATCH)."""
    positive = " AND ".join(
        "(" + " OR ".join(_fts_term(t) for t in group) + ")" for group in query.groups
    )
    return f"({positive})" + "".join(f" NOT {_fts_term(t)}" for t in query.excluded)


# --- PostgreSQL: a tsquery built from bound parts ---------------------------------------

_PG_CONFIG: ColumnElement[Any] = literal_column("'simple'::regconfig")
_pg_vector: ColumnElement[Any] = literal_column(f"articles.{PG_VECTOR_COLUMN}")


def _pg_term(term: Term) -> ColumnElement[Any]:
    if term.phrase:
        return func.phraseto_tsquery(_PG_CONFIG, term.text)
    if term.prefix:
        # _PREFIX admits only word characters, which need no tsquery quoting.
        return func.to_tsquery(_PG_CONFIG, term.text + ":*")
    return func.plainto_tsquery(_PG_CONFIG, term.text)


def _pg_any(terms: tuple[Term, ...]) -> ColumnElement[Any]:
    expr = _pg_term(terms[0])
    for term in terms[1:]:
        expr = func.tsquery_or(expr, _pg_term(term))
    return expr


def pg_tsquery(query: Query) -> ColumnElement[Any]:
    expr = _pg_any(query.groups[0])
    for group in query.groups[1:]:
        expr = func.tsquery_and(expr, _pg_any(group))
    for term in query.excluded:
        expr = func.tsquery_and(expr, func.tsquery_not(_pg_term(term)))
    return expr


# --- what the read API uses ---------------------------------------------------------------


def matches(dialect: str, query: Query) -> Select[Any]:
    """The ids of the articles matching ``query``, from the search index alone."""
    if dialect == "sqlite":
        return select(_fts.c.rowid).where(_match(query))
    return select(articles.c.id).where(_pg_vector.op("@@", is_comparison=True)(pg_tsquery(query)))


def match_condition(dialect: str, query: Query) -> ColumnElement[bool]:
    """A WHERE condition on ``articles``: the article matches ``query``."""
    if dialect == "sqlite":
        matching = select(_fts.c.rowid).where(_match(query))
        return articles.c.id.in_(matching)
    return _pg_vector.op("@@", is_comparison=True)(pg_tsquery(query))


def ranked_search(
    dialect: str,
    query: Query,
    conditions: list[ColumnElement[bool]],
    limit: int,
    highlight: tuple[str, str],
    *,
    after: tuple[float, int] | None = None,
    newest: bool = False,
) -> Select[Any]:
    """The best ``limit`` matches with their score (higher is better) and a snippet, or
    with ``newest`` the latest archived (highest ids) first. ``after`` (the score and id
    of the last match of a page; newest order uses the id) gives the matches that follow
    it, so that pages of results never skip or repeat one."""
    if any(c in marker for marker in highlight for c in '",'):
        raise ValueError('highlight markers cannot contain " or ,')
    if dialect == "sqlite":
        return _sqlite_search(query, conditions, limit, highlight, after=after, newest=newest)
    return _pg_search(query, conditions, limit, highlight, after=after, newest=newest)


def _after(
    rank: ColumnElement[Any], value: float, article_id: Any, last_id: int, *, ascending: bool
) -> ColumnElement[bool]:
    """Rows ranked after (``value``, ``last_id``). ``value`` is compared in the rank's
    own type: PostgreSQL's ts_rank is a float4, which reaches Python as its shortest
    decimal form, and only that form cast back to float4 equals it."""
    bound: ColumnElement[Any] = (
        cast(literal(value), rank.type) if isinstance(rank.type, REAL) else literal(value)
    )
    beyond = rank > bound if ascending else rank < bound
    return or_(beyond, and_(rank == bound, article_id > last_id))


def hit_columns() -> list[Any]:
    """The columns of an article in a list (:data:`archive.fields.LISTED_FIELDS`)."""
    return [articles.c[name] for name in LISTED_FIELDS]


def _sqlite_search(
    query: Query,
    conditions: list[ColumnElement[bool]],
    limit: int,
    highlight: tuple[str, str],
    *,
    after: tuple[float, int] | None,
    newest: bool,
) -> Select[Any]:
    bm25 = func.bm25(_fts_ref, *SQLITE_WEIGHTS, type_=Float)
    rowid = _fts.c.rowid
    order = [rowid.desc()] if newest else [bm25, rowid]
    page: list[ColumnElement[bool]] = []
    if after is not None:  # the score is -bm25
        page.append(
            rowid < after[1] if newest else _after(bm25, -after[0], rowid, after[1], ascending=True)
        )
    snippet = func.snippet(_fts_ref, 1, *highlight, "…", SNIPPET_WORDS, type_=String)
    if conditions:
        return (
            select(*hit_columns(), (-bm25).label("score"), snippet.label("snippet"))
            .select_from(_fts.join(articles, articles.c.id == rowid))
            .where(_match(query), *conditions, *page)
            .order_by(*order)
            .limit(limit)
        )
    # No condition on the articles: the index alone picks the page, and only the page's
    # rows are read (for a word in half the archive, ~2.5x faster than ranking the join);
    # snippets are made for those rows only.
    best = (
        select(rowid.label("id"), (-bm25).label("score"))
        .where(_match(query), *page)
        .order_by(*order)
        .limit(limit)
        .subquery("best")
    )
    one = select(snippet).where(_match(query), rowid == best.c.id).scalar_subquery()
    columns = [c for c in hit_columns() if c.key != "id"]
    return (
        select(best.c.id, *columns, best.c.score, one.label("snippet"))
        .join_from(best, articles, articles.c.id == best.c.id)
        .order_by(*([best.c.id.desc()] if newest else [best.c.score.desc(), best.c.id]))
    )


def _pg_search(
    query: Query,
    conditions: list[ColumnElement[bool]],
    limit: int,
    highlight: tuple[str, str],
    *,
    after: tuple[float, int] | None,
    newest: bool,
) -> Select[Any]:
    tsquery = pg_tsquery(query)
    weights: ColumnElement[Any] = literal_column(f"'{PG_WEIGHTS}'::float4[]")
    rank = func.ts_rank(weights, _pg_vector, tsquery, PG_RANK_NORMALIZATION, type_=REAL)
    if after is not None:
        conditions = [
            *conditions,
            articles.c.id < after[1]
            if newest
            else _after(rank, after[0], articles.c.id, after[1], ascending=False),
        ]
    order = [articles.c.id.desc()] if newest else [rank.desc(), articles.c.id]
    best = (
        select(*hit_columns(), articles.c.text, rank.label("score"))
        .where(_pg_vector.op("@@", is_comparison=True)(tsquery), *conditions)
        .order_by(*order)
        .limit(limit)
        .subquery("best")
    )
    options = (
        f'StartSel="{highlight[0]}", StopSel="{highlight[1]}", MaxWords={SNIPPET_WORDS}, '
        'MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
    )
    snippet = func.ts_headline(_PG_CONFIG, best.c.text, tsquery, options, type_=String)
    columns = [c for c in best.c if c.name != "text"]
    outer = [best.c.id.desc()] if newest else [best.c.score.desc(), best.c.id]
    return select(*columns, snippet.label("snippet")).order_by(*outer)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic autogenerate hook: the search index lives outside the models, in 0004."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == PG_VECTOR_COLUMN:
        return False
    return not (type_ == "index" and name == PG_VECTOR_INDEX)
