"""Finding pages: what a fetched start URL is, and the URLs sitemaps, feeds and
robots.txt list. Pure functions over bytes, so they are tested without a crawl.

XML is parsed with entity resolution and network access off: a sitemap or feed
cannot make the crawler expand entities or read local files.

Sitemaps and feeds are read as publishers write them, not only as XML says: a byte
order mark or blank lines before the XML declaration, element names in any case, the
sitemap namespace missing or misspelt, the ``news:`` prefix never declared, a bare
``&`` in a URL's query and HTML's named entities (``&nbsp;``) that XML does not know. Google
News sitemaps give each URL its publication date, title, language and keywords
(``news:publication_date``, ``news:title``, ``news:language``, ``news:keywords``):
they are kept with the entry, for ``--since``, the re-crawl decisions and as
fallbacks for the article's own metadata. Feeds are RSS 2.0, RSS 1.0, Atom and JSON
Feed 1.0 / 1.1.
"""

from __future__ import annotations

import html
import html.entities
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.gz import gunzip

from crawler.dates import date_text, parse_date
from crawler.urls import ALLOWED_SCHEMES, normalize_url, same_site

if TYPE_CHECKING:
    from collections.abc import Iterator

GZIP_MAGIC = b"\x1f\x8b"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
_XML_FEED_TYPES = {"application/rss+xml", "application/atom+xml"}
_ATOM_NS = "http://www.w3.org/2005/Atom"
# Byte order marks and blank space a publisher left before the XML declaration.
_LEADING_JUNK = re.compile(rb"^(?:\xef\xbb\xbf|\s)+")
# A CDATA section (left as it is), or an ampersand and the reference it may start.
_AMPERSAND = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|&(?:(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)?", re.DOTALL
)
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_JSON_FEED = re.compile(rb"^\s*\{.{0,4000}?jsonfeed\.org/version/", re.DOTALL)
# URLs of files that are not pages: images, video, audio, documents, archives.
MEDIA_SUFFIXES = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)


class Kind(StrEnum):
    HTML = "html"
    SITEMAP = "sitemap"
    SITEMAP_INDEX = "sitemap_index"
    RSS = "rss"
    ATOM = "atom"
    JSON_FEED = "json_feed"
    OTHER = "other"


@dataclass(slots=True, frozen=True)
class Entry:
    """A URL a sitemap or feed lists, with what it says of it.

    ``date`` is the date the listing gives: a sitemap's ``lastmod`` (when the page last
    changed), a feed entry's date (when it was published). ``published`` is a Google
    News sitemap's publication date; ``title``, ``language`` and ``keywords`` come from
    the news sitemap or the feed."""

    url: str
    date: datetime | None = None
    published: datetime | None = None
    title: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()

    @property
    def newest(self) -> datetime | None:
        """The latest date the listing gives for the URL."""
        return max(filter(None, (self.date, self.published)), default=None)

    def listing(self) -> dict[str, Any]:
        """What the listing says of the page, as JSON values (for request meta)."""
        found: dict[str, Any] = {
            "title": self.title,
            "language": self.language,
            "published": self.published.isoformat() if self.published else None,
            "keywords": list(self.keywords),
        }
        return {key: value for key, value in found.items() if value}


def is_media_url(url: str) -> bool:
    """A URL whose path names an image, video, audio, document or archive file."""
    return urlsplit(url).path.lower().endswith(MEDIA_SUFFIXES)


def maybe_gunzip(body: bytes, max_size: int = 0) -> bytes:
    """``body``, gunzipped if it is gzip data (a ``.xml.gz`` sitemap served as-is)."""
    if body[:2] == GZIP_MAGIC:
        return gunzip(body, max_size=max_size)
    return body


def _root_tag(body: bytes) -> str | None:
    head = _LEADING_JUNK.sub(b"", body[:4096])
    match = re.search(rb"<(?![?!])([A-Za-z_][\w.:-]*)", head)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace").split(":")[-1].lower()


def is_feed_type(value: str | None) -> bool:
    """Whether a ``<link rel="alternate" type=...>`` announces a feed: its media type,
    whatever its case and parameters (``application/rss+xml; charset=utf-8``)."""
    return (value or "").split(";", 1)[0].strip().lower() in FEED_TYPES


def sniff_kind(body: bytes, content_type: str = "") -> Kind:
    """What a fetched document is, from its first element (content types lie)."""
    if _JSON_FEED.match(_LEADING_JUNK.sub(b"", body[:4096])):
        return Kind.JSON_FEED
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


def parse_sitemap(body: bytes) -> tuple[Kind, list[Entry]]:
    """The entries of a sitemap or sitemap index; Kind.OTHER if it is neither.

    Each ``<url>`` (``<sitemap>`` in an index) gives its direct ``<loc>``: the ``<loc>``
    of an image or video inside it is a media file, never an entry."""
    root = _safe_xml_root(body)
    if root is None:
        return Kind.OTHER, []
    kind = {"urlset": Kind.SITEMAP, "sitemapindex": Kind.SITEMAP_INDEX}.get(
        _local(root.tag), Kind.OTHER
    )
    if kind == Kind.OTHER:
        return kind, []
    child = "url" if kind == Kind.SITEMAP else "sitemap"
    entries = [_sitemap_entry(elem) for elem in root if _local(elem.tag) == child]
    return kind, [entry for entry in entries if entry is not None]


def _sitemap_entry(elem: etree._Element) -> Entry | None:
    loc = _child_text(elem, "loc")
    if not loc:
        return None
    news = next((child for child in elem if _local(child.tag) == "news"), None)
    if news is None:
        return Entry(loc, parse_date(_child_text(elem, "lastmod")))
    publication = next((child for child in news if _local(child.tag) == "publication"), None)
    keywords = _child_text(news, "keywords") or ""
    return Entry(
        loc,
        parse_date(_child_text(elem, "lastmod")),
        published=parse_date(_child_text(news, "publication_date")),
        title=_child_text(news, "title"),
        language=_child_text(publication, "language") if publication is not None else None,
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
    )


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
        return etree.parse(
            BytesIO(_well_formed_ampersands(_LEADING_JUNK.sub(b"", body))), parser
        ).getroot()
    except etree.XMLSyntaxError:
        return None


def _well_formed_ampersands(body: bytes) -> bytes:
    """``body`` with every ``&`` that XML would reject made into what the publisher
    meant: a bare one (``?a=1&b=2`` in a URL) becomes ``&amp;``, an HTML named entity
    (``&nbsp;``, ``&eacute;``) its character reference, an unknown name literal text.
    libxml2 in recover mode drops such a reference with the text of its element after it
    (``?a=1=2``, a title cut at its first ``&nbsp;``), and every ``&amp;`` after the
    first such error. CDATA sections are left as they are; a body in UTF-16 or UTF-32
    (NUL bytes in its first characters) too."""
    if b"&" not in body or b"\x00" in body[:64]:
        return body
    return _AMPERSAND.sub(_repair_reference, body)


def _repair_reference(match: re.Match[bytes]) -> bytes:
    whole, name = match.group(0), match.group(1)
    if whole.startswith(b"<!"):
        return whole
    if name is None:
        return b"&amp;"
    if name.startswith(b"#") or name in _XML_ENTITIES:
        return whole
    text = html.entities.html5.get(name.decode("ascii") + ";")
    if text is None:
        return b"&amp;" + name + b";"
    return b"".join(b"&#%d;" % ord(char) for char in text)


def _local(tag: object) -> str:
    """An element's name without its namespace or prefix, lower-case: ``{ns}loc``,
    ``news:title`` (a prefix never declared) and ``LOC`` are ``loc``, ``title``, ``loc``."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _child_text(elem: etree._Element, *names: str) -> str | None:
    """The text of the first child named ``names[0]``, else ``names[1]``...: the names
    in order of preference, whatever order the publisher wrote the elements in (Atom
    entries often give ``<updated>`` before ``<published>``)."""
    for name in names:
        for child in elem:
            if _local(child.tag) == name and child.text and child.text.strip():
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
            # xml:base on the entry or an ancestor (Atom feeds use it for relative links);
            # what is still relative is resolved against the feed's URL by the spider.
            link = urljoin(elem.base, link) if elem.base else link
            yield Entry(link, parse_date(date), title=_child_text(elem, "title"))


def _guid_link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            text = (child.text or "").strip()
            if text.startswith(("http://", "https://")):
                return text
    return None


def parse_feed(body: bytes) -> list[Entry]:
    """The article links of an RSS 2.0 / RSS 1.0 / Atom feed or a JSON Feed, in feed order."""
    if sniff_kind(body[:4096]) == Kind.JSON_FEED:
        return parse_json_feed(body)
    root = _safe_xml_root(body)
    if root is None:
        return []
    return list(_feed_entries(root))


def parse_json_feed(body: bytes) -> list[Entry]:
    """The items of a JSON Feed 1.0 / 1.1: each one's ``url`` (its permalink; else its
    ``external_url``), its date (``date_modified``, else ``date_published``), publication
    date, title, language and tags."""
    try:
        feed = json.loads(_LEADING_JUNK.sub(b"", body))
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        return []
    language = _json_str(feed.get("language"))
    entries = []
    for item in feed["items"]:
        if not isinstance(item, dict):
            continue
        url = _json_str(item.get("url")) or _json_str(item.get("external_url"))
        if not url:
            continue
        tags = item.get("tags")
        published = parse_date(date_text(item.get("date_published")))
        entries.append(
            Entry(
                url,
                parse_date(date_text(item.get("date_modified"))) or published,
                published=published,
                title=_json_str(item.get("title")),
                language=_json_str(item.get("language")) or language,
                keywords=tuple(
                    t.strip() for t in (tags if isinstance(tags, list) else []) if _json_str(t)
                ),
            )
        )
    return entries


def _json_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


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


# --- copies of a page on other hosts: AMP, mobile ------------------------------------

# A page's <head> sits in its first bytes; the markers below are looked for there only.
HEAD_BYTES = 32 * 1024
_AMP_HTML = re.compile(rb"<html\b[^>]*?\s(?:amp|\xe2\x9a\xa1)(?=[\s=>/])", re.IGNORECASE)
_LINK_TAG = re.compile(rb"<link\b[^>]{0,2000}>", re.IGNORECASE)
_HREF = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_REL = re.compile(rb"""\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)


def _head_links(body: bytes, rel: str, base: str) -> list[str]:
    """The absolute hrefs of the ``<link>`` elements in the page's head whose ``rel``
    holds ``rel`` (a regular expression over the first HEAD_BYTES: the spider needs this
    for every page, without parsing it)."""
    found = []
    wanted = rel.encode()
    for tag in _LINK_TAG.findall(body[:HEAD_BYTES]):
        if wanted not in tag.lower():  # most are stylesheets, icons, preloads
            continue
        rel_match, href_match = _REL.search(tag), _HREF.search(tag)
        if not rel_match or not href_match:
            continue
        rels = next(g for g in rel_match.groups() if g is not None).decode("latin-1")
        if rel in rels.lower().split():
            href = next(g for g in href_match.groups() if g is not None)
            found.append(urljoin(base, html.unescape(href.decode("utf-8", "replace").strip())))
    return [url for url in found if urlsplit(url).scheme in ALLOWED_SCHEMES]


def is_amp_page(body: bytes) -> bool:
    """Whether the page is an AMP page (``<html amp>`` or ``<html ⚡>``)."""
    return _AMP_HTML.search(body[:HEAD_BYTES]) is not None


def amp_links(body: bytes, url: str) -> set[str]:
    """The normalised URLs of the AMP copies a page announces (``<link rel=amphtml>``)."""
    return {normalize_url(link) for link in _head_links(body, "amphtml", url)}


def copy_of(body: bytes, url: str) -> str | None:
    """The URL of the page this one is a copy of, when it is one: an AMP page with a
    canonical URL, or a page whose canonical is on another host of the same site (a
    mobile ``m.`` copy of the ``www.`` page). None for an original page."""
    canonicals = _head_links(body, "canonical", url)
    if not canonicals:
        return None
    canonical = canonicals[0]
    if not is_amp_page(body):
        other_host = urlsplit(canonical).hostname != urlsplit(url).hostname
        if not (other_host and same_site(canonical, url)):
            return None
    return None if normalize_url(canonical) == normalize_url(url) else canonical
