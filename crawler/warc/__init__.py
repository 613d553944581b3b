"""WARC files: written at fetch time by a crawl (``--warc DIR``), read by ``newsarchive import``.

- :mod:`crawler.warc.wire`: an HTTP exchange as it crossed the wire (bytes sent and
  received), split into status line, headers and body without re-encoding anything.
- :mod:`crawler.warc.files`: WARC/1.1 records built with warcio, gzip-compressed one by
  one into files that rotate at a size, are written under a ``.open`` name and renamed
  when closed, with a CDXJ index beside each closed file.
- :mod:`crawler.warc.writer`: the writer thread a crawl hands its exchanges to, which
  decides ``response`` or ``revisit`` and says where each record went.
- :mod:`crawler.warc.reader`: the HTML pages held in WARC and ARC files, for import.

warcio (and surt, for the CDXJ keys) are the ``warc`` extra: these modules are imported
only when WARC files are written or read, and :func:`require` says what to install.
"""

from __future__ import annotations

from importlib.util import find_spec

EXTRA_MODULES = ("warcio", "surt")
# The request meta key under which a download's response record id is left for its page.
RECORD_META = "warc_record_id"


class WarcUnavailable(RuntimeError):
    """warcio or surt is not installed."""


def require() -> None:
    """Raise :class:`WarcUnavailable`, saying what to install, unless the extra is there."""
    missing = [name for name in EXTRA_MODULES if find_spec(name) is None]
    if missing:
        raise WarcUnavailable(
            f"WARC files need {' and '.join(missing)}: pip install 'newsarchive[warc]'"
        )
