"""Alembic environment: migrations run on the connection ``archive.engine`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from archive.engine import create_archive_engine
from archive.models import Base
from archive.search import include_object

# A fixed key so that concurrent `db upgrade` runs on one PostgreSQL database queue up.
PG_MIGRATION_LOCK = 7_450_213_001


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    with create_archive_engine(url).begin() as conn:
        run_migrations(conn)
