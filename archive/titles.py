"""Site-level title affixes: the segment a site glues before or after its headlines.

A page alone often cannot tell "Harbour reopens | Harbour Town Gazette" from a headline
with a dash in it: the site may state no ``og:site_name`` and its host may not spell its
name. The archive sees every article of the site: a leading or trailing separated
segment that most of its titles share is the site's (or a section's) name, learned the
way its boilerplate lines are (``archive.boilerplate``) and cut from its titles.

Pure functions, no database: the extraction (``pipelines.extraction.metadata``) splits
titles with the same separators, and the writer (``archive.writer.titles``) keeps the
counts in the archive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

# Scripts written without spaces between words: Kana and Han (Japanese, Chinese), Hangul
_KANA_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# The separators between a headline and a site name (or section):
# - spaced: " | ", " - ", en and em dashes, bullets, " ❘ ", " :: ", " -- ", " // ";
# - the full-width bar of CJK titles, spaced or not (U+FF5C: "記事タイトル\uff5cサイト名");
# - unspaced between CJK characters: "|" and "_" ("标题_新浪新闻"), and "-" between Kana
#   and Han ("标题-网易新闻"; Korean writes "한-미" for "Korea-US" inside headlines);
# - spaced guillemets ("Title « Blog", "Blog » Section"), unless the title holds the
#   pair, quoting (French typography spaces its « quotes »);
# - a spaced "<" only when the title has two ("제목 < 섹션 < 사이트": Korean news CMSes;
#   one is "a < b").
_SEPARATOR = re.compile(
    r"\s+(?:[|\u2022\u00b7\u2013\u2014\u2758~-]|::|--|//)\s+"
    r"|\s*[\uff5c\ufe31]\s*"
    rf"|(?<=[{_KANA_HAN}{_HANGUL}])[|_](?=[{_KANA_HAN}{_HANGUL}])"
    rf"|(?<=[{_KANA_HAN}])-(?=[{_KANA_HAN}])"
    r"|\s+(?P<guillemet>[\u00ab\u00bb\u2039\u203a])\s+"
    r"|\s+(?P<angle><)\s+"
)
_GUILLEMET_PAIRS = {"\u00ab": "\u00bb", "\u00bb": "\u00ab", "\u2039": "\u203a", "\u203a": "\u2039"}
_ANGLE = re.compile(r"\s<\s")
MIN_ANGLE_SEPARATORS = 2  # " < " separates segments only in a title holding this many
_NOT_ALNUM = re.compile(r"[\W_]+")
MAX_KEY_CHARS = 255  # a segment's key as stored (a longer one is no site's name anyway)

MIN_AFFIX_TITLES = 3  # a site's affix needs this many titles carrying it...
MIN_AFFIX_SHARE = 0.6  # ...and this share of the site's titles

PREFIX, SUFFIX = "prefix", "suffix"


def title_key(text: str) -> str:
    """A segment as compared: case-folded letters and digits only."""
    return _NOT_ALNUM.sub("", text.casefold())


def split_title(title: str, whole: str | None = None) -> list[str]:
    """A title's segments between the separators sites put between a headline and their
    name or section (``_SEPARATOR``): the one rule the extraction and the archive's
    learning split titles by. A title without one is one segment.

    ``whole`` is the title ``title`` was cut from, when it was (a title without its site's
    name): whether its guillemets quote and its " < " separate is read on the whole.
    """
    whole = title if whole is None else whole
    angles = len(_ANGLE.findall(whole))
    segments, start, pos = [], 0, 0
    while match := _SEPARATOR.search(title, pos):
        guillemet = match["guillemet"]
        if (guillemet and _GUILLEMET_PAIRS[guillemet] in whole) or (
            match["angle"] and angles < MIN_ANGLE_SEPARATORS
        ):
            pos = match.start() + 1  # no separator here: look again past its first character
            continue
        segments.append(title[start : match.start()])
        start = pos = match.end()
    segments.append(title[start:])
    return segments


def end_keys(title: str) -> dict[str, str]:
    """The keys of a title's leading and trailing segments; empty for a one-segment title."""
    segments = split_title(title)
    if len(segments) < 2:
        return {}
    keys = {PREFIX: title_key(segments[0])[:MAX_KEY_CHARS]}
    keys[SUFFIX] = title_key(segments[-1])[:MAX_KEY_CHARS]
    return {end: key for end, key in keys.items() if key}


@dataclass(slots=True, frozen=True)
class TitleAffixes:
    """The segments a site glues before or after its titles, learned from its pages."""

    prefixes: frozenset[str] = frozenset()  # keys (``title_key``) of leading segments
    suffixes: frozenset[str] = frozenset()  # keys of trailing segments

    def __bool__(self) -> bool:
        return bool(self.prefixes or self.suffixes)


def affixes_from_counts(titles: int, counts: Mapping[tuple[str, str], int]) -> TitleAffixes:
    """The affixes of a site whose ``titles`` titles lead or end with each segment key
    ``counts[(end, key)]`` times: those on at least ``MIN_AFFIX_TITLES`` titles and
    ``MIN_AFFIX_SHARE`` of them."""
    needed = max(MIN_AFFIX_TITLES, MIN_AFFIX_SHARE * titles)
    recurring = {(end, key) for (end, key), n in counts.items() if key and n >= needed}
    return TitleAffixes(
        frozenset(key for end, key in recurring if end == PREFIX),
        frozenset(key for end, key in recurring if end == SUFFIX),
    )


def learn_title_affixes(titles: Iterable[str]) -> TitleAffixes:
    """Learn a site's title affixes the way its boilerplate is learned: by recurrence.

    A leading or trailing separated segment that most of a site's titles share ("... |
    Pack Hacker", "Reviews - ...") is the site's or a section's name, whatever the site
    calls itself in og:site_name (or whether it says at all).
    """
    counts: dict[tuple[str, str], int] = {}
    total = 0
    for title in titles:
        total += 1
        for end, key in end_keys(title).items():
            counts[(end, key)] = counts.get((end, key), 0) + 1
    return affixes_from_counts(total, counts)


def strip_learned_affixes(title: str, affixes: TitleAffixes) -> str:
    """The title without the site's learned leading and trailing segments (never emptied)."""
    if not affixes:
        return title
    return trim_segments(
        title,
        split_title(title),
        lambda segment: title_key(segment)[:MAX_KEY_CHARS] in affixes.suffixes,
        lambda segment: title_key(segment)[:MAX_KEY_CHARS] in affixes.prefixes,
    )


def trim_segments(
    title: str,
    segments: Sequence[str],
    drop_last: Callable[[str], bool],
    drop_first: Callable[[str], bool],
) -> str:
    """``title`` (split into ``segments``) without the trailing segments ``drop_last``
    accepts and the leading ones ``drop_first`` accepts, never emptied, with the separators
    the title used between the segments that remain."""
    kept = list(segments)
    while len(kept) > 1 and drop_last(kept[-1]):
        kept.pop()
    while len(kept) > 1 and drop_first(kept[0]):
        kept.pop(0)
    if len(kept) == len(segments):
        return title
    first = title.find(kept[0])
    last = title.rfind(kept[-1])
    return title[first : last + len(kept[-1])] if 0 <= first <= last else " - ".join(kept)
