"""New archives at the latest migration for the tests, without running Alembic each time.

A migration takes 0.1-0.3 s on a busy host, and about 200 tests of the quick suite each
want a fresh migrated archive. Each backend's migration is run once per session: on
SQLite into a template file that each test gets a copy of (SQLite's backup API, so the
copy is consistent), on PostgreSQL recorded as the statements Alembic sent, which each
test's fresh schema receives in one transaction. Either way a test's archive is what
the migrations make, statement for statement; ``tests/archive/test_migrations.py`` and
``test_upgrade.py`` still run Alembic itself.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from archive.engine import create_archive_engine, upgrade_archive


def sqlite_template(path: Path) -> Path:
    """A SQLite archive at the latest migration, at ``path``."""
    engine = create_archive_engine(f"sqlite:///{path}")
    upgrade_archive(engine)
    engine.dispose()
    return path


def copy_sqlite(template: Path, target: Path) -> None:
    with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()


@dataclass
class RecordedMigration:
    """The statements Alembic sends to migrate an empty PostgreSQL schema to the head."""

    statements: list[tuple[str, Any, bool]] = field(default_factory=list)

    @classmethod
    def record(cls, url: str) -> RecordedMigration:
        recorded = cls()
        engine = create_archive_engine(url)

        def sent(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, many: bool):
            recorded.statements.append((statement, parameters, many))

        event.listen(engine, "before_cursor_execute", sent)
        upgrade_archive(engine)
        engine.dispose()
        return recorded

    def replay(self, engine: Engine) -> None:
        """Send the statements to ``engine``'s (empty) schema, in one transaction."""
        with engine.begin() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for statement, parameters, many in self.statements:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters or None)
