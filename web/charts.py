"""Charts drawn by the server as SVG: no script, no library, nothing from a CDN.

Every text that goes into a chart (site names, titles) is escaped here; the SVG is
inlined in the page, styled by the stylesheet's classes (the Content-Security-Policy
allows no inline style), and each mark carries a ``<title>`` that browsers show on
hover and screen readers read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape

BAR_GAP = 1.0


def _svg(width: float, height: float, label: str, body: list[str], css: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(body)}</svg>'
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def daily_bars(
    counts: list[int],
    first_day: date,
    *,
    what: str = "article",
    width: int = 720,
    height: int = 140,
) -> Markup:
    """A bar per day (oldest first) with the busiest day's count, the first and last
    days as labels, and each day's count on hover."""
    days = max(1, len(counts))
    top = max(counts, default=0)
    left, bottom, plot_h = 36.0, 18.0, height - 30.0
    step = (width - left) / days
    last_day = first_day + timedelta(days=days - 1)
    label = (
        f"{_plural(sum(counts), what)} over {days} days, {first_day:%Y-%m-%d} to "
        f"{last_day:%Y-%m-%d}; the busiest day had {top:,}"
    )
    body = [
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width}" '
        f'y2="{height - bottom}"/>',
        f'<text class="tick" x="{left - 4}" y="{height - bottom - plot_h + 4:.1f}" '
        f'text-anchor="end">{top:,}</text>',
        f'<text class="tick" x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>',
        f'<text class="tick" x="{left}" y="{height - 4}">{first_day:%Y-%m-%d}</text>',
        f'<text class="tick" x="{width}" y="{height - 4}" text-anchor="end">'
        f"{last_day:%Y-%m-%d}</text>",
    ]
    for index, n in enumerate(counts):
        day = first_day + timedelta(days=index)
        bar_h = plot_h * n / top if top else 0.0
        x = left + index * step
        css = "bar" if n else "bar empty"
        body.append(
            f'<rect class="{css}" x="{x + BAR_GAP / 2:.1f}" y="{height - bottom - bar_h:.1f}" '
            f'width="{max(step - BAR_GAP, 0.5):.1f}" height="{max(bar_h, 0.0):.1f}">'
            f"<title>{day:%Y-%m-%d}: {_plural(n, what)}</title></rect>"
        )
    return _svg(width, height, label, body, "chart daily")


def sparkline(counts: list[int], first_day: date, *, width: int = 140, height: int = 28) -> Markup:
    """A small bar per day for a table row; a day with none is a dot on the baseline."""
    days = max(1, len(counts))
    top = max(counts, default=0)
    step = width / days
    bar_w = f"{max(step - 0.5, 0.5):.1f}"
    last_day = first_day + timedelta(days=days - 1)
    label = (
        f"{_plural(sum(counts), 'article')} from {first_day.isoformat()} to {last_day.isoformat()}"
    )
    body = []
    for index, n in enumerate(counts):
        bar_h = max((height - 2) * n / top, 1.5) if top and n else 1.0
        day = (first_day + timedelta(days=index)).isoformat()
        body.append(
            f'<rect class="{"bar" if n else "bar empty"}" x="{index * step:.1f}" '
            f'y="{height - bar_h:.1f}" width="{bar_w}" height="{bar_h:.1f}">'
            f"<title>{day}: {n}</title></rect>"
        )
    return _svg(width, height, label, body, "chart spark")


@dataclass(frozen=True, slots=True)
class Point:
    """One article on a story's time line."""

    row: str  # the site
    at: datetime
    href: str
    label: str


def timeline(points: list[Point], *, width: int = 720, row_height: int = 26) -> Markup:
    """A row per site, a dot per article at the time it was first archived, each a
    link to the article."""
    rows = sorted({p.row for p in points}, key=lambda r: min(p.at for p in points if p.row == r))
    if not points:
        return _svg(width, row_height, "no article", [], "chart timeline")
    start = min(p.at for p in points)
    end = max(p.at for p in points)
    span = max((end - start).total_seconds(), 1.0)
    left, right, top = 200.0, 16.0, 8.0
    height = top + row_height * len(rows) + 22
    body = []
    for index, name in enumerate(rows):
        y = top + row_height * index + row_height / 2
        body.append(
            f'<text class="row-label" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_clip(name, 30))}</text>"
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>'
        )
    for p in sorted(points, key=lambda p: p.at):
        x = left + (width - left - right) * (p.at - start).total_seconds() / span
        y = top + row_height * rows.index(p.row) + row_height / 2
        body.append(
            f'<a href="{escape(p.href)}"><circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{escape(p.label)}</title></circle></a>"
        )
    axis_y = top + row_height * len(rows) + 14
    body.append(
        f'<text class="tick" x="{left}" y="{axis_y:.1f}">{start:%Y-%m-%d %H:%M}</text>'
        f'<text class="tick" x="{width - right}" y="{axis_y:.1f}" text-anchor="end">'
        f"{end:%Y-%m-%d %H:%M} UTC</text>"
    )
    label = (
        f"{_plural(len(points), 'article')} on {_plural(len(rows), 'site')}, first archived "
        f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
    )
    return _svg(width, height, label, body, "chart timeline")


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
