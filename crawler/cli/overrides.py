"""``-s NAME=VALUE`` checked before a crawl starts: a known name, a value of its type
and in range. A typo (``-s DOWNLAOD_DELAY=1``) is refused with the closest known name;
a name nobody knows, with nothing close, may belong to a component the user plugged
in: it passes with a warning.

Names, types and least values come from where the settings are declared, never from a
table of this module's: newsarchive's in ``crawler/defaults.py``, Scrapy's in its
``default_settings`` (with the project's values in ``crawler/settings.py``).
"""

from __future__ import annotations

import difflib
import json
import math
import sys
from functools import cache
from types import ModuleType
from typing import Any, get_type_hints

from crawler.cli.errors import UsageError
from crawler.defaults import BY_NAME, SETTINGS

# Numbers read as seconds may be fractional whatever their default's type.
_SECONDS_SUFFIXES = ("_DELAY", "_TIMEOUT", "_INTERVAL", "_SECONDS", "_MAXDELAY")
_BOOLEANS = {"1", "0", "true", "false"}


@cache
def known_types() -> dict[str, Any]:
    """Every setting name newsarchive or Scrapy defines, with its type (None: any).

    Ours from their declarations (``crawler/defaults.py``); Scrapy's from its
    ``default_settings``, or from the value the project gives them (``DOWNLOAD_DELAY``
    is a float in ``crawler/settings.py``, an int in Scrapy)."""
    from scrapy.settings import default_settings

    import crawler.settings

    types: dict[str, Any] = {}
    for module in (default_settings, crawler.settings):
        hints = _hints(module)
        for name in dir(module):
            if name.isupper() and not name.startswith("_"):
                value = getattr(module, name)
                types[name] = hints.get(name) or (None if value is None else type(value))
    for setting in SETTINGS:
        types[setting.name] = None if setting.optional else setting.kind
    return types


def _hints(module: ModuleType) -> dict[str, Any]:
    try:
        return get_type_hints(module)
    except (NameError, TypeError):
        return {}


def check_override(name: str, value: Any) -> str | None:
    """UsageError if ``-s NAME=VALUE`` cannot be right; a warning for a name nobody
    knows; None when all is well."""
    types = known_types()
    if name not in types:
        close = difflib.get_close_matches(name, types, n=1, cutoff=0.8)
        if close:
            raise UsageError(f"-s {name}: no such setting (did you mean {close[0]}?)")
        return f"-s {name}: not a setting of newsarchive or Scrapy; passed on as given"
    kind = types[name]
    if isinstance(value, str):
        _check_value(name, value, kind)
    elif kind in (list, dict) or getattr(kind, "__origin__", None) in (list, dict):
        expected = getattr(kind, "__origin__", None) or kind
        if not isinstance(value, expected):
            what = "a JSON object" if expected is dict else "a JSON list"
            raise UsageError(f"-s {name}: must be {what}")
    return None


def _check_value(name: str, value: str, kind: Any) -> None:
    if kind is bool:
        if value.strip().lower() not in _BOOLEANS:
            raise UsageError(f"-s {name}={value}: must be true or false (or 1, 0)")
    elif kind is int or kind is float:
        seconds = name not in BY_NAME and name.endswith(_SECONDS_SUFFIXES)
        _check_number(name, value, whole=kind is int and not seconds)
    elif kind in (list, dict) or getattr(kind, "__origin__", None) in (list, dict):
        _check_collection(name, value, kind)


def _check_number(name: str, value: str, *, whole: bool) -> None:
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        what = "a whole number" if whole else "a number"
        raise UsageError(f"-s {name}={value}: must be {what}") from None
    if math.isnan(number):
        raise UsageError(f"-s {name}={value}: must be a number")
    declared = BY_NAME.get(name)
    least = declared.minimum if declared else (None if "PRIORITY" in name else 0)
    if least is not None and number < least:
        shown = "0" if least == 0 else f"{least:g}"
        raise UsageError(f"-s {name}={value}: must be {shown} or more")
    most = declared.maximum if declared else None
    if most is not None and number > most:
        raise UsageError(f"-s {name}={value}: must be at most {most:g}")


def _check_collection(name: str, value: str, kind: Any) -> None:
    is_dict = kind is dict or getattr(kind, "__origin__", None) is dict
    stripped = value.strip()
    if is_dict or stripped.startswith(("[", "{")):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            raise UsageError(f"-s {name}={value}: not valid JSON") from None
        if not isinstance(parsed, dict if is_dict else list):
            what = "a JSON object" if is_dict else "a JSON list"
            raise UsageError(f"-s {name}={value}: must be {what}")


def check_overrides(pairs: list[tuple[str, Any]]) -> None:
    """Check every ``-s`` pair; print a warning line for a name nobody knows."""
    for name, value in pairs:
        warning = check_override(name, value)
        if warning:
            print(f"newsarchive crawl: warning: {warning}", file=sys.stderr)
