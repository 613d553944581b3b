"""indexes for browsing: articles by site, first sight, publication, edits, copies; outcomes

Revision ID: 0008_browse_indexes
Revises: 0007_issue20_paywall_versions
Create Date: 2026-11-30

What ``newsarchive serve`` and ``newsarchive health`` ask without reading the articles'
rows (which hold the text): how many articles each site has and when it last gave a new
one, articles per day, articles published in a date range, edited articles, and one
site's outcomes in its latest crawl runs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_browse_indexes"
down_revision = "0007_issue20_paywall_versions"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_articles_site_first_seen_at", "articles", ["site", "first_seen_at"]),
    ("ix_articles_published_at", "articles", ["published_at"]),
    ("ix_articles_version", "articles", ["version"]),
    ("ix_crawl_run_outcomes_site_crawl_run_id", "crawl_run_outcomes", ["site", "crawl_run_id"]),
)


# the articles that joined a story cluster another started: the stories with copies
COPIES = "ix_articles_cluster_copies"
COPIES_WHERE = "cluster_id != id"


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index(
        COPIES,
        "articles",
        ["cluster_id", "id"],
        unique=False,
        sqlite_where=sa.text(COPIES_WHERE),
        postgresql_where=sa.text(COPIES_WHERE),
    )


def downgrade() -> None:
    op.drop_index(COPIES, table_name="articles")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
