"""The shared request queue: a Redis priority queue whose popped requests are leased.

scrapy-redis's ``PriorityQueue`` pops a request by deleting it, so a worker that dies
with requests in its downloader loses them for every worker. Here a pop moves the
request, in one Lua script, from the queue into the worker's *processing* hash; the
worker acknowledges it (deletes it there) once Scrapy is done with it, or hands it
back. Every worker holds a lease in the workers set, renewed by its heartbeat; a
worker whose lease has expired is presumed dead, and the next heartbeat of any other
worker moves its processing hash back into the queue. All times are Redis's own
clock (``TIME``), so machines with skewed clocks agree.

Requests are stored as JSON (``Request.to_dict``; bytes as base64), not pickles:
a shared Redis should not be able to run code in every crawler that reads it.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import PriorityQueue

from crawler.frontier import defaults

if TYPE_CHECKING:
    from scrapy import Request, Spider

# Request.meta keys that describe one attempt in one worker, never stored in Redis.
LOCAL_META = ("download_latency", "download_slot", "_frontier_lease")
ATTEMPTS_META = "frontier_attempts"

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# Take up to ARGV[3] requests, best first, leasing them to the worker.
# KEYS: queue, processing, workers   ARGV: worker, lease seconds, count
POP = (
    _NOW
    + """
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
local items = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1, 'WITHSCORES')
local taken = {}
for i = 1, #items, 2 do
  redis.call('HSET', KEYS[2], items[i], items[i + 1])
  taken[#taken + 1] = items[i]
end
if #taken > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #taken - 1)
end
return taken
"""
)

# Queue a request unless its fingerprint is in the seen-set (one round trip for both).
# KEYS: seen, queue   ARGV: fingerprint, score, request
PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# Renew this worker's lease, hand the requests of expired workers back to the queue.
# KEYS: queue, workers   ARGV: worker, lease seconds, processing key prefix
# Returns {queued, processing (all workers), reclaimed}.
_RECLAIM = """
local reclaimed = 0
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  if w ~= ARGV[1] then
    local pkey = ARGV[3] .. w
    local entries = redis.call('HGETALL', pkey)
    for i = 1, #entries, 2 do
      redis.call('ZADD', KEYS[1], entries[i + 1], entries[i])
      reclaimed = reclaimed + 1
    end
    redis.call('DEL', pkey)
    redis.call('ZREM', KEYS[2], w)
  end
end
"""
HEARTBEAT = (
    _NOW
    + """
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
"""
    + _RECLAIM
    + """
local processing = 0
for _, w in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  processing = processing + redis.call('HLEN', ARGV[3] .. w)
end
return {redis.call('ZCARD', KEYS[1]), processing, reclaimed}
"""
)

# Leave the crawl: drop this worker's lease; when no live worker remains and nothing
# is queued, the crawl is complete and its keys are deleted, so the next run starts afresh.
# KEYS: queue, workers, seen   ARGV: worker, lease (unused), processing prefix, cleanup (0/1)
FINISH = (
    _NOW
    + _RECLAIM
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', ARGV[3] .. ARGV[1])
if ARGV[4] == '1' and redis.call('ZCARD', KEYS[1]) == 0
   and redis.call('ZCOUNT', KEYS[2], now, '+inf') == 0 then
  for _, w in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    redis.call('DEL', ARGV[3] .. w)
  end
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  return 1
end
return 0
"""
)


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {
            (k.decode("latin-1") if isinstance(k, bytes) else str(k)): _to_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the shared frontier")


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$b" in value:
            return base64.b64decode(value["$b"])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


class JsonCodec:
    """scrapy-redis serializer interface (``dumps``/``loads``) over JSON."""

    @staticmethod
    def dumps(obj: dict[str, Any]) -> bytes:
        return json.dumps(_to_json(obj), separators=(",", ":"), sort_keys=True).encode()

    @staticmethod
    def loads(data: bytes | str) -> dict[str, Any]:
        value = _from_json(json.loads(data))
        assert isinstance(value, dict)
        return value


def keys_for(prefix: str, worker: str) -> dict[str, str]:
    values = {"prefix": prefix, "worker": worker}
    return {
        "queue": defaults.QUEUE_KEY % values,
        "seen": defaults.SEEN_KEY % values,
        "workers": defaults.WORKERS_KEY % values,
        "processing": defaults.PROCESSING_KEY % values,
        "processing_prefix": defaults.PROCESSING_KEY % {**values, "worker": ""},
    }


class LeasedPriorityQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue (score = -priority), with leased pops."""

    def __init__(
        self, server: Any, spider: Spider, prefix: str, worker: str, lease_timeout: float
    ) -> None:
        self.keys = keys_for(prefix, worker)
        # scrapy-redis formats the key with %(spider)s; escape any % of ours.
        super().__init__(server, spider, self.keys["queue"].replace("%", "%%"), JsonCodec)
        self.worker = worker
        self.lease_timeout = lease_timeout
        self._pop = server.register_script(POP)
        self._push_unseen = server.register_script(PUSH_UNSEEN)
        self._heartbeat = server.register_script(HEARTBEAT)
        self._finish = server.register_script(FINISH)

    def encode(self, request: Request) -> bytes:
        """The stored form of ``request``: JSON, without the meta keys local to a worker."""
        obj = request.to_dict(spider=self.spider)
        obj["meta"] = {k: v for k, v in obj["meta"].items() if k not in LOCAL_META}
        return JsonCodec.dumps(obj)

    def decode(self, entry: bytes) -> Request:
        return request_from_dict(JsonCodec.loads(entry), spider=self.spider)

    def push(self, request: Request) -> None:
        """Queue ``request`` whether or not it was seen (scrapy-redis's, with our codec)."""
        self.server.execute_command("ZADD", self.key, -request.priority, self.encode(request))

    def push_unseen(self, request: Request, fingerprint: str, seen_key: str) -> bool:
        """Add the fingerprint to the seen-set and queue the request, unless it was seen."""
        added = self._push_unseen(
            keys=[seen_key, self.key],
            args=[fingerprint, -request.priority, self.encode(request)],
        )
        return bool(added)

    def pop(self, timeout: float = 0) -> Request | None:
        popped = self.pop_leased(1)
        return popped[0][0] if popped else None

    def pop_leased(self, count: int = 1) -> list[tuple[Request, bytes]]:
        """Up to ``count`` requests, best first, now leased to this worker, each with
        its stored form (the key to acknowledge or hand it back)."""
        entries = self._pop(
            keys=[self.key, self.keys["processing"], self.keys["workers"]],
            args=[self.worker, self.lease_timeout, count],
        )
        return [(self.decode(entry), entry) for entry in entries]

    def ack(self, entries: list[bytes]) -> None:
        """These leased requests are done: forget them."""
        if entries:
            self.server.hdel(self.keys["processing"], *entries)

    def release(self, entry: bytes, *, count_attempt: bool) -> bool:
        """Hand a leased request back to the queue; False if it ran out of attempts
        (it is then dropped)."""
        obj = JsonCodec.loads(entry)
        meta = obj.setdefault("meta", {})
        if count_attempt:
            meta[ATTEMPTS_META] = int(meta.get(ATTEMPTS_META, 0)) + 1
        keep = int(meta.get(ATTEMPTS_META, 0)) < defaults.MAX_ATTEMPTS
        pipe = self.server.pipeline(transaction=True)
        pipe.hdel(self.keys["processing"], entry)
        if keep:
            pipe.zadd(self.key, {JsonCodec.dumps(obj): -int(obj.get("priority", 0))})
        pipe.execute()
        return keep

    def heartbeat(self) -> tuple[int, int, int]:
        """Renew this worker's lease and reclaim dead workers' requests:
        (requests queued, requests leased by any worker, requests reclaimed now)."""
        queued, processing, reclaimed = self._heartbeat(
            keys=[self.key, self.keys["workers"]],
            args=[self.worker, self.lease_timeout, self.keys["processing_prefix"]],
        )
        return int(queued), int(processing), int(reclaimed)

    def finish(self, *, cleanup: bool) -> bool:
        """Leave the crawl; with ``cleanup``, delete its keys if it is complete.
        True if this worker was the last and the keys are gone."""
        done = self._finish(
            keys=[self.key, self.keys["workers"], self.keys["seen"]],
            args=[self.worker, self.lease_timeout, self.keys["processing_prefix"], int(cleanup)],
        )
        return bool(done)
