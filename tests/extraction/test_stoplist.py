"""trafilatura's justext fallback with one shared stoplist: same result, one copy."""

from __future__ import annotations

from pathlib import Path

import justext.core
import pytest
import trafilatura.external
from justext.utils import get_stoplist, get_stoplists
from lxml import html
from lxml.etree import tostring

from pipelines.extraction import extract_article
from pipelines.extraction import stoplist as shared

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
LISTINGS = sorted(SITES.glob("*/index.html"))
PAGES = sorted(SITES.rglob("*.html"))


def trafilatura_own_stoplist() -> tuple[str, ...]:
    """What trafilatura's own ``jt_stoplist_init`` builds."""
    return tuple({word for language in get_stoplists() for word in get_stoplist(language)})


def test_the_shared_stoplist_holds_what_justext_made_of_trafilaturas() -> None:
    own = trafilatura_own_stoplist()
    assert len(own) > 100_000
    assert shared.all_languages_stoplist() == shared._original_define_stoplist(own)


def test_justext_keeps_the_same_paragraphs_with_the_shared_stoplist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def justext_bodies() -> list[bytes]:
        return [
            tostring(
                trafilatura.external.try_justext(html.fromstring(page.read_bytes()), None, None)
            )
            for page in PAGES
        ]

    shared_bodies = justext_bodies()
    with monkeypatch.context() as patch:
        patch.setattr(trafilatura.external, "JT_STOPLIST", trafilatura_own_stoplist())
        patch.setattr(justext.core, "define_stoplist", shared._original_define_stoplist)
        own_bodies = justext_bodies()
    assert shared_bodies == own_bodies
    with monkeypatch.context() as patch:
        patch.setattr(trafilatura.external, "JT_STOPLIST", frozenset({"zzz"}))
        assert justext_bodies() != shared_bodies  # the stoplist decides what is kept
    # the stoplist decided something: most article pages keep paragraphs, listings none
    kept = sum(body.count(b"<p>") > 0 for body in shared_bodies)
    assert len(PAGES) > kept >= len(PAGES) // 2


def test_extraction_uses_one_frozenset_for_every_listing_page() -> None:
    for page in LISTINGS:
        extract_article(page.read_text(encoding="utf-8"), "http://127.0.0.1/")
    stoplist = trafilatura.external.JT_STOPLIST
    assert isinstance(stoplist, frozenset)
    assert justext.core.define_stoplist(stoplist) is stoplist
    assert justext.core.define_stoplist(("The", "a")) == frozenset({"the", "a"})
