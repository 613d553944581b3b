"""The archive's web view (``newsarchive serve``): the read end of the data flow.

Server-rendered pages that work without JavaScript: search, articles with their
versions and diffs, story clusters, sites and their health, crawl runs. This package
reads through ``archive`` (the read API) only; it never imports the crawler, its
pipelines, Scrapy or Twisted, and never writes to the archive. Build the application
with :func:`web.app.create_app`.
"""
