"""Page metadata a reader can trust: <meta> tags, JSON-LD, microdata and <link> elements.

Everything here reads the parsed tree without changing it. trafilatura's own metadata (title
heuristics, byline search, htmldate) is used by core.py only as the fallback for each field.
"""

from __future__ import annotations

import html
import json
import logging
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from archive.fields import language_code as fields_language_code
from archive.titles import split_title, title_key, trim_segments
from crawler.dates import date_text, parse_date
from crawler.urls import site_of_host
from pipelines.extraction.model import PageFacts
from pipelines.extraction.pagestate import LIVE_BLOG, is_paywalled, live_updated
from pipelines.extraction.words import text_pieces, word_length

LOGGER = logging.getLogger(__name__)


ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "AnalysisNewsArticle",
        "AskPublicNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "SatiricalArticle",
        "ScholarlyArticle",
        "TechArticle",
        "Report",
    }
)

PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "published-date",
    "publish-date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "article.updated",
)
AUTHOR_META = (
    "author", "article:author", "og:author", "og:article:author", "parsely-author",
    "sailthru.author", "dc.creator", "dcterms.creator", "byl",
)  # fmt: skip

EARLIEST_YEAR = 1990
MAX_NAME_CHARS = 80
MAX_BYLINE_CHARS = 1000  # longer "author" strings are not bylines; also bounds the regexes
_WS = re.compile(r"\s+")
# invisible characters that are no part of a value: soft hyphen, zero-width space, word
# joiner, byte-order mark ("Assis\u00adtance" is "Assistance" on screen)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_ITEMPROP = XPath("descendant-or-self::*[@itemprop=$prop]")  # faster than // in libxml2
_NAME_SEPARATORS = re.compile(r"\s*(?:;|\s&\s|\sand\s|\sund\s|\set\s|\sy\s)\s*", re.I)
# "and" in languages where the word is also part of names or of a byline's place ("Maria
# da Silva e Souza", "Juan Pérez en Madrid"): it separates only names on both sides;
# Italian, Portuguese, Catalan, Polish, Dutch, Swedish, Norwegian, Russian, Ukrainian
_NAMES_AND = re.compile(r"\s+(?:e|i|en|och|og|и|\u0456|та)\s+")  # \u0456: the Ukrainian "i"
# The words a byline opens with, one vocabulary for every byline reader: the nouns naming
# the writer ("Author", "Autor(in)", "Auteur", "Autore", "Автор", their plural and feminine
# forms: "Autorinnen", the Polish and Czech "Autorka", "Autorzy", "Autoři", the Russian
# "Авторы", the Ukrainian "Авторка", "Автори"; the Indonesian and Malay
# "Penulis", "Pewarta" (ANTARA's reporter), the English and Indonesian "Reporter" with its
# colon only ("Reporter Jane Doe" may be a title), the Swahili "Mwandishi", the Turkish
# "Yazar" and, with its colon only, "Yazan" ("who wrote"; also a given name, "Yazan
# Al-Saadi"), the Vietnamese "Tác giả", the Hungarian "Szerző", the
# Scandinavian "Forfatter", "Författare", the Finnish "Kirjoittaja", the Greek "Συντάκτης",
# "Συντάκτρια", the Chinese "作者") and
# the credit of the German, Slavic and Finnish "Text: Name" ("Text", "Texte", "Texto",
# "Testo", "Tekst", "Текст", "Teksti"; the Polish "Opracowanie", "compiled by"; the
# Japanese "文", the Korean "글") ("text.is_byline" reads the same words), the colon after
# them half or full width (``BY_COLON``: Chinese and Japanese write U+FF1A);
# and "by" in the languages news is written in, by the language (`<html lang>`) that writes
# it: any of them before a name ("av", "af" in small letters or as a capital only, not "AV
# Club")
AUTHOR_NOUNS = (
    r"authors?|contributors?|autor(?:in(?:nen)?|en|es|as?|ka|zy|ři)?|auteure?s?|autore|autrice"
    r"|автор(?:ы|ка|и)?|penulis|pewarta|mwandishi|reporter(?=\s*[:\uff1a])"
    r"|yazar|yazan(?=\s*:)|tác\s+giả|szerző|forfatter|författare|kirjoittaja|作者"
    r"|συντάκτ(?:ης|ρια)"  # noqa: RUF001
)
CREDIT_NOUNS = r"text[eo]?|testo|tekst|текст|teksti|opracowanie|文|글"
BY_COLON = "[:\uff1a]"
BY_WORD = {
    "en": "by", "de": "von", "fr": "par", "es": "por", "pt": "por", "it": "di", "nl": "door",
    "sv": "av", "no": "av", "nb": "av", "nn": "av", "da": "af",
}  # fmt: skip
# "by" where the word also opens names and other lines in every language ("Oleh" is a
# Ukrainian name, "De Smet" a surname): read on a page declaring its language only, and cut
# from the names only there
BY_WORD_DECLARED = {
    "ms": "oleh", "ro": "de", "tl": "ni", "sw": "na",
    # the Tribun papers' "report of the journalist of <paper>, <name>"
    "id": r"(?:oleh|laporan\s+(?:wartawan|reporter|kontributor)\s+[^,]{2,40},)",
    # the Greek "writes" and an article, the accent dropped in capitals ("ΓΡΑΦΕΙ")
    "el": r"γρ[άα]φ(?:ει|ουν)\s+(?:ο|η|οι)",  # noqa: RUF001
}  # fmt: skip
# the interviewer's credit standing for the "by" on a page declaring its language (the
# interviewer writes the piece): "Das Interview führte Anna Schmidt", the German "Interview:
# Anna Schmidt" (on an English page "Interview: Jane Doe" heads the interviewee's answers),
# "Entrevista de María García", "Entrevista por João Silva"
INTERVIEWER = {
    "de": r"das\s+interview\s+f[üu]hrten?|interview(?=\s*:)",
    "es": r"entrevista\s+(?:de|por)",
    "pt": r"entrevista\s+por",
}
# a capital opening a name after such a word, in Latin, Greek and Cyrillic script
NAME_CAPITAL = "A-ZÀ-ÖØ-ÞΑ-ΩΆΈΉΊΌΎΏА-ЯЁ"
_CASED_BY = frozenset({"av", "af"})
BY_WORDS = "|".join(
    rf"(?-i:[{word[0].upper()}{word[0]}]{word[1:]})" if word in _CASED_BY else word
    for word in dict.fromkeys(BY_WORD.values())
)
# A date's label, one vocabulary for the readers of bylines and of the text's date lines
# (``text``): "updated" ("Aktualisiert am 12.05.", "Mis à jour le") and "published"
# ("Veröffentlicht", "Publié le", "Publicado el")
UPDATED = (
    r"updated|aktualisiert|mis [àa] jour|actualizado|atualizado|aggiornato|bijgewerkt"
    r"|обновлено|zaktualizowano"
)
PUBLISHED = (
    r"published|posted|ver[oö]ffentlicht|erstellt|publi[eé]|publicado|pubblicato|gepubliceerd"
    r"|опубликовано|opublikowano"
)
# the words before a byline's "by", one vocabulary for every byline reader: "Written by",
# "Article written by", "Posted by", "Guest post by", "Story by", "Words by", "Reporting by",
# "Story and photos by", "View all posts by"; the German opinion piece's kind before its
# "von" ("Ein Kommentar von", "Eine Analyse von", "Ein Gastbeitrag von", "Ein Interview
# von"), the French interviewer's "Propos recueillis par", the Italian "A cura di"
BY_LEAD = (
    r"(?:(?:(?:article\s+)?written|(?:guest\s+)?post(?:ed)?|recipe|story|words|text|reporting"
    r"|view\s+all\s+posts)(?:\s+and\s+(?:photos?|photographs|video))?"
    r"|eine?\s+(?:kommentar|gastkommentar|analyse|gastbeitrag|kolumne|essay|glosse|reportage"
    r"|gespräch|interview)"
    r"|propos\s+recueillis|a\s+cura)"
)
# the writer's role between a byline's "by" and the name: "Von unserem Redakteur Jan Berg",
# "Von unserer Korrespondentin …", "Door onze redacteur Jan Jansen"
BY_ROLE = (
    r"(?:unser(?:em|er)\s+(?:redakteur|korrespondent|mitarbeiter|reporter)(?:in|en)?"
    r"|onze\s+(?:redacteur|correspondent|verslaggever)(?:en|s)?)"
)
# "from our correspondent" standing for the "by": "De notre correspondant Jean Dupont",
# "Dal nostro inviato Mario Rossi", "De nuestro corresponsal …", "Van onze correspondent …"
FROM_OUR = (
    r"(?:de\s+notre|dal(?:la)?\s+nostr[ao]|de\s+nuestr[oa]|van\s+onze)\s+"
    r"(?:envoy[ée]e?\s+sp[ée]ciale?|correspondante?|inviat[oa](?:\s+speciale)?|corrispondente"
    r"|enviad[oa]\s+especial|corresponsal|correspondent)"
)
# the label before a byline's name: one of those words, a colon or not
_BY_PREFIX = re.compile(
    rf"^\s*(?:(?:{BY_LEAD}\s+)?(?:{BY_WORDS})(?:\s+{BY_ROLE})?|{FROM_OUR}|{AUTHOR_NOUNS}"
    rf"|{CREDIT_NOUNS})"
    rf"(?:\s*{BY_COLON}\s*|\s+)"
    r"|^\s*(?-i:By(?=[A-ZÀ-ÖØ-Þ]))",  # glued to the name: "ByThe Meetingnotes Team"
    re.I,
)
_BY_ONLY = re.compile(rf"^{BY_LEAD}\s+by\s*:?$", re.I)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# what a byline search glues after a name: "Last Updated August 1", "• March 3", "on Dec 9"
_DATE_TAIL = re.compile(
    rf"\s*[•·,]?\s*(?:\b(?:last\s+)?(?:{UPDATED}|{PUBLISHED}|modified)\b|\bon\s+{_MONTH}\b"
    rf"|\b{_MONTH}(?:\s+\d|\s*$)|\b\d{{1,4}}[/.-]\d).*$",
    re.I,
)
# the short word before a date ("on 3 May", "le 2 mai", "am 2. Mai", "el 2 de mayo")
_DATE_LEAD = r"on|the|at|le|du|à|am|den|vom|el|del|de|il|em|op"
# a number after a name, in any language, with the short word or the label leading it: a
# date ("Jean Dupont Le 2 mai 2024", "María López 2 de mayo", "Max Mustermann
# Aktualisiert: 02.05.2024"); no person's name holds a word that starts with a digit
_NUMBER_TAIL = re.compile(rf"\s+(?:(?:{_DATE_LEAD})\s+|\w+:\s*)?\d", re.I)
# a day, a month's name in any language, a year: "2. Mai 2024", "2 de mayo de 2024"
_DAY_MONTH_NAME_YEAR = r"\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?\d{4}"
# a date and a separator before a byline's name: "Dec. 19, 2025 · Niko Matsakis",
# "19 December 2025 | Jane Doe", "2025-12-19 - Jane Doe", "Publié le 2 mai 2024 · Jean
# Dupont" (the name is read after it)
_DATE_HEAD = re.compile(
    rf"^\s*(?:(?:last\s+)?(?:{UPDATED}|{PUBLISHED})\s*:?\s*(?:(?:{_DATE_LEAD})\s+)?)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_DAY_MONTH_NAME_YEAR}"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})\s*[·•|\u2013\u2014-]\s*(?=\S)",
    re.I,
)
# The news agencies, one vocabulary for the bylines' credits and the text's closing credit
# lines (``text``): the international wire services and the words for "agencies"; the
# national ones too: the German papers' "rtr" (Reuters) and "sid", Sweden's "TT", Denmark's
# "/ritzau/", Norway's "NTB", Finland's "STT", Turkey's "AA", "DHA", Ukraine's
# "Укрінформ", Slovakia's "TASR"
WIRE_SERVICES = (
    r"afp|ap|ansa|anp|apa|ats|belga|dpa|efe|epd|kna|reuters|rtr|sid|sda|pap|[čc]tk|mti|tass|xinhua"
    r"|kyodo|yonhap|lusa|tt|ritzau|ntb|stt|aa|dha|ukrinform|укрінформ|tasr"
    r"|europa press|ag[eê]ncia brasil|interfax|ria novosti|тасс|интерфакс"
    r"|риа новости|agences|agencies|wires|agenzie|agencias|ag[eê]ncias|agenturen"
    r"|agentschappen|агентства"
)
WIRE_WITH = r"with|avec|con|com|met|mit|\u0441|z"  # \u0441: the Russian "with"
# what ends the names in a byline line: a separator before a date or a reading time
# ("Jane Doe · 5 min read"), a group the writer speaks for ("… on behalf of the team"), an
# agency credited with the writer ("Von Anna Schmidt mit dpa", "Par Jean Dupont avec
# AFP"), the sources' credit ("Por María García con información de EFE", "… com informações
# da Reuters"), and after a comma a small word opening a capitalised outlet: whom the
# writer filed for ("Por João Silva, da Agência Lusa", "…, do G1"); inside a name such a
# particle follows no comma ("Maria da Silva")
_NAME_STOP = re.compile(
    r"\s+[·•]\s.*$|\s+on\s+behalf\s+of\b.*$"
    rf"|\s+(?:{WIRE_WITH})\s+(?:l['\u2019]\s*)?(?:{WIRE_SERVICES})(?!\w).*$"
    r"|,?\s+(?:con\s+informaci[óo]n|com\s+informa[çc](?:[õo]es|[ãa]o))\s+d\w*\b.*$"
    rf"|,\s*(?-i:da|do|das|dos|de|del)\s+(?=[{NAME_CAPITAL}]).*$",
    re.I,
)
# where a writer filed from, after a comma: a small word in lower case opening a
# capitalised place ("Colaboração para o UOL, em São Paulo", "Por María García, en
# Bogotá", "Jane Doe, in Kyiv", "Anna Schmidt, in Berlin", "Jean Dupont, à Paris"); it
# goes up to the next writer, each writer's ("By Jane Doe, in London and John Smith, in
# Paris"); no name opens with such a word after a comma ("Jane Doe, India correspondent").
# On a page declared English the capitalised "In" too, before capitalised words only
# ("By Jane Doe, In Washington"; group ``capital``): elsewhere "In" can open a name
_PLACE_FILED = re.compile(
    rf",\s*(?:(?:em|en|in|à|desde|aus)\s+[{NAME_CAPITAL}][^,;|·•]*?"
    rf"|(?P<capital>In(?:\s+[{NAME_CAPITAL}][\w.'\u2019-]*)+))"
    r"(?=\s+(?i:and|und|et|e|y|&)\s+|\s*[,;|·•]|\s*$)"
)
_ONLY_DATE = re.compile(
    rf"^(?:on\s+)?{_MONTH}(?:\s+\d.*)?$|^(?:last\s+)?(?:{UPDATED}|{PUBLISHED})\b", re.I
)
# what a byline says after its person's name about the outlet, not a name: the outlet
# written for ("Jane Doe For Dailymail.com", "Jane Doe Special to The Times", the
# Portuguese and Spanish "Colaboração para o UOL", "Especial para El Tiempo") or a wire
# service's initials in brackets ("Jane Doe (AP)"; "Jane Doe (CNXSoft)", "Lance Ryan
# (Content Manager)" stay: the labels keep them)
_CREDIT_TAIL = re.compile(
    r"\s+(?:(?i:for|special\s+to|colabora[çc](?:[ãa]o|i[óo]n)\s+para|especial\s+para)\s+\S.*"
    r"|\([A-Z][A-Z.\-]{1,7}\))$"
)
# a newsroom's credit standing for its writers ("From staff and wire reports", "with wire
# services"): no person, and its "and" joins no names
_WIRE_CREDIT = re.compile(
    r"(?:\b(?:from|with)\s+)?\b(?:(?:staff|wire)\s+(?:and|&)\s+)?(?:staff|wire)"
    r"\s+(?:reports?|services)\b",
    re.I,
)
_PIPE = re.compile(r"\s*\|\s*")
_CREDIT_SEPARATOR = re.compile(r"\s*[,/]\s*")  # "Jane Doe, Reuters", "Jane Doe / Reuters"
_ROLE_WORDS = frozenset(
    {
        "reporter", "editor", "writer", "correspondent", "staff", "contributor", "columnist",
        "senior", "chief", "associated", "press", "news", "desk", "producer", "photographer",
        "founder", "co-founder", "cofounder", "consultant", "expert", "attorney", "manager",
        "director", "author", "educator", "educators", "specialist", "analyst", "journalist",
        "researcher", "former", "head", "lead", "winemaker", "editors", "writers",
        # the newsroom's roles in German, French, Spanish, Italian, Portuguese, Dutch, Polish
        # ("Anna Schmidt, Redakteurin Politik", "Jean Dupont, journaliste")
        "redakteur", "redakteurin", "korrespondentin", "reporterin", "journalistin",
        "rédacteur", "rédactrice", "journaliste", "correspondant", "correspondante",
        "redactor", "redactora", "periodista", "corresponsal", "giornalista", "inviato",
        "inviata", "corrispondente", "jornalista", "repórter", "correspondente", "redacteur",
        "verslaggever", "dziennikarz", "dziennikarka", "redaktor",
    }
)  # fmt: skip
# the last word of a team's byline ("The Meetingnotes Team", "The Texas Newsroom")
_TEAM_WORDS = frozenset({"team", "staff", "editors", "desk", "newsroom", "redaktion", "équipe"})
_NOT_FIRST_NAMES = frozenset({"the", "our", "a", "an", "team"})  # "Team Tiger Data": a team
_PARTICLES = frozenset(
    {"van", "der", "den", "de", "la", "le", "von", "di", "da", "du", "del", "bin", "dela", "delos"}
)
# what a page's buttons and menus say; a "name" starting with one names nobody
# ("Sign up for free trial", "Get", "Log in", "Order Status", "Account Settings")
_CALLS_TO_ACTION = frozenset(
    {
        "sign", "log", "login", "get", "click", "read", "subscribe", "order", "account",
        "download", "buy", "shop", "join", "register", "contact", "view", "see", "try",
        "start", "learn", "share", "follow", "menu", "search", "home", "user", "cart",
        "request", "schedule",
    }
)  # fmt: skip
_NAME_PARTICLES = _PARTICLES | {"dos", "das", "do", "della", "ten", "ter", "zu", "al", "el", "y"}
# The social networks a page links its writers and itself on, one vocabulary for the
# byline readers and the text's closing lines ("Follow Jane on Twitter", ``text``)
SOCIAL_NETWORKS = r"twitter|facebook|instagram|linkedin"
# What a writer's contact buttons say beside the name ("Jane Doe Twitter Email", "Max
# Mustermann E-Mail Folgen", "Jean Dupont Suivre Profil"): the networks above, "e-mail",
# "follow", "bio", "contact", "profile", "RSS" in English, German, French, Spanish,
# Italian, Portuguese, Dutch
_CONTACT_WORDS = (
    rf"{SOCIAL_NETWORKS}|e-?mail|courriel|correo|follow|folgen|suivre|seguir|segui|volgen"
    r"|bio|biograph(?:y|ie)|biograf(?:ie|ía|ia)|rss|contact|kontakt|contacto|contatto|contato"
    r"|profile?|perfil|profilo|profiel"
)
# a run of them ending a name, glued to it or not ("Jane DoeTwitter"); "Mail" and "X"
# (a letter of names: "Malcolm X") only after another (``_contact_start``)
_GLUED = r"(?-i:(?<=[a-zà-öø-ÿ])(?=[A-Z]))"  # one word's end, the next's capital
_CONTACT_TAIL = re.compile(
    rf"(?:\s+|{_GLUED})(?:{_CONTACT_WORDS})(?:\b|{_GLUED})"
    rf"(?:\s*[|·•,/]?\s*(?:{_CONTACT_WORDS}|mail|x)(?:\b|{_GLUED}))*\W*$",
    re.I,
)
# an image's credit glued after the name: "Jane Doe Photo: Getty", "…, Fotos: Max Muster",
# "Иван Петров Фото: …"
_PHOTO_CREDIT = re.compile(
    r"\s*[|·•,/\u2013\u2014-]?\s+(?:photo(?:graph)?s?|fotos?|фото|bilder?|images?|pictures?"
    rf"|illustrations?|credits?|crédits?)\s*(?::|\b(?:{BY_WORDS})\b).*$",
    re.I | re.S,
)
# a writer's address beside the name: "Jane Doe (@janedoe)", "Jane Doe <jane@example.com>",
# "Jane Doe (https://janedoe.net)"; and RSS's "jane@example.com (Jane Doe)", the name in
# brackets after the address
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_ADDRESS_IN_BRACKETS = re.compile(
    rf"\s*[(<\[]\s*(?:mailto:)?(?:@[\w.]+|{_EMAIL}|(?:https?://|www\.)[^\s)>\]]+)\s*[)>\]]"
)
_EMAIL_THEN_NAME = re.compile(rf"^\s*(?:mailto:)?{_EMAIL}\s*\(([^()@]+)\)\s*$")
# a profile's address: a host and a path ("facebook.com/janedoe"); a bare host
# ("cleveland.com") is an outlet's credit
_PROFILE_ADDRESS = re.compile(r"\b[\w-]+\.[a-z]{2,}/\S", re.I)


@dataclass(slots=True)
class PageMeta(PageFacts):
    """Metadata read from markup alone; every field may be empty."""

    author_organisations: list[str] = field(default_factory=list)  # the last resort
    # the fallbacks below are read only when each before them found nobody (nothing else
    # reads them): linked_author() when no visible byline, author_box(), more_by()… when
    # no author link either
    linked_authors: list[str] = field(default_factory=list)  # linked_author(): after a byline
    boxed_authors: list[str] = field(default_factory=list)  # author_box(), more_by()…
    byline_authors: list[str] = field(default_factory=list)  # visible_byline()
    page_title: str | None = None  # the <title> element, often with a site-name suffix
    titles: list[str] = field(default_factory=list)  # every title variant, for text cleanup


# ---------------------------------------------------------------- small value helpers


def clean_text(value: object) -> str | None:
    """Collapse whitespace and undo leftover HTML escapes ("&#8216;") of a string value.

    None for anything empty or not a string.
    """
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)
    text = _WS.sub(" ", _INVISIBLE.sub("", value)).strip()
    return text or None


def unique(values: Iterable[str]) -> list[str]:
    """Drop empty and case-insensitive duplicate values, keeping the first spelling."""
    seen: set[str] = set()
    result = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def parse_datetime(value: str | None) -> datetime | None:
    """A stated date (:func:`crawler.dates.parse_date`, after undoing HTML escapes) as an
    aware datetime in the offset the page states (UTC when it states none): its day is the
    day the page's readers saw (the archive stores the instant in UTC). Dates before 1990
    are placeholders, not publication dates: None."""
    parsed = parse_date(clean_text(value), keep_offset=True)
    return parsed if parsed is not None and parsed.year >= EARLIEST_YEAR else None


def language_code(value: str | None) -> str | None:
    """A page's stated language tag ("en-US", "de_DE") as its ISO 639-1 code ("en", "de"):
    :func:`archive.fields.language_code` after undoing HTML escapes."""
    return fields_language_code(clean_text(value))


def absolute_url(value: str | None, base: str | None) -> str | None:
    """Resolve a link against the page URL; None unless the result is http(s)."""
    text = clean_text(value)
    if text is None:
        return None
    resolved = urljoin(base, text) if base else text
    return resolved if urlsplit(resolved).scheme in {"http", "https"} else None


# ---------------------------------------------------------------- titles

MIN_SITE_KEY = 4  # shorter host labels or names ("ft", "abc") match too much by containment
MIN_HEADLINE_WORDS, MAX_HEADLINE_WORDS = 2, 40
HEADLINE_OVERLAP = 0.6  # share of an <h1>'s words the stated title must contain
MAX_HEADINGS = 5
MIN_LEAD_WORDS = 3  # a first segment this long is the headline, what follows a tagline


_key = title_key

# how a site names itself in its titles beyond og:site_name and its host's labels (the
# readings apply to title segments; a whole heading names the site by containment only)
MAX_INITIALS_LABEL = 3  # a host label this short is initials ("npr", "wsj", "bbc")...
MAX_SITE_WORDS = 3  # ...heading a site's name of at most this many words ("BBC News")
# a leading article is no part of the name a domain spells ("The New York Times": nytimes)
_ARTICLES = frozenset({"the", "der", "die", "das", "le", "la", "les", "el", "il"})
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})  # "ß" casefolds to "ss"
# "Man rescued from well : NPR": a spaced colon before the site's name (only there: in
# French typography " : " also sits inside headlines); the full-width colon of Japanese and
# Chinese titles (U+FF1A), spaced or not ("記事の見出し\uff1a朝日新聞デジタル"); a spaced slash
# ("… / Example News") and the name in closing brackets ("… (Example News)"), which
# headlines hold too ("Either / Or", "(Updated)"): only before the site's name
_SITE_COLON = re.compile(r"\s+:\s+|\s*\uff1a\s*|\s+/\s+|\s+(?=\([^()]+\)\s*$)")


def _folded_keys(text: str) -> set[str]:
    """A segment's keys with its letters compared without accents: "Süddeutsche" gives
    "suddeutsche" and, transliterated as German writes it without umlauts, "sueddeutsche"."""
    folded = text.casefold()
    return {
        _key(
            "".join(
                ch for ch in unicodedata.normalize("NFKD", form) if not unicodedata.combining(ch)
            )
        )
        for form in (folded, folded.translate(_GERMAN_LETTERS))
    }


def _width(key: str) -> int:
    """A key's length with a wide character (Han, Kana, Hangul) counting as two: "新浪" tells
    a site's name as well as "sina" does."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in key)


def host_labels(url: str | None) -> list[str]:
    """The labels of a URL's host that can name a site ("www.fool.com" -> ["fool"])."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = host.split(".")[:-1]  # no top-level domain
    return [label for label in labels if len(label) >= MIN_SITE_KEY and label != "www"]


def _domain(url: str | None) -> tuple[str, str]:
    """A URL's domain label and public suffix ("https://edition.cnn.com/x" -> "cnn", "com";
    "www.bbc.co.uk" -> "bbc", "co.uk"); empty strings without a registrable domain."""
    host = (urlsplit(url).hostname or "") if url else ""
    label, _, suffix = site_of_host(host).partition(".") if host else ("", "", "")
    if not any(ch.isalpha() for ch in suffix):  # an address ("127.0.0.1"), no domain
        return "", ""
    return label, suffix


def _spells(label: str, words: list[set[str]]) -> bool:
    """Whether ``label`` is the words (each given by its folded spellings) written by their
    initials or whole, in order ("nytimes": N Y Times; "wsj": Wall Street Journal)."""
    if not words:
        return not label
    parts = {form[:1] for form in words[0]} | words[0]
    return any(label.startswith(part) and _spells(label[len(part) :], words[1:]) for part in parts)


def _names_domain(segment: str, url: str | None) -> bool:
    """The readings of a title segment that name the site by its domain: the domain itself
    ("CNN.com", "SZ.de" on a .de host), a name led by a short domain label ("BBC News",
    "NPR"), or a name the domain label spells by initials and whole words ("The New York
    Times" on nytimes.com, "Wall Street Journal" on wsj.com), a leading article aside."""
    label, suffix = _domain(url)
    label = _key(label)
    text = segment.strip()
    if not label or not suffix or not text:
        return False
    name = text.casefold().removesuffix(f".{suffix}")
    if " " not in text and name != text.casefold() and name and "." not in name:
        return True
    words = [keys for keys in (_folded_keys(word) for word in text.split()) if keys != {""}]
    if len(words) > 1 and words[0] & _ARTICLES:
        words = words[1:]
    if not words:
        return False
    if len(label) <= MAX_INITIALS_LABEL and len(words) <= MAX_SITE_WORDS and label in words[0]:
        return True
    return len(words) > 1 and _spells(label, words)


def names_site(
    segment: str, sitename: str | None, url: str | None, *, heading: bool = False
) -> bool:
    """Whether a title segment is the site's name: its og:site_name or a label of its host
    by containment, letters compared without accents ("Süddeutsche Zeitung" on
    sueddeutsche.de), or the domain as :func:`_names_domain` reads it.

    A whole ``heading`` (an ``<h1>``, which may be a headline naming the site: "The Resy
    Guide to …" on resy.com) names it only by containment of the plain letters.
    """
    key = _key(segment)
    if not key:
        return True
    keys = {key} if heading else _folded_keys(segment)
    for site in {_key(sitename or "")} if heading else _folded_keys(sitename or ""):
        if site and any(
            k == site or (min(_width(k), _width(site)) >= MIN_SITE_KEY and (k in site or site in k))
            for k in keys
        ):
            return True
    labels = [_key(label) for label in host_labels(url)]  # "example-news" as "examplenews"
    if any(label in k or k in label for label in labels for k in keys if len(k) >= MIN_SITE_KEY):
        return True
    return not heading and _names_domain(segment, url)


def _without_site_after_colon(title: str, site_named: Callable[[str], bool]) -> str:
    """The title without a site's name after its last spaced or full-width colon ("… : NPR",
    "제목 : 사이트", "見出し\uff1a朝日新聞デジタル"), spaced slash ("… / Example News") or in its
    closing brackets ("… (Example News)"), when that name is the title's last segment (in
    "Macron : « … » | Le Monde" the name is the segment after " | ", and the colon is the
    headline's) and no longer than what goes before it ("首相\uff1a朝日新聞の取材に答える" is a
    headline naming the site)."""
    colons = list(_SITE_COLON.finditer(title))
    if not colons:
        return title
    before, after = title[: colons[-1].start()], title[colons[-1].end() :]
    if after.startswith("(") and after.rstrip().endswith(")"):  # "… (Example News)"
        after = after.strip()[1:-1]
    if (
        before.strip()
        and len(split_title(after, title)) == 1
        and _width(_key(after)) <= _width(_key(before))
        and site_named(after)
    ):
        return before
    return title


def strip_site_name(
    title: str, sitename: str | None, url: str | None, headings: Iterable[str] = ()
) -> str:
    """The title without the site's name (or section) glued before or after it.

    "Machine learning, explained | MIT Sloan" -> "Machine learning, explained": a leading or
    trailing separated segment goes when it names the site (``og:site_name``, the host), or
    when the page's own <h1> is the headline that remains. A title with no separator, or
    whose every segment names the site, is kept whole. A site's name after a spaced colon
    ("… : NPR") goes too.
    """
    site_named = partial(names_site, sitename=sitename, url=url)
    whole, title = title, _without_site_after_colon(title, site_named)
    segments = split_title(title, whole)
    if len(segments) < 2:
        return title
    for heading in headings:
        key = _key(heading)
        if not key:
            continue
        for start in range(len(segments)):
            for end in range(len(segments), start, -1):
                if (end - start) < len(segments) and _key(" ".join(segments[start:end])) == key:
                    return heading
    return trim_segments(title, segments, site_named, site_named)


def _words(text: str) -> set[str]:
    """A title's words as compared: keys of its words, character bigrams of unspaced
    scripts (``words.word_pieces``)."""
    return {_key(piece) for piece in text_pieces(text.split())}


def _shares_words(heading: str, words: set[str]) -> bool:
    """Whether the stated title's ``words`` hold most of the heading's."""
    pieces = text_pieces(heading.split())
    return len({_key(piece) for piece in pieces} & words) >= HEADLINE_OVERLAP * len(pieces)


def shares_title_words(heading: str, title: str) -> bool:
    """Whether ``title`` holds most of ``heading``'s words (``HEADLINE_OVERLAP``)."""
    return _shares_words(heading, _words(title))


def visible_headline(headings: list[str], title: str | None) -> str | None:
    """The page's <h1> a reader sees as the headline, if one stands out.

    The only <h1> of the page, or, among several, the first that shares most of its words
    with the stated title; a heading that is the site's name or a sentence-long one is not.
    Words are counted and compared in any script (``pipelines.extraction.words``): a
    Chinese heading by its characters.
    """
    candidates = [h for h in headings if MIN_HEADLINE_WORDS <= word_length(h) <= MAX_HEADLINE_WORDS]
    if len(headings) > 1:
        words = _words(title or "")
        candidates = [h for h in candidates if _shares_words(h, words)][:1]
    return candidates[0] if len(candidates) == 1 else None


_SLUG_WORD = re.compile(r"[^\W_]+")
_SLUG_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)


def slug_words(url: str | None) -> set[str]:
    """The words of a URL's last path segment ("/blog/how-to-sleep-well.html" -> how, to,
    sleep, well); numbers only when shaped like a year (an id is no word of a title); a
    percent-encoded slug read as written ("/%E6%9D%B1%E4%BA%AC-..." is "/東京-..."), the
    runs of unspaced scripts as their character bigrams."""
    path = unquote(urlsplit(url).path).rstrip("/") if url else ""
    segment = _SLUG_EXTENSION.sub("", path.rsplit("/", 1)[-1]).casefold()
    words = (w for w in _SLUG_WORD.findall(segment) if not w.isdigit() or len(w) == 4)
    return set(text_pieces(words))


def _shared_slug_words(text: str, slug: set[str]) -> int:
    return len(slug & set(text_pieces(_SLUG_WORD.findall(text.casefold()))))


def headline(
    title: str | None,
    sitename: str | None,
    url: str | None,
    headings: list[str],
    others: Iterable[str] = (),
) -> str | None:
    """The article's title as a reader would quote it: no site name, no section.

    The page's visible <h1> when one stands out (sites write their og:title and <title> for
    search engines and share cards: "Best X of 2026 | Site"), else the stated title without
    the site's name around it. When the two differ, the one sharing more words with the
    URL's slug wins: a slug is written from the title the story was published under (on a
    tie, the stated title when the <h1> is that title with a tagline after a separator); unless
    another stated title (``others``: og:title, ``<title>``) is the <h1>, without the site's
    name: the headline then stands confirmed (a JSON-LD headline naming a page's section,
    "Sample menus", does not outvote it). An <h1> written in capitals is read in the case of a
    stated title of the same words.
    """
    headings = [h for h in headings if not names_site(h, sitename, url, heading=True)]
    heading = visible_headline(headings, title)
    stated = stated_headline(title, sitename, url, headings) if title else None
    if heading is None or stated is None:
        return heading or stated
    if heading.isupper() and title:  # the <h1> set in capitals: the stated title writes
        # its words' case (read without the headings, which it would give back in capitals)
        cased = stated_headline(title, sitename, url, [])
        if not cased.isupper() and _key(cased) == _key(heading):
            return cased
    key = _key(heading)
    if any(_key(stated_headline(other, sitename, url, headings)) == key for other in others):
        return heading
    slug = slug_words(url)
    stated_slug, heading_slug = _shared_slug_words(stated, slug), _shared_slug_words(heading, slug)
    if stated_slug > heading_slug or (stated_slug == heading_slug and tags_title(heading, stated)):
        return stated
    return heading


def tags_title(heading: str, title: str) -> bool:
    """Whether a heading is the title followed by a separated tagline or section ("15
    Language Learning Apps Compared - Personally Tested", "… physical health | Opinion")."""
    segments = split_title(heading)
    key = _key(title)
    return any(_key(" ".join(segments[:end])) == key for end in range(1, len(segments)))


def stated_headline(title: str, sitename: str | None, url: str | None, headings: list[str]) -> str:
    """The stated title without the site's name around it, nor a section after it."""
    stripped = strip_site_name(title, sitename, url, headings)
    segments = split_title(stripped, title)
    # "How to help babies sleep | Patient Education": what stays after the site's name is
    # a section or a tagline glued to a headline of several words, longer than any of them
    # (a leading "The Daily Gazette | ..." is a site's name, not a headline)
    lead = word_length(segments[0])
    if (
        len(segments) > 1
        and lead >= MIN_LEAD_WORDS
        and all(lead > word_length(segment) for segment in segments[1:])
    ):
        return segments[0]
    return stripped


# ---------------------------------------------------------------- author names


def _looks_like_name(part: str) -> bool:
    words = part.split()
    return (
        2 <= len(words) <= 4
        and words[0].casefold() not in _NOT_FIRST_NAMES
        and all(w[:1].isupper() or w in _PARTICLES for w in words)
        and not any(w.casefold() in _ROLE_WORDS or "." in w[1:-1] for w in words)
    )


def _names_team(name: str) -> bool:
    """Whether a byline's name is a team's: "The Meetingnotes Team", "Podium Staff"."""
    return name.rsplit(maxsplit=1)[-1].casefold() in _TEAM_WORDS


# a newsroom's desk opening a byline, alone or with its city ("Redacción Bogotá", "Redação",
# "Redazione Milano", "Redaktion Berlin", "Rédaction Paris"): the publisher, no writer (a
# team's name ending in "Redaktion" stays a team, ``_TEAM_WORDS``)
_DESK_WORDS = frozenset(
    {"redacción", "redaccion", "redação", "redacao", "redazione", "redaktion", "rédaction",
     "redactie", "redakcja", "redakce", "redaksi"}
)  # fmt: skip


def names_someone(text: str) -> bool:
    """Whether an author string can name a person or a team: not a call to action ("Sign
    up for free trial", "Get", "Account Settings") nor a phrase ("This review is", "Hej!
    Log in"): no sentence punctuation, and in a cased script at most a minority of its
    words in lower case besides particles ("The Currency editors", "Ludwig van
    Beethoven"), unless all are (a user name: "kirstin boatto"). Scripts without case pass.
    A newsroom's desk opening it names the publisher ("Redacción Bogotá"): nobody.
    """
    words = text.split()
    first = words[0].casefold().strip("!?.,:") if words else ""
    if not words or first in _CALLS_TO_ACTION or first in _DESK_WORDS:
        return False
    if any(ch in text for ch in "!?"):
        return False
    lower = sum(w[:1].islower() and w not in _NAME_PARTICLES for w in words)
    capitalised = sum(w[:1].isupper() for w in words)
    return len(words) < 2 or not capitalised or 2 * lower < len(words)


# an account's handle ("andrew.keaveney", "jane_doe") or an administrator's account
# ("admin", "NOC Admin"): a login, which the page's visible byline may put a name to
_HANDLE = re.compile(r"^[^\sA-Z]*[^\W_][._][^\W_][^\sA-Z]*$|(?i:\b(?:admin|administrator)\b)")


def is_handle(name: str) -> bool:
    """Whether an author string is an account's login rather than a name: a single
    lower-case word joined by dots or underscores ("andrew.keaveney"; not a site's
    "AccountingDepartment.com"), or an administrator's account ("admin", "NOC Admin")."""
    return bool(_HANDLE.search(name))


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 or word in _PARTICLES


def _without_role(text: str) -> str | None:
    """ "Harry Rabinowitz Tech Reporter" -> "Harry Rabinowitz": a role after a name goes with
    the words that qualify it; a string that starts with a role is not a name (None)."""
    words = text.split()
    roles = [i for i, w in enumerate(words) if w.casefold().strip(",.()") in _ROLE_WORDS]
    if not roles:
        return text
    if roles[0] < 2 or not _looks_like_name(" ".join(words[: roles[0]])):
        return text  # a team's byline ("Podium Staff", "Our Editors") stays whole
    # the name: a first name, any initials or particles, one surname
    end = 1
    while end < roles[0] - 1 and _is_initial(words[end]):
        end += 1
    return " ".join(words[: end + 1])


# a name opening a sentence about its person: "Ana Ruiz: Ana covers weather for the paper."
_NAME_THEN_SENTENCE = re.compile(r"^([^:]{3,60}):\s+(\S.*)$", re.S)


def byline_core(text: str, language: str = "") -> str:
    """A byline line without a date and separator before the name and without what ends
    the name: "Dec. 19, 2025 · Niko Matsakis on behalf of the team" -> "Niko Matsakis".
    A name, a colon and a sentence about its person is an author's block, not a byline
    ("Ana Ruiz: Ana covers weather."): nothing (``author_block_name`` reads it when
    nothing else names anyone); "Author: Jane Doe" stays, its tail names someone.
    ``language``: the page's declared one (the English capitalised "In" of a place)."""
    text = _PLACE_FILED.sub(
        lambda m: m[0] if m["capital"] and language != "en" else "",
        _DATE_HEAD.sub("", text, count=1),
    )
    text = _NAME_STOP.sub("", text, count=1)
    match = _NAME_THEN_SENTENCE.match(text.strip())
    if match and _looks_like_name(match[1].strip()) and not names_someone(match[2]):
        return ""
    return text


def _contact_start(text: str) -> int | None:
    """Where a run of contact buttons' words ends a name ("Jane Doe Twitter Email"), after
    a capitalised word: "… Network on Facebook" is a phrase."""
    match = _CONTACT_TAIL.search(text)
    before = text[: match.start()].split() if match else []
    return match.start() if match and before and before[-1][:1].isupper() else None


def clean_name(value: str) -> str | None:
    """Tidy one author name; None for URLs, e-mail addresses, dates and overlong strings.

    A byline search picks up what stands next to a name: a label before it ("Written by",
    "Author"), a date, a role or contact buttons' labels after it ("Jane Doe Twitter
    Email"); they go. A profile's address ("facebook.com/janedoe") names nobody.
    """
    text = clean_text(_BY_PREFIX.sub("", value))
    if text is not None and (_SPACED_LETTER.search(text) or _RTL_LETTER.search(text)):
        text = _spaced_or_rtl_name(text)
    if text is None or _BY_ONLY.match(text):
        return None
    text = text.strip(" ,-|")
    if not text or len(text) > MAX_NAME_CHARS or "@" in text or "://" in text or "www." in text:
        return None
    if _ONLY_DATE.match(text) or _PROFILE_ADDRESS.search(text):
        return None
    ends = [m.start() for m in (_DATE_TAIL.search(text), _NUMBER_TAIL.search(text)) if m]
    ends += [end] if (end := _contact_start(text)) is not None else []
    if ends and len(text[: min(ends)].split()) >= 2:
        text = text[: min(ends)].strip(" ,-|•·")
    if not any(ch.isalpha() for ch in text):
        return None
    if not names_someone(text.title() if text.isupper() else text):
        return None
    text = _without_role(text) or text  # "JOHN ROE Associated Press" -> "JOHN ROE"
    if text.isupper() and " " in text:  # "TOM KRISHER" -> "Tom Krisher"
        text = text.title()
    return text


def plausible_names(names: list[str]) -> list[str]:
    """Of several names a byline search found, the ones shaped like a person's name, when
    any is: "Brett Cruz", "Privacy", "Digital Security Expert" -> ["Brett Cruz"]."""
    if len(names) < 2:
        return names
    people = [name for name in names if _looks_like_name(name)]
    return people or names


def _without_credit(text: str) -> str:
    """ "Jane Doe For Dailymail.com", "Jane Doe Special to The Times", "Jane Doe (AP)" ->
    "Jane Doe": what follows a person's name about the outlet goes."""
    match = _CREDIT_TAIL.search(text)
    if match and _looks_like_name(text[: match.start()]):
        return text[: match.start()]
    return text


def _people(pieces: list[str]) -> list[str]:
    """The pieces shaped like a person's name; written in capitals, a piece beside a name
    in mixed case is the outlet's ("John Roe, USA TODAY")."""
    return _not_shouted([p for p in pieces if _looks_like_name(p)])


def _not_shouted(people: list[str]) -> list[str]:
    if any(not p.isupper() for p in people):
        return [p for p in people if not p.isupper()]
    return people


def _segment_parts(segment: str) -> list[str]:
    """One byline segment's names, split at "and", ";", "&" and, keeping only the names
    when there is any, at commas and slashes."""
    chunks: list[str] = []
    for chunk in _NAME_SEPARATORS.split(segment):
        joined = _NAMES_AND.split(chunk)
        people = len(joined) > 1 and all(_looks_like_name(p.strip(" ,")) for p in joined)
        chunks.extend(joined if people else [chunk])
    parts: list[str] = []
    for chunk in map(_without_credit, chunks):
        pieces = [_without_credit(p) for p in _CREDIT_SEPARATOR.split(chunk)]
        parts.extend((_people(pieces) if len(pieces) > 1 else []) or [chunk])
    return parts


def _without_photo_credit(text: str) -> str:
    """ "Jane Doe Photo: Getty Images" -> "Jane Doe": an image's credit after the name goes."""
    match = _PHOTO_CREDIT.search(text)
    return text[: match.start()] if match and match.start() else text


def _without_address(text: str) -> str:
    """ "Jane Doe (@janedoe)", "Jane Doe <jane@example.com>", "jane@example.com (Jane Doe)"
    -> "Jane Doe": a handle, an e-mail or a web address beside a name goes."""
    if match := _EMAIL_THEN_NAME.match(text):
        return match[1]
    return _ADDRESS_IN_BRACKETS.sub("", text)


def split_names(value: str, language: str = "") -> list[str]:
    """Split a byline such as "By A, B and C" or "A; B" into one name per entry.

    Around commas and slashes only the parts that look like personal names are kept, so
    "Jane Doe, Staff Writer" and "Jane Doe / Reuters" give ["Jane Doe"]; a comma-separated
    string with no name-like part ("Doe, Jane") stays whole. When the byline names a
    person, what names none goes: a publisher after "|" ("Jane Doe | The Washington
    Post"), the outlet written for ("For Dailymail.com", "(AP)"), a wire credit; a byline
    naming nobody keeps its entries ("By The Associated Press"). A writer's handle or
    e-mail beside the name goes ("Jane Doe (@janedoe)", RSS's "jane@example.com (Jane
    Doe)"), and an image's credit after it ("Jane Doe Photo: Getty"). ``language``: the
    page's declared one (:func:`byline_core`).
    """
    text = byline_core(_BY_PREFIX.sub("", clean_text(value[:MAX_BYLINE_CHARS]) or ""), language)
    text = _without_address(_without_photo_credit(text))
    segments = _PIPE.split(_WIRE_CREDIT.sub("", text))
    named = [
        (segment, [n for n in (clean_name(p) for p in _segment_parts(segment)) if n])
        for segment in segments
    ]
    signed = [s for s, names in named if any(_looks_like_name(n) for n in names)]
    if signed and len(segments) > 1:  # "Jane Doe | Reuters": the person's segments only,
        # and a team's, which the labels keep ("Jane Doe | The Texas Newsroom")
        kept = _not_shouted(signed)
        named = [
            (s, names) for s, names in named if s in kept or any(_names_team(n) for n in names)
        ]
    return unique(name for _, names in named for name in names)


# ---------------------------------------------------------------- JSON-LD


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # a common publishing bug: raw line breaks or a trailing semicolon around the object
        try:
            return json.loads(text.strip().rstrip(";"), strict=False)
        except ValueError:
            LOGGER.debug("unparsable JSON-LD block skipped")
            return None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Yield the main entities: top-level objects, @graph members and any mainEntity."""
    queue: deque[Any] = deque([data])
    while queue:
        item = queue.popleft()
        if isinstance(item, list):
            queue.extendleft(reversed(item))
        elif isinstance(item, dict):
            nested = [item.get(key) for key in ("@graph", "mainEntity")]
            for value in reversed(nested):
                if isinstance(value, list):
                    queue.extendleft(reversed(value))
                elif isinstance(value, dict):
                    queue.appendleft(value)
            if "@type" in item:
                yield item


def jsonld_entities(tree: HtmlElement) -> list[dict[str, Any]]:
    """Parse every JSON-LD block of the page into its list of main entities."""
    entities: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type]"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        if script.text:
            entities.extend(_flatten(_load_json(script.text)))
    return entities


def entity_types(entity: dict[str, Any]) -> list[str]:
    """Return an entity's @type values without any schema.org URL prefix."""
    raw = entity.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [v.rsplit("/", 1)[-1].strip() for v in values if isinstance(v, str) and v.strip()]


def article_entity(entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the first article-typed entity, else the first one stating a publication date."""
    for entity in entities:
        if ARTICLE_TYPES.intersection(entity_types(entity)):
            return entity
    for entity in entities:
        if "datePublished" in entity:
            return entity
    return None


def _names(value: Any, want_people: bool) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            names.extend(split_names(item) if want_people else [])
        elif isinstance(item, dict):
            is_org = bool({"Organization", "NewsMediaOrganization"} & set(entity_types(item)))
            name = clean_text(item.get("name"))
            if name and is_org != want_people:
                names.extend(split_names(name) if want_people else [name])
    return names


def with_authors_resolved(entity: dict[str, Any], entities: list[dict[str, Any]]) -> dict[str, Any]:
    """``entity`` with each author given only as a reference (``{"@id": …}``, as graph-
    writing SEO plugins do) replaced by the page's entity of that ``@id`` holding its name."""
    value = entity.get("author")
    items = value if isinstance(value, list) else [value]
    refs = {_reference(item) for item in items} - {None}
    if not refs:
        return entity
    named = {e["@id"]: e for e in entities if "name" in e and _key_of(e) in refs}
    resolved = [named.get(_reference(item) or "", item) for item in items]
    return {**entity, "author": resolved}


def _key_of(entity: dict[str, Any]) -> str | None:
    key = entity.get("@id")
    return key if isinstance(key, str) else None


def _reference(item: Any) -> str | None:
    """The ``@id`` of a JSON-LD value that only refers to an entity (no name of its own)."""
    if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
        return str(item["@id"])
    return None


def jsonld_authors(entity: dict[str, Any], want_people: bool = True) -> list[str]:
    """The people (or the organisations) an article entity names as its authors."""
    return unique(_names(entity.get("author"), want_people=want_people))


def _first_string(value: Any, key: str = "name") -> str | None:
    if isinstance(value, list):
        return next((s for s in (_first_string(v, key) for v in value) if s), None)
    if isinstance(value, dict):
        return clean_text(value.get(key)) or clean_text(value.get("url"))
    return clean_text(value)


def _stated_date(value: Any) -> str | None:
    """A JSON-LD date as text: a string or an epoch number (:func:`crawler.dates.date_text`),
    the first of a list."""
    if isinstance(value, list):
        return next((s for s in map(_stated_date, value) if s), None)
    return date_text(value)


def _string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t for t in (clean_text(v) for v in value.split(",")) if t]
    if isinstance(value, list):
        return [t for t in (clean_text(v) for v in value) if t]
    return []


# ---------------------------------------------------------------- <meta>, <link>, microdata


def meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """Map each lower-cased meta property/name/itemprop/http-equiv to its contents, in order."""
    values: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = clean_text(meta.get("content"))
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                values.setdefault(key.strip().lower(), []).append(content)
    return values


def first_meta(values: dict[str, list[str]], *keys: str) -> str | None:
    """Return the first content found under any of ``keys``, in key order."""
    for key in keys:
        if values.get(key):
            return values[key][0]
    return None


def itemprop_value(
    tree: HtmlElement, prop: str, itemprops: Collection[str] | None = None
) -> str | None:
    """Read a microdata property from a non-meta element (content, datetime or text).

    ``itemprops``, the page's ``itemprop`` values when already read (:func:`itemprop_values`),
    spares the selection over the whole tree on a page that has no such property."""
    if itemprops is not None and prop not in itemprops:
        return None
    for element in _ITEMPROP(tree, prop=prop):
        value: str | None = element.get("content") or element.get("datetime")
        if value is None and element.tag == "time":
            value = str(element.text_content())
        if clean_text(value):
            return value
    return None


def link_href(tree: HtmlElement, rel: str) -> str | None:
    """Return the href of the first <link> whose rel tokens include ``rel``."""
    for link in tree.iterfind(".//link[@rel]"):
        href: str | None = link.get("href")
        if rel in (link.get("rel") or "").lower().split() and href:
            return href
    return None


def html_language(tree: HtmlElement, values: dict[str, list[str]]) -> str | None:
    """Language from <html lang>, Content-Language, og:locale or dc.language."""
    candidates = (
        tree.get("lang"),
        tree.get("xml:lang"),
        first_meta(values, "content-language", "language", "dc.language", "og:locale"),
    )
    return next((code for code in map(language_code, candidates) if code), None)


def first_date(candidates: Iterable[str | Callable[[], str | None] | None]) -> datetime | None:
    """Return the first candidate that parses as a date; callables are only called if needed."""
    for candidate in candidates:
        parsed = parse_datetime(candidate() if callable(candidate) else candidate)
        if parsed is not None:
            return parsed
    return None


# ---------------------------------------------------------------- assembly


@dataclass(slots=True, frozen=True)
class _Sources:
    """The parsed pieces of markup every field is read from."""

    tree: HtmlElement
    values: dict[str, list[str]]  # <meta> contents
    article: dict[str, Any]  # the JSON-LD article entity, {} if none
    base: str | None  # URL that relative links resolve against
    itemprops: frozenset[str]  # every itemprop value of the page (itemprop_values)
    classes: list[str]  # every class value of the page, in document order (class_values)


def read_metadata(tree: HtmlElement, url: str | None) -> PageMeta:
    """Collect every stated metadata field of the page (nothing guessed from the text)."""
    entities = jsonld_entities(tree)
    itemprops = itemprop_values(tree)  # read once: the signals count them, gates test them
    classes = class_values(tree)  # read once: the signals count them, a gate tests them
    src = _Sources(
        tree,
        meta_values(tree),
        with_authors_resolved(article_entity(entities) or {}, entities),
        absolute_url(_base_href(tree), url) or url,
        frozenset(itemprops),
        classes,
    )
    meta = PageMeta()
    meta.og_type = (first_meta(src.values, "og:type") or "").lower() or None
    meta.jsonld_types = unique(t for entity in entities for t in entity_types(entity))
    meta.paywalled = is_paywalled(tree, entities, src.values, src.itemprops)
    _read_site(meta, src)
    _read_titles(meta, src, url)
    _read_dates(meta, src)
    _read_people(meta, src)
    _read_taxonomy(meta, src)
    meta.signals = page_signals(tree, itemprops, url, classes)
    meta.signals["stated_date"] = float(meta.published_at is not None)
    meta.signals["stated_author"] = float(bool(meta.authors))
    return meta


# tags counted by page_signals(): <time> per forum post, <pre>/<code> in documentation,
# <form>/<input>/<button> on shops and services, <article> cards on listings, <div> layout
# boxes (a page builder's marketing page or a manual's template nests many more than a story)
SIGNAL_TAGS = (
    "time", "form", "input", "button", "pre", "code", "h2", "h3", "article", "img", "div",
)  # fmt: skip
# class-name fragments of forum, comment and shop templates (CMS vocabulary, the same in
# every language the page is written in)
SIGNAL_CLASSES = (
    "comment", "reply", "post", "message", "thread", "vote", "answer", "price", "cart", "product",
)  # fmt: skip


# descendant-or-self:: rather than //, which libxml2 runs as one step per level
_CLASSED = XPath("descendant-or-self::*[@class]")
_CLASS_VALUES = XPath("descendant-or-self::*/@class", smart_strings=False)  # in the same order
_ITEMPROPS = XPath("descendant-or-self::*/@itemprop", smart_strings=False)


def itemprop_values(tree: HtmlElement) -> list[str]:
    """Every ``itemprop`` value of the page, in document order (one selection in C)."""
    values: list[str] = _ITEMPROPS(tree)
    return values


def class_values(tree: HtmlElement) -> list[str]:
    """Every ``class`` value of the page, in document order (one selection in C)."""
    values: list[str] = _CLASS_VALUES(tree)
    return values


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# /descendant:: rather than //, which libxml2 runs as one step per level: the same text
# nodes on every benchmark page, 0.27 -> 0.10 ms median for the anchor text (from the
# document, as //: from the root element two pages counted other nodes)
_ANCHOR_TEXT = XPath("/descendant::a/descendant::text()", smart_strings=False)
_ITEM_TEXT = XPath("/descendant::li/text()", smart_strings=False)
LONG_PARAGRAPH_CHARS = 150
# character counts page_features() turns into shares (of the text in paragraphs, headings
# and list items) rather than weighing them as they are
CHAR_SIGNALS = ("p_chars", "h_chars", "li_chars", "a_chars")


def _chars(texts: list[str]) -> float:
    return float(sum(len(text.strip()) for text in texts))


def text_shape_signals(tree: HtmlElement) -> dict[str, float]:
    """Where the page's text stands, in characters (the same in every script): paragraphs
    (how many are long, the median one's length), headings, list items and links. A manual
    or a service page is short paragraphs between many headings and lists; a story is long
    paragraphs."""
    paragraphs: list[int] = []
    heading_chars = 0
    for element in tree.iter("p", *_HEADINGS):
        chars = len("".join(element.itertext()).strip())
        if element.tag != "p":
            heading_chars += chars
        elif chars:
            paragraphs.append(chars)
    paragraphs.sort()
    return {
        "p_median": float(paragraphs[len(paragraphs) // 2]) if paragraphs else 0.0,
        "p_long": float(sum(n >= LONG_PARAGRAPH_CHARS for n in paragraphs)),
        "p_chars": float(sum(paragraphs)),
        "h_chars": float(heading_chars),
        "li_chars": _chars(_ITEM_TEXT(tree)),
        "a_chars": _chars(_ANCHOR_TEXT(tree)),
    }


# a link marked as the page the reader is on: the menu item of a site's own top-level page
# (aria-current, WordPress's current-menu-item, the "active" item of a menu template)
_CURRENT_TOKENS = frozenset(
    {"active", "current", "current-menu-item", "current_page_item", "is-active", "selected"}
)
_INDEX_PAGES = ("/index.html", "/index.htm", "/index.php")
_NOT_PAGES = ("#", "javascript:", "mailto:", "tel:")


def own_path(path: str) -> str:
    """A URL path as a page's own address: lower-cased, without an index file or a
    trailing slash ("/Docs/index.html" and "/docs/" are "/docs"). Looser than the
    archive's identity of a page (``crawler.urls.normalize_url``) on purpose: it only
    counts the links that point a reader back at this page, as a signal; it keys nothing."""
    path = path.lower()
    for index in _INDEX_PAGES:
        if path.endswith(index):
            path = path[: -len(index) + 1]
    return path.rstrip("/") or "/"


def _bare_host(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def _marked_current(link: HtmlElement) -> bool:
    if link.get("aria-current") not in (None, "", "false"):
        return True
    parent = link.getparent()
    classes = f"{link.get('class') or ''} {'' if parent is None else parent.get('class') or ''}"
    return not _CURRENT_TOKENS.isdisjoint(classes.lower().split())


def own_links(tree: HtmlElement, url: str) -> tuple[float, float]:
    """Where the page stands in its own site, read from its links: how many link to the
    page itself (its path, any query: a site's menu, a manual's table of contents, a
    listing's pagination or a forum's post permalinks), and how many of those (without a
    query) are marked as the page the reader is on (a menu's current item: the page is one
    of the site's top-level pages, which a story rarely is). Only the links whose address
    holds the page's last path segment (or is a bare query) are resolved."""
    page = urlsplit(url)
    host, path = _bare_host(page.hostname), own_path(page.path)
    last = path.rsplit("/", 1)[-1]
    links = current = 0
    for link in tree.iter("a"):
        href = link.get("href")
        if href is None or (last not in href.lower() and not href.lstrip().startswith("?")):
            continue  # cannot lead to the page itself: most links end here
        href = href.strip()
        if not href or href.startswith(_NOT_PAGES):
            continue
        try:
            target = urlsplit(urljoin(url, href))
        except ValueError:
            continue
        if target.scheme not in ("http", "https") or _bare_host(target.hostname) != host:
            continue
        if own_path(target.path) == path:
            links += 1
            current += not target.query and _marked_current(link)
    return float(links), float(current)


def page_signals(
    tree: HtmlElement,
    itemprops: list[str] | None = None,
    url: str | None = None,
    classes: list[str] | None = None,
) -> dict[str, float]:
    """Counts of the page's structure that tell an article from a forum, shop or manual.

    How many of each ``SIGNAL_TAGS`` element, how many elements carry a class naming each
    ``SIGNAL_CLASSES`` fragment, the largest run of elements sharing one tag and class
    (repeated cards), the price/offer microdata, and the links to the page itself
    (:func:`own_links`, with the page's ``url``). The tree is walked in C (a tag-filtered
    iteration and three XPath selections): a Python loop over every element cost 2-3 ms a
    page, over the decision's 2 ms budget (bench/README.md); the loop over the links resolves
    only those that can lead to the page itself (0.25 ms median). ``itemprops`` and
    ``classes``: the page's ``itemprop`` and ``class`` values when already read
    (:func:`itemprop_values`, :func:`class_values`).
    """
    tags: dict[str, int] = dict.fromkeys(SIGNAL_TAGS, 0)
    tags.update(Counter(map(attrgetter("tag"), tree.iter(*SIGNAL_TAGS))))  # counted in C
    values = class_values(tree) if classes is None else classes
    pairs = Counter(zip(map(attrgetter("tag"), _CLASSED(tree)), values, strict=True))
    by_tag: dict[tuple[str, str], int] = {}
    for (tag, css), count in pairs.items():
        if css:
            key = (tag, css.strip())
            by_tag[key] = by_tag.get(key, 0) + count
    if itemprops is None:
        itemprops = itemprop_values(tree)
    signals = {tag: float(count) for tag, count in tags.items()}
    signals.update(text_shape_signals(tree))
    signals["max_repeat"] = float(max(by_tag.values(), default=0))
    signals["price_prop"] = float(itemprops.count("price") + itemprops.count("offers"))
    lowered = [(css.lower(), count) for (_, css), count in by_tag.items()]
    for fragment in SIGNAL_CLASSES:
        signals["cls_" + fragment] = float(sum(n for css, n in lowered if fragment in css))
    signals["own_links"], signals["own_current"] = own_links(tree, url) if url else (0.0, 0.0)
    return signals


def _glued(before: list[str], text: str | None) -> bool:
    """Whether an element's text starts a new line of words glued to the text before it:
    a capital right after a small letter ("Alternatives<span>Top Note-taking…")."""
    return bool(before and text and before[-1][-1:].islower() and text[:1].isupper())


_WORD = re.compile(r"\w")


def is_permalink(element: HtmlElement) -> bool:
    """Whether a heading's child is its permalink: a link to the heading itself ("#...")
    showing a symbol and no word (Sphinx's "¶", a Markdown renderer's "#" or "§")."""
    return (
        element.tag == "a"
        and (element.get("href") or "").startswith("#")
        and not _WORD.search(str(element.text_content()))
    )


# the classes of text shown to screen readers only ("<span class="sr-only">Article: </span>"):
# Bootstrap's, WordPress's, Drupal's, GOV.UK's and HTML5 Boilerplate's
_SCREEN_READER_ONLY = re.compile(
    r"(?:^|\s)(?:sr-only|screen-reader-text|element-invisible|\S*visually-?hidden)(?:\s|$)"
)


def _aside(element: HtmlElement) -> bool:
    """What a heading sets beside its words: a ``<small>`` subtitle or kicker, or text for
    screen readers only."""
    return element.tag == "small" or bool(_SCREEN_READER_ONLY.search(element.get("class") or ""))


def _heading_parts(element: HtmlElement, parts: list[str], asides: bool = True) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        # not a comment either; not its permalink, nor (``asides`` false) an aside
        if isinstance(child.tag, str) and not is_permalink(child):
            if child.tag == "br" or _glued(parts, child.text):
                parts.append(" ")
            if asides or not _aside(child):
                _heading_parts(child, parts, asides)
        if child.tail:
            parts.append(child.tail)


def heading_text(heading: HtmlElement) -> str:
    """A heading's text, a line break in it read as a space ("WEEKEND<br>CODING AGENT"), and
    so is the start of an element holding a subtitle glued to the headline ("The Best
    Notion Alternatives<span class="block">Top Note-taking Tools…</span>"); a word split by
    markup ("C<span>ycle</span>") stays whole; the heading's permalink ("¶") is no part of it,
    nor is what it sets beside words of its own (:func:`_aside`): a subtitle or a kicker in
    ``<small>`` ("Council approves budget<br><small>Members voted seven to two</small>"), a
    label for screen readers ("<span class="sr-only">Article: </span>")."""
    if len(heading) == 0:
        return str(heading.text_content())
    parts: list[str] = []
    _heading_parts(heading, parts, asides=False)
    if not _WORD.search("".join(parts)):  # all of it an aside
        parts.clear()
        _heading_parts(heading, parts)
    return "".join(parts)


_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})


def is_logo(heading: HtmlElement) -> bool:
    """Whether an ``<h1>`` holds only a link to a site's home page: its logo or name ("<h1><a
    href="/">The Gazette</a></h1>", older themes' site title), no headline."""
    links = heading.findall(".//a")
    if len(links) != 1:
        return False
    href = (links[0].get("href") or "").strip()
    parts = urlsplit(href)
    return (
        bool(href)
        and not href.startswith("#")
        and parts.path in _HOME_PATHS
        and not parts.query
        and clean_text(heading.text_content()) == clean_text(links[0].text_content())
    )


def headings_h1(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The page's ``<h1>`` elements that may be its headline: not a logo (:func:`is_logo`)."""
    return (heading for heading in tree.iter("h1") if not is_logo(heading))


# the lesser headings an older site or a blog heads its story with, when it has no <h1>
HEADLINE_STANDINS = ("h2", "h3", "h4")


def headline_element(tree: HtmlElement, titles: Iterable[str]) -> HtmlElement | None:
    """The element that heads the page's story: its first ``<h1>``; on a page with none
    (older news sites and blogs write the headline as an ``<h2>``), the first
    ``HEADLINE_STANDINS`` heading most of whose words a stated title (``titles``: the
    JSON-LD headline, og:title, ``<title>``) holds, of a headline's length."""
    first = next(tree.iter("h1"), None)
    if first is not None:
        return first
    words = [_words(title) for title in titles if title]
    for heading in tree.iter(*HEADLINE_STANDINS):
        text = clean_text(heading_text(heading))
        if (
            text
            and MIN_HEADLINE_WORDS <= word_length(text) <= MAX_HEADLINE_WORDS
            and any(_shares_words(text, title) for title in words)
        ):
            return heading
    return None


def _read_titles(meta: PageMeta, src: _Sources, url: str | None) -> None:
    og_title = first_meta(src.values, "og:title", "twitter:title")
    stated = clean_text(src.article.get("headline")) or og_title
    meta.page_title = clean_text(src.tree.findtext(".//title"))
    headings = [
        text for text in (clean_text(heading_text(h)) for h in headings_h1(src.tree)) if text
    ][:MAX_HEADINGS]
    others = [t for t in (og_title, meta.page_title) if t]
    meta.title = headline(stated or meta.page_title, meta.sitename, url, headings, others)
    meta.titles = unique(t for t in (meta.title, stated, og_title, meta.page_title) if t)


def _read_dates(meta: PageMeta, src: _Sources) -> None:
    meta.published_at = first_date(
        [
            _stated_date(src.article.get("datePublished")),
            *(first_meta(src.values, key) for key in PUBLISHED_META),
            partial(itemprop_value, src.tree, "datePublished", src.itemprops),
            partial(_time_pubdate, src.tree),
        ]
    )
    meta.modified_at = first_date(
        [
            _stated_date(src.article.get("dateModified")),
            *(first_meta(src.values, key) for key in MODIFIED_META),
            partial(itemprop_value, src.tree, "dateModified", src.itemprops),
        ]
    )
    if LIVE_BLOG in entity_types(src.article):
        updated = live_updated(src.article, parse_datetime)
        if updated is not None and (meta.modified_at is None or updated > meta.modified_at):
            meta.modified_at = updated


# a link to an author's page: /author/jane-doe, /authors/..., /staff/..., /contributors/...
_AUTHOR_PATH = re.compile(
    r"/(?:authors?|staff|contributors?|writers?|reporters?|columnists?|journalists?|byline"
    r"|people|profiles?|producers?"
    # the author's page in other languages: "/autor/", "/autoren/", "/auteur/", "/autore/"
    r"|autor(?:e[ns]?|i)?|auteurs?)/[^/?#]",
    re.I,
)


def linked_author(tree: HtmlElement) -> list[str]:
    """The name of the page's first link to an author's page (``rel="author"``, or a URL
    path such as /author/jane-doe): the byline of a page whose markup names nobody.
    Only the first: sidebars and "more from" lists link other writers' pages too."""
    for link in tree.iter("a"):
        href = link.get("href") or ""
        rel = (link.get("rel") or "").lower().split()
        if "author" in rel or _AUTHOR_PATH.search(href.split("?", 1)[0].split("#", 1)[0]):
            text = clean_text(link.text_content())
            names = split_names(text) if text and len(text) <= MAX_NAME_CHARS else []
            if names:
                return names[:1]
    return []


_BY_START = re.compile(
    rf"^\s*(?:{BY_LEAD}\s+)?by\b\s*:?|^\s*(?-i:By(?=[A-ZÀ-ÖØ-Þ]))"
    # "Author: Jane Doe", "Contributors: …", "Autor: Max Mustermann", "Text: Max Mustermann"
    rf"|^\s*(?:{AUTHOR_NOUNS}|{CREDIT_NOUNS})\s*{BY_COLON}",
    re.I,
)
# "Von Anna Schmidt", "Par Jean Dupont", "Door Jan Jansen", "Das Interview führte Anna
# Schmidt" (``INTERVIEWER``): the "by" of the language the page declares (`<html lang>`)
# before a capital opens a byline; in another language the same word opens other lines
# ("Door …" and "Von Maur" in English, Indonesian "Di Jakarta Selatan", "in South Jakarta")
_BY_IN_LANGUAGE = {
    language: re.compile(
        rf"^\s*(?:(?:{BY_LEAD}\s+)?{word}(?:\s*:)?\s+(?:{BY_ROLE}\s+)?|{FROM_OUR}\s+)"
        rf"(?-i:(?=[{NAME_CAPITAL}]))",
        re.I,
    )
    for language, word in (
        (language, f"(?:{word}|{INTERVIEWER[language]})" if language in INTERVIEWER else word)
        for language, word in {**BY_WORD, **BY_WORD_DECLARED}.items()
    )
    if language != "en"  # "By" reads on every page (_BY_START)
}
# the elements a byline is written in
BYLINE_TAGS = ("p", "span", "div", "em", "strong", "b", "i", "li", "address", "small", "h4", "h5")
# heading-like elements read only as a label of their own ("<h3>Written by</h3>",
# "<dt>Author</dt>"), the name in the element after them
LABEL_TAGS = ("h2", "h3", "h6", "dt")


# a byline label standing alone: "By", "Written by:", "Article written by", "Author",
# "Autor"; a credit noun only with its colon ("Text:": a bare "Text" heads other things)
_BY_LABEL = re.compile(
    rf"^(?:(?:{BY_LEAD}\s+)?by\s*:?"
    rf"|(?:{AUTHOR_NOUNS})\s*{BY_COLON}?|(?:{CREDIT_NOUNS})\s*{BY_COLON})$",
    re.I,
)

# a line saying who last changed the page: "Last updated March 3, 2025 by Erik Demaine."
_CHANGED_BY = re.compile(
    r"^\s*(?:last\s+)?(?:updated|modified|edited|revised)\b[^.!?]{0,40}?\sby\s*:?\s+(\S.*?)\.?\s*$",
    re.I,
)
_CHANGED_HEAD = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|edited|revised)\b", re.I)


def _byline_names(text: str | None, teams: bool = False, language: str | None = None) -> list[str]:
    """The names shaped like a person's in a byline; with ``teams``, a team's name too
    ("The Meetingnotes Team", read after a label in an element of its own). Names
    written without capitals are read only in a byline's own shapes (:func:`uncased_byline`)
    and, given the page's declared ``language`` (the text of a byline label or the element
    after one), as the whole text after the label ("<span>作者:</span><span>李四</span>")."""
    if not text or len(text) > MAX_NAME_CHARS:
        return []
    names = [
        n
        for n in split_names(text, language or "")
        if _looks_like_name(n) or (teams and _names_team(n))
    ]
    if names or language is None or not UNCASED_LETTER.search(text):
        return names
    return uncased_byline(text, language) or _uncased_names(
        _BY_PREFIX.sub("", text, count=1), language
    )


def declared_language(tree: HtmlElement) -> str:
    """The two letters of the language the page declares (``<html lang>``), or ""."""
    return (tree.getroottree().getroot().get("lang") or "").strip().casefold()[:2]


def visible_byline(tree: HtmlElement) -> list[str]:
    """The names of the page's first short element reading "By Jane Doe" ("Written by",
    "Post by", "By:", "Autor:"; "Von Anna Schmidt" on a page declared German; a name
    split over child elements too), the names shaped like a person's. An element holding a
    label alone ("<span>By</span><span>Jane Doe</span>", "<h3>Author</h3><p>Jane Doe</p>")
    is read with the element after it
    (:func:`_after_label`). A short "Last updated March 3, 2025 by Jane Doe." line names
    its person too."""
    language = declared_language(tree)
    by_in_language = _BY_IN_LANGUAGE.get(language)
    for element in tree.iter(*BYLINE_TAGS, *LABEL_TAGS):
        head = element.text
        if not head or head.isspace():  # every reading below needs a letter
            continue
        if (
            _BY_START.match(head)
            or _BY_LABEL.match(head.strip())
            or (by_in_language is not None and by_in_language.match(head))
        ):
            if in_menu(element):  # "By Use Case", "By Industry": a menu's headings
                continue
            if names := _labelled_names(element, language, by_in_language):
                return names
        elif _CHANGED_HEAD.match(head) and (changed := _changed_by(element)):
            return changed
        elif UNCASED_LETTER.search(head) and (names := _uncased_element(element, head, language)):
            return names
    return []


def _uncased_element(element: HtmlElement, head: str, language: str) -> list[str]:
    """The names of an element written in a byline's shape without capitals ("记者 张三",
    "홍길동 기자"; :func:`uncased_byline`), or of a newswire lead opening its text; only an
    element whose own text holds a byline's word (``UNCASED_CUE``) is read, outside menus."""
    if UNCASED_CUE.search(head) is None:
        return []
    names: list[str] = []
    if len(head) <= MAX_NAME_CHARS and element.tag in BYLINE_TAGS:
        text = clean_text(element.text_content()) or ""
        names = uncased_byline(text, language)
        label = _UNCASED_LABEL.match(text)
        if not names and label and label.end() == len(text):  # "<span>记者:</span>张三"
            names = _after_label(element, language)
    if not names and element.tag == "p":
        names = wire_lead_names(head)
    return names if names and not in_menu(element) else []


def _labelled_names(
    element: HtmlElement, language: str, lead: re.Pattern[str] | None = None
) -> list[str]:
    """The names a byline element gives: its own text's ("By Jane Doe", after the ``lead``
    of the page's declared ``language``: "Oleh Budi Santoso"), or, for a label alone, the
    element's after it; a heading-like element only as a label."""
    text = clean_text(element.text_content())
    if text and _BY_LABEL.match(text):
        return _after_label(element, language)
    if text and lead is not None:
        text = lead.sub("", text, count=1)
    return _byline_names(text, language=language) if element.tag in BYLINE_TAGS else []


def _after_label(label: HtmlElement, language: str) -> list[str]:
    """The names after an element holding a byline label alone: in the next element (up
    from ancestors holding only the label: "<div><h4>Author</h4></div><div>Jane Doe</div>";
    a team's name too: "The Meetingnotes Team"), else in the element around the label."""
    holder, after = label, label.getnext()
    for _ in range(3):
        parent = holder.getparent()
        if after is not None or parent is None:
            break
        if not _BY_LABEL.match(clean_text(parent.text_content()) or ""):
            break
        holder, after = parent, parent.getnext()
    names = (
        _byline_names(clean_text(" ".join(after.itertext())), teams=True, language=language)
        if after is not None
        else []
    )
    parent = label.getparent()
    if not names and parent is not None:
        names = _byline_names(clean_text(" ".join(parent.itertext())), language=language)
    return names


def _menu_class(token: str) -> bool:
    return "menu" in token or "dropdown" in token or token.startswith("nav")


def in_menu(element: HtmlElement) -> bool:
    """Whether an element stands in the site's navigation: a ``<nav>``, or an element
    classed as a menu or dropdown ("sub-menu", "dropdown-menu", "nav-wrapper"), below
    ``<body>`` (whose classes set the site's theme: "amasty-mega-menu")."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag == "nav":
            return True
        if any(_menu_class(t) for t in (ancestor.get("class") or "").casefold().split()):
            return True
    return False


def _changed_by(element: HtmlElement) -> list[str]:
    """The person named at the end of a short "Last updated … by Jane Doe." line."""
    text = clean_text(" ".join(element.itertext()))
    if not text or len(text) > MAX_NAME_CHARS + 40:
        return []
    match = _CHANGED_BY.match(text)
    return _byline_names(match[1]) if match else []


# ---------------------------------------------------------------- bylines without capitals

# No capital tells a name from a word in Han, Kana, Hangul, Arabic or Hebrew script, so a
# name there is read only in a byline's own shapes, the whole line one (never a sentence's
# words): a Chinese or Japanese name is 2-4 Han characters ("张三", "山田太郎"; "々" repeats
# one), a transliterated one joined by a middle dot ("迈克尔·乔丹"), a Korean name 2-4 Hangul
# syllables ("홍길동"), an Arabic, Persian, Urdu or Hebrew name 2-4 words ("محمد علي",
# "مریم کریمی"), a Devanagari, Bengali, Tamil or Thai name 2-4 words ("राहुल शर्मा",
# "রহিম উদ্দিন", "สมชาย ใจดี"; their letters with their vowel signs, no digit or danda;
# a zero-width joiner or non-joiner between two letters is the word's spelling: "حسن‌زاده")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005"
_HANGUL = "\uac00-\ud7a3"
_JOINER = "[\u200c\u200d]?"  # ZWNJ or ZWJ
_ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"  # with Persian and Urdu's
_ARABIC_WORD = f"[{_ARABIC_LETTERS}](?:{_JOINER}[{_ARABIC_LETTERS}])+"
_HEBREW_WORD = "[\u05d0-\u05ea]{2,}"
_SPACED_LETTERS = "\u0900-\u0963\u0971-\u097f\u0980-\u09e3\u09f0\u09f1\u0b80-\u0be5\u0e01-\u0e4e"
_SPACED_WORD = f"[{_SPACED_LETTERS}](?:{_JOINER}[{_SPACED_LETTERS}]){{1,19}}"
_SPACED_LETTER = re.compile(f"[{_SPACED_LETTERS}]")
_RTL_LETTER = re.compile(f"[{_ARABIC_LETTERS}]")
UNCASED_LETTER = re.compile(f"[{_HAN}{_HANGUL}{_ARABIC_LETTERS}\u05d0-\u05ea{_SPACED_LETTERS}]")
_UNCASED_NAME = re.compile(
    rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}[·・][{_HAN}]{{1,6}}|[{_HANGUL}]{{2,4}}"
    rf"|{_ARABIC_WORD}(?:\s{_ARABIC_WORD}){{1,3}}|{_HEBREW_WORD}(?:\s{_HEBREW_WORD}){{1,2}}"
    rf"|{_SPACED_WORD}(?:\s{_SPACED_WORD}){{1,3}}"
)
# the press's credits among the names: a co-author's ("张三 通讯员 王五": a correspondent,
# an intern) is skipped, another's ends the writers ("张三 摄影 王五", "编辑:赵六": the
# photographer, the editor); and words shaped like a name that name nobody ("本报记者":
# "this paper's reporter")
_CO_AUTHOR_CREDITS = frozenset(
    {"记者", "記者", "本报记者", "本報記者", "特约记者", "特約記者", "通讯员", "通訊員",
     "实习生", "實習生", "기자", "특파원", "작성자"}
)  # fmt: skip
_OTHER_CREDITS = frozenset(
    {"编辑", "編輯", "责任编辑", "責任編輯", "责编", "摄影", "攝影", "图", "圖", "写真", "撮影",
     "校对", "审核", "审校", "来源", "來源", "出处", "出處", "사진", "편집"}
)  # fmt: skip
# where the reporters filed from, after their names: "(记者 张三 北京报道)"
_DATELINE_ENDS = ("报道", "報道", "电", "電")
_NOT_NAMES = frozenset({"本报", "本報", "本社", "本台", "一名", "多名", "特约", "特約", "随行"})
# No capital and no length tells "유명한 기자" ("a famous reporter") or "作者:编辑部" ("the
# editorial desk") from a name, so: a Korean name opens with a Korean surname (the 123
# listed cover nearly everyone: "김", "이", "남궁"), on a page declared Chinese a Chinese
# name with a Chinese one ("王", "李", "欧阳"; a transliteration joined by "·" is not
# tested); Japanese family names are too many for a list
_KO_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민"
    "진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어"
    "은편용예경봉사부가복태목형피두감음빈동온호범좌시팽승간상갈견당화창계묵"
) | frozenset(
    {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"}
)  # fmt: skip
_ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷"
    "侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂"
    "章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁"
    "冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺"
    "楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门"
    "云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危"
    "玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由劉張"
    "陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈鄒閻龍賀顧龔萬錢嚴湯聶魯關蘭甯紀畢"
    "單塗駱藍鮑饒繆車項連婁竇衛閔邊欒鄺歐"
) | frozenset(
    {"歐陽", "欧阳", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫",
     "令狐", "慕容", "夏侯", "尉迟", "尉遲", "公孙", "公孫", "长孙", "長孫", "宇文",
     "轩辕", "軒轅", "端木", "独孤", "獨孤", "西门", "西門", "南宫", "南宮"}
)  # fmt: skip
# a Korean desk or team ("정치부", "편집팀"; a name never ends so) and the words said of a
# reporter before the title ("신입 기자", "노련한 기자": "a new", "a seasoned reporter")
_KO_DESK_END = ("부", "팀")
# a verb's modifier ending ("노래하는 기자": "a singing reporter", "일하던": "who worked"); a
# name of four syllables is a two-syllable surname's ("남궁민수"), else a phrase ("정의로운")
_KO_MODIFIER_END = ("는", "던")
_KO_NOT_NAMES = frozenset(
    {"신입", "현장", "전직", "여성", "남성", "수습", "선임", "수석", "전문", "객원", "종군", "전담",
     "담당", "취재", "외신", "인턴", "동료", "해당", "일선", "유명한", "노련한", "유능한", "성실한",
     "용감한", "정직한", "위대한", "편집국", "논설위원", "기획취재"}
)  # fmt: skip
# words naming a desk, a role or nobody after a Han label, on any page: "编辑部", "记者团",
# "小编", "佚名" ("anonymous"), "本站", "網友", the Japanese "編集部", "取材班", "本紙記者",
# "特派員", "編集長", "共同通信"
_HAN_ROLE = re.compile(
    r"(?:编辑|編輯|編集|取材|报道|報道|社会|社會|経済|经济|政治|国際|国际|文化|運動|学芸|生活|科学)"
    r"(?:部|班|组|組|局|室|长|長|部員|部员)|[记記]者团|[记記]者團|特派[员員]|[评評]论员|[评評]論員|[记記]者"
    r"|管理[员員]|[网網]友|[网網]络|[网網]絡|互联网|小[编編]|佚名|匿名|未知|原创|原創|转载|轉載|综合|綜合"
    r"|本站|本[纸紙誌刊网網]|官方|投稿|通信|新[闻聞]|日[报報]|[网網]$|社$"
)
# the first word of an Arabic or Hebrew role ("رئيس التحرير": "editor-in-chief", "فريق
# التحرير": "the editorial team", "مراسل الجزيرة"; "מערכת האתר": "the site's staff"), or
# a word of one ("التحرير": "the editing")
_RTL_ROLE_FIRST = frozenset(
    {"رئيس", "رئيسة", "مدير", "مديرة", "محرر", "محررة", "فريق", "هيئة", "أسرة", "إدارة", "مراسل",
     "مراسلة", "وكالة", "وكالات", "كاتب", "كاتبة", "قسم", "مكتب", "موقع", "מערכת", "צוות", "כתב",
     "כתבת", "עורך", "עורכת", "מנהל", "מנהלת", "סוכנות", "סוכנויות", "חדשות",
     # the Persian and Urdu reporter, desk, service, correspondent ("نامہ نگار")
     "خبرنگار", "گروه", "سرویس", "تحریریه", "ویب", "نیوز", "نامہ", "نمائندہ", "اسٹاف"}
)  # fmt: skip
_RTL_ROLE_WORDS = frozenset({"التحرير", "الموقع", "الأنباء", "التحریر"})
# what separates a byline's names or credits: a space, a comma (the ideographic "、" too),
# a colon, a slash, an equals sign, a bar ("丨" in Chinese), half or full width; a middle
# dot between Korean names ("김철수·이영희 기자"), in Chinese a transliterated name's own
_SEPARATORS = "、\uff0c,\uff1b;\uff0f/:\uff1a=\uff1d|\u4e28\uff5c"
_CJK_NAMES_SPLIT = re.compile(rf"[\s{_SEPARATORS}]+|(?<=[{_HANGUL}])[·・](?=[{_HANGUL}])")
# Japanese writes a space between family and given name ("山田 太郎", full width too), the
# names apart by commas or a middle dot ("山田太郎・鈴木花子"); a name up to 6 characters,
# or a family name and a given name in Kana ("山田さくら", "鈴木 エリカ"), which never ends in
# a particle, a verb's ending or an honorific ("首相が", "山田だった", "山田さん")
_JA_NAMES_SPLIT = re.compile(rf"\s*[{_SEPARATORS}・·]\s*")
_KANA_GIVEN = (
    "[\u3041-\u3096\u30a1-\u30fa\u30fc]{2,4}"
    "(?<![はがをにでともへやのかねよたす])(?<!さん)(?<!さま)(?<!くん)(?<!ちゃん)"
)
_JA_NAME = re.compile(
    rf"[{_HAN}]{{2,6}}|[{_HAN}]{{1,4}}\s[{_HAN}]{{1,4}}|[{_HAN}]{{1,4}}\s?{_KANA_GIVEN}"
)
_RTL_NAMES_SPLIT = re.compile(r"\s*[،,؛;]\s*|\s+و\s+")
# names in the spaced scripts apart by commas or "and" (Hindi "और", Marathi "व", Bengali
# "ও", "এবং", Tamil "மற்றும்", Thai "และ")
_SPACED_NAMES_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?:और|व|ও|এবং|மற்றும்|และ)\s+")
# words of a desk, a role or nobody in those scripts: the (staff) reporter, correspondent,
# bureau, desk, team ("निजी संवाददाता", "ব্যুরো", "নিজস্ব প্রতিবেদক", "ผู้สื่อข่าว")
_SPACED_ROLE_WORDS = frozenset(
    {"संवाददाता", "प्रतिनिधि", "रिपोर्टर", "ब्यूरो", "डेस्क", "टीम", "न्यूज़", "न्यूज", "वार्ताहर",
     "प्रतिवेदक", "প্রতিবেদক", "সংবাদদাতা", "প্রতিনিধি", "ডেস্ক", "নিজস্ব",
     "செய்தியாளர்", "நிருபர்", "ผู้สื่อข่าว", "กองบรรณาธิการ", "ทีมข่าว"}
)  # fmt: skip
# a byline label and the names after it, in brackets or not: the reporter's ("记者 张三",
# "本报记者 张三 李四", "(记者 张三 李四)", "記者:山田太郎"), the writer's ("作者:李四",
# "执笔:…"), the text's credit ("文/王小明", "文=山田太郎", "取材・文/…", "文·图 …", the
# Korean "글 홍길동", "글·사진 …"), the Arabic "بقلم" ("by the pen of") and "كتب:" / "كتبت -"
# ("wrote", with its colon or dash: the same letters spell "books"), the Hebrew "מאת" ("by"),
# the Persian "نویسنده" ("writer"), "نگارنده", the Urdu "تحریر" ("writing"); the Hindi,
# Marathi and Nepali "लेखक"/"लेखिका" ("writer"), "रिपोर्ट" ("report"), "द्वारा" ("by"),
# the Bengali "লেখক", the Tamil "எழுதியவர்" ("who wrote"), the Thai "ผู้เขียน" ("writer")
# and "โดย" ("by")
_SPACED_LABELS = r"लेखक|लेखिका|रिपोर्ट|द्वारा|লেখক|লেখিকা|எழுதியவர்|ผู้เขียน|โดย"
_UNCASED_LABEL = re.compile(
    r"^\s*[\[(\uff08【]?\s*(?:(?:本[报報]|特[约約])?[记記]者|作者|撰文|撰稿|执笔|執筆"
    r"|(?:(?:取材|構成|写真)[・·])?文(?:[・·/\uff0f](?:写真|撮影|图|圖))?"
    rf"|글(?:[·・]사진)?|사진[·・]글|بقلم|الكاتبة?|מאת|نویسنده|نگارنده|تحریر|{_SPACED_LABELS})"
    rf"\s*(?:[{_SEPARATORS}]\s*|\s+)"
    r"|^\s*كتبت?\s*[:\-\u2013\u2014]\s*"
)
_DATE_AFTER = re.compile(r"\s\d.*$")
# the words of those bylines, one of which an element's own text holds to be read as one
UNCASED_CUE = re.compile(
    rf"[记記]者|作者|撰|执笔|執筆|文|글|기자|특파원|特派|بقلم|كتب|الكاتب|מאת|نویسنده|نگارنده|تحریر"
    rf"|{_SPACED_LABELS}"
)
# the names before the reporter's title: "홍길동 기자", "山田太郎記者", a Korean wire's
# "(서울=연합뉴스) 홍길동 기자 =" with its dateline, an e-mail address after it
_UNCASED_TITLE = re.compile(
    rf"^\s*(?:[\[(\uff08【][^\])\uff09】]{{1,24}}[\])\uff09】]\s*)?(?P<names>.+?)\s*"
    rf"(?:特派[员員]|[记記]者|기자|특파원)\s*(?:=|[(<]?{_EMAIL}[)>]?)?\s*$"
)
# a newswire's lead, the reporters in brackets after its dateline: "新华社北京5月1日电(记者
# 张三 李四)…", "本报讯(记者 张三)…"; the Korean wires' "(서울=연합뉴스) 홍길동 기자 = …"
_WIRE_LEAD = re.compile(
    rf"^[^\uff08(]{{0,40}}[电電讯訊]\s*[\uff08(]\s*(?:[记記]者)\s*(?P<names>[^\uff09)]{{2,40}})[\uff09)]"
    rf"|^\s*[\[(][^\])=]{{1,12}}=[^\])]{{1,12}}[\])]\s*(?P<ko>[{_HANGUL}·\s]{{2,30}}?)\s*"
    r"(?:기자|특파원)\s*="
)


def _uncased_names(text: str, language: str = "") -> list[str]:
    """The names of a byline's name part written without capitals, each shaped as a name
    (``_UNCASED_NAME``; on a page declared Japanese, ``_JA_NAME``), or none when any part
    is not one. An Arabic word opening with the article "ال" opens a title, not a name
    ("الكاتب", "المحرر")."""
    rtl = any("\u0590" <= ch <= "\u06ff" for ch in text)
    spaced = _SPACED_LETTER.search(text) is not None
    japanese = language == "ja" and not rtl
    split = (
        _RTL_NAMES_SPLIT
        if rtl
        else _SPACED_NAMES_SPLIT
        if spaced
        else _JA_NAMES_SPLIT
        if japanese
        else _CJK_NAMES_SPLIT
    )
    shape = _JA_NAME if japanese else _UNCASED_NAME
    names: list[str] = []
    for piece in split.split(_WS.sub(" ", text).strip()):
        if not piece or piece in _CO_AUTHOR_CREDITS:
            continue
        if piece in _OTHER_CREDITS or piece.endswith(_DATELINE_ENDS):  # "北京报道"
            break
        if piece in _NOT_NAMES or not shape.fullmatch(piece) or piece.startswith("ال"):
            return []
        if _names_nobody(piece, language):
            return []
        names.append(piece)
    return unique(names)


def _names_nobody(piece: str, language: str) -> bool:
    """Whether a piece shaped as a name is a role's or a word's: a desk, a team, a title,
    "a famous" (``_KO_NOT_NAMES``, ``_HAN_ROLE``, ``_RTL_ROLE_FIRST``), or a Korean one
    (or, on a page declared Chinese, a Chinese one) opening with no surname."""
    if "\uac00" <= piece[0] <= "\ud7a3":
        return (
            piece in _KO_NOT_NAMES
            or (len(piece) > 2 and piece.endswith(_KO_DESK_END))
            or piece.endswith(_KO_MODIFIER_END)
            or not (piece[0] in _KO_SURNAMES or piece[:2] in _KO_SURNAMES)
            or (len(piece) == 4 and piece[:2] not in _KO_SURNAMES)
        )
    if "\u0590" <= piece[0] <= "\u06ff":
        words = piece.split()
        return words[0] in _RTL_ROLE_FIRST or any(w in _RTL_ROLE_WORDS for w in words)
    if _SPACED_LETTER.match(piece):
        return any(word in _SPACED_ROLE_WORDS for word in piece.split())
    if _HAN_ROLE.search(piece):
        return True
    return (
        language == "zh"
        and not any(dot in piece for dot in "·・")
        and not (piece[0] in _ZH_SURNAMES or piece[:2] in _ZH_SURNAMES)
    )


def with_final_marks(names: str | None, source: str) -> str | None:
    """trafilatura's byline normaliser cuts what is no word character at a name's end, and
    a vowel sign or a virama is none ("สมชาย ใจดี" -> "สมชาย ใจด", "முருகன் சுப்பிரமணியம்"
    loses its "்"): each of its "; "-joined names gets back the marks that follow its last
    word in the text it was read from (whose colons the normaliser also dropped)."""
    if not names:
        return names
    restored = []
    for name in names.split("; "):
        last = name.rsplit(maxsplit=1)[-1] if name.strip() else name
        end = source.find(last) + len(last) if last and last in source else len(source)
        marks = end
        while marks < len(source) and unicodedata.category(source[marks])[0] == "M":
            marks += 1
        restored.append(name + source[end:marks])
    return "; ".join(restored)


def _spaced_or_rtl_name(text: str) -> str | None:
    """A byline's text in a script without case that spaces its words (Devanagari, Bengali,
    Tamil, Thai; Arabic, Persian, Urdu after a label): without its label ("रिपोर्ट अमित
    कुमार"; trafilatura's reading drops the colon), and None unless it is names in a
    byline's own shape (:func:`_uncased_names`): a role or a desk ("निजी संवाददाता",
    "নিজস্ব প্রতিবেদক", "خبرنگار ایسنا") or a sentence names nobody."""
    label = _UNCASED_LABEL.match(text)
    if label is None and not _SPACED_LETTER.search(text):
        return text
    rest = text[label.end() :].strip() if label else text
    return rest if _uncased_names(rest) else None


def uncased_byline(text: str | None, language: str = "") -> list[str]:
    """The names of a short byline line in a script without case: a label and the names
    ("记者 张三", "文/王小明", "بقلم: محمد علي"), or the names and the reporter's title
    ("홍길동 기자", "山田太郎記者"); ``language`` is the page's declared one. A sentence
    ("记者从市政府获悉", "한 기자가 질문했다"), a holiday ("记者节") or a press conference
    ("記者会見") names nobody."""
    if not text or len(text) > MAX_NAME_CHARS or not UNCASED_LETTER.search(text):
        return []
    if match := _UNCASED_LABEL.match(text):  # "(记者 张三 李四)" in brackets too; a date
        # after the names ends them ("记者:张三 2024-05-01")
        names = _DATE_AFTER.sub("", text[match.end() :])
        return _uncased_names(names.rstrip(" )]\uff09】"), language)
    if match := _UNCASED_TITLE.match(text):
        return _uncased_names(match["names"], language)
    return []


def wire_lead_names(text: str | None) -> list[str]:
    """The reporters a newswire's lead names after its dateline, in brackets ("新华社北京5月1日电
    (记者 张三 李四)…", full width) or before an equals sign ("(서울=연합뉴스) 홍길동 기자 = …")."""
    match = _WIRE_LEAD.match(text) if text and UNCASED_LETTER.search(text[:80]) else None
    return _uncased_names(match["names"] or match["ko"]) if match else []


# an element classed as an author box's name ("elementor-author-box__name", "author__name",
# "post-authorName": one class token naming both) or as the author ("blog-meta-author")
# (selected in C by a substring of either case, the class tokens tested in Python)
_AUTHOR_CLASSED = XPath("descendant-or-self::*[contains(@class, 'uthor')]")


def _author_class(tokens: list[str]) -> str | None:
    """ "name" for a class naming an author's name ("author__name"), "author" for one
    naming the author ("blog-meta-author", "author"), "block" for another naming an author's
    block ("blog-author-box", "author-bio"); a review's or comment's is none of them."""
    tokens = [t for t in tokens if "author" in t and not ("review" in t or "comment" in t)]
    if any("name" in t for t in tokens):
        return "name"
    if any(t.endswith("author") for t in tokens):
        return "author"
    return "block" if tokens else None


def author_classed(tree: HtmlElement, classes: list[str] | None = None) -> list[HtmlElement]:
    """The page's elements whose class holds "uthor" (:func:`author_box` and
    :func:`author_block_name` read them), in document order; ``classes``: the page's class
    values when already read (:func:`class_values`): when none holds it, there is none, and
    the page is not walked again."""
    if classes is not None and "uthor" not in "\n".join(classes):
        return []
    elements: list[HtmlElement] = _AUTHOR_CLASSED(tree)
    return elements


def author_box(tree: HtmlElement, classed: list[HtmlElement] | None = None) -> list[str]:
    """The names in the page's first element whose class names an author's name (an
    author box under the story: "elementor-author-box__name"), or the author
    ("blog-meta-author": names shaped like a person's), the last reading of a page
    nothing else names anyone on. ``classed``: :func:`author_classed`, when already read."""
    for element in author_classed(tree) if classed is None else classed:
        kind = _author_class((element.get("class") or "").casefold().split())
        if kind is None or kind == "block":
            continue
        text = clean_text(" ".join(element.itertext()))
        names = split_names(text) if text and len(text) <= MAX_NAME_CHARS else []
        if kind == "author":
            names = [n for n in names if _looks_like_name(n)]
        if names:
            return names
    return []


def author_block_name(tree: HtmlElement, classed: list[HtmlElement] | None = None) -> list[str]:
    """The person an author's block opens with ("<div class='blog-author-box'><img>
    <strong>Jane Doe:</strong> Jane has …"): the first text of the page's first element
    classed as an author's block whose first text is a name shaped like a person's, read
    when nothing else names anyone. ``classed``: :func:`author_classed`, when already read."""
    for element in author_classed(tree) if classed is None else classed:
        if _author_class((element.get("class") or "").casefold().split()) != "block":
            continue
        first = next((t for t in element.itertext() if t.strip()), "")
        if names := _byline_names(first.strip().rstrip(":")):
            return names
    return []


MAX_BIO_CHARS = 400  # a bio is a short paragraph
# an author's bio line: "Julia Gralberg is a freelance travel writer, editor of …"
_BIO = re.compile(
    r"^(\S+(?:\s+\S+){1,3}?)\s+is\s+(?:a|an|the|our)\s+[^.,;]{0,40}?\b(?:writer|editor|journalist"
    r"|author|contributor|blogger|reporter|columnist|correspondent)s?\b",
    re.I,
)


def author_bio(tree: HtmlElement) -> list[str]:
    """The person the page's first short paragraph introduces as a writer ("Julia Gralberg
    is a freelance travel writer, …"): an author's bio, read when nothing else names
    anyone (a name shaped like a person's)."""
    for element in tree.iter("p"):
        text = clean_text(element.text_content())
        match = _BIO.match(text) if text and len(text) <= MAX_BIO_CHARS else None
        if match and _looks_like_name(match[1]):
            return [match[1]]
    return []


# a date as a byline stamps it: "December 5, 2024", "Dec. 5th, 2024", "5 December 2024",
# "2024-12-05", "05/12/2024"; in any language "5. Dezember 2024", "5 de diciembre de 2024"
_STAMP_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_DAY_MONTH_NAME_YEAR}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
# a short line stating a date and by whom: "Posted on December 5, 2024 by Jane Doe",
# "December 5, 2024 | By Jane Doe", "On Dec. 5, 2024 By Jane Doe In News" (a date, or
# nothing, between the label and "by": "Posted on Trustpilot.com by Pat K." is no byline),
# "Published by Jane Doe on December 5, 2024"; in other languages with their date's lead
# and their "by" (the blog engines' "Veröffentlicht am 5. Dezember 2024 von Anna Schmidt",
# "Publié le 5 décembre 2024 par Jean Dupont", "Publicado el … por María García")
_STAMPED = re.compile(
    rf"^(?:(?:{PUBLISHED})\s+)?(?:(?:{_DATE_LEAD})\s+)?{_STAMP_DATE}\s*[|·•,\u2013\u2014-]?\s*"
    rf"(?:by|{BY_WORDS})\s*:?\s+"
    r"(?P<after>\S.*?)(?:\s+in\s+\S.*)?$"
    rf"|^(?:{PUBLISHED})\s+by\s*:?\s+(?P<before>\S.*?)\s*,?\s+on\s+{_STAMP_DATE}.*$",
    re.I,
)
# what such a line's element opens with: its label, "on", a date's number or month
_STAMP_HEAD = re.compile(rf"^\s*(?:{PUBLISHED}|on\b|\d|{_MONTH})", re.I)
MAX_STAMP_CHARS = MAX_NAME_CHARS + 40  # the date and the label beside the name


def _first_text(element: HtmlElement) -> str:
    """The first text of ``element.itertext()`` that is not blank, or "" (its own text
    read without starting the iteration: most elements have one)."""
    head: str | None = element.text
    if head is not None and head.strip():
        return head
    text: str
    for text in element.itertext():
        if text.strip():
            return text
    return ""


def _stamp_text(element: HtmlElement) -> str | None:
    """``clean_text(" ".join(element.itertext()))``, or None once it must be longer than
    ``MAX_STAMP_CHARS`` (a wrapper opening with a date holds a whole story): checked as the
    text grows, on its part before any "&" (html.unescape only shortens from there), whose
    characters neither whitespace nor ``_INVISIBLE`` all stay."""
    pieces: list[str] = []
    read, check_at = 0, 4 * MAX_STAMP_CHARS
    for piece in element.itertext():
        pieces.append(piece)
        read += len(piece)
        if read > check_at:
            check_at *= 2
            before_entity = " ".join(pieces).split("&", 1)[0]
            if len(_INVISIBLE.sub("", "".join(before_entity.split()))) > MAX_STAMP_CHARS:
                return None
    return clean_text(" ".join(pieces))


def stamped_byline(tree: HtmlElement) -> list[str]:
    """The person a short line stating a date and by whom names ("Posted on December 5,
    2024 by Jane Doe", "Published by Jane Doe on …"): a blog engine's post stamp, read
    when nothing else names anyone (names shaped like a person's)."""
    for element in tree.iter(*BYLINE_TAGS):
        if not _STAMP_HEAD.match(_first_text(element)):
            continue
        text = _stamp_text(element)
        match = _STAMPED.match(text) if text and len(text) <= MAX_STAMP_CHARS else None
        names = _byline_names(match["after"] or match["before"]) if match else []
        if names and not in_menu(element):
            return names
    return []


# the first text after an element (an avatar's name under it)
_NEXT_TEXT = XPath("following::text()[normalize-space()][1]")
MAX_HEADER_ELEMENTS = 60  # the elements read after the headline for its avatar
_FOLLOWING = XPath(f"following::*[position() <= {MAX_HEADER_ELEMENTS}]")
STORY_PARAGRAPH_CHARS = 150  # a paragraph this long opens the story: the header ends


def _header_images(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The ``<img>`` elements between the page's first ``<h1>`` and its story's first
    paragraph (of ``STORY_PARAGRAPH_CHARS``), within ``MAX_HEADER_ELEMENTS`` elements."""
    headline = next(headings_h1(tree), None)
    if headline is None:
        return
    for element in _FOLLOWING(headline):
        if element.tag == "img":
            yield element
        elif element.tag == "p" and len(element.text_content()) >= STORY_PARAGRAPH_CHARS:
            return


def avatar_name(tree: HtmlElement) -> list[str]:
    """The name an avatar under the headline stands beside: the first text after an
    ``<img>`` between the ``<h1>`` and the story whose ``alt`` holds it ("<img
    alt='Headshot of Jane Doe, Staff Writer'><span>Jane Doe</span>", "Podium staff" over
    "Podium Staff"), the whole of its element and shaped like a person's or a team's
    name; read when nothing else names anyone, whatever the page's class names say (an
    author card on a site whose classes are hashes). Only a lone one: pictures each over
    its own name are a listing's tiles ("Barbecue Gaz Weber")."""
    named = [names for image in _header_images(tree) if (names := _captioned(image))]
    return named[0] if len(named) == 1 else []


def _captioned(image: HtmlElement) -> list[str]:
    """The name in the text right after ``image`` when its ``alt`` holds that text whole,
    in an element a byline is written in (``BYLINE_TAGS``: a tile's ``<h2>`` is none)."""
    alt = (clean_text(image.get("alt")) or "").casefold()
    following = _NEXT_TEXT(image) if alt else []
    holder = following[0].getparent() if following and not following[0].is_tail else None
    if holder is None or holder.tag not in BYLINE_TAGS:
        return []
    text = clean_text(holder.text_content())
    return _byline_names(text, teams=True) if text and text.casefold() in alt else []


# the link or button of an author box to the writer's other stories
_MORE_BY = re.compile(
    r"^\s*(?:view\s+)?(?:all|more)\s+(?:articles|posts|stories)\s+(?:by|from)\s*:?\s+(\S.*)$",
    re.I,
)
MORE_BY_TAGS = ("a", "button", "span", "p", "div", "li")


def more_by(tree: HtmlElement) -> list[str]:
    """The person named by the page's first "All articles by Jane Doe" ("More posts by",
    "View all stories from"): an author box's link to the writer's other stories, read
    when nothing else names anyone (names shaped like a person's)."""
    for element in tree.iter(*MORE_BY_TAGS):
        if element.text and _MORE_BY.match(element.text):
            match = _MORE_BY.match(clean_text(element.text_content()) or "")
            if match and (names := _byline_names(match[1])):
                return names
    return []


# a visible text node holding a name, as written or in capitals (scripts and styles hold
# the markup's own copies)
_SHOWS = XPath(
    "boolean(//body//text()[contains(., $name) or contains(., $upper)]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)])"
)


def shows_any(tree: HtmlElement, names: list[str]) -> bool:
    """Whether the page's visible text shows any of ``names`` (as written or in capitals)."""
    return any(bool(_SHOWS(tree, name=name, upper=name.upper())) for name in names)


def _read_people(meta: PageMeta, src: _Sources) -> None:
    meta.author_organisations = jsonld_authors(src.article, want_people=False)
    meta.authors = jsonld_authors(src.article) or plausible_names(
        unique(
            name
            for key in AUTHOR_META
            for value in src.values.get(key, [])
            if not value.startswith(("http://", "https://"))
            for name in split_names(value)
        )
    )
    publisher = _key(_first_string(src.article.get("publisher")) or "")
    stand_ins = bool(meta.authors) and all(
        is_handle(name) or (publisher and _key(name) == publisher) for name in meta.authors
    )
    # markup naming people the page never shows (an uploader's account) gives way to the
    # page's visible "By Jane Doe"
    unseen = bool(meta.authors) and not stand_ins and not shows_any(src.tree, meta.authors)
    if not meta.authors or stand_ins:  # only then are they used
        # each in turn, only while none before it named anyone: a later one is read only
        # then (core.merged_authors, the stand-ins below)
        meta.byline_authors = visible_byline(src.tree)
        if not meta.byline_authors:
            meta.linked_authors = linked_author(src.tree)
        if not meta.byline_authors and not meta.linked_authors:
            classed = author_classed(src.tree, src.classes)  # read by two: selected once
            meta.boxed_authors = (
                author_box(src.tree, classed)
                or more_by(src.tree)
                or author_block_name(src.tree, classed)
                or author_bio(src.tree)
                or avatar_name(src.tree)
                or stamped_byline(src.tree)
            )
    elif unseen:
        meta.byline_authors = visible_byline(src.tree)
    if stand_ins or unseen:  # an account's handle, or the publisher signing as author,
        # gives way to the first person the page shows; unseen people to its visible byline
        shown = (meta.byline_authors, meta.linked_authors, meta.boxed_authors)
        people = next(([n for n in names if _looks_like_name(n)] for names in shown if names), [])
        meta.authors = people or meta.authors


def _read_site(meta: PageMeta, src: _Sources) -> None:
    values, article = src.values, src.article
    meta.sitename = first_meta(values, "og:site_name", "application-name")
    meta.sitename = meta.sitename or _first_string(article.get("publisher"))
    meta.description = first_meta(values, "og:description", "description", "twitter:description")
    meta.description = meta.description or clean_text(article.get("description"))
    meta.language = html_language(src.tree, values)
    meta.language = meta.language or language_code(_first_string(article.get("inLanguage")))
    image = first_meta(values, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    meta.image = absolute_url(image or _first_string(article.get("image"), "url"), src.base)
    canonical = link_href(src.tree, "canonical") or first_meta(values, "og:url")
    meta.canonical_url = absolute_url(canonical, src.base)


def _read_taxonomy(meta: PageMeta, src: _Sources) -> None:
    values, article = src.values, src.article
    meta.categories = unique(
        [*_string_list(article.get("articleSection")), *values.get("article:section", [])]
    )
    meta.tags = unique(
        [
            *(tag for value in values.get("article:tag", []) for tag in _string_list(value)),
            *_string_list(article.get("keywords")),
            *_string_list(first_meta(values, "news_keywords")),
        ]
    )


def _base_href(tree: HtmlElement) -> str | None:
    base = tree.find(".//base[@href]")
    return base.get("href") if base is not None else None


def _time_pubdate(tree: HtmlElement) -> str | None:
    for element in tree.iterfind(".//time[@datetime]"):
        if element.get("pubdate") is not None or "published" in (element.get("class") or ""):
            return str(element.get("datetime"))
    return None
