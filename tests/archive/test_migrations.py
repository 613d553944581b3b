"""The migrations and the models describe the same schema, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from archive.engine import create_archive_engine, current_revision, head_revision, upgrade_archive
from archive.models import Base
from archive.search import include_object


def test_upgrade_to_head_matches_the_models(db_url: str) -> None:
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_the_revisions_read_without_alembic_are_alembics(db_url: str) -> None:
    """head_revision and current_revision skip importing Alembic (a reading command's
    start-up): they agree with Alembic's own answers, on an empty and on a current archive."""
    from archive.engine import _script_directory

    assert head_revision() == _script_directory().get_current_head()
    engine = create_archive_engine(db_url)
    for step in ("empty", "upgraded"):
        with engine.connect() as conn:
            assert (
                current_revision(engine) == MigrationContext.configure(conn).get_current_revision()
            ), step
        upgrade_archive(engine)
    engine.dispose()


def test_sqlite_tables_keep_autoincrement_so_ids_are_never_reused(tmp_path) -> None:
    engine = create_archive_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade_archive(engine)
    with engine.connect() as conn:
        sql = dict(
            conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'").all()
        )
    # Tables keyed by another table's id (an index, not records of their own) have no id,
    # nor do those keyed by a site (boilerplate counts and models, title segment counts).
    keyed_by_article = {"near_dup_signatures", "near_dup_bands"}
    keyed_by_site = {
        "boilerplate_sites",
        "boilerplate_lines",
        "boilerplate_models",
        "title_segments",
    }
    for table in inspect(engine).get_table_names():
        # the search index's tables take their rowids from articles.id
        if table not in {"alembic_version", *keyed_by_article, *keyed_by_site} and include_object(
            None, table, "table", True, None
        ):
            assert "AUTOINCREMENT" in sql[table], table
    assert "WITHOUT ROWID" in sql["near_dup_bands"]
    assert "WITHOUT ROWID" in sql["boilerplate_lines"]
    assert "WITHOUT ROWID" in sql["title_segments"]
    engine.dispose()
