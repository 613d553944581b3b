"""The read API's Core tables (``archive/tables.py``) are the models' tables as reading
sees them: the same columns in the same order, with the same types, keys and
nullability, so the schema stays declared once, in ``archive/models.py``."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Table
from sqlalchemy.dialects import postgresql, sqlite

from archive.models import Base
from archive.tables import metadata

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def described(column: Column) -> dict[str, object]:
    """What reading depends on: the type each backend reads the value as, and keys."""
    return {
        "sqlite type": column.type.compile(DIALECTS["sqlite"]),
        # the generic type class on PostgreSQL (the models' JSONB is JSON, BYTEA binary)
        "postgresql affinity": column.type.dialect_impl(DIALECTS["postgresql"])._type_affinity,
        "python type": type(column.type).__name__,
        "nullable": column.nullable,
        "primary key": column.primary_key,
        "references": sorted(fk.target_fullname for fk in column.foreign_keys),
    }


def test_every_read_table_is_a_model_table():
    assert set(metadata.tables) <= set(Base.metadata.tables)


@pytest.mark.parametrize("name", sorted(metadata.tables))
def test_a_read_table_has_its_models_columns(name: str):
    table: Table = metadata.tables[name]
    model: Table = Base.metadata.tables[name]
    assert table.c.keys() == model.c.keys()
    for column in table.c:
        assert described(column) == described(model.c[column.key]), column.key
