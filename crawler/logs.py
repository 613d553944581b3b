"""Scrapy log records made to fit a crawl that may meet an unreachable site.

When a start site cannot be reached (offline, a DNS failure), Scrapy's robots.txt
middleware logs the failed robots.txt download at ERROR with its traceback: some
seventy lines, even under ``--quiet``, before the page itself fails and is reported
in one line with its reason. The record is kept, as one line at INFO (``-v``).

Pages the pipelines drop are logged in one line each, with their URL and reason:
failures at WARNING (the default level shows them), pages skipped on purpose (a
listing, a page too short to be a story) at INFO (``-v``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.logformatter import LogFormatterResult
    from twisted.python.failure import Failure

ROBOTSTXT_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class OneLineRobotsErrors(logging.Filter):
    """Turns the robots.txt middleware's download errors into one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith("Error downloading"):
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.INFO
            record.levelname = logging.getLevelName(logging.INFO)
        return True


def quiet_robots_errors() -> None:
    """Install the filter once per process."""
    logger = logging.getLogger(ROBOTSTXT_LOGGER)
    if not any(isinstance(f, OneLineRobotsErrors) for f in logger.filters):
        logger.addFilter(OneLineRobotsErrors())


class PageLogFormatter(LogFormatter):
    """A dropped page is one line: our stages' messages already say what and why
    (``skipped (listing): URL``); Scrapy's default adds the item's repr on a second."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "%(exception)s"
        result["args"] = {"exception": exception}
        return result
