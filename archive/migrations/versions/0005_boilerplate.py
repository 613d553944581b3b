"""site-level boilerplate: counts, models, and the lines removed from each text

Revision ID: 0005_issue3_boilerplate
Revises: 0004_issue8_search
Create Date: 2026-11-28

Articles archived before this revision keep their text as it was
(``boilerplate_revision`` NULL: not counted, not cleaned); ``newsarchive reextract``
learns from them and cleans them. Columns are added with plain ALTER TABLE (no batch
recreate of ``articles`` on SQLite, which would drop triggers other revisions keep on it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_issue3_boilerplate"
down_revision = "0004_issue8_search"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")
NULLABLE_JSON_TYPE = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.add_column("articles", sa.Column("boilerplate", NULLABLE_JSON_TYPE, nullable=True))
    op.add_column("articles", sa.Column("boilerplate_revision", sa.Integer(), nullable=True))
    op.create_index(
        "ix_articles_site_boilerplate_revision",
        "articles",
        ["site", "boilerplate_revision"],
        unique=False,
    )
    op.add_column("versions", sa.Column("boilerplate", NULLABLE_JSON_TYPE, nullable=True))
    op.create_table(
        "boilerplate_sites",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("policy", JSON_TYPE, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_boilerplate_sites")),
    )
    op.create_table(
        "boilerplate_lines",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site", "fingerprint", name=op.f("pk_boilerplate_lines")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "boilerplate_models",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("revision", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("lines", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site", "revision", name=op.f("pk_boilerplate_models")),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35), no batch recreate of ``articles`` (see above).
    op.drop_table("boilerplate_models")
    op.drop_table("boilerplate_lines")
    op.drop_table("boilerplate_sites")
    op.drop_column("versions", "boilerplate")
    op.drop_index("ix_articles_site_boilerplate_revision", table_name="articles")
    op.drop_column("articles", "boilerplate_revision")
    op.drop_column("articles", "boilerplate")
