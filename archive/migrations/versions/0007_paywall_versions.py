"""paywalled articles and versions, why each version was made, and when the page says it changed

Revision ID: 0007_issue20_paywall_versions
Revises: 0006_issue22_warc_pointer
Create Date: 2026-12-03

``articles.paywalled`` and ``versions.paywalled`` say the text archived came from a
page that declared its content not free to read (usually a teaser). ``versions.reason``
says why a version was made: ``first`` (version 1), ``edit`` (the publisher changed the
text or title), ``paywall_lifted`` (a full capture after a paywalled one),
``live_update`` (a live blog's new updates). ``versions.modified_at`` is when the page
said it last changed (``dateModified``, a live blog's newest update). Versions archived
before this revision are ``first`` (version 1) or ``edit``; nothing was paywalled.
Columns are added with plain ALTER TABLE, as in 0005.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_issue20_paywall_versions"
down_revision = "0006_issue22_warc_pointer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "articles", sa.Column("paywalled", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "versions", sa.Column("paywalled", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "versions",
        sa.Column("reason", sa.String(length=32), nullable=False, server_default="edit"),
    )
    op.add_column("versions", sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE versions SET reason = 'first' WHERE version = 1")


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35), no batch recreate of ``articles`` (see 0005).
    op.drop_column("versions", "modified_at")
    op.drop_column("versions", "reason")
    op.drop_column("versions", "paywalled")
    op.drop_column("articles", "paywalled")
