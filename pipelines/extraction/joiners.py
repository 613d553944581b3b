"""The zero-width joiners kept through trafilatura's text cleaning, in our calls only.

trafilatura keeps only the characters ``str.isprintable()`` or ``str.isspace()`` accepts
(``utils.remove_control_characters``, run by ``sanitize`` at the end of ``xmltotxt``, by
``line_processing`` on every metadata value and by its baseline). The zero-width
non-joiner U+200C and the zero-width joiner U+200D are format characters (Cf), not
printable, so they went; but they are part of a word's spelling: ZWNJ in nearly every
line of Persian and Kurdish ("سه‌شنبه", Tuesday, came out "سهشنبه") and in some Indic
words, ZWJ in Indic conjuncts and in emoji sequences ("👩‍💻" fell apart into two emoji).
trafilatura has no option to keep them.

So our calls use copies of trafilatura's functions (the same code, made by
:func:`rebound`) that read :func:`remove_control_characters` below, which keeps the two
joiners and drops everything trafilatura drops (soft hyphen, zero-width space, word
joiner, BOM and the other invisible characters stay out, as ``metadata.clean_text``
wants). trafilatura's own functions, which ``trafilatura.extract`` (the bench's baseline)
runs, are not changed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any, cast

import trafilatura.metadata
import trafilatura.settings
import trafilatura.utils
import trafilatura.xml
from trafilatura.metadata import Document

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.etree import _Element
    from lxml.html import HtmlElement

JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
# A joiner after a space or at the start joins nothing: a paragraph of a lone "&zwnj;" or
# "&zwj;" (an empty block's filler), an e-mail preheader's "&zwnj;&nbsp;" padding. In a
# word it follows a letter ("سه‌شنبه") or an emoji ("👩‍💻"), and may end it (the Malayalam
# chillu "അവന്‍": the virama and ZWJ close the word).
_LOOSE_JOINERS = re.compile(r"(\s)[\u200c\u200d]+")  # (and at the start: stripped)


@lru_cache(maxsize=2**14)
def _kept(char: str) -> str:
    return char if char.isprintable() or char.isspace() or char in JOINERS else ""


def remove_control_characters(text: str) -> str:
    """trafilatura's ``utils.remove_control_characters`` keeping ``JOINERS`` where they
    join: about the same cost (a pass in C over a printable text; otherwise one cached
    look-up a character, and a regex pass)."""
    if text.isprintable():
        return text
    return _LOOSE_JOINERS.sub(r"\1", "".join(map(_kept, text))).lstrip("\u200c\u200d")


def copied(function: FunctionType, namespace: dict[str, Any]) -> FunctionType:
    """``function``'s code reading its globals from ``namespace``."""
    copy = FunctionType(
        function.__code__,
        namespace,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    return copy


def rebound(module: ModuleType, **names: object) -> dict[str, Any]:
    """The module's functions with the same code, reading ``names`` in place of its globals
    of those names (each other's copies, so a call chain stays in the copies; a function
    under ``lru_cache`` is copied under a cache of its own). trafilatura's own functions,
    which ``trafilatura.extract`` runs, are not changed."""
    namespace = {**vars(module), **names}
    for name, value in vars(module).items():
        if name in names:
            continue
        function = getattr(value, "__wrapped__", value)
        if isinstance(function, FunctionType) and function.__module__ == module.__name__:
            copy: Any = copied(function, namespace)
            if function is not value:
                copy = lru_cache(maxsize=value.cache_parameters()["maxsize"])(copy)
            namespace[name] = copy
    return namespace


_UTILS = rebound(trafilatura.utils, remove_control_characters=remove_control_characters)
_XML = rebound(trafilatura.xml, sanitize=_UTILS["sanitize"])
# (the package's name ``baseline`` is the function: the module is looked up)
_BASELINE = rebound(
    import_module("trafilatura.baseline"), remove_control_characters=remove_control_characters
)
_METADATA = rebound(
    trafilatura.metadata,
    line_processing=_UTILS["line_processing"],
    block_text=_BASELINE["block_text"],
)

line_processing = cast("Callable[[str], str | None]", _UTILS["line_processing"])
xmltotxt = cast("Callable[[_Element | None, bool], str]", _XML["xmltotxt"])
baseline = cast("Callable[[HtmlElement], tuple[_Element, str, int]]", _BASELINE["baseline"])
html2txt = cast("Callable[[HtmlElement], str]", _BASELINE["html2txt"])
spaced_text = cast("Callable[[HtmlElement], str]", _BASELINE["_spaced_text"])
extract_title = cast("Callable[[HtmlElement], str | None]", _METADATA["extract_title"])
extract_catstags = cast("Callable[[str, HtmlElement], list[str]]", _METADATA["extract_catstags"])
clean_and_trim = cast(
    "Callable[[Document], None]",
    copied(
        cast("FunctionType", Document.clean_and_trim),
        {**vars(trafilatura.settings), "line_processing": line_processing},
    ),
)
