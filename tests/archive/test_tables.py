"""The schema is declared once, in ``archive/tables.py``: the models map its tables and
add only what needs PostgreSQL's dialect, their annotations agree with the columns, the
pieces chosen per backend (JSONB, the partial index) come out right on each, and
declaring the schema loads neither the ORM nor PostgreSQL's dialect (the read path's
start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
import types
import typing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, Engine, LargeBinary, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper
from sqlalchemy.schema import CreateIndex

from archive import models, tables
from archive.models import Base

ROOT = Path(__file__).resolve().parents[2]
DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}
MAPPERS = sorted(Base.registry.mappers, key=lambda mapper: mapper.class_.__name__)


def test_the_models_map_the_schemas_tables_and_nothing_else():
    assert Base.metadata is tables.metadata
    mapped = [mapper.local_table for mapper in MAPPERS]
    assert len(mapped) == len(set(mapped))
    assert set(mapped) == set(tables.metadata.tables.values())


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda mapper: mapper.class_.__name__)
def test_a_models_annotations_are_its_columns(mapper: Mapper[object]):
    """What mypy checks the writer against is what the table holds: every column is
    annotated, with its Python type, Optional exactly when the column is nullable."""
    hints = typing.get_type_hints(mapper.class_, vars(models))
    annotated = {
        name: typing.get_args(hint)[0]
        for name, hint in hints.items()
        if typing.get_origin(hint) is typing.get_origin(models.Mapped[int])
    }
    table = mapper.local_table
    assert list(annotated) == table.c.keys()
    for name, hint in annotated.items():
        column = table.c[name]
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        assert (type(None) in args) == column.nullable, name
        (python_type,) = [arg for arg in args if arg is not type(None)]
        origin = typing.get_origin(python_type) or python_type
        if isinstance(column.type, JSON):
            assert origin in (dict, list), name
        elif isinstance(column.type, tables.UTCDateTime):
            assert origin is datetime, name
        else:
            assert origin is column.type.python_type, name


def json_and_binary_columns():
    for table in tables.metadata.sorted_tables:
        for column in table.c:
            if isinstance(column.type, (JSON, LargeBinary)):
                yield column


def test_json_is_jsonb_and_bytes_bytea_on_postgresql():
    columns = list(json_and_binary_columns())
    assert {type(column.type) for column in columns} == {JSON, LargeBinary}
    for column in columns:
        on_pg = column.type.compile(DIALECTS["postgresql"])
        on_sqlite = column.type.compile(DIALECTS["sqlite"])
        if isinstance(column.type, JSON):
            assert (on_pg, on_sqlite) == ("JSONB", "JSON"), column
            # Python None is SQL NULL or JSON null alike on both backends
            pg_impl = column.type.dialect_impl(DIALECTS["postgresql"]).impl
            assert pg_impl.none_as_null == column.type.none_as_null, column
        else:
            assert (on_pg, on_sqlite) == ("BYTEA", "BLOB"), column


def test_a_json_none_is_sql_null_only_where_the_column_says(engine: Engine):
    with engine.begin() as conn:
        article_id = conn.execute(
            insert(tables.articles)
            .values(
                url="https://a.test/1", site="a.test", text="t", content_hash="h", boilerplate=None
            )
            .returning(tables.articles.c.id)
        ).scalar_one()
        conn.execute(insert(tables.boilerplate_sites).values(site="a.test", policy=None))
        articles_boilerplate = conn.execute(
            select(tables.articles.c.boilerplate.is_(None), tables.articles.c.authors).where(
                tables.articles.c.id == article_id
            )
        ).one()
        policy_is_null = conn.execute(select(tables.boilerplate_sites.c.policy.is_(None))).one()
    assert tuple(articles_boilerplate) == (True, [])  # none_as_null: SQL NULL; default []
    assert tuple(policy_is_null) == (False,)  # JSON null, in a NOT NULL column


def test_the_partial_index_keeps_its_where_on_both_backends():
    (index,) = [i for i in tables.articles.indexes if i.name == "ix_articles_cluster_copies"]
    for name, dialect in DIALECTS.items():
        ddl = str(CreateIndex(index).compile(dialect=dialect))
        assert ddl.rstrip().endswith("WHERE cluster_id != id"), (name, ddl)


def test_declaring_the_schema_loads_neither_the_orm_nor_postgresql():
    probe = "import json, sys, archive.tables; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    heavy = ("sqlalchemy.orm", "sqlalchemy.dialects.postgresql", "archive.models")
    assert "sqlalchemy.sql" in loaded
    assert [name for name in loaded if name.startswith(heavy)] == []
