"""How values read from the archive appear in a page: the templates' filters.

Every filter that returns markup builds it from escaped parts; the rest return plain
strings, which the templates escape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from web.security import safe_href

# Search snippets come back with matched words between these (private-use characters,
# which no query or markup needs), and are turned into <mark> after escaping.
MARK = ("\ue000", "\ue001")


def when(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return "-"
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def day(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d")


def number(value: int | float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def size(value: int | None) -> str:
    if value is None:
        return "-"
    for unit in ("B", "KiB", "MiB"):
        if value < 1024 or unit == "MiB":
            return f"{value:,} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value = value / 1024  # type: ignore[assignment]
    return str(value)


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "-"
    seconds = int((end - start).total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def marked(snippet: str | None) -> Markup:
    """A search snippet, escaped, with its matched words in ``<mark>``."""
    text = str(escape(" ".join((snippet or "").split())))
    return Markup(text.replace(MARK[0], "<mark>").replace(MARK[1], "</mark>"))


def outlink(url: str | None, text: str | None = None) -> Markup:
    """A link to an archived URL when it is http(s), else the URL as plain text."""
    label = escape(text if text is not None else url or "")
    href = safe_href(url)
    if href is None:
        return Markup(f'<span class="url">{label}</span>')
    return Markup(
        f'<a class="url" href="{escape(href)}" rel="noopener noreferrer nofollow">{label}</a>'
    )


def site_path(site: str) -> str:
    return "/site/" + quote(site, safe="")


def query(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2``: ``params`` with ``changes`` (None drops a parameter)."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else "?"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


FILTERS = {
    "when": when,
    "day": day,
    "number": number,
    "size": size,
    "marked": marked,
    "outlink": outlink,
    "site_path": site_path,
}
GLOBALS = {"query": query, "plural": plural, "duration": duration}
