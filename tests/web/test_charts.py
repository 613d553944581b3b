"""Charts are SVG drawn by the server, with every text escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import lxml.etree

from web.charts import Point, daily_bars, sparkline, timeline

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> lxml.etree._Element:
    return lxml.etree.fromstring(str(markup).encode())


def test_daily_bars_draw_one_bar_a_day_scaled_to_the_busiest():
    svg = parse(daily_bars([0, 2, 4, 1], date(2024, 5, 1)))
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 4
    assert [b.get("class") for b in bars] == ["bar empty", "bar", "bar", "bar"]
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 0 and heights[2] == max(heights) and heights[1] == heights[2] / 2
    assert [b.findtext(f"{SVG}title") for b in bars] == [
        "2024-05-01: 0 articles",
        "2024-05-02: 2 articles",
        "2024-05-03: 4 articles",
        "2024-05-04: 1 article",
    ]
    assert svg.findtext(f"{SVG}title").startswith(
        "7 articles over 4 days, 2024-05-01 to 2024-05-04"
    )


def test_empty_charts_draw_without_dividing_by_zero():
    assert len(parse(daily_bars([0, 0], date(2024, 5, 1))).findall(f"{SVG}rect")) == 2
    assert len(parse(sparkline([], date(2024, 5, 1))).findall(f"{SVG}rect")) == 0
    assert parse(timeline([])).findtext(f"{SVG}title") == "no article"


def test_timeline_rows_per_site_with_escaped_labels_and_links():
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    points = [
        Point("<b>a</b>.example", t0, "/article/1", "<script>x</script>"),
        Point("b.example", t0 + timedelta(hours=5), "/article/2", "two"),
        Point("<b>a</b>.example", t0 + timedelta(hours=10), "/article/3", "three"),
    ]
    markup = str(timeline(points))
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "row-label"]
    assert labels == ["<b>a</b>.example", "b.example"]
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links == ["/article/1", "/article/2", "/article/3"]
    xs = [float(c.get("cx")) for c in svg.iter(f"{SVG}circle")]
    assert xs[0] < xs[1] < xs[2]
