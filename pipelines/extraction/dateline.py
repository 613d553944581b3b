"""A short date line ("5 de diciembre de 2024", "2024年12月5日") read by htmldate's fast parser.

htmldate's fast parser (``try_date_expr`` without its dateparser step, which costs ms to a
second a line) reads numbers and the month names of its own list (English, French,
German, Indonesian, Turkish, ``HTMLDATE_MONTHS``). A line it cannot read is spelled into a
form it reads (:func:`spelled_date_line`) and read once more: other languages' month names
(their genitive and partitive forms too: "5 декабря", "5 grudnia", "5 joulukuuta"), the
abbreviations of any of them ("Dec. 19", "3 janv.", "5 dic."), the Spanish and Portuguese
"5 de diciembre de 2024" and the Chinese, Japanese and Korean "2024年12月5日", a clock
time before its date ("Updated: 9:37 PM CST Nov 18, 2019"), a day, month and year joined by
hyphens ("9-Dec-2019"); and a line in capitals ("DEC 9, 2019") in lower case. A line the
parser reads as written is never spelled, so most pages pay nothing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from htmldate.extractors import MONTHS as HTMLDATE_MONTHS
from htmldate.extractors import try_date_expr
from htmldate.settings import MIN_DATE

MAX_DATE_LINE = 80  # a date line: "Updated on Jul 4, 2024", "December 18, 2025 · 3 min read"

# The month names htmldate's list lacks, the forms a date line writes them in (a day before
# a genitive: "5 декабря", "5 grudnia", "5. prosince", "5 Δεκεμβρίου"; the Finnish
# partitive "5. joulukuuta"). Spanish, Portuguese, Italian, Catalan, Romanian, Dutch,
# Swedish, Danish, Polish, Czech, Russian, Ukrainian, Finnish, Greek, Arabic (the Egyptian
# and Gulf names). Not the Polish "listopada" (November), which is the Croatian October.
_MORE_MONTHS = (
    "enero janeiro gennaio gener ianuarie styczeń stycznia leden ledna январь января "
    "січень січня tammikuu tammikuuta ιανουάριος ιανουαρίου يناير",
    "febrero fevereiro febbraio febrer februarie luty lutego únor února февраль февраля "
    "лютий лютого helmikuu helmikuuta φεβρουάριος φεβρουαρίου فبراير",
    "marzo março maart març martie marzec marca březen března март марта березень березня "
    "maaliskuu maaliskuuta μάρτιος μαρτίου مارس",
    "abril aprile aprilie kwiecień kwietnia duben dubna апрель апреля квітень квітня "
    "huhtikuu huhtikuuta απρίλιος απριλίου أبريل",
    "mayo maio maggio maig maj maja květen května май мая травень травня toukokuu "
    "toukokuuta μάιος μαΐου مايو",
    "junio junho giugno juny iunie czerwiec czerwca červen června июнь июня червень червня "
    "kesäkuu kesäkuuta ιούνιος ιουνίου يونيو",
    "julio julho luglio juliol iulie lipiec lipca červenec července июль июля липень липня "
    "heinäkuu heinäkuuta ιούλιος ιουλίου يوليو",
    "août agosto agost augustus augusti sierpień sierpnia srpen srpna август августа "
    "серпень серпня elokuu elokuuta αύγουστος αυγούστου أغسطس",
    "septiembre setiembre setembro settembre setembre septembrie wrzesień września září "
    "сентябрь сентября вересень вересня syyskuu syyskuuta σεπτέμβριος σεπτεμβρίου سبتمبر",
    "octubre outubro ottobre octombrie październik października říjen října октябрь "
    "октября жовтень жовтня lokakuu lokakuuta οκτώβριος οκτωβρίου أكتوبر",
    "noviembre novembro noiembrie listopadu ноябрь ноября листопад листопада marraskuu "
    "marraskuuta νοέμβριος νοεμβρίου نوفمبر",
    "diciembre dezembro dicembre desembre decembrie grudzień grudnia prosinec prosince "
    "декабрь декабря грудень грудня joulukuu joulukuuta δεκέμβριος δεκεμβρίου ديسمبر",
)


def _abbreviation(number: int) -> str:
    return HTMLDATE_MONTHS[number - 1][0]  # "jan" … "dec": a name htmldate reads


def _month_prefixes(months: list[list[str]]) -> dict[str, str]:
    """Every prefix of 3+ letters of the month names, to that month's English
    abbreviation, where the prefix names one month only ("sept", "janv", "févr", "juil")."""
    found: dict[str, set[int]] = {}
    for number, names in enumerate(months, 1):
        for name in names:
            for end in range(3, len(name) + 1):
                found.setdefault(name[:end], set()).add(number)
    return {p: _abbreviation(n.pop()) for p, n in found.items() if len(n) == 1}


_HTMLDATE_NAMES = frozenset(name for names in HTMLDATE_MONTHS for name in names)
_HTMLDATE_PREFIXES = _month_prefixes([list(names) for names in HTMLDATE_MONTHS])


def _key(word: str) -> str:
    """A word casefolded, and a Greek one without its accents: a Greek month in capitals
    drops them ("ΔΕΚΕΜΒΡΙΟΥ", "ΜΑΪΟΥ"); other scripts' accents stay ("marco" is no "março")."""
    word = word.casefold()
    if not any("\u0370" <= char <= "\u03ff" for char in word):
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_MORE_KEYS = [[_key(name) for name in names.split()] for names in _MORE_MONTHS]
_MORE_NAMES = {name: _abbreviation(n) for n, names in enumerate(_MORE_KEYS, 1) for name in names}
_ALL_PREFIXES = _month_prefixes([[*HTMLDATE_MONTHS[n], *_MORE_KEYS[n]] for n in range(12)])
# a word of 3 to 12 letters ("października") before a number: a month's name or abbreviation
_MONTH_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]{3,12})\.?(?=\s+\d)")
# "2024年12月5日", "2024년 12월 5일" (full-width digits are made ASCII first)
_CJK_DATE = re.compile(
    r"(?<![0-9])([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월]\s*([0-9]{1,2})\s*[日일号]"
)
# "5 de diciembre de 2024", "5 d'abril de 2024", "5 de dezembro, 2024": the connectors
# between a day, a month's name and a year
_DE_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\.?\s+(?:de\s+|d['\u2019])([^\W\d_]{3,12}\.?),?\s+(?:del?\s+)?([0-9]{4})(?![0-9])",
    re.I,
)
# a clock time before the date it belongs to ("9:37 PM CST Nov 18, 2019", "12:01 a.m. HST,
# Jan 03, 2014"): htmldate's fast parser reads the date only when the line starts with it
_CLOCK_FIRST = re.compile(
    r"(?<![0-9])[0-9]{1,2}[:.h][0-9]{2}(?:\s*[ap]\.?\s?m\b\.?)?(?-i:\s+[A-Z]{2,5}\b)?\s*,?\s+"
    r"(?=(?:[^\W\d_]{2,12}\.?,?\s+)?(?:[0-9]{1,2}\.?\s+)?[^\W\d_]{3,12}\.?\s+[0-9])",
    re.I,
)
# "9-Dec-2019", "05-dic-2024": a day, a month's name and a year joined by hyphens
_HYPHEN_DATE = re.compile(r"(?<![\w-])([0-9]{1,2})-([^\W\d_]{3,12})\.?-([0-9]{4})(?![\w-])")
# the digits of other scripts (Arabic-Indic, Persian, full-width) as ASCII digits
_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x0660, 0x06F0, 0xFF10) for i in range(10)}
)


def _is_month(word: str) -> bool:
    name = _key(word.rstrip("."))
    return name in _HTMLDATE_NAMES or name in _MORE_NAMES or name in _ALL_PREFIXES


def _spell_month(match: re.Match[str]) -> str:
    word, dotted = _key(match[1]), match[0].endswith(".")
    if word in _HTMLDATE_NAMES and not dotted:
        return match[0]  # a name htmldate reads as written
    if word in _HTMLDATE_PREFIXES:
        return _HTMLDATE_PREFIXES[word]  # "Dec.", "Sept.", "janv."
    if word in _MORE_NAMES:
        return _MORE_NAMES[word]  # "diciembre", "декабря", "joulukuuta"
    if dotted:
        return _ALL_PREFIXES.get(word, match[0])  # "dic.", "дек.", "out."
    return match[0]


def _spell_connectors(match: re.Match[str]) -> str:
    if not _is_month(match[2]):
        return match[0]
    return f"{match[1]} {match[2]} {match[3]}"


def spelled_date_line(text: str) -> str:
    """A short date line spelled as htmldate's fast parser reads it: other scripts' digits
    as ASCII, "2024年12月5日" as "2024-12-05", "5 de diciembre de 2024" as "5 diciembre
    2024" (only between a day, a month's name and a year), and a month's name or
    abbreviation before a number as the English abbreviation ("dec") unless htmldate reads
    it as written; every other word stays."""
    if not text.isascii():
        text = text.translate(_DIGITS)
        text = _CJK_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    text = _DE_DATE.sub(_spell_connectors, text)
    text = _HYPHEN_DATE.sub(lambda m: f"{m[1]} {m[2]} {m[3]}" if _is_month(m[2]) else m[0], text)
    text = _CLOCK_FIRST.sub("", text)
    return _MONTH_WORD.sub(_spell_month, text)


def read_date_line(text: str, latest: datetime) -> str | None:
    """The date (YYYY-MM-DD, between htmldate's ``MIN_DATE`` and ``latest``) a short line
    reads as by htmldate's fast parser, as written, else once spelled
    (:func:`spelled_date_line`), else spelled in lower case (the parser reads no month
    written in capitals: "DEC 9, 2019", "UPDATED: NOV 18"); None when none reads."""
    found = try_date_expr(text, "%Y-%m-%d", False, MIN_DATE, latest)
    if found is None:
        spelled = spelled_date_line(text)
        # then in lower case: the parser reads "Dec 9, 2019", not "DEC 9, 2019"
        for variant in dict.fromkeys((spelled, spelled.lower())):
            if variant != text:
                found = try_date_expr(variant, "%Y-%m-%d", False, MIN_DATE, latest)
                if found is not None:
                    break
    return found
