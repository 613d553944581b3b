"""What an extraction worker process runs: decode one fetched page, extract its article.

Worker processes are forked from a fork server that has preloaded this module, so it
imports the extraction engine and nothing else: no Scrapy, no database. A worker holds
only what extraction needs, starts in milliseconds, and its memory is not taken up by
modules it never uses. Tasks arrive as (body bytes, encoding, URL): bytes pickle as one
copy, where a decoded ``str`` would be re-encoded to UTF-8 on the way.
"""

from __future__ import annotations

from pipelines.extraction import Extracted, extract_article


def decode_html(body: bytes, encoding: str | None) -> str:
    """The page's text in the encoding the response declared or Scrapy detected."""
    try:
        return body.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def extract_page(body: bytes, encoding: str | None, url: str) -> Extracted:
    """Decode one fetched page and extract its article (runs in a worker process)."""
    return extract_article(decode_html(body, encoding), url)
