"""near-duplicate index: near_dup_signatures, near_dup_bands; every article in a cluster

Revision ID: 0003_issue4_near_duplicates
Revises: 0002
Create Date: 2026-11-28

Articles archived before this revision start their own cluster (an exact copy on
another site joins its first copy's); they are not in the near-duplicate index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_issue4_near_duplicates"
down_revision = "0002"
branch_labels = None
depends_on = None

ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BINARY_TYPE = sa.LargeBinary().with_variant(sa.dialects.postgresql.BYTEA(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "near_dup_signatures",
        sa.Column("article_id", ID_TYPE, autoincrement=False, nullable=False),
        sa.Column("signature", BINARY_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_near_dup_signatures_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_near_dup_signatures")),
    )
    op.create_table(
        "near_dup_bands",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("article_id", ID_TYPE, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key", "article_id", name=op.f("pk_near_dup_bands")),
        sqlite_with_rowid=False,
    )
    articles = sa.table(
        "articles",
        sa.column("id", ID_TYPE),
        sa.column("duplicate_of", ID_TYPE),
        sa.column("cluster_id", ID_TYPE),
        sa.column("cluster_similarity", sa.Float()),
    )
    op.execute(
        articles.update()
        .where(articles.c.cluster_id.is_(None))
        .values(
            cluster_id=sa.func.coalesce(articles.c.duplicate_of, articles.c.id),
            cluster_similarity=1.0,
        )
    )


def downgrade() -> None:
    op.drop_table("near_dup_bands")
    op.drop_table("near_dup_signatures")
