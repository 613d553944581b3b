"""A short date line ("5 de diciembre de 2024", "2024年12月5日") read by htmldate's fast parser.

htmldate's fast parser (``try_date_expr`` without its dateparser step, which costs ms to a
second a line) reads numbers and the month names of its own list (English, French,
German, Indonesian, Turkish, ``HTMLDATE_MONTHS``). A line it cannot read is spelled into a
form it reads (:func:`spelled_date_line`) and read once more: other languages' month names
(their genitive and partitive forms too: "5 декабря", "5 grudnia", "5 joulukuuta"), the
abbreviations of any of them ("Dec. 19", "3 janv.", "5 dic.", and "05 dic 2024" without
its period between a day and a year), the Spanish and Portuguese
"5 de diciembre de 2024" and the Chinese, Japanese and Korean "2024年12月5日", a year of
Japan's eras ("令和6年12月5日"), of the Thai Buddhist era ("5 ธ.ค. 2567"), of the Solar Hijri
calendar ("15 آذر 1403", jdatetime's conversion) or of Taiwan's ("民國113年12月5日"), the Vietnamese
"5 tháng 12, 2024", the Lithuanian and Latvian year first ("2024 m. gruodžio 5 d."), a clock
time before its date ("Updated: 9:37 PM CST Nov 18, 2019"), a day, month and year joined by
hyphens ("9-Dec-2019"); and a line in capitals ("DEC 9, 2019") in lower case. A month's name
two languages give two months ("listopada") is read in the page's language only. A line the
parser reads as written is never spelled, so most pages pay nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

import jdatetime
from htmldate.extractors import MONTHS as HTMLDATE_MONTHS
from htmldate.extractors import try_date_expr
from htmldate.settings import MIN_DATE

MAX_DATE_LINE = 80  # a date line: "Updated on Jul 4, 2024", "December 18, 2025 · 3 min read"

# The month names htmldate's list lacks, the forms a date line writes them in (a day before
# a genitive: "5 декабря", "5 grudnia", "5. prosince", "5 Δεκεμβρίου"; the Finnish
# partitive "5. joulukuuta"; the Latvian locative "5. decembrī"; the Hebrew "בדצמבר", "in
# December"). Spanish, Portuguese, Italian, Catalan, Romanian, Dutch, Swedish, Danish,
# Polish, Czech, Slovak, Slovenian, Croatian, Serbian (Cyrillic and Latin), Bulgarian,
# Russian, Ukrainian, Finnish, Estonian, Lithuanian, Latvian, Hungarian, Greek, Hebrew,
# Hindi, Arabic (the Egyptian and Gulf names, the Levantine "شباط", "أيار" and the Maghreb's
# "جويلية", "غشت"; written without their hamza too), Persian and Urdu (the Gregorian
# calendar's names). A name two languages give two months is in neither: ``_LANGUAGE_MONTHS``.
_MORE_MONTHS = (
    "enero janeiro gennaio gener ianuarie styczeń stycznia leden ledna январь января "
    "січень січня tammikuu tammikuuta ιανουάριος ιανουαρίου يناير január januára januara "
    "januarja siječanj siječnja јануар јануара януари sausis sausio janvāris janvārī "
    "janvāra jaanuar jaanuari ינואר בינואר जनवरी ژانویه جنوری جانفي",
    "febrero fevereiro febbraio febrer februarie luty lutego únor února февраль февраля "
    "лютий лютого helmikuu helmikuuta φεβρουάριος φεβρουαρίου فبراير február februára "
    "februara februarja veljača veljače фебруар фебруара февруари vasaris vasario "
    "februāris februārī februāra veebruar veebruari פברואר בפברואר फ़रवरी फरवरी فوریه فروری "
    "شباط فيفري",
    "marzo março maart març martie marzec marca březen března март марта березень березня "
    "maerz mrz "
    "maaliskuu maaliskuuta μάρτιος μαρτίου مارس március marec marta ožujak ožujka kovas "
    "kovo marts martā märts märtsi מרץ במרץ मार्च مارچ آذار",
    "abril aprile aprilie kwiecień kwietnia duben dubna апрель апреля квітень квітня "
    "huhtikuu huhtikuuta απρίλιος απριλίου أبريل április apríl apríla aprila travanj "
    "travnja април априла balandis balandžio aprīlis aprīlī aprīļa aprill aprilli אפריל "
    "באפריל अप्रैल آوریل اپریل نيسان ابريل أفريل",
    "mayo maio maggio maig maj maja květen května май мая травень травня toukokuu "
    "toukokuuta μάιος μαΐου مايو május máj mája svibanj svibnja мај маја gegužė gegužės "
    "maijs maijā maija מאי במאי मई مئی أيار ايار ماي",
    "junio junho giugno juny iunie czerwiec czerwca červen června июнь июня червень червня "
    "kesäkuu kesäkuuta ιούνιος ιουνίου يونيو június jún júna juna junij junija "
    "јун јуна юни birželis birželio jūnijs jūnijā jūnija juuni יוני ביוני जून ژوئن جون حزيران جوان",
    "julio julho luglio juliol iulie lipiec lipca červenec července июль июля липень липня "
    "heinäkuu heinäkuuta ιούλιος ιουλίου يوليو július júl júla jula julij julija "
    "јул јула юли liepa liepos jūlijs jūlijā jūlija juuli יולי ביולי जुलाई ژوئیه جولائی "
    "تموز جويلية يوليوز",
    "août agosto agost augustus augusti sierpień sierpnia srpen srpna август августа "
    "серпень серпня elokuu elokuuta αύγουστος αυγούστου أغسطس augusztus augusta avgust "
    "avgusta kolovoz kolovoza rugpjūtis rugpjūčio augusts augustā אוגוסט באוגוסט "
    "अगस्त اوت اگست آب أوت غشت اغسطس",
    "septiembre setiembre setembro settembre setembre septembrie wrzesień września září "
    "сентябрь сентября вересень вересня syyskuu syyskuuta σεπτέμβριος σεπτεμβρίου سبتمبر "
    "szeptember septembra septembar rujan rujna септембар септембра септември rugsėjis "
    "rugsėjo septembris septembrī septembri ספטמבר בספטמבר सितंबर सितम्बर سپتامبر ستمبر "
    "أيلول ايلول شتنبر",
    "octubre outubro ottobre octombrie październik października říjen října октябрь "
    "октября жовтень жовтня lokakuu lokakuuta οκτώβριος οκτωβρίου أكتوبر október októbra "
    "oktobra oktobar октобар октобра октомври spalis spalio oktobris oktobrī oktoober "
    "oktoobri אוקטובר באוקטובר अक्टूबर अक्तूबर اکتبر اکتوبر اكتوبر",
    "noviembre novembro noiembrie listopadu ноябрь ноября листопад листопада marraskuu "
    "marraskuuta νοέμβριος νοεμβρίου نوفمبر novembra novembar studeni studenoga studenog "
    "новембар новембра ноември lapkritis lapkričio novembris novembrī novembri נובמבר "
    "בנובמבר नवंबर नवम्बर نوامبر نومبر نونبر",
    "diciembre dezembro dicembre desembre decembrie grudzień grudnia prosinec prosince "
    "декабрь декабря грудень грудня joulukuu joulukuuta δεκέμβριος δεκεμβρίου ديسمبر "
    "decembra decembar prosinac prosinca децембар децембра декември gruodis gruodžio "
    "decembris decembrī detsember detsembri דצמבר בדצמבר दिसंबर दिसम्बर دسامبر دسمبر دجنبر",
)
# A month's name or abbreviation two languages give two months, read in the page's
# language only: the Polish and Czech "listopad" is November, the Croatian October; the
# Croatian "lipanj" (June) and "srpanj" (July) are the Polish "lip." (July) and the Czech
# "srp." (August), which the other pages keep reading so.
_LANGUAGE_MONTHS: dict[str, dict[str, int]] = {
    "pl": {"listopad": 11, "listopada": 11},
    "cs": {"listopad": 11},
    "hr": {
        "lipanj": 6,
        "lipnja": 6,
        "lip": 6,
        "srpanj": 7,
        "srpnja": 7,
        "srp": 7,
        "listopad": 10,
        "listopada": 10,
        "lis": 10,
    },
}


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
    if word.isascii():
        return word
    if not any("\u0370" <= char <= "\u03ff" for char in word):
        return unicodedata.normalize("NFC", word)  # "फ़रवरी" with its nukta composed or not
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_MORE_KEYS = [[_key(name) for name in names.split()] for names in _MORE_MONTHS]
_MORE_NAMES = {name: _abbreviation(n) for n, names in enumerate(_MORE_KEYS, 1) for name in names}
_MONTH_NUMBERS = {
    name: n
    for n, names in enumerate(zip(HTMLDATE_MONTHS, _MORE_KEYS, strict=True), 1)
    for name in (*names[0], *names[1])
}
_ALL_PREFIXES = _month_prefixes([[*HTMLDATE_MONTHS[n], *_MORE_KEYS[n]] for n in range(12)])
# a letter, or a vowel sign or other mark of the Devanagari script ("दिसंबर": Python reads
# no mark as a letter)
_LETTER = r"(?:[^\W\d_]|[\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963])"
# a word of 2 to 12 letters ("października", the Hindi "मई") before a number: a month's
# name or abbreviation
_MONTH_WORD = re.compile(rf"(?<![^\W\d_])({_LETTER}{{2,12}})\.?(?=,?\s+\d)")
# "2024年12月5日", "2024년 12월 5일" (full-width digits are made ASCII first)
_CJK_DATE = re.compile(
    r"(?<![0-9])([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월]\s*([0-9]{1,2})\s*[日일号]"
)
# "令和6年12月5日", "平成31年4月30日", "令和元年5月1日": a Japanese era's year (元, its first),
# the era's first and last day
_ERA_DATE = re.compile(
    r"(令和|平成)\s*([0-9]{1,2}|元)\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"
)
_ERAS = {"平成": (date(1989, 1, 8), date(2019, 4, 30)), "令和": (date(2019, 5, 1), date.max)}
# "5 ธ.ค. 2567", "5 ธันวาคม พ.ศ. 2567", "5 ธ.ค. 67": a Thai month's name or abbreviation and
# a year of the Buddhist era (543 years ahead; two digits: 25xx), or of ours when under 2400
_THAI_MONTHS = (
    "มกราคม ม.ค.",
    "กุมภาพันธ์ ก.พ.",
    "มีนาคม มี.ค.",
    "เมษายน เม.ย.",
    "พฤษภาคม พ.ค.",
    "มิถุนายน มิ.ย.",
    "กรกฎาคม ก.ค.",
    "สิงหาคม ส.ค.",
    "กันยายน ก.ย.",
    "ตุลาคม ต.ค.",
    "พฤศจิกายน พ.ย.",
    "ธันวาคม ธ.ค.",
)
_THAI_NUMBERS = {
    name.rstrip("."): n for n, names in enumerate(_THAI_MONTHS, 1) for name in names.split()
}
_THAI_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\s*("
    + "|".join(re.escape(name) for name in sorted(_THAI_NUMBERS, key=len, reverse=True))
    + r")\.?\s*(?:พ\.\s?ศ\.\s*)?([0-9]{4}|[0-9]{2})(?![0-9])"
)
# "5 كانون الأول 2024", "1 تشرين الثاني": the Levantine months of two words, as one
_LEVANTINE_MONTHS = {
    ("كانون", "الثاني"): "يناير",
    ("تشرين", "الأول"): "أكتوبر",
    ("تشرين", "الثاني"): "نوفمبر",
    ("كانون", "الأول"): "ديسمبر",
}
_LEVANTINE_DATE = re.compile(r"(كانون|تشرين)\s+(ال[أا]ول|الثاني)")
# "15 آذر 1403", "15 آذر ماه 1403" (in Persian digits too): a day, a month of the Solar
# Hijri calendar (Iran's and Afghanistan's) and its year; on a Persian page or in Persian
# digits also "1403/09/15", its year first
_JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
_JALALI_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\s+("
    + "|".join(_JALALI_MONTHS)
    + r")(?:\s+ماه)?\s*,?\s+(1[34][0-9]{2})(?![0-9])"
)
_JALALI_NUMERIC = re.compile(
    r"(?<![0-9/.-])(1[34][0-9]{2})([/.-])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])"
)
_PERSIAN_DIGIT = re.compile("[\u06f0-\u06f9]")
# "民國113年12月5日", "113年12月5日", on a Chinese page "113/12/05": a year of the Republic of
# China's calendar (Taiwan's), 1911 years behind ours
_ROC_DATE = re.compile(
    r"(?:(?:民國|民国)\s*([0-9]{1,3})|(?<![0-9])(1[0-9]{2}))\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"
)
_ROC_NUMERIC = re.compile(r"(?<![0-9/.-])(1[0-9]{2})([/.-])([0-9]{1,2})\2([0-9]{1,2})(?![0-9/.-])")
ROC_YEARS = 1911
MONTHS, DAYS = 12, 31
BUDDHIST_ERA_YEARS = 543
BUDDHIST_CENTURY = 2500
CENTURY = 100
MIN_BUDDHIST_YEAR = 2400
# "5 tháng 12, 2024", "ngày 5 tháng 12 năm 2024": the Vietnamese "month 12"
_VIETNAMESE_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\s+tháng\s+([0-9]{1,2})(?:\s*,\s*|\s+năm\s+)([0-9]{4})(?![0-9])",
    re.I,
)
# "2024 m. gruodžio 5 d." (Lithuanian), "2024. gada 5. decembrī" (Latvian): a year, its
# word, then a month's name and a day or a day and a month's name
_YEAR_WORD_DATE = re.compile(
    rf"(?<![0-9])([0-9]{{4}})\.?\s+(?:m\.|gada)\s+(?:([0-9]{{1,2}})\.\s*({_LETTER}{{3,12}})"
    rf"|({_LETTER}{{3,12}})\s+([0-9]{{1,2}})(?![0-9]))",
    re.I,
)
# "5 de diciembre de 2024", "5 d'abril de 2024", "5 de dezembro, 2024": the connectors
# between a day, a month's name and a year
_DE_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\.?\s+(?:de\s+|d['\u2019])([^\W\d_]{3,12}\.?),?\s+(?:del?\s+)?([0-9]{4})(?![0-9])",
    re.I,
)
# a clock time before the date it belongs to ("9:37 PM CST Nov 18, 2019", "12:01 a.m. HST,
# Jan 03, 2014", "14:30 Uhr, 05.12.2024"): htmldate's fast parser reads the date only when
# the line starts with it
_CLOCK_FIRST = re.compile(
    r"(?<![0-9])[0-9]{1,2}[:.h][0-9]{2}(?:\s*[ap]\.?\s?m\b\.?|\s+Uhr\b)?(?-i:\s+[A-Z]{2,5}\b)?"
    r"\s*,?\s+(?=(?:[^\W\d_]{2,12}\.?,?\s+)?(?:(?:[0-9]{1,2}\.?\s+)?[^\W\d_]{3,12}\.?\s+[0-9]"
    r"|[0-9]{1,2}([./-])[0-9]{1,2}\1[0-9]{2,4}(?![0-9])))",
    re.I,
)
# "9-Dec-2019", "05-dic-2024": a day, a month's name and a year joined by hyphens
_HYPHEN_DATE = re.compile(r"(?<![\w-])([0-9]{1,2})-([^\W\d_]{3,12})\.?-([0-9]{4})(?![\w-])")
# a numeric date, "12/25/2024", "6/2/2025": htmldate's fast parser reads it day first, and
# no date where the day would be over 12; read month first when its second part over 12
# says so ("12/25/2024") or when the page's own dates do (``month_first_page``)
_SLASH_DATE = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?![0-9/])")
# the first of a month written as an ordinal before the month's name: the French "1er
# décembre", the Italian "1° dicembre", the Portuguese and Spanish "1º de dezembro" (the
# parser read none; the page's wider search read "1er décembre 2024" as January 1st)
_FIRST_ORDINAL = re.compile(r"(?<![0-9.])1(?:er|°|º|\.º)(?=\s+(?:de\s+)?([^\W\d_]{3,12}))")
# a day and a month each with its period, spaced: the Czech and Slovak "5. 12. 2024" (the
# parser reads "5.12.2024" only; the page's wider search read the spaced one month first)
_SPACED_DOT_DATE = re.compile(r"(?<![0-9.])([0-9]{1,2})\.\s([0-9]{1,2})\.\s([0-9]{4})(?![0-9])")
# the digits of other scripts (Arabic-Indic, Persian, Devanagari, Thai, full-width) as ASCII
_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x0660, 0x06F0, 0x0966, 0x0E50, 0xFF10) for i in range(10)}
)


def _is_month(word: str) -> bool:
    name = _key(word.rstrip("."))
    return name in _HTMLDATE_NAMES or name in _MORE_NAMES or name in _ALL_PREFIXES


def _iso(year: int, month: int, day: int) -> str:
    return f"{year}-{month:02d}-{day:02d}"


def _era_date(match: re.Match[str]) -> str:
    first, last = _ERAS[match[1]]
    year = first.year - 1 + (1 if match[2] == "元" else int(match[2]))
    try:
        day = date(year, int(match[3]), int(match[4]))
    except ValueError:
        return match[0]
    return day.isoformat() if first <= day <= last else match[0]


def _jalali(year: int, month: int, day: int, written: str) -> str:
    try:
        return str(jdatetime.date(year, month, day).togregorian().isoformat())
    except ValueError:  # no such day
        return written


def _calendar_date(year: int, month: int, day: int, written: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # no such day
        return written


def _month_first(match: re.Match[str], ambiguous: bool = False) -> str:
    """The date month first when its second part is over 12, or, with ``ambiguous``, when
    either part may be the month; else as written."""
    if not ambiguous and int(match[2]) <= MONTHS:
        return match[0]
    try:
        return date(int(match[3]), int(match[1]), int(match[2])).isoformat()
    except ValueError:  # "02/30/2024": no day
        return match[0]


def _thai_date(match: re.Match[str]) -> str:
    year = int(match[3])
    if year < CENTURY:  # "67": 2567
        year += BUDDHIST_CENTURY
    if year >= MIN_BUDDHIST_YEAR:
        year -= BUDDHIST_ERA_YEARS
    return _iso(year, _THAI_NUMBERS[match[2]], int(match[1]))


def _year_word_date(match: re.Match[str], language: str | None) -> str:
    day, word = (match[2], match[3]) if match[2] else (match[5], match[4])
    number = _month_number(word, language)
    return match[0] if number is None else _iso(int(match[1]), number, int(day))


def _month_number(word: str, language: str | None) -> int | None:
    """The month a full name (not an abbreviation) names, in the page's language first."""
    key = _key(word)
    return _LANGUAGE_MONTHS.get(language or "", {}).get(key) or _MONTH_NUMBERS.get(key)


def _spell_month(match: re.Match[str], language: str | None = None) -> str:
    word, dotted = _key(match[1]), match[0].endswith(".")
    own = _LANGUAGE_MONTHS.get(language or "", {}).get(word)
    if own is not None:
        return _abbreviation(own)  # "listopada": the Croatian October, the Polish November
    if word in _HTMLDATE_NAMES and not dotted:
        return match[0]  # a name htmldate reads as written
    if word in _HTMLDATE_PREFIXES:
        return _HTMLDATE_PREFIXES[word]  # "Dec.", "Sept.", "janv."
    if word in _MORE_NAMES:
        return _MORE_NAMES[word]  # "diciembre", "декабря", "joulukuuta"
    if dotted or _between_day_and_year(match):
        return _ALL_PREFIXES.get(word, match[0])  # "dic.", "дек.", "out."; "05 dic 2024"
    return match[0]


_DAY_BEFORE = re.compile(r"(?<![0-9])[0-9]{1,2}\.?\s+$")
_YEAR_AFTER = re.compile(r",?\s+[0-9]{4}(?![0-9])")


def _between_day_and_year(match: re.Match[str]) -> bool:
    """An abbreviation without its period reads as a month only between a day and a year
    ("05 dic 2024", "3 set 2024"): elsewhere a short word before a number is any word."""
    line = match.string
    return bool(_DAY_BEFORE.search(line, 0, match.start()) and _YEAR_AFTER.match(line, match.end()))


def _spell_connectors(match: re.Match[str]) -> str:
    if not _is_month(match[2]):
        return match[0]
    return f"{match[1]} {match[2]} {match[3]}"


def spelled_date_line(text: str, language: str | None = None) -> str:
    """A short date line spelled as htmldate's fast parser reads it: other scripts' digits
        as ASCII, "2024年12月5日" as "2024-12-05", "5 de diciembre de 2024" as "5 diciembre
        2024" (only between a day, a month's name and a year), "1er décembre" and "1º de
        dezembro" as the 1st, the Czech "5. 12. 2024" as "5.12.2024", and a month's name or
        abbreviation before a number as the English abbreviation ("dec") unless htmldate reads
        it as written; every other word stays. Dates whose year or month is no word htmldate
        knows become "YYYY-MM-DD": a Japanese era's ("令和6年12月5日"), the Thai Buddhist era's
        ("5 ธ.ค. 2567"), the Vietnamese "5 tháng 12, 2024", a Lithuanian or Latvian year first
        ("2024 m. gruodžio 5 d."), and a numeric date whose second part over 12 says it is
    written month first ("12/25/2024"). ``language`` (the page's) reads the month's names two
        languages give two months (``_LANGUAGE_MONTHS``)."""
    persian_digits = language == "fa" or bool(_PERSIAN_DIGIT.search(text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_DIGITS)
        text = _CJK_DATE.sub(lambda m: _iso(int(m[1]), int(m[2]), int(m[3])), text)
        text = _ERA_DATE.sub(_era_date, text)
        text = _ROC_DATE.sub(
            lambda m: _calendar_date(int(m[1] or m[2]) + ROC_YEARS, int(m[3]), int(m[4]), m[0]),
            text,
        )
        text = _JALALI_DATE.sub(
            lambda m: _jalali(int(m[3]), _JALALI_MONTHS.index(m[2]) + 1, int(m[1]), m[0]), text
        )
        text = _LEVANTINE_DATE.sub(
            lambda m: _LEVANTINE_MONTHS[m[1], m[2].replace("الاول", "الأول")], text
        )
        text = _THAI_DATE.sub(_thai_date, text)
        text = _VIETNAMESE_DATE.sub(lambda m: _iso(int(m[3]), int(m[2]), int(m[1])), text)
    if persian_digits:
        text = _JALALI_NUMERIC.sub(lambda m: _jalali(int(m[1]), int(m[3]), int(m[4]), m[0]), text)
    elif language == "zh":
        text = _ROC_NUMERIC.sub(
            lambda m: _calendar_date(int(m[1]) + ROC_YEARS, int(m[3]), int(m[4]), m[0]), text
        )
    text = _YEAR_WORD_DATE.sub(lambda m: _year_word_date(m, language), text)
    text = _SLASH_DATE.sub(_month_first, text)
    text = _SPACED_DOT_DATE.sub(r"\1.\2.\3", text)
    text = _FIRST_ORDINAL.sub(lambda m: "1" if _is_month(m[1]) else m[0], text)
    text = _DE_DATE.sub(_spell_connectors, text)
    text = _HYPHEN_DATE.sub(lambda m: f"{m[1]} {m[2]} {m[3]}" if _is_month(m[2]) else m[0], text)
    text = _CLOCK_FIRST.sub("", text)
    return _MONTH_WORD.sub(lambda m: _spell_month(m, language), text)


def ambiguous_slash_date(text: str) -> bool:
    """Whether ``text`` holds a numeric date either part of which may be the month."""
    return "/" in text and any(
        int(m[1]) <= MONTHS and int(m[2]) <= MONTHS for m in _SLASH_DATE.finditer(text)
    )


def month_first_page(texts: Iterable[str]) -> bool:
    """Whether a page writes its numeric dates month first: some date's second part is over
    12 ("3/13/2026") and none's first part is ("19/02/2025"). htmldate reads them day first,
    as most of the world writes them; a page that says nothing keeps that reading."""
    month_first = day_first = False
    for text in texts:
        if "/" not in text:
            continue
        for match in _SLASH_DATE.finditer(text):
            first, second = int(match[1]), int(match[2])
            month_first = month_first or first <= MONTHS < second <= DAYS
            day_first = day_first or second <= MONTHS < first <= DAYS
    return month_first and not day_first


def read_date_line(
    text: str, latest: datetime, language: str | None = None, month_first: bool = False
) -> str | None:
    """The date (YYYY-MM-DD, between htmldate's ``MIN_DATE`` and ``latest``) a short line
    reads as by htmldate's fast parser, as written, else once spelled
    (:func:`spelled_date_line`), else spelled in lower case (the parser reads no month
    written in capitals: "DEC 9, 2019", "UPDATED: NOV 18"); None when none reads.
    ``language``: the page's, for :func:`spelled_date_line`; ``month_first``: the page
    writes numeric dates month first (:func:`month_first_page`)."""
    if month_first:
        text = _SLASH_DATE.sub(partial(_month_first, ambiguous=True), text)
    found = try_date_expr(text, "%Y-%m-%d", False, MIN_DATE, latest)
    if found is None:
        spelled = spelled_date_line(text, language)
        # then in lower case: the parser reads "Dec 9, 2019", not "DEC 9, 2019"
        for variant in dict.fromkeys((spelled, spelled.lower())):
            if variant != text:
                found = try_date_expr(variant, "%Y-%m-%d", False, MIN_DATE, latest)
                if found is not None:
                    break
    return found
