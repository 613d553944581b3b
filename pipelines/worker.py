"""What an extraction worker process runs: screen one fetched page, extract its article.

Workers start as fresh interpreters by default (``EXTRACT_START_METHOD``) and import this
module: the screen, the extraction engine and the MinHash signer, no Scrapy. A worker
holds only what extraction needs. Tasks arrive as (body bytes, encoding, URL, function,
with_signature, pack_body): bytes pickle as one copy, where a decoded ``str`` would be
re-encoded on the way; the result is a small :class:`PageResult`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from crawler.defaults import EXTRACT_FUNCTION
from pipelines.screen import Refusal, Screened, check_extraction, screen_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from archive.bodies import PackedBody
    from pipelines.extraction import Extracted

DEFAULT_EXTRACT_FUNCTION = EXTRACT_FUNCTION.default


@dataclass(frozen=True, slots=True)
class PageResult:
    """What a worker returns for one page: its article, the signature of its text
    (``archive.minhash.signature``; None when not asked for or the text is short) and
    its body packed for the archive (``archive.bodies``; None when not asked for), or
    why there is no article."""

    extracted: Extracted | None = None
    signature: bytes | None = None
    refusal: Refusal | None = None
    body: PackedBody | None = None


def no_text_reason(extracted: Any, url: str, refusal: Refusal) -> Refusal:
    """Why a page without story text was skipped. A page its URL or markup says is no
    article (a home or section page, an about or contact page) is skipped for that
    reason, as if it had text; ``empty_text`` is left for the pages that should have
    had a story, which is what a changed template looks like (``newsarchive stats``
    counts those as extraction failures)."""
    from pipelines.extraction.model import Extracted
    from pipelines.extraction.pagetype import markup_verdict

    if refusal.reason != "empty_text" or not isinstance(extracted, Extracted):
        return refusal
    verdict = markup_verdict(extracted, url)
    if verdict is None or verdict.skip is None:
        return refusal
    return Refusal(verdict.skip, "no article text, and no article")


def quiet_worker_logs() -> None:
    """Run once in each worker: trafilatura warns about every page it discards."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


def init_worker(function: str = DEFAULT_EXTRACT_FUNCTION) -> None:
    """Run once in each worker as it starts: quiet the logs and import the extraction
    engine and the signer now, while the crawler is still starting and fetching its first
    pages, rather than on the first page (about half a second of imports). A function that
    cannot be imported is reported by each page's task instead, as a failed page."""
    quiet_worker_logs()
    import archive.bodies
    import archive.minhash  # noqa: F401

    with contextlib.suppress(Exception):
        load_function(function)


@cache
def load_function(path: str) -> Callable[..., Any]:
    """The function an import path (``package.module.name``) names."""
    module, _, name = path.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def extract_page(  # noqa: PLR0917 (the pool sends a task's arguments as one tuple)
    body: bytes,
    encoding: str | None,
    url: str,
    function: str = DEFAULT_EXTRACT_FUNCTION,
    with_signature: bool = True,
    pack_body: bool = False,
) -> PageResult:
    """Screen one fetched page, extract its article from the text the screen decoded
    with ``function`` (an import path to ``f(html, url) -> Extracted``), sign its
    text for near-duplicate clustering and, with ``pack_body``, compress and hash the
    body for the archive, so the crawler process need not hold the raw page until its
    batch is written.

    The screen decodes by the one charset policy (:mod:`pipelines.charset`) and refuses a
    page that policy cannot decode, so the extractor never sees garbled text.
    """
    from archive.bodies import PackedBody
    from archive.minhash import signature

    screened = screen_page(body, encoding)
    if not isinstance(screened, Screened):
        return PageResult(refusal=screened)
    extract = load_function(function)
    try:
        extracted = extract(screened.text, url)
    except Exception:
        refusal = check_extraction(screened.text, "")
        if refusal is None or refusal.reason == "empty_text":
            raise
        return PageResult(refusal=refusal)
    refusal = check_extraction(screened.text, extracted.text or "")
    if refusal is not None:
        return PageResult(refusal=no_text_reason(extracted, url, refusal))
    return PageResult(
        extracted,
        signature(extracted.text) if with_signature else None,
        body=PackedBody.pack(body) if pack_body else None,
    )
