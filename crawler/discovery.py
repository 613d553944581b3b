"""Finding pages: what a fetched start URL is, and the URLs sitemaps, feeds and
robots.txt list. Pure functions over bytes, so they are tested without a crawl.

XML is parsed with entity resolution and network access off: a sitemap or feed
cannot make the crawler expand entities or read local files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

if TYPE_CHECKING:
    from collections.abc import Iterator

GZIP_MAGIC = b"\x1f\x8b"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
_XML_FEED_TYPES = {"application/rss+xml", "application/atom+xml"}
_ATOM_NS = "http://www.w3.org/2005/Atom"


class Kind(StrEnum):
    HTML = "html"
    SITEMAP = "sitemap"
    SITEMAP_INDEX = "sitemap_index"
    RSS = "rss"
    ATOM = "atom"
    OTHER = "other"


@dataclass(slots=True, frozen=True)
class Entry:
    """A URL a sitemap or feed lists, with the date it gives for it, if any."""

    url: str
    date: datetime | None = None


def maybe_gunzip(body: bytes, max_size: int = 0) -> bytes:
    """``body``, gunzipped if it is gzip data (a ``.xml.gz`` sitemap served as-is)."""
    if body[:2] == GZIP_MAGIC:
        return gunzip(body, max_size=max_size)
    return body


def _root_tag(body: bytes) -> str | None:
    head = body.lstrip()[:4096]
    match = re.search(rb"<(?![?!])([A-Za-z_][\w.:-]*)", head)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace").split(":")[-1].lower()


def sniff_kind(body: bytes, content_type: str = "") -> Kind:
    """What a fetched document is, from its first element (content types lie)."""
    tag = _root_tag(body)
    kinds = {
        "urlset": Kind.SITEMAP,
        "sitemapindex": Kind.SITEMAP_INDEX,
        "rss": Kind.RSS,
        "rdf": Kind.RSS,
        "feed": Kind.ATOM,
        "html": Kind.HTML,
    }
    if tag in kinds:
        return kinds[tag]
    if "html" in content_type.lower():
        return Kind.HTML
    return Kind.OTHER


def parse_date(value: str | None) -> datetime | None:
    """A W3C/ISO 8601 or RFC 822 date as an aware UTC datetime, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_sitemap(body: bytes) -> tuple[Kind, list[Entry]]:
    """The entries of a sitemap or sitemap index; Kind.OTHER if it is neither."""
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration):
        return Kind.OTHER, []
    kind = {"urlset": Kind.SITEMAP, "sitemapindex": Kind.SITEMAP_INDEX}.get(
        sitemap.type, Kind.OTHER
    )
    entries = [
        Entry(item["loc"].strip(), parse_date(item.get("lastmod")))
        for item in sitemap
        if item.get("loc")
    ]
    return kind, entries


def _safe_xml_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
    )
    try:
        return etree.parse(BytesIO(body), parser).getroot()
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(elem: etree._Element, *names: str) -> str | None:
    for child in elem:
        if _local(child.tag) in names and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child.tag) != "link" or not child.get("href"):
            continue
        rel = child.get("rel", "alternate")
        if rel == "alternate":
            return str(child.get("href")).strip()
        fallback = fallback or str(child.get("href")).strip()
    return fallback


def _feed_entries(root: etree._Element) -> Iterator[Entry]:
    for elem in root.iter():
        name = _local(elem.tag)
        if name == "item":
            link = _child_text(elem, "link") or _guid_link(elem)
            date = _child_text(elem, "pubdate", "date", "published", "updated")
        elif name == "entry":
            link = _atom_link(elem)
            date = _child_text(elem, "published", "updated")
        else:
            continue
        if link:
            yield Entry(link, parse_date(date))


def _guid_link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            text = (child.text or "").strip()
            if text.startswith(("http://", "https://")):
                return text
    return None


def parse_feed(body: bytes) -> list[Entry]:
    """The article links of an RSS 2.0 / RSS 1.0 / Atom feed, in feed order."""
    root = _safe_xml_root(body)
    if root is None:
        return []
    return list(_feed_entries(root))


def sitemaps_in_robots(robots_txt: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt names."""
    found = []
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


_HTML_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False, no_network=True
)
_LINK_HREFS = etree.XPath("//a/@href | //area/@href")
_BASE_HREF = etree.XPath("//base/@href")


def html_links(body: bytes, encoding: str, url: str) -> list[str]:
    """The absolute URLs of a page's ``<a href>`` and ``<area href>``, in page order.

    Relative links are resolved against the page's ``<base href>`` when it has one. The
    tree is built here and dropped on return: a selector cached on the response would
    keep a parsed page (megabytes for a large one) alive for as long as the response.
    """
    text = body.decode(encoding, errors="replace")
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), _HTML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    bases = _BASE_HREF(root)
    base = urljoin(url, str(bases[0]).strip()) if bases else url
    return [urljoin(base, str(href).strip()) for href in _LINK_HREFS(root)]
