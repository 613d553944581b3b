"""The migrations and the models describe the same schema, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from archive.engine import create_archive_engine, current_revision, head_revision, upgrade_archive
from archive.models import Base


def test_upgrade_to_head_matches_the_models(db_url: str) -> None:
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_tables_keep_autoincrement_so_ids_are_never_reused(tmp_path) -> None:
    engine = create_archive_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade_archive(engine)
    with engine.connect() as conn:
        sql = dict(
            conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'").all()
        )
    # Tables keyed by another table's id (an index, not records of their own) have no id.
    keyed_by_article = {"near_dup_signatures", "near_dup_bands"}
    for table in inspect(engine).get_table_names():
        if table not in {"alembic_version", *keyed_by_article}:
            assert "AUTOINCREMENT" in sql[table], table
    assert "WITHOUT ROWID" in sql["near_dup_bands"]
    engine.dispose()
