"""Archives for the web view on both backends, and a test client over each.

Each archive is built once per module and backend, then opened read-only, as
``newsarchive serve`` opens it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from archive.engine import create_archive_engine, upgrade_archive
from archive.read import Archive, open_archive
from tests.support.newsroom import Newsroom, build_hostile, build_newsroom
from tests.support.services import PG_URL, pg_schema_url

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
NOW = datetime.now(UTC).replace(microsecond=0)


@contextmanager
def archive_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory, skip_reason: str | None
) -> Iterator[str]:
    """A fresh archive URL: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'archive.db'}"
        return
    if skip_reason:
        pytest.skip(skip_reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Built:
    url: str
    arc: Archive
    data: Any


def _built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    skip_reason: str | None,
    build: Callable[[str], Any],
) -> Iterator[Built]:
    with archive_url(request.param, tmp_path_factory, skip_reason) as url:
        data = build(url)
        arc = open_archive(url)
        try:
            yield Built(url, arc, data)
        finally:
            arc.close()


def _empty(url: str) -> None:
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def newsroom(request, tmp_path_factory, postgres_skip_reason) -> Iterator[Built]:
    yield from _built(
        request, tmp_path_factory, postgres_skip_reason, lambda url: build_newsroom(url, NOW)
    )


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(request, tmp_path_factory, postgres_skip_reason) -> Iterator[Built]:
    yield from _built(
        request, tmp_path_factory, postgres_skip_reason, lambda url: build_hostile(url, NOW)
    )


@pytest.fixture(scope="module", params=BACKENDS)
def empty(request, tmp_path_factory, postgres_skip_reason) -> Iterator[Built]:
    yield from _built(request, tmp_path_factory, postgres_skip_reason, _empty)


def client(arc: Archive, **options: Any) -> Any:
    from starlette.testclient import TestClient

    from web.app import create_app

    return TestClient(create_app(arc, **options), follow_redirects=False)


__all__ = ["NOW", "Built", "Newsroom", "client"]
