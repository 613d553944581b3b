"""The one date parser: sitemaps and feeds, page metadata and command-line options.

It needs nothing but the standard library, so every layer that reads dates may import it
(the layer contracts let ``pipelines`` import ``crawler``, never the reverse):
``crawler/discovery.py`` for ``lastmod`` and feed dates, ``pipelines/extraction/metadata.py``
for JSON-LD and ``<meta>`` values, the CLI for ``--since``-style options.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Longer strings are prose, not timestamps; bounds the work on hostile values.
MAX_DATE_CHARS = 64
# "2019-11-18 10:00:00.123456789 +01:00" -> what datetime.fromisoformat accepts
_ISO_FRACTION = re.compile(r"(\.\d{6})\d+")
_ISO_SPACED_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2}|Z)$")


def _iso_normalised(text: str) -> str:
    return _ISO_SPACED_OFFSET.sub(r"\1\2", _ISO_FRACTION.sub(r"\1", text))


def parse_date(value: str | None, keep_offset: bool = False) -> datetime | None:
    """A W3C/ISO 8601 or RFC 822/2822 date as an aware UTC datetime, or None.

    A value without an offset is taken as UTC (a date alone is midnight UTC); an empty,
    overlong or unparsable value gives None. With ``keep_offset`` a value stating an offset
    keeps it (the same instant, on the calendar day the source wrote): a page's
    "2020-04-12T18:00:00-07:00" was published on the 12th for its readers, the 13th in UTC.
    """
    text = " ".join(value.split()) if value else ""
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(_iso_normalised(text))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed if keep_offset else parsed.astimezone(UTC)
