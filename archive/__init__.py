"""The newsarchive database: schema, engines, migrations and the read API.

This package knows nothing of Scrapy: downstream tools ``import archive`` to read
what the crawler stored.
"""

from archive.engine import DEFAULT_DB_URL, ArchiveError, resolve_db_url
from archive.read import Archive, ArticleFilter, open_archive

__all__ = [
    "DEFAULT_DB_URL",
    "Archive",
    "ArchiveError",
    "ArticleFilter",
    "open_archive",
    "resolve_db_url",
]
