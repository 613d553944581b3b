"""The shared seen-set: scrapy-redis's Redis dupefilter, with Scrapy's own fingerprints.

scrapy-redis 0.9.1 hashes its own (method, canonical URL, body) JSON, ignoring the
``REQUEST_FINGERPRINTER_CLASS`` Scrapy has used since 2.7, and its ``close``
deletes the set, which would make the workers still running re-fetch everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy_redis.dupefilter import RFPDupeFilter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.utils.request import RequestFingerprinterProtocol


class FrontierDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    def __init__(
        self,
        server: Any,
        key: str,
        fingerprinter: RequestFingerprinterProtocol,
        debug: bool = False,
    ) -> None:
        super().__init__(server, key, debug=debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        """Keep the set: other workers share it; the scheduler deletes it once the
        whole crawl is complete."""
