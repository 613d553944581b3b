"""A read-only corpus archive per test module and backend (tests that write use db_url)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.archive.corpus import build_corpus
from tests.conftest import PG_URL, _pg_schema_url


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def corpus(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_skip_reason: str | None,
) -> Any:
    if request.param == "sqlite":
        yield build_corpus(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'archive.db'}")
        return
    if postgres_skip_reason:
        pytest.skip(postgres_skip_reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield build_corpus(_pg_schema_url(schema))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
