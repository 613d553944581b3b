"""The frontier's Redis key layout and client defaults.

Every key of one crawl starts with its prefix (``REDIS_KEY``; by default
``newsarchive:<hash of the crawl's start URLs>``), so that unrelated crawls share a
Redis server without meeting and the workers of one crawl find each other:

- ``<prefix>:queue``             sorted set: serialized requests, score = -priority
- ``<prefix>:seen``              set: fingerprints of every request ever enqueued
- ``<prefix>:workers``           sorted set: worker id, score = lease expiry (Redis time)
- ``<prefix>:processing:<id>``   hash: requests a worker took and has not finished
"""

from __future__ import annotations

QUEUE_KEY = "%(prefix)s:queue"
SEEN_KEY = "%(prefix)s:seen"
WORKERS_KEY = "%(prefix)s:workers"
PROCESSING_KEY = "%(prefix)s:processing:%(worker)s"
KEY_PREFIX = "newsarchive"

# Redis client parameters (scrapy-redis's own defaults, plus a health check so that a
# connection dropped by a restarted server is noticed before a command fails on it).
REDIS_PARAMS = {
    "socket_timeout": 30,
    "socket_connect_timeout": 30,
    "retry_on_timeout": True,
    "health_check_interval": 30,
}

# A request popped and handed back (its worker died, or failed to archive it) more
# times than this is dropped and counted, so that no page can loop forever.
MAX_ATTEMPTS = 3
