"""What a page says of its own state: behind a paywall, a live blog still updating.

Kept apart from the general metadata reader (``metadata.py``): two small rules from
schema.org markup, and the paywall markers publishers use besides it.

- **Paywalled.** schema.org lets a publisher say its content is not free to read:
  ``isAccessibleForFree: false`` on the article, or on a part of it (``hasPart``, a
  ``WebPageElement`` naming the paywalled section by ``cssSelector``), in JSON-LD or
  microdata (``<meta itemprop="isAccessibleForFree" content="False">``); Facebook's
  ``article:content_tier`` says ``locked``. The text a crawler gets from such a page is
  usually a teaser: the archive keeps it, flagged, and a later full capture is a
  version with the reason "paywall lifted", not a publisher's edit.
- **Live blogs** (``LiveBlogPosting``) are updated for hours: each ``liveBlogUpdate``
  carries when it was posted. The newest is when the page last changed, whether or not
  the page states ``dateModified``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from lxml.etree import XPath

from crawler.dates import date_text

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from lxml.html import HtmlElement

LIVE_BLOG = "LiveBlogPosting"
LOCKED_TIERS = frozenset({"locked"})
_FALSE = frozenset({"false", "0", "no"})
FREE_PROP = "isAccessibleForFree"
_FREE_PROP = XPath(f"descendant-or-self::*[@itemprop='{FREE_PROP}']")


def _is_false(value: Any) -> bool:
    if isinstance(value, bool):
        return not value
    return isinstance(value, str) and value.strip().lower().rsplit("/", 1)[-1] in _FALSE


def _parts(entity: dict[str, Any]) -> list[dict[str, Any]]:
    parts = entity.get("hasPart")
    items = parts if isinstance(parts, list) else [parts]
    return [part for part in items if isinstance(part, dict)]


def jsonld_paywalled(entities: list[dict[str, Any]]) -> bool:
    """Whether an entity, or a part of one, says it is not free to read."""
    return any(
        _is_false(entity.get("isAccessibleForFree"))
        or any(_is_false(part.get("isAccessibleForFree")) for part in _parts(entity))
        for entity in entities
    )


def is_paywalled(
    tree: HtmlElement,
    entities: list[dict[str, Any]],
    meta: dict[str, list[str]],
    itemprops: Collection[str] | None = None,
) -> bool:
    """Whether the page declares its content, or part of it, not free to read: in
    JSON-LD, in microdata (``meta`` holds ``<meta itemprop>`` contents by lower-case
    name), or with ``article:content_tier`` ``locked``. ``itemprops``, the page's
    ``itemprop`` values when already read, spares a selection over the whole tree."""
    if jsonld_paywalled(entities):
        return True
    tiers = meta.get("article:content_tier", [])
    if any(value.strip().lower() in LOCKED_TIERS for value in tiers):
        return True
    if any(_is_false(value) for value in meta.get("isaccessibleforfree", [])):
        return True
    # microdata on an element other than <meta>: <link itemprop=... href=".../False">
    if itemprops is not None and FREE_PROP not in itemprops:
        return False
    return any(
        _is_false(element.get("href") or element.get("content"))
        for element in _FREE_PROP(tree)
        if element.tag != "meta"
    )


def live_updated(
    entity: dict[str, Any], parse: Callable[[str | None], datetime | None]
) -> datetime | None:
    """When a live blog last changed: its newest update's date (posted or modified)."""
    updates = entity.get("liveBlogUpdate")
    items = updates if isinstance(updates, list) else [updates]
    times = [
        parse(date_text(update.get(key)))
        for update in items
        if isinstance(update, dict)
        for key in ("dateModified", "datePublished")
    ]
    return max(filter(None, times), default=None)
