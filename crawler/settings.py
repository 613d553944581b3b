"""Scrapy settings for newsarchive, and every newsarchive default in one place.

Our own settings are prefixed by the component that reads them (``ARCHIVE_*`` by
the store stage, ``EXTRACT_*`` by the extract stage, ``CRAWL_*`` by the spider,
``PROGRESS_*`` by the progress extension). Override any of them with
``newsarchive crawl -s NAME=VALUE`` or ``scrapy crawl news -s NAME=VALUE``.
"""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Fetching ---------------------------------------------------------------
USER_AGENT = "newsarchive/0.1 (news archiving crawler; +https://pypi.org/project/newsarchive/)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Scrapy's own downloader lets one site take all CONCURRENT_REQUESTS (see crawler/downloader.py).
DOWNLOADER = "crawler.downloader.SlotLimitedDownloader"
DOWNLOAD_DELAY = 0.0
DOWNLOAD_TIMEOUT = 30
# News pages are rarely above 2 MB; refuse anything past 16 MB (decompression bombs included).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
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
FEED_EXPORT_ENCODING = "utf-8"
DOWNLOADER_MIDDLEWARES = {
    # Same redirects as Scrapy's, without decoding and keeping the whole page to read its head.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.metarefresh.HeadMetaRefreshMiddleware": 580,
}

# --- Discovery (spider `news`) ---------------------------------------------
# Link hops followed from a start page (a site's home is depth 0).
CRAWL_DEPTH = 2
# Pages fetched per site at most; 0 means no limit.
CRAWL_MAX_PAGES = 0
# Read robots.txt of every start site for the sitemaps it names.
CRAWL_ROBOTS_SITEMAPS = True
# Follow <link rel="alternate"> feeds found on start pages.
CRAWL_FEEDS = True

# --- Pipelines ---------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.classify.ClassifyPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# Extraction worker processes; 0 means one per CPU core.
EXTRACT_WORKERS = 0
# Seconds one page may take in a worker before the worker is killed and replaced.
EXTRACT_TIMEOUT = 30.0
# Pages submitted to the workers and not yet returned, at most; the pipeline waits beyond.
EXTRACT_MAX_PENDING = 64
# How worker processes start: "spawn" (a fresh interpreter importing only the extraction
# engine, about half a second) or "forkserver" (forked from a server that preloaded it).
# Measured with 2 workers, spawn holds 23 MB less RSS and 12 MB less PSS in all: the
# pages a forked worker shares with its server are soon copied anyway (reference counts
# write to them), and the server is one more process. With many workers forkserver's
# shared start-up pages win back.
EXTRACT_START_METHOD = "spawn"

# The archive: any SQLAlchemy URL; None means $NEWSARCHIVE_DB, else sqlite:///archive.db.
ARCHIVE_DB_URL = None
# Create or migrate the archive's schema when a crawl opens it.
ARCHIVE_AUTO_UPGRADE = True
# Articles per write transaction, and the longest an article waits to be written (seconds).
ARCHIVE_BATCH_SIZE = 100
ARCHIVE_FLUSH_INTERVAL = 2.0
# Articles waiting for the writer at most; the pipeline waits beyond.
ARCHIVE_MAX_PENDING = 1000

# --- Extensions ---------------------------------------------------------------
EXTENSIONS = {
    "crawler.extensions.progress.Progress": 500,
}
# Seconds between progress lines; 0 turns them off (the end summary stays).
PROGRESS_INTERVAL = 10.0
