"""The shared Redis frontier's parts, against a real Redis (skipped where none runs)."""

from __future__ import annotations

import time

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.frontier.dupefilter import FrontierDupeFilter
from crawler.frontier.queue import JsonCodec, LeasedPriorityQueue, keys_for
from crawler.frontier.scheduler import FrontierScheduler, frontier_prefix
from crawler.spiders.news import NewsSpider
from tests.support.services import REDIS_URL

pytestmark = pytest.mark.redis


@pytest.fixture
def server(redis_key):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def news_spider(crawler, url="http://127.0.0.9:1/") -> NewsSpider:
    """The spider as Scrapy builds it, minus from_crawler's settings tweaks (the test
    crawler's settings are already frozen)."""
    spider = NewsSpider(url=url)
    spider._set_crawler(crawler)
    spider.configs = spider.build_configs(crawler.settings)
    return spider


@pytest.fixture
def spider():
    return news_spider(get_crawler(NewsSpider))


def make_queue(server, spider, prefix, worker="w1", lease=30.0) -> LeasedPriorityQueue:
    return LeasedPriorityQueue(server, spider, prefix, worker, lease)


def test_a_request_survives_the_round_trip_through_redis_as_json(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    request = Request(
        "http://127.0.0.9:1/a?x=1",
        callback=spider.parse_page,
        method="POST",
        body=b"\x00\xffbinary",
        headers={"X-Test": "yes"},
        meta={"config": 0, "depth": 2, "listed_date": None, "download_latency": 0.5},
        priority=-2,
        dont_filter=True,
    )
    queue.push(request)
    stored = server.zrange(queue.key, 0, -1)[0]
    assert stored.startswith(b"{")  # JSON, not a pickle anyone could make run code
    [(popped, entry)] = queue.pop_leased()
    assert entry == stored
    assert (popped.url, popped.method, popped.body, popped.priority) == (
        request.url,
        "POST",
        b"\x00\xffbinary",
        -2,
    )
    assert popped.callback == spider.parse_page
    assert popped.headers.get("X-Test") == b"yes"
    assert popped.dont_filter
    # What one worker measured about one attempt is not shared.
    assert popped.meta == {"config": 0, "depth": 2, "listed_date": None}


def test_json_codec_refuses_what_it_cannot_store():
    with pytest.raises(TypeError, match="cannot store a object"):
        JsonCodec.dumps({"meta": {"x": object()}})


def test_pop_follows_priority_and_leases_until_acknowledged(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    for name, priority in (("deep", -2), ("home", 0), ("section", -1)):
        queue.push(Request(f"http://127.0.0.9:1/{name}", priority=priority))
    order = []
    entries = []
    while popped := queue.pop_leased():
        [(request, entry)] = popped
        order.append(request.url.rsplit("/", 1)[1])
        entries.append(entry)
    assert order == ["home", "section", "deep"]
    processing = keys_for(redis_key, "w1")["processing"]
    assert server.hlen(processing) == 3
    assert queue.heartbeat() == (0, 3, 0)
    queue.ack(entries[:2])
    assert server.hlen(processing) == 1
    queue.ack(entries[2:])
    assert queue.heartbeat() == (0, 0, 0)


def test_a_pop_takes_several_requests_in_one_round_trip(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    for i in range(5):
        queue.push(Request(f"http://127.0.0.9:1/{i}", priority=-i))
    taken = queue.pop_leased(3)
    assert [request.url[-1] for request, _ in taken] == ["0", "1", "2"]
    assert queue.heartbeat() == (2, 3, 0)
    assert [request.url[-1] for request, _ in queue.pop_leased(3)] == ["3", "4"]
    assert queue.pop_leased(3) == []


def test_push_unseen_queues_a_request_once(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    seen = keys_for(redis_key, "w1")["seen"]
    request = Request("http://127.0.0.9:1/a")
    assert queue.push_unseen(request, "fp-a", seen) is True
    assert queue.push_unseen(request, "fp-a", seen) is False
    assert server.zcard(queue.key) == 1
    assert server.smembers(seen) == {b"fp-a"}


def test_a_dead_workers_requests_go_back_to_the_queue(server, spider, redis_key):
    lease = 1.0
    dead = make_queue(server, spider, redis_key, worker="dead", lease=lease)
    alive = make_queue(server, spider, redis_key, worker="alive", lease=30)
    for i in range(3):
        dead.push(Request(f"http://127.0.0.9:1/{i}"))
    leased_at = time.monotonic()
    taken = [request.url for request, _ in dead.pop_leased(2)]
    counts = alive.heartbeat()
    if time.monotonic() - leased_at < lease:  # not so on a host stalled for a second
        assert counts == (1, 2, 0)  # the dead worker's lease has not expired yet
    deadline = time.monotonic() + 30
    while (counts := alive.heartbeat())[2] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the lease expires (Redis's clock)
    assert counts == (3, 0, 2)
    assert not server.exists(keys_for(redis_key, "dead")["processing"])
    assert server.zscore(keys_for(redis_key, "x")["workers"], "dead") is None
    urls = {request.url for request, _ in alive.pop_leased(5)}
    assert set(taken) < urls


def test_a_live_worker_keeps_its_leases(server, spider, redis_key):
    # Renewed every 0.1 s, a 0.5 s lease outlives its first term; each check is made
    # only while the last renewal is less than a lease old (a stalled host may not renew
    # in time, and then the lease rightly expires).
    lease = 0.5
    one = make_queue(server, spider, redis_key, worker="one", lease=lease)
    two = make_queue(server, spider, redis_key, worker="two", lease=lease)
    one.push(Request("http://127.0.0.9:1/a"))
    one.pop_leased()
    started = time.monotonic()
    checked = 0
    while time.monotonic() - started < 3 * lease or checked < 3:
        one.heartbeat()  # renews its lease
        renewed = time.monotonic()
        counts = two.heartbeat()
        if time.monotonic() - renewed < lease:
            assert counts[2] == 0
            checked += 1
        time.sleep(0.1)
    one.heartbeat()
    assert two.heartbeat()[:2] == (0, 1)


def test_a_request_handed_back_too_often_is_dropped(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    queue.push(Request("http://127.0.0.9:1/poison"))
    kept = []
    for _ in range(3):
        [(_request, entry)] = queue.pop_leased()
        kept.append(queue.release(entry, count_attempt=True))
    assert kept == [True, True, False]
    assert queue.heartbeat()[:2] == (0, 0)


def test_only_the_last_worker_of_a_complete_crawl_deletes_its_keys(server, spider, redis_key):
    one = make_queue(server, spider, redis_key, worker="one")
    two = make_queue(server, spider, redis_key, worker="two")
    one.heartbeat()
    two.heartbeat()
    server.sadd(keys_for(redis_key, "x")["seen"], "fingerprint")
    assert one.finish(cleanup=True) is False  # "two" still runs: keep the seen-set
    assert server.exists(keys_for(redis_key, "x")["seen"])
    assert two.finish(cleanup=True) is True
    assert list(server.scan_iter(f"{redis_key}*")) == []


def test_an_unfinished_crawl_keeps_its_queue_for_the_next_run(server, spider, redis_key):
    queue = make_queue(server, spider, redis_key)
    queue.push(Request("http://127.0.0.9:1/left"))
    queue.push(Request("http://127.0.0.9:1/taken"))
    queue.pop_leased()
    assert queue.finish(cleanup=True) is False
    assert server.zcard(queue.key) == 1
    assert queue.finish(cleanup=False) is False


def test_the_seen_set_uses_scrapys_fingerprints_and_outlives_a_worker(server, redis_key):
    crawler = get_crawler(NewsSpider)
    seen = FrontierDupeFilter(server, f"{redis_key}:seen", crawler.request_fingerprinter)
    request = Request("http://127.0.0.9:1/a?b=2&a=1")
    assert (
        seen.request_fingerprint(request)
        == crawler.request_fingerprinter.fingerprint(request).hex()
    )
    assert seen.request_seen(request) is False
    assert seen.request_seen(Request("http://127.0.0.9:1/a?a=1&b=2")) is True
    seen.close("finished")
    assert server.scard(f"{redis_key}:seen") == 1


def project_settings(**overrides) -> dict:
    from crawler import settings

    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return {**values, **overrides}


def scheduler_for(redis_key: str) -> FrontierScheduler:
    crawler = get_crawler(NewsSpider, project_settings(REDIS_URL=REDIS_URL, REDIS_KEY=redis_key))
    crawler.spider = news_spider(crawler)
    scheduler = FrontierScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def test_workers_started_together_seed_the_start_pages_once(redis_key):
    one, two = scheduler_for(redis_key), scheduler_for(redis_key)
    try:
        starts = [
            Request("http://127.0.0.9:1/", dont_filter=True, meta={"is_start_request": True})
            for _ in range(2)
        ]
        assert one.enqueue_request(starts[0]) is True
        assert two.enqueue_request(starts[1]) is False
        assert two.stats.get_value("newsarchive/frontier/seeded_elsewhere") == 1
        # A retry of the seeded request (same URL, dont_filter) is not a second seed.
        request = one.next_request()
        retry = request.replace(dont_filter=True)
        assert two.enqueue_request(retry) is True
        # An ordinary link already seen is filtered.
        assert one.enqueue_request(Request("http://127.0.0.9:1/")) is False
    finally:
        one.close("finished")
        two.close("finished")


def test_the_crawl_key_is_the_same_for_the_same_starts_on_any_machine():
    def prefix(urls):
        crawler = get_crawler(NewsSpider)
        return frontier_prefix(crawler, news_spider(crawler, urls))

    a = prefix("http://127.0.0.9:1/ http://127.0.0.10:1/feed")
    assert a == prefix("http://127.0.0.10:1/feed http://127.0.0.9:1/")
    assert a != prefix("http://127.0.0.9:1/")
    assert a.startswith("newsarchive:news:")


def test_a_missing_redis_url_is_a_clear_error():
    from crawler.frontier.connection import FrontierError

    crawler = get_crawler(NewsSpider, project_settings())
    with pytest.raises(FrontierError, match="REDIS_URL"):
        FrontierScheduler.from_crawler(crawler)


def test_an_unreachable_redis_is_a_clear_error():
    from crawler.frontier.connection import FrontierError, redis_from_url

    # Port 1 on loopback: nothing listens there.
    with pytest.raises(FrontierError, match=r"cannot reach Redis at redis://127\.0\.0\.1:1"):
        redis_from_url("redis://127.0.0.1:1/0", {"socket_connect_timeout": 2})


def test_prefetched_requests_the_engine_never_asked_for_go_back_on_close(redis_key):
    scheduler = scheduler_for(redis_key)
    for i in range(3):
        assert scheduler.enqueue_request(Request(f"http://127.0.0.9:1/{i}"))
    handed = scheduler.next_request()
    assert scheduler.has_pending_requests()  # two wait in this worker, leased to it
    assert scheduler.queue.heartbeat()[:2] == (0, 3)
    scheduler.close("shutdown")  # interrupted: the crawl's keys stay for the next run
    left = {request.url for request, _ in scheduler.queue.pop_leased(5)}
    assert left == {f"http://127.0.0.9:1/{i}" for i in range(3)} - {handed.url}


def test_a_lease_is_forgotten_only_once_redis_has_the_acknowledgement(redis_key):
    import redis

    scheduler = scheduler_for(redis_key)
    scheduler.enqueue_request(Request("http://127.0.0.9:1/a"))
    request = scheduler.next_request()
    working = scheduler.queue.server
    # Redis goes away (a dead port on loopback stands in for a restarting server).
    scheduler.queue.server = redis.Redis(port=1, socket_connect_timeout=1, retry=None)
    with pytest.raises(redis.ConnectionError):
        scheduler._settle({request})
    assert request in scheduler._leases
    scheduler.queue.server = working
    scheduler._settle({request})
    assert scheduler._leases == {}
    assert scheduler.queue.heartbeat()[:2] == (0, 0)
    scheduler.close("finished")
