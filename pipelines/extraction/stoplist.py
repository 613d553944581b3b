"""One copy of trafilatura's all-language justext stoplist per process instead of three.

When trafilatura falls back to justext without a target language (listing pages, pages
its own extractor finds too little on), it builds ``trafilatura.external.JT_STOPLIST``:
a tuple of the ~154,000 words of every justext stoplist. justext's ``define_stoplist``
then lower-cases each word again into a frozenset, cached under that tuple. The process
ends up holding the tuple, its strings, a second set of equal strings and the frozenset:
~28 MiB in every extraction worker, from its first listing page to its end.

``share_justext_stoplist()`` makes trafilatura build the frozenset directly (the same
words, lower-cased as ``define_stoplist`` does) and lets ``define_stoplist`` take a
frozenset as it is: justext only tests words for membership in it, so extraction is
unchanged (tests/extraction/test_stoplist.py) and the process holds ~17 MiB less. It is
still built only when a page first needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import justext.core
import trafilatura.external
from justext.utils import get_stoplist, get_stoplists

_original_define_stoplist: Callable[[Iterable[str]], frozenset[str]] = justext.core.define_stoplist


def all_languages_stoplist() -> frozenset[str]:
    """Every justext stoplist's words, lower-cased: what trafilatura hands justext when the
    page's language is not given. Stored where trafilatura looks for it."""
    words = frozenset(
        word.lower() for language in get_stoplists() for word in get_stoplist(language)
    )
    trafilatura.external.JT_STOPLIST = words  # type: ignore[assignment]
    return words


def define_stoplist(stoplist: Any) -> frozenset[str]:
    """justext's ``define_stoplist``, which returns a frozenset as given: justext's own
    ``get_stoplist`` and ``all_languages_stoplist`` make frozensets of lower-case words."""
    if isinstance(stoplist, frozenset):
        return stoplist
    return _original_define_stoplist(stoplist)


def share_justext_stoplist() -> None:
    """Install both functions where trafilatura and justext look them up (idempotent)."""
    trafilatura.external.jt_stoplist_init = all_languages_stoplist  # type: ignore[assignment]
    justext.core.define_stoplist = define_stoplist
