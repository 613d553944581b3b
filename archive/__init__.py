"""The newsarchive database: schema, engines, migrations and the read API.

This package knows nothing of Scrapy: downstream tools ``import archive`` to read
what the crawler stored. The names below load on first use (PEP 562), so a process
that needs one light module (an extraction worker signing texts with
``archive.minhash``) does not import SQLAlchemy and the read API with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive.engine import DEFAULT_DB_URL, ArchiveError, resolve_db_url
    from archive.read import Archive, ArticleFilter, open_archive

_EXPORTS = {
    "DEFAULT_DB_URL": "archive.engine",
    "ArchiveError": "archive.engine",
    "resolve_db_url": "archive.engine",
    "Archive": "archive.read",
    "ArticleFilter": "archive.read",
    "open_archive": "archive.read",
}

__all__ = [
    "DEFAULT_DB_URL",
    "Archive",
    "ArchiveError",
    "ArticleFilter",
    "open_archive",
    "resolve_db_url",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
