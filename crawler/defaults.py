"""Every newsarchive setting, declared once: its name, default, type, lower bound and
one-line documentation.

``crawler/settings.py`` takes its values from here, and every component reads its
settings through these declarations (``EXTRACT_TIMEOUT.get(crawler.settings)``), which
fall back to the default declared here when a setting is not set at all. A component
therefore behaves the same in ``newsarchive crawl``, under scrapyd, built by Scrapy's
``get_crawler`` in a test, or plugged into another Scrapy project. ``newsarchive crawl
-s NAME=VALUE`` checks a value against its declaration (``crawler/cli/overrides.py``).

``docs/settings.md`` is generated from this module: ``python -m crawler.defaults``
rewrites it, and ``tests/crawler/test_defaults.py`` fails when it is out of step.

Scrapy's own settings that the project changes (user agent, concurrency, middlewares,
pipelines...) stay in ``crawler/settings.py``: they are Scrapy's to declare.
"""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: ``get(settings)`` reads it with the getter of its type, and this
    default when it is not set."""

    name: str
    default: T
    kind: type
    doc: str
    # Numbers: the least value that makes sense (None: any); -s refuses less.
    minimum: float | None = None
    # ... and the most (None: any); -s refuses more.
    maximum: float | None = None
    # Read where it is not set at all; also when set to None (an optional value).
    optional: bool = False

    def get(self, settings: BaseSettings) -> T:
        default: Any = self.default
        if self.kind is bool:
            value: Any = settings.getbool(self.name, default)
        elif self.kind is int:
            value = settings.getint(self.name, default)
        elif self.kind is float:
            value = settings.getfloat(self.name, default)
        elif self.kind is list:
            value = settings.getlist(self.name, default)
        elif self.kind is dict:
            value = settings.getdict(self.name, default)
        else:
            value = settings.get(self.name, default)
        return value  # type: ignore[no-any-return]

    @property
    def component(self) -> str:
        return self.name.split("_", 1)[0]


def _flag(name: str, default: bool, doc: str) -> Setting[bool]:
    return Setting(name, default, bool, doc)


def _whole(
    name: str, default: int, doc: str, minimum: int | None = 0, maximum: int | None = None
) -> Setting[int]:
    return Setting(name, default, int, doc, minimum, maximum)


def _number(name: str, default: float, doc: str, minimum: float | None = 0.0) -> Setting[float]:
    return Setting(name, default, float, doc, minimum)


def _text(name: str, default: str, doc: str) -> Setting[str]:
    return Setting(name, default, str, doc)


def _maybe_text(name: str, doc: str) -> Setting[str | None]:
    return Setting(name, None, str, doc, optional=True)


def _hosts(name: str, doc: str) -> Setting[list[str]]:
    return Setting(name, [], list, doc)


def _table(name: str, doc: str) -> Setting[dict[str, Any]]:
    return Setting(name, {}, dict, doc)


# --- Politeness ---------------------------------------------------------------------
CRAWL_CONTACT = _maybe_text(
    "CRAWL_CONTACT",
    "a URL or e-mail address where a site's owner can reach whoever runs the crawl, "
    "put in the user agent",
)
CRAWL_DELAY_MAX = _number(
    "CRAWL_DELAY_MAX",
    10.0,
    "robots.txt Crawl-delay is honoured up to this many seconds between requests to a host "
    "(0: ignored)",
)
# Challenge, captcha, access-denied, rate-limit or consent-wall pages (crawler/blocks.py):
# the host is backed off after its first block, doubling with each further one; after a
# run of them the site is stopped for the rest of the crawl. Blocks are never archived.
BLOCK_DETECTION_ENABLED = _flag(
    "BLOCK_DETECTION_ENABLED", True, "recognise block pages, back off and stop blocked sites"
)
BLOCK_BACKOFF_START = _number(
    "BLOCK_BACKOFF_START",
    5.0,
    "seconds at least between requests to a host after its first block (0: no back-off)",
)
BLOCK_BACKOFF_MAX = _number(
    "BLOCK_BACKOFF_MAX", 60.0, "the back-off doubles with each block up to this many seconds"
)
BLOCK_STOP_AFTER = _whole(
    "BLOCK_STOP_AFTER", 5, "blocks in a row after which a site is stopped (0: never)"
)

# --- Fetching -----------------------------------------------------------------------
# Timeouts, lost connections, 5xx and 429 are retried RETRY_TIMES times (Scrapy's setting).
RETRY_BACKOFF_BASE = _number(
    "RETRY_BACKOFF_BASE",
    1.0,
    "retry n waits RETRY_BACKOFF_BASE * 2**(n-1) seconds, jittered",
)
RETRY_BACKOFF_MAX = _number("RETRY_BACKOFF_MAX", 30.0, "the longest wait before a retry, seconds")
RETRY_AFTER_MAX = _number(
    "RETRY_AFTER_MAX",
    120.0,
    "a Retry-After header is obeyed up to this many seconds; longer, the page fails at once",
)
# The network guard (crawler/middlewares/netguard.py) refuses private, loopback,
# link-local, cloud-metadata and other non-public addresses unless the host is a start
# URL's host or listed in NETGUARD_ALLOWED_HOSTS.
NETGUARD_ENABLED = _flag(
    "NETGUARD_ENABLED", True, "refuse requests to non-public addresses (except start hosts)"
)
NETGUARD_ALLOWED_HOSTS = _hosts(
    "NETGUARD_ALLOWED_HOSTS",
    "host names or IP addresses the network guard lets through even if private "
    "(e.g. an intranet news server)",
)
DNS_HOSTS = _table(
    "DNS_HOSTS",
    "addresses for host names, answered before DNS as /etc/hosts would: "
    '{"www.example.test": "127.0.0.60"}; such hosts may be private',
)

# --- Discovery (spider `news`) --------------------------------------------------------
CRAWL_DEPTH = _whole("CRAWL_DEPTH", 2, "link hops followed from a start page (a home is 0)")
CRAWL_MAX_PAGES = _whole("CRAWL_MAX_PAGES", 0, "pages fetched per site at most (0: no limit)")
CRAWL_ROBOTS_SITEMAPS = _flag(
    "CRAWL_ROBOTS_SITEMAPS", True, "read each start site's robots.txt for the sitemaps it names"
)
CRAWL_FEEDS = _flag("CRAWL_FEEDS", True, 'follow <link rel="alternate"> feeds found on start pages')
CRAWL_REDIRECTS_IN_SCOPE = _flag(
    "CRAWL_REDIRECTS_IN_SCOPE",
    True,
    "follow a redirect only to one of the crawl's sites or within the redirected URL's site",
)
# The sitemap protocol allows 50 MB (uncompressed) per sitemap.
CRAWL_SITEMAP_MAXSIZE = _whole(
    "CRAWL_SITEMAP_MAXSIZE",
    50 * 1024 * 1024,
    "size cap, bytes, for start URLs and sitemaps instead of DOWNLOAD_MAXSIZE",
)
# An archived article is re-checked for edits while the archive first saw it less than
# this many days ago. A sites file's `revisit_days` and `--revisit-days` override it.
CRAWL_REVISIT_DAYS = _number(
    "CRAWL_REVISIT_DAYS",
    7.0,
    "days after its first sight an archived article is still re-checked for edits "
    "(inf: always, 0: never)",
)
CRAWL_SINCE = _maybe_text(
    "CRAWL_SINCE", "skip sitemap and feed entries dated before this ISO 8601 date"
)

# --- Incremental re-crawls (crawler/middlewares/incremental.py) -----------------------
INCREMENTAL_ENABLED = _flag(
    "INCREMENTAL_ENABLED", True, "skip or conditionally fetch pages the archive holds"
)
INCREMENTAL_STATE_STORE = _text(
    "INCREMENTAL_STATE_STORE",
    "archive.state.open_page_state",
    "a callable taking ARCHIVE_DB_URL and returning what the archive holds "
    "(a crawler.incremental.PageStateStore), as an import path",
)
INCREMENTAL_RECHECK = _flag(
    "INCREMENTAL_RECHECK",
    False,
    "re-check every archived article, ignoring re-visit windows and listed dates",
)
INCREMENTAL_CONDITIONAL = _flag(
    "INCREMENTAL_CONDITIONAL",
    True,
    "send If-None-Match / If-Modified-Since from the stored capture (a 304 costs no body)",
)

# --- Near-duplicates (archive/neardup.py) -------------------------------------------
# Lightly edited copies of a story score 0.65-0.75 and two different stories on one topic
# 0.01-0.05; the index keeps its recall down to ~0.4.
DEDUP_NEAR_ENABLED = _flag(
    "DEDUP_NEAR_ENABLED", True, "put near-duplicate articles in story clusters (MinHash)"
)
DEDUP_NEAR_THRESHOLD = _number(
    "DEDUP_NEAR_THRESHOLD",
    0.5,
    "estimated Jaccard similarity of word 3-grams from which two texts share a cluster",
)

# --- Extraction (pipelines/extract.py) --------------------------------------------------
# past a few per core, workers only take turns and hold memory (and a typo forks thousands)
EXTRACT_WORKERS = _whole(
    "EXTRACT_WORKERS",
    0,
    "extraction worker processes (0: one per core)",
    maximum=4 * (os.cpu_count() or 1),
)
EXTRACT_TIMEOUT = _number(
    "EXTRACT_TIMEOUT",
    30.0,
    "seconds one page may take in a worker before the worker is killed and replaced",
)
EXTRACT_MAX_PENDING = _whole(
    "EXTRACT_MAX_PENDING",
    64,
    "pages in the workers at most; the pipeline waits beyond (at least 1)",
)
# Tests plug in functions that hang or crash here.
EXTRACT_FUNCTION = _text(
    "EXTRACT_FUNCTION",
    "pipelines.extraction.extract_article",
    "what a worker runs on each page that passed the screen, "
    "f(html: str, url: str) -> Extracted, as an import path",
)
# "subprocess": a fresh interpreter importing only the extraction engine (about half a
# second); "spawn": the same plus multiprocessing's resource tracker (12 MB more);
# "forkserver": forked from a server that preloaded the engine. With 2 workers spawn held
# 23 MB less RSS than forkserver; with many workers forkserver's shared pages win back.
EXTRACT_START_METHOD = _text(
    "EXTRACT_START_METHOD",
    "subprocess",
    "how worker processes start: subprocess, spawn or forkserver",
)
# So memory a parser fragments (or a leak in a site's odd markup) goes back. One worker over
# 10,000 of the crawl benchmark's pages held 136-140 MiB from its 1,000th page on: flat.
# Each replacement costs ~1.5 s of CPU (imports, stoplists), 2% of a 5,000-page crawl at 2,000.
EXTRACT_WORKER_MAX_TASKS = _whole(
    "EXTRACT_WORKER_MAX_TASKS",
    10_000,
    "pages a worker extracts before it is replaced, returning the memory it grew by (0: never)",
)

# --- The archive (pipelines/store.py) -------------------------------------------------
ARCHIVE_DB_URL = _maybe_text(
    "ARCHIVE_DB_URL",
    "the archive, any SQLAlchemy URL (unset: $NEWSARCHIVE_DB, else sqlite:///archive.db)",
)
ARCHIVE_AUTO_UPGRADE = _flag(
    "ARCHIVE_AUTO_UPGRADE", True, "create or migrate the archive's schema when a crawl opens it"
)
ARCHIVE_SCHEMA_READY = _flag(
    "ARCHIVE_SCHEMA_READY",
    False,
    "the archive's schema was created, migrated or checked before the crawl started (set by "
    "`newsarchive crawl` and `import`): the store stage and the run recorder take it as it is",
)
ARCHIVE_BATCH_SIZE = _whole(
    "ARCHIVE_BATCH_SIZE", 100, "articles per write transaction (at least 1)"
)
ARCHIVE_FLUSH_INTERVAL = _number(
    "ARCHIVE_FLUSH_INTERVAL", 2.0, "the longest an article waits to be written, seconds"
)
ARCHIVE_MAX_PENDING = _whole(
    "ARCHIVE_MAX_PENDING",
    1000,
    "articles waiting for the writer at most; the pipeline waits (at least 1)",
)
# A write past it fails like a full disk: the crawl stops cleanly with what it committed.
ARCHIVE_SQLITE_MAX_BYTES = _whole(
    "ARCHIVE_SQLITE_MAX_BYTES", 0, "largest size a SQLite archive may grow to (0: the disk's)"
)
# A full disk or any other lasting error stops the crawl at once.
ARCHIVE_RETRY_TIMEOUT = _number(
    "ARCHIVE_RETRY_TIMEOUT",
    60.0,
    "seconds a batch is retried while the database is unreachable before the crawl fails",
)
# `crawl --redis` turns it on.
ARCHIVE_WAIT_FOR_COMMIT = _flag(
    "ARCHIVE_WAIT_FOR_COMMIT",
    False,
    "finish a page only once its article is committed (a killed process loses nothing)",
)
# The crawl-run recorder extension (pipelines/runs.py); `newsarchive stats` and `health`
# read what it records.
ARCHIVE_RUNS_ENABLED = _flag(
    "ARCHIVE_RUNS_ENABLED",
    True,
    "record each crawl run (arguments, stats, how it ended) and its outcomes per site",
)
# A file next to a SQLite archive, an advisory lock on PostgreSQL; not taken with --redis.
CRAWL_LOCK = _flag(
    "CRAWL_LOCK",
    True,
    "one run at a time per crawl and archive: a second run of the same crawl exits 0 at once",
)
# Short lines a site repeats on most of its articles are learned in the archive and removed
# from the top and bottom of texts (archive/boilerplate.py).
ARCHIVE_BOILERPLATE_ENABLED = _flag(
    "ARCHIVE_BOILERPLATE_ENABLED", True, "learn and remove site-level boilerplate lines"
)
ARCHIVE_BOILERPLATE_MIN_ARTICLES = _whole(
    "ARCHIVE_BOILERPLATE_MIN_ARTICLES",
    6,
    "articles of a site counted before any line is judged boilerplate",
)
ARCHIVE_BOILERPLATE_MIN_LINE_ARTICLES = _whole(
    "ARCHIVE_BOILERPLATE_MIN_LINE_ARTICLES",
    4,
    "a line is boilerplate once at least this many of the site's articles hold it...",
)
ARCHIVE_BOILERPLATE_MIN_SHARE = _number(
    "ARCHIVE_BOILERPLATE_MIN_SHARE", 0.5, "...and at least this share of them"
)
ARCHIVE_BOILERPLATE_KEEP_SHARE = _number(
    "ARCHIVE_BOILERPLATE_KEEP_SHARE", 0.4, "it stays boilerplate until its share falls below this"
)
ARCHIVE_BOILERPLATE_MAX_WORDS = _whole(
    "ARCHIVE_BOILERPLATE_MAX_WORDS", 30, "lines of more words are story text, never boilerplate"
)
# The rest follow after the next batches and at the end of the crawl.
ARCHIVE_BOILERPLATE_RECLEAN_BUDGET = _whole(
    "ARCHIVE_BOILERPLATE_RECLEAN_BUDGET",
    2000,
    "archived articles re-cleaned after each batch when a site's model changes (0: all)",
)

# --- Shared frontier (crawler/frontier/, `newsarchive crawl --redis URL`) ---------------
REDIS_URL = _maybe_text(
    "REDIS_URL",
    'the Redis server of a shared frontier, e.g. "redis://127.0.0.1:6379/0" '
    "(newsarchive crawl: -s REDIS_URL=URL is --redis URL)",
)
REDIS_PARAMS = _table("REDIS_PARAMS", "extra redis-py client arguments")
REDIS_KEY = _maybe_text(
    "REDIS_KEY", "the crawl's key prefix in Redis (unset: derived from the spider and start URLs)"
)
REDIS_IDLE_TIMEOUT = _number(
    "REDIS_IDLE_TIMEOUT",
    30.0,
    "seconds the shared frontier must stay empty before a worker closes by itself",
)
REDIS_LEASE_TIMEOUT = _number(
    "REDIS_LEASE_TIMEOUT",
    60.0,
    "seconds without a heartbeat after which a worker's requests go back to the queue",
)
REDIS_POLL_INTERVAL = _number(
    "REDIS_POLL_INTERVAL", 0.5, "seconds between heartbeats (at least 0.05)"
)
REDIS_PREFETCH = _whole(
    "REDIS_PREFETCH", 8, "requests a worker takes from the shared queue per round trip (at least 1)"
)

# --- Extensions ----------------------------------------------------------------------
# The garbage collector's full passes stop walking ~135,000 start-up objects.
GC_FREEZE_ENABLED = _flag(
    "GC_FREEZE_ENABLED", True, "freeze the start-up heap when the spider opens"
)
# ~1,000 collections and a tenth of the crawler's CPU on a 2,000-page crawl at Python's
# 700, 5 at 50,000, with the same peak RSS.
GC_GEN0_THRESHOLD = _whole(
    "GC_GEN0_THRESHOLD",
    50_000,
    "the young generation's collection threshold while the spider runs (0: Python's own)",
)
PROGRESS_ENABLED = _flag(
    "PROGRESS_ENABLED", True, "the progress lines and the end summary (off for --quiet)"
)
PROGRESS_INTERVAL = _number(
    "PROGRESS_INTERVAL", 10.0, "seconds between progress lines (0: none; the summary stays)"
)
PROGRESS_LABEL = _text(
    "PROGRESS_LABEL", "crawl", 'what the end summary calls the run ("import" for import)'
)

# --- WARC files (crawler/extensions/warc.py, `newsarchive crawl --warc DIR`) -------------
WARC_DIR = _maybe_text(
    "WARC_DIR",
    "write every response, as received, with its request to WARC files in this folder",
)
WARC_PREFIX = _text(
    "WARC_PREFIX", "newsarchive", "files are named PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz"
)
WARC_MAX_SIZE = _whole(
    "WARC_MAX_SIZE",
    1024**3,
    "a new WARC file is started once the current one holds this many bytes",
)
WARC_REVISIT_INDEX_SIZE = _whole(
    "WARC_REVISIT_INDEX_SIZE",
    200_000,
    "payload digests remembered, so an identical response is written as a revisit",
)
WARC_MAX_PENDING = _whole(
    "WARC_MAX_PENDING",
    64 * 1024 * 1024,
    "bytes of responses waiting for the WARC writer at most; downloads wait beyond",
)

SETTINGS: tuple[Setting[Any], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Setting)
)
BY_NAME: dict[str, Setting[Any]] = {setting.name: setting for setting in SETTINGS}


def values() -> dict[str, Any]:
    """Every setting's default, by name: what ``crawler/settings.py`` sets."""
    return {setting.name: copy.deepcopy(setting.default) for setting in SETTINGS}


def _shown(setting: Setting[Any]) -> str:
    value = setting.default
    if setting.optional or value is None:
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, dict)):
        return "empty"
    if isinstance(value, int) and value >= 1024 * 1024 and value % (1024 * 1024) == 0:
        mib = value // (1024 * 1024)
        return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} MiB"
    if isinstance(value, int):
        return f"{value:,}"
    return f"`{value}`" if isinstance(value, str) else f"{value:g}"


DOC_HEAD = """\
# Settings

<!-- Generated by `python -m crawler.defaults` from crawler/defaults.py: edit the
declarations there, then run it (tests/crawler/test_defaults.py checks this file). -->

newsarchive is a Scrapy project: every setting, Scrapy's and ours, is set the same ways.

```sh
newsarchive crawl URL -s DOWNLOAD_DELAY=1 -s CONCURRENT_REQUESTS_PER_DOMAIN=2
newsarchive crawl URL -s NETGUARD_ALLOWED_HOSTS='["intranet.example"]'   # JSON for lists and dicts
scrapy crawl news -a url=URL -s ARCHIVE_BATCH_SIZE=200                   # from the project folder
curl http://localhost:6800/schedule.json -d project=newsarchive -d spider=news \\
    -d url=URL -d setting=ARCHIVE_DB_URL=postgresql+psycopg://news@db/news   # scrapyd
```

Our own settings are prefixed by the component that reads them: `CRAWL_*` the spider,
`BLOCK_*` the block middleware, `DNS_HOSTS` the resolver, `INCREMENTAL_*` the re-crawl
middleware, `NETGUARD_*` the address guard, `RETRY_*` the retry middleware, `EXTRACT_*`
the extract stage, `DEDUP_*` the near-duplicate clusters, `ARCHIVE_*` the store stage,
`REDIS_*` the shared frontier, `PROGRESS_*` the progress line, `GC_*` the heap freezer,
`WARC_*` the WARC files a crawl writes. Each is declared once, with its default, in
[`crawler/defaults.py`](../crawler/defaults.py); a component reads it from there, so it
behaves the same under `newsarchive crawl`, scrapyd, Scrapy's `get_crawler` or another
Scrapy project. [`crawler/settings.py`](../crawler/settings.py) takes these defaults and
sets the Scrapy settings the project changes (`USER_AGENT`, `ROBOTSTXT_OBEY`,
`DOWNLOAD_DELAY`, `AUTOTHROTTLE_*`, the middlewares and pipelines...), each explained
there. `newsarchive crawl -s` refuses a value of the wrong type or below a setting's
least value, and a misspelt name.

The limits that keep a crawl safe (download sizes and times, retries, redirects) are
listed in [operations.md](operations.md#safety); what a crawl re-checks in
[crawling.md](crawling.md#copies-edits-and-re-crawls).

| setting | default | type | what it does |
|---|---|---|---|
"""


def settings_doc() -> str:
    """docs/settings.md, from the declarations."""
    kinds = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}
    rows = []
    for setting in SETTINGS:
        kind = kinds[setting.kind]
        if setting.minimum is not None and setting.kind in (int, float):
            kind += f" ≥ {setting.minimum:g}"
        doc = setting.doc.replace("|", "\\|")
        rows.append(f"| `{setting.name}` | {_shown(setting)} | {kind} | {doc} |\n")
    return DOC_HEAD + "".join(rows)


DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def main() -> int:
    """Write docs/settings.md (``--check``: exit 1 if it is out of step instead)."""
    text = settings_doc()
    if "--check" in sys.argv[1:]:
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if current != text:
            print(f"{DOC_PATH} is out of step: run python -m crawler.defaults", file=sys.stderr)
            return 1
        return 0
    DOC_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
