"""title affixes: per site, how many titles lead or end with each separated segment

Revision ID: 0009_title_affixes
Revises: 0008_browse_indexes
Create Date: 2026-12-03

The counts a site's learned title prefix/suffix is read from (``archive.titles``,
``archive.writer.titles``). Articles archived before this revision are not counted and
keep their titles as they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_title_affixes"
down_revision = "0008_browse_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "title_segments",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("end", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site", "end", "key", name=op.f("pk_title_segments")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("title_segments")
