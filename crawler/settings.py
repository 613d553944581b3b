"""Scrapy settings for newsarchive, and every newsarchive default in one place.

Our own settings are prefixed by the component that reads them (``ARCHIVE_*`` by
the store stage, ``EXTRACT_*`` by the extract stage, ``CRAWL_*`` by the spider,
``PROGRESS_*`` by the progress extension). Override any of them with
``newsarchive crawl -s NAME=VALUE`` or ``scrapy crawl news -s NAME=VALUE``.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness ---------------------------------------------------------------
# A crawl is polite by default: sites block crawlers that fetch many pages at once.
# Who is crawling: the user agent names newsarchive and, once CRAWL_CONTACT is set (a URL
# or an e-mail address where a site's owner can reach whoever runs the crawl), that
# contact: "newsarchive/0.1 (news archiving crawler; +https://...; contact: ops@example.org)".
USER_AGENT = "newsarchive/0.1 (news archiving crawler; +https://pypi.org/project/newsarchive/)"
CRAWL_CONTACT = None
ROBOTSTXT_OBEY = True
# Requests at once in all, and to one host at most (a site's `concurrency` overrides it).
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy's own downloader lets one site take all CONCURRENT_REQUESTS (see crawler/downloader.py).
DOWNLOADER = "crawler.downloader.SlotLimitedDownloader"
# Seconds between two requests to one host at least (a site's `delay` overrides it).
DOWNLOAD_DELAY = 0.0
# AutoThrottle spaces the requests to each host by the server's own response time, so
# that about AUTOTHROTTLE_TARGET_CONCURRENCY requests are in flight to it on average: a
# slow (busy) server gets fewer. It starts at AUTOTHROTTLE_START_DELAY seconds between
# requests and never waits more than AUTOTHROTTLE_MAX_DELAY (nor less than DOWNLOAD_DELAY,
# a site's delay, or its robots.txt Crawl-delay).
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
# robots.txt Crawl-delay is honoured up to this many seconds between requests to a host
# (crawler/extensions/crawldelay.py); 0 ignores it.
CRAWL_DELAY_MAX = 10.0
# A site that answers with challenge, captcha, access-denied, rate-limit or consent-wall
# pages (crawler/blocks.py) is backed off: BLOCK_BACKOFF_START seconds at least between
# requests to the host after its first block, doubling with each further block up to
# BLOCK_BACKOFF_MAX (0: no back-off). After BLOCK_STOP_AFTER blocks in a row the site is
# stopped for the rest of the crawl (0: never). Blocks are never archived.
BLOCK_DETECTION_ENABLED = True
BLOCK_BACKOFF_START = 5.0
BLOCK_BACKOFF_MAX = 60.0
BLOCK_STOP_AFTER = 5

# --- Fetching ---------------------------------------------------------------
# Seconds for a whole download (headers and body): a server that never answers or
# trickles bytes fails after this.
DOWNLOAD_TIMEOUT = 30
# News pages are rarely above 2 MB (inline JSON included): warn past 2 MiB, refuse past
# 10 MiB, counting the body after decompression, so a gzip, deflate, brotli or zstd bomb
# is stopped at 10 MiB. At 32 requests at once that bounds bodies in memory to ~320 MiB.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A body cut short (connection dropped, Content-Length that lies) is an error, never a page.
DOWNLOAD_FAIL_ON_DATALOSS = True
# Only http(s) is ever fetched: no download handler for file:, data:, ftp: or s3: URLs.
# http(s) go through Scrapy's HTTP/1.1 handler, which also records the wire for WARC
# files when WARC_DIR is set (crawler/handlers.py).
DOWNLOAD_HANDLERS = {
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
    "http": "crawler.handlers.RecordingDownloadHandler",
    "https": "crawler.handlers.RecordingDownloadHandler",
}
# Timeouts, lost connections, 5xx and 429 are retried this many times, waiting
# RETRY_BACKOFF_BASE * 2**(n-1) seconds (jittered, at most RETRY_BACKOFF_MAX) before
# retry n, or what a Retry-After header asks up to RETRY_AFTER_MAX seconds (longer: the
# page is recorded as failed at once, for a later crawl to try again).
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0
# The spider logs each page that fails for good, with its reason; Scrapy need not too.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# A dropped page in one line, with its URL and reason (crawler/logs.py).
LOG_FORMATTER = "crawler.logs.PageLogFormatter"
# Redirect hops at most before a page is recorded as failed (browsers allow 20).
REDIRECT_MAX_TIMES = 10
DOWNLOADER_MIDDLEWARES = {
    # Every request and redirect hop: http(s) only, public addresses only (or a start host).
    "crawler.middlewares.netguard.NetworkGuardMiddleware": 60,
    # Scrapy's retry, redirect and meta-refresh handling, made safe (see their modules).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    # skips or conditionally fetches archived pages; sees a 304 after any redirect
    "crawler.middlewares.incremental.IncrementalMiddleware": 560,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    # reads only a page's first 4 KiB for <meta http-equiv=refresh> (metarefresh.py)
    "crawler.middlewares.redirect.SafeMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.SafeRedirectMiddleware": 600,
    # sees 3xx responses before the redirect middleware: keeps redirecting URLs as aliases
    "crawler.middlewares.redirectalias.RedirectAliasMiddleware": 610,
    # sees each response decompressed (590), before the retry middleware: blocks are
    # counted, backed off and never handed on as pages (crawler/middlewares/blocks.py)
    "crawler.middlewares.blocks.BlockMiddleware": 585,
}
# The network guard (crawler/middlewares/netguard.py) refuses private, loopback,
# link-local, cloud-metadata and other non-public addresses unless the host is a start
# URL's host or listed here (host names or IP addresses, e.g. an intranet news server).
NETGUARD_ENABLED = True
NETGUARD_ALLOWED_HOSTS: list[str] = []
# Addresses for host names, answered before DNS as /etc/hosts would (crawler/resolver.py):
# -s DNS_HOSTS='{"www.example.test": "127.0.0.60"}'. The hosts listed count as named by
# the user: the network guard lets them be private, as it does start hosts.
DNS_HOSTS: dict[str, str] = {}
TWISTED_DNS_RESOLVER = "crawler.resolver.HostsResolver"
COOKIES_ENABLED = False
# No console into a running crawl: Scrapy's telnet console and its remote-control HTTP
# server (which runs Python code sent to it, and writes its port and token to a file in
# the user's profile) would each be a way in to an unattended crawler.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Breadth-first: a site's home, then its sections, then their articles.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# Items and requests of one response processed at once. A page yields one item, and
# requests pass through synchronously, so a few suffice; Scrapy starts this many tasks
# for every response (100 by default: 1-2 ms of reactor CPU per page).
CONCURRENT_ITEMS = 8
# Responses held by the scraper (pages waiting for extraction and storage) before
# the engine stops fetching: this is the crawl's backpressure.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 8_000_000
LOG_LEVEL = "INFO"
# A dropped page in one line, with its URL and reason (crawler/logs.py).
LOG_FORMATTER = "crawler.logs.PageLogFormatter"
# The progress extension prints our own line; Scrapy's would repeat it.
LOGSTATS_INTERVAL = 0.0
# Scrapy's in-memory stats without the deprecation wrapper its collector runs on every
# attribute access (~2.4 µs a call, dozens of calls a page in the reactor thread).
STATS_CLASS = "crawler.stats.CrawlStats"
FEED_EXPORT_ENCODING = "utf-8"
# --- Discovery (spider `news`) ---------------------------------------------
# Link hops followed from a start page (a site's home is depth 0).
CRAWL_DEPTH = 2
# Pages fetched per site at most; 0 means no limit.
CRAWL_MAX_PAGES = 0
# Read robots.txt of every start site for the sitemaps it names.
CRAWL_ROBOTS_SITEMAPS = True
# Follow <link rel="alternate"> feeds found on start pages.
CRAWL_FEEDS = True
# Follow a redirect only to one of the crawl's sites or within the site the redirected
# URL was on; other redirects are refused and counted (skipped/redirect_out_of_scope).
CRAWL_REDIRECTS_IN_SCOPE = True
# Size cap for start URLs and sitemaps instead of DOWNLOAD_MAXSIZE: the sitemap protocol
# allows 50 MB (uncompressed) per sitemap.
CRAWL_SITEMAP_MAXSIZE = 50 * 1024 * 1024
# Re-visit window (per site: `revisit_days` in a sites file): an archived article is
# re-checked for edits while the archive first saw it less than this many days ago;
# inf re-checks every archived article, 0 none (only new URLs are fetched).
CRAWL_REVISIT_DAYS = 7.0
# Skip sitemap and feed entries (and child sitemaps) dated before this ISO 8601 date.
CRAWL_SINCE = None

# --- Incremental re-crawls (crawler.middlewares.incremental) ---------------------
INCREMENTAL_ENABLED = True
# Where the middleware learns what the archive holds: a dotted path to a callable taking
# ARCHIVE_DB_URL and returning a crawler.incremental.PageStateStore.
INCREMENTAL_STATE_STORE = "archive.state.open_page_state"
# Re-check every archived article, ignoring re-visit windows and listed dates.
INCREMENTAL_RECHECK = False
# Send If-None-Match / If-Modified-Since from the stored capture (a 304 costs no body).
INCREMENTAL_CONDITIONAL = True

# --- Pipelines ---------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.classify.ClassifyPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# Near-duplicate stories (archive.neardup): the extraction workers compute a MinHash
# of each text and the archive writer puts a new article in the story cluster of the
# most similar earlier text when their estimated Jaccard similarity of word 3-grams
# reaches the threshold. Lightly edited copies of a story score 0.65-0.75 and two
# different stories on one topic 0.01-0.05; the index keeps its recall down to ~0.4.
DEDUP_NEAR_ENABLED = True
DEDUP_NEAR_THRESHOLD = 0.5

# Extraction worker processes; 0 means one per CPU core.
EXTRACT_WORKERS = 0
# Seconds one page may take in a worker before the worker is killed and replaced.
EXTRACT_TIMEOUT = 30.0
# Pages submitted to the workers and not yet returned, at most; the pipeline waits beyond.
EXTRACT_MAX_PENDING = 64
# The function a worker runs on each page that passed the screen (pipelines/screen.py):
# ``f(html: str, url: str) -> pipelines.extraction.Extracted``, as an import path.
# Tests plug in functions that hang or crash here.
EXTRACT_FUNCTION = "pipelines.extraction.extract_article"
# How worker processes start: "subprocess" (a fresh interpreter importing only the
# extraction engine, about half a second), multiprocessing's "spawn" (the same, plus
# multiprocessing's resource-tracker process: 12 MB more) or "forkserver" (forked from a
# server that preloaded the engine). Measured with 2 workers, spawn held 23 MB less RSS
# and 12 MB less PSS in all than forkserver: the pages a forked worker shares with its
# server are soon copied anyway (reference counts write to them), and the server is one
# more process. With many workers forkserver's shared start-up pages win back.
EXTRACT_START_METHOD = "subprocess"

# The archive: any SQLAlchemy URL; None means $NEWSARCHIVE_DB, else sqlite:///archive.db.
ARCHIVE_DB_URL = None
# Create or migrate the archive's schema when a crawl opens it.
ARCHIVE_AUTO_UPGRADE = True
# Articles per write transaction, and the longest an article waits to be written (seconds).
ARCHIVE_BATCH_SIZE = 100
ARCHIVE_FLUSH_INTERVAL = 2.0
# Articles waiting for the writer at most; the pipeline waits beyond.
ARCHIVE_MAX_PENDING = 1000
# Largest size, in bytes, a SQLite archive may grow to (0: no limit but the disk). A write
# past it fails like a full disk: the crawl stops cleanly with what it had committed.
ARCHIVE_SQLITE_MAX_BYTES = 0
# Seconds a batch is retried, with backoff, while the database is unreachable (a restart
# or failover, a dropped connection) before the crawl stops as failed. A full disk or any
# other lasting error stops it at once.
ARCHIVE_RETRY_TIMEOUT = 60.0
# Finish a page only once its article is committed (slower to drain, but a killed
# process loses nothing Scrapy considered done). `crawl --redis` turns it on.
ARCHIVE_WAIT_FOR_COMMIT = False

# One run at a time per crawl (its start URLs) and archive: `newsarchive crawl` takes a
# lock (a file next to a SQLite archive, an advisory lock on PostgreSQL) and a second
# run of the same crawl exits 0 at once. Off: overlapping runs both crawl (and write
# safely, each batch in its own transaction). Not taken with --redis.
CRAWL_LOCK = True

# --- Shared frontier (crawler/frontier/, `newsarchive crawl --redis URL`) ------------
# With SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler" several crawler
# processes, on any machines, share one request queue and one seen-set in Redis.
# The Redis server, e.g. "redis://127.0.0.1:6379/0" (scrapy-redis's setting name).
REDIS_URL = None
# Extra redis-py client arguments (scrapy-redis's setting name).
REDIS_PARAMS: dict[str, object] = {}
# The crawl's key prefix in Redis; None derives it from the spider and its start URLs,
# so every machine running the same sites file or URLs joins the same crawl.
REDIS_KEY = None
# Seconds the shared frontier must stay empty (nothing queued, nothing in progress on
# any worker) before a worker closes by itself.
REDIS_IDLE_TIMEOUT = 30.0
# Seconds without a heartbeat after which a worker counts as dead and the requests it
# had taken go back to the queue for the others.
REDIS_LEASE_TIMEOUT = 60.0
# Seconds between heartbeats (acknowledgements, lease renewal, looking for new work).
REDIS_POLL_INTERVAL = 0.5
# Requests a worker takes from the shared queue per round trip (leased like the others).
REDIS_PREFETCH = 8

# Site-level boilerplate (archive/boilerplate.py): short lines a site repeats on most of
# its articles are learned in the archive and removed from the top and bottom of texts.
ARCHIVE_BOILERPLATE_ENABLED = True
# Articles of a site counted before any line is judged; with fewer, nothing is removed.
ARCHIVE_BOILERPLATE_MIN_ARTICLES = 6
# A line is boilerplate once at least this many of the site's articles hold it...
ARCHIVE_BOILERPLATE_MIN_LINE_ARTICLES = 4
# ...and at least this share of them; it stays so until its share falls below KEEP_SHARE.
ARCHIVE_BOILERPLATE_MIN_SHARE = 0.5
ARCHIVE_BOILERPLATE_KEEP_SHARE = 0.4
# Lines of more words are story text, never boilerplate.
ARCHIVE_BOILERPLATE_MAX_WORDS = 30
# When a site's model changes, its archived articles are re-cleaned (1-2 ms each), at most
# this many after each write batch so the crawl never stalls on a large site; the rest
# follow after the next batches and at the end of the crawl. 0 means all at once.
ARCHIVE_BOILERPLATE_RECLEAN_BUDGET = 2000

# --- Extensions ---------------------------------------------------------------
EXTENSIONS = {
    "crawler.extensions.crawldelay.RobotsCrawlDelay": 490,
    "crawler.extensions.progress.Progress": 500,
    "crawler.extensions.gcfreeze.FreezeStartupHeap": 510,
    "crawler.extensions.warc.WarcRecorder": 520,
}
# Scrapy's remote control is off (REMOTE_CONTROL_ENABLED) and not even loaded: Scrapy
# imports every listed extension's module, disabled or not, and that one imports
# aiohttp, 15 MB of the crawler process for nothing.
EXTENSIONS_BASE = {
    path: order
    for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
# Freeze the start-up heap when the spider opens (crawler/extensions/gcfreeze.py): the
# garbage collector's full passes stop walking ~135,000 module objects every few seconds.
GC_FREEZE_ENABLED = True
# The young generation's collection threshold while the spider runs (Python's default:
# 700): ~1,000 collections and a tenth of the crawler process's CPU on a 2,000-page
# crawl at 700, 5 at 50,000, with the same peak RSS. 0 leaves Python's own.
GC_GEN0_THRESHOLD = 50_000
# Seconds between progress lines; 0 turns them off (the end summary stays).
PROGRESS_INTERVAL = 10.0
# What the end summary calls the run (`newsarchive import` says "import").
PROGRESS_LABEL = "crawl"

# --- WARC files (crawler/extensions/warc.py, `newsarchive crawl --warc DIR`) ---------
# Write every response the crawl receives, with its request, as received on the wire,
# to WARC files in this folder (None: no WARC files). Needs the warc extra.
WARC_DIR = None
# Files are named <prefix>-<timestamp>-<serial>-<host>.warc.gz ...
WARC_PREFIX = "newsarchive"
# ...and a new one is started once the current one holds this many bytes (gzip'ed).
WARC_MAX_SIZE = 1024**3
# Payload digests remembered (this crawl's, then the folder's CDXJ indexes, newest first)
# so that a response identical to an earlier one is written as a revisit of it.
WARC_REVISIT_INDEX_SIZE = 200_000
# Bytes of responses waiting for the WARC writer at most; downloads wait beyond.
WARC_MAX_PENDING = 64 * 1024 * 1024
