"""captures point at their WARC record: file, offset, length, record id

Revision ID: 0006_issue22_warc_pointer
Revises: 0005_issue3_boilerplate
Create Date: 2026-12-03

A crawl run with ``--warc DIR`` writes every response to WARC files as it arrives;
``newsarchive import`` reads them back. Either way a capture can now say where its
evidence is. Captures archived before this revision have NULLs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_issue22_warc_pointer"
down_revision = "0005_issue3_boilerplate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("captures", sa.Column("warc_file", sa.Text(), nullable=True))
    op.add_column("captures", sa.Column("warc_offset", sa.BigInteger(), nullable=True))
    op.add_column("captures", sa.Column("warc_length", sa.BigInteger(), nullable=True))
    op.add_column("captures", sa.Column("warc_record_id", sa.Text(), nullable=True))
    op.create_index("ix_captures_warc_record_id", "captures", ["warc_record_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_captures_warc_record_id", table_name="captures")
    for column in ("warc_record_id", "warc_length", "warc_offset", "warc_file"):
        op.drop_column("captures", column)
