"""docs/schema.md and the schema (archive/tables.py) describe the same tables, columns, types and nullability."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import JSON, BigInteger, Boolean, Column, Float, Integer, LargeBinary, String, Text

from archive.models import Base
from archive.search import FTS_TABLE, PG_VECTOR_COLUMN, PG_VECTOR_INDEX
from archive.tables import UTCDateTime

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
HEADING = re.compile(r"^## `(\w+)`\s*$")
ROW = re.compile(r"^\| `(\w+)` \| ([^|]+?) \| (yes|no) \| ([^|]+) \|\s*$")


def documented_tables(text: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """{table: {column: (type, nullable)}} from the doc's `## `table`` sections."""
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    current: dict[str, tuple[str, bool]] | None = None
    for line in text.splitlines():
        if heading := HEADING.match(line):
            current = tables.setdefault(heading.group(1), {})
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := ROW.match(line)):
            name, type_, null, meaning = row.groups()
            assert name not in current, f"{name} documented twice"
            assert meaning.strip(), f"{name} has no meaning"
            current[name] = (type_.strip(), null == "yes")
    return tables


def doc_type(column: Column) -> str:
    """The doc's name for a column's type."""
    sa_type = column.type
    variants = getattr(sa_type, "_variant_mapping", {})
    if isinstance(sa_type, BigInteger) and isinstance(variants.get("sqlite"), Integer):
        return "id"
    for kind, name in (
        (UTCDateTime, "timestamp"),
        (JSON, "json"),
        (LargeBinary, "bytes"),
        (Float, "float"),
        (BigInteger, "bigint"),
        (Integer, "integer"),
        (Boolean, "boolean"),
        (Text, "text"),
    ):
        if isinstance(sa_type, kind):
            return name
    if isinstance(sa_type, String):
        return f"varchar({sa_type.length})"
    raise AssertionError(f"no doc type for {column.table.name}.{column.name}: {sa_type!r}")


def model_tables() -> dict[str, dict[str, tuple[str, bool]]]:
    return {
        table.name: {c.name: (doc_type(c), bool(c.nullable)) for c in table.columns}
        for table in Base.metadata.sorted_tables
    }


def test_the_document_lists_exactly_the_models_tables_and_columns():
    documented = documented_tables(DOC.read_text(encoding="utf-8"))
    models = model_tables()
    assert set(documented) == set(models)
    for table, columns in models.items():
        assert list(documented[table]) == list(columns), f"columns of {table} (in model order)"


def test_the_document_gives_each_columns_type_and_nullability():
    documented = documented_tables(DOC.read_text(encoding="utf-8"))
    mismatches = [
        (table, column, documented[table][column], spec)
        for table, columns in model_tables().items()
        for column, spec in columns.items()
        if documented[table].get(column) != spec
    ]
    assert mismatches == []


def test_the_search_index_objects_outside_the_models_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in (FTS_TABLE, PG_VECTOR_COLUMN, PG_VECTOR_INDEX, "articles_search_vector"):
        assert re.search(rf"`(articles\.)?{name}`", text), name
    for trigger in ("insert", "update", "delete"):
        assert f"`{FTS_TABLE}_{trigger}`" in text


def test_the_parser_sees_a_mismatch():
    """The check is real: a doc with a wrong type or a missing column fails it."""
    text = DOC.read_text(encoding="utf-8")
    wrong_type = text.replace("| `version` | integer | no |", "| `version` | text | no |", 1)
    assert documented_tables(wrong_type)["articles"]["version"] == ("text", False)
    missing = text.replace("| `etag` | text | yes | the `ETag` header |\n", "")
    assert "etag" not in documented_tables(missing)["captures"]
    assert "etag" in model_tables()["captures"]
