"""Scrapy settings for newsarchive: our own settings' defaults, taken from
``crawler/defaults.py`` where each is declared and documented, and the Scrapy settings
the project changes, each with its reason.

Override any of them with ``newsarchive crawl -s NAME=VALUE`` or
``scrapy crawl news -s NAME=VALUE`` (docs/settings.md).
"""

from scrapy.settings import default_settings as _scrapy_defaults

from crawler import defaults as _defaults

# Every newsarchive setting (CRAWL_*, ARCHIVE_*, EXTRACT_*...), at its declared default.
globals().update(_defaults.values())

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness ---------------------------------------------------------------
# A crawl is polite by default: sites block crawlers that fetch many pages at once.
# Who is crawling: the user agent names newsarchive and, once CRAWL_CONTACT is set (a URL
# or an e-mail address where a site's owner can reach whoever runs the crawl), that
# contact: "newsarchive/0.1 (news archiving crawler; +https://...; contact: ops@example.org)".
USER_AGENT = "newsarchive/0.1 (news archiving crawler; +https://pypi.org/project/newsarchive/)"
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
# The spider logs each page that fails for good, with its reason; Scrapy need not too.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# A dropped page in one line, with its URL and reason (crawler/logs.py).
LOG_FORMATTER = "crawler.logs.PageLogFormatter"
# Redirect hops at most before a page is recorded as failed (browsers allow 20).
REDIRECT_MAX_TIMES = 10
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's robots.txt middleware, with requests that waited for robots.txt judged by it.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
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
# The progress extension prints our own line; Scrapy's would repeat it.
LOGSTATS_INTERVAL = 0.0
# Scrapy's in-memory stats without the deprecation wrapper its collector runs on every
# attribute access (~2.4 µs a call, dozens of calls a page in the reactor thread).
STATS_CLASS = "crawler.stats.CrawlStats"
FEED_EXPORT_ENCODING = "utf-8"

# --- Pipelines ---------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.classify.ClassifyPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# --- Extensions ---------------------------------------------------------------
EXTENSIONS = {
    "crawler.extensions.crawldelay.RobotsCrawlDelay": 490,
    "crawler.extensions.progress.Progress": 500,
    "crawler.extensions.gcfreeze.FreezeStartupHeap": 510,
    "crawler.extensions.warc.WarcRecorder": 520,
    # crawl_runs and crawl_run_outcomes (ARCHIVE_RUNS_ENABLED); in pipelines/, the layer
    # that writes the archive. Its spider_opened runs after the pipelines have opened
    # (the store stage has migrated the archive) and its spider_closed after they closed.
    "pipelines.runs.CrawlRunRecorder": 530,
}
# Scrapy's remote control is off (REMOTE_CONTROL_ENABLED) and not even loaded: Scrapy
# imports every listed extension's module, disabled or not, and that one imports
# aiohttp, 15 MB of the crawler process for nothing.
EXTENSIONS_BASE = {
    path: order
    for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
