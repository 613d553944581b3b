"""The one date parser: sitemaps and feeds, page metadata and command-line options.

It needs nothing but the standard library, so every layer that reads dates may import it
(the layer contracts let ``pipelines`` import ``crawler``, never the reverse):
``crawler/discovery.py`` for ``lastmod`` and feed dates, ``pipelines/extraction/metadata.py``
for JSON-LD and ``<meta>`` values, the CLI for ``--since``-style options.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Longer strings are prose, not timestamps; bounds the work on hostile values.
MAX_DATE_CHARS = 64
# "2019-11-18 10:00:00.123456789 +01:00" -> what datetime.fromisoformat accepts
_ISO_FRACTION = re.compile(r"(\.\d{6})\d+")
_ISO_SPACED_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2}|Z)$")
# JavaScript's Date.toString() names its zone after the offset, in the browser's language:
# "Thu Dec 05 2024 14:30:00 GMT+0100 (Mitteleuropäische Normalzeit)"; the name goes (the
# offset says it), else the value was overlong or read in UTC
_JS_ZONE_NAME = re.compile(r"(GMT[+-]\d{4})\s*\([^()]{1,80}\)$")
# Seconds (10 digits) or milliseconds (13) since 1970, as some JSON-LD and JSON feeds write
# a date; only from the web's early years to a day ahead, so other numbers are no dates.
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")
EARLIEST_EPOCH = datetime(1995, 1, 1, tzinfo=UTC)
EPOCH_LEEWAY = timedelta(days=1)
# A year-first numeric date opening the value, with slashes or one-digit parts ("2024/12/05",
# "2024-12-5"), before the end, a "T" or a space. Day-first or month-first ones
# ("25/12/2024") stay unread: see docs/extraction.md's rules log.
_YEAR_FIRST = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?=$|[T\s])")
# A day-first date with dots opening the value ("05.12.2024", "5.12.2024 14:30"): Germany,
# Central and Eastern Europe and Russia write it so; nobody writes dots month first.
_DAY_FIRST_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?=$|\s)")
MAX_HOUR = 12
# a 12-hour clock: "2:30 PM", "9:05:10 a.m."
_TWELVE_HOUR = re.compile(r"\b(\d{1,2})(:\d\d(?::\d\d)?)\s*([ap])\.?m\.?(?=\s|$)", re.IGNORECASE)
# The zone after a time: a name, "GMT+1" / "UTC-05:30", or an offset in hours alone ("+01").
# Names are only the ones RFC 822 defines (North America's and UTC), which feeds follow;
# others are ambiguous ("IST" is India's, Ireland's and Israel's).
ZONE_HOURS = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_TIME_ZONE = re.compile(
    r"(:\d\d(?:\.\d+)?)\s*(?:(?P<name>"
    + "|".join(ZONE_HOURS)
    + r")|(?:(?P<utc>GMT|UTC|UT)\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d\d))?)"
    + r"|(?P<bare_sign>[+-])(?P<bare_hours>\d\d))$",
    re.IGNORECASE,
)


def _iso_normalised(text: str) -> str:
    return _ISO_SPACED_OFFSET.sub(r"\1\2", _ISO_FRACTION.sub(r"\1", text))


def _iso_date(match: re.Match[str]) -> str:
    year, _, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _twenty_four_hours(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    if not 1 <= hour <= MAX_HOUR:
        return match.group(0)
    hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
    return f"{hour:02d}{match.group(2)}"


def _numeric_zone(match: re.Match[str]) -> str:
    """The zone after a time as a numeric offset both parsers read ("EST" -> "-0500";
    "GMT+1" -> "+0100", "+01" -> "+0100": RFC 822's parser took "+01" as one minute)."""
    if name := match.group("name"):
        hours = ZONE_HOURS[name.upper()]
        offset = f"{'-' if hours < 0 else '+'}{abs(hours):02d}00"
    elif match.group("utc"):
        minutes = match.group("minutes") or "00"
        offset = f"{match.group('sign')}{int(match.group('hours')):02d}{minutes}"
    else:
        offset = f"{match.group('bare_sign')}{match.group('bare_hours')}00"
    return f"{match.group(1)} {offset}"


def _epoch(text: str) -> datetime | None:
    number = int(text)
    moment = datetime.fromtimestamp(number / 1000 if len(text) > 10 else number, UTC)
    return moment if EARLIEST_EPOCH <= moment <= datetime.now(UTC) + EPOCH_LEEWAY else None


def date_text(value: object) -> str | None:
    """A JSON value as the text :func:`parse_date` reads: a string as it is, an integer
    (an epoch time) as its digits; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def parse_date(value: str | None, keep_offset: bool = False) -> datetime | None:
    """A W3C/ISO 8601 or RFC 822/2822 date as an aware UTC datetime, or None.

    A value without an offset is taken as UTC (a date alone is midnight UTC); an empty,
    overlong or unparsable value gives None. With ``keep_offset`` a value stating an offset
    keeps it (the same instant, on the calendar day the source wrote): a page's
    "2020-04-12T18:00:00-07:00" was published on the 12th for its readers, the 13th in UTC.

    Also read: a year-first date with slashes or one-digit parts ("2024/12/05",
    "2024-12-5"), a day-first date with dots ("05.12.2024"), a 12-hour clock ("2:30 PM"),
    a zone named after the time ("EST", "UTC", "GMT+1") or given in hours ("+01"),
    JavaScript's "Thu Dec 05 2024 14:30:00 GMT+0100 (Central European Standard Time)", and 10-
    or 13-digit epoch seconds or milliseconds from 1995 to a day ahead.
    """
    text = _JS_ZONE_NAME.sub(r"\1", " ".join(value.split())) if value else ""
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    if _EPOCH.fullmatch(text):
        return _epoch(text)
    text = _YEAR_FIRST.sub(_iso_date, text, count=1)
    text = _DAY_FIRST_DOTS.sub(lambda m: f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}", text, count=1)
    text = _TIME_ZONE.sub(_numeric_zone, _TWELVE_HOUR.sub(_twenty_four_hours, text))
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
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:  # "9999-12-31T23:00-05:00" is in year 10000 in UTC: no instant
        return None
    return parsed if keep_offset else instant
