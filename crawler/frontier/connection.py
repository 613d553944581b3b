"""The Redis client for the frontier; ``redis`` and ``scrapy-redis`` are imported here only."""

from __future__ import annotations

from typing import Any

from crawler.frontier import defaults

REDIS_EXTRA_HINT = "install the extra: pip install 'newsarchive[redis]'"


class FrontierError(Exception):
    """The shared frontier cannot be used; the message says why and what to do."""


class FrontierInputError(FrontierError):
    """The frontier was asked for wrongly (a malformed Redis URL, the extra missing)."""


def require_redis() -> None:
    """Raise FrontierError unless the ``redis`` extra (redis, scrapy-redis) is installed."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError as exc:
        raise FrontierInputError(
            f"--redis needs the Python packages redis and scrapy-redis ({exc.name} is missing); "
            + REDIS_EXTRA_HINT
        ) from exc


def redis_from_url(url: str, params: dict[str, Any] | None = None) -> Any:
    """A connected client for ``url`` (``redis://host:port/db``); FrontierError if unreachable."""
    require_redis()
    import redis
    from scrapy_redis.connection import get_redis

    options = {**defaults.REDIS_PARAMS, **(params or {})}
    try:
        server = get_redis(url=url, **options)
        server.ping()
    except ValueError as exc:
        raise FrontierInputError(f"bad Redis URL {url!r}: {exc}") from exc
    except redis.RedisError as exc:
        raise FrontierError(f"cannot reach Redis at {url}: {exc}") from exc
    return server
