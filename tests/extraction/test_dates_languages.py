"""The date a page shows beside its headline, written the way other languages write it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from htmldate.extractors import try_date_expr
from htmldate.settings import MIN_DATE

from pipelines.extraction import extract_article
from pipelines.extraction.core import visible_date
from pipelines.extraction.dateline import month_first_page, read_date_line, spelled_date_line
from pipelines.extraction.decode import parse_html
from tests.support.pages import build_page

URL = "https://news.example.com/world/harbour-bridge-rebuild"  # no date in its path
LATEST = datetime(2026, 12, 31, 23, 59)
DAY = date(2024, 12, 5)

LINES = [
    ("es", "5 de diciembre de 2024"),
    ("es", "Publicado el jueves, 5 de diciembre de 2024 - 14:30"),
    ("es", "5 de dic. de 2024"),
    ("pt", "Publicado em 5 de dezembro de 2024"),
    ("ca", "5 de desembre de 2024"),
    ("it", "5 dicembre 2024"),
    ("it", "Pubblicato il 5 dic. 2024"),
    ("ro", "5 decembrie 2024"),
    ("zh", "2024年12月5日"),
    ("ja", "2024年12月5日 14:30"),
    ("zh", "２０２４年１２月５日"),
    ("ko", "2024년 12월 5일"),
    ("ru", "5 декабря 2024"),
    ("ru", "Опубликовано 5 декабря 2024, 14:30"),
    ("uk", "5 грудня 2024"),
    ("pl", "5 grudnia 2024"),
    ("cs", "5. prosince 2024"),
    # the Czech and Slovak spaced numeric date, day first (it was read as May 12th)
    ("cs", "5. 12. 2024 14:30"),
    ("cs", "05. 12. 2024"),
    ("cs", "Aktualizováno 5. 12. 2024"),
    ("fi", "5. joulukuuta 2024 klo 14.30"),
    ("el", "5 Δεκεμβρίου 2024"),
    ("ar", "٥ ديسمبر ٢٠٢٤"),  # noqa: RUF001
    ("tr", "5 Aralık 2024"),  # noqa: RUF001
    ("nl", "5 december 2024"),
    ("sv", "5 december 2024"),
    ("de", "5. Dezember 2024"),
    # a clock time before a numeric date (the parser reads a date only at the line's start)
    ("de", "14:30 Uhr, 05.12.2024"),
    ("de", "Aktualisiert 14:30, 05.12.2024"),
    ("fr", "le 5 décembre 2024 à 14h30"),
]


@pytest.mark.parametrize(("lang", "line"), LINES)
def test_a_page_shows_its_date_in_its_language(lang: str, line: str) -> None:
    page = build_page(lang=lang, body_top=f"<p class='meta'>{line}</p>")
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == DAY
    published = extract_article(page, URL).published_at
    assert published is not None and published.date() == DAY


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("5 maart 2024", date(2024, 3, 5)),  # Dutch
        ("5 augusti 2024", date(2024, 8, 5)),  # Swedish
        ("5 maj 2024", date(2024, 5, 5)),  # Swedish, Danish, Polish
        ("5 août 2024", date(2024, 8, 5)),  # htmldate knows only "aout"
        ("5 października 2024", date(2024, 10, 5)),  # 12 letters
        ("5 listopadu 2024", date(2024, 11, 5)),  # Czech
        ("5 листопада 2024", date(2024, 11, 5)),  # Ukrainian
        ("5 d'abril de 2024", date(2024, 4, 5)),  # Catalan
        ("5 setembro 2024", date(2024, 9, 5)),
        ("5 huhtikuuta 2024", date(2024, 4, 5)),  # Finnish partitive
        ("5. Mrz. 2024", date(2024, 3, 5)),  # German software's abbreviation
        ("5. Maerz 2024", date(2024, 3, 5)),  # German without its umlaut
    ],
)
def test_other_months_are_read(line: str, day: date) -> None:
    found = read_date_line(line, LATEST)
    assert found == day.isoformat()


def test_the_normaliser_spells_a_line_for_htmldate() -> None:
    assert spelled_date_line("5 de diciembre de 2024") == "5 dec 2024"
    assert spelled_date_line("Publicado em 5 de dezembro de 2024") == "Publicado em 5 dec 2024"
    assert spelled_date_line("2024年12月5日 14:30") == "2024-12-05 14:30"
    assert spelled_date_line("2024년 12월 5일") == "2024-12-05"
    assert spelled_date_line("5. joulukuuta 2024") == "5. dec 2024"
    assert spelled_date_line("٥ ديسمبر ٢٠٢٤") == "5 dec 2024"  # noqa: RUF001
    assert spelled_date_line("5 dic. 2024") == "5 dec 2024"
    # Greek capitals drop the accents; other scripts' accents are part of the word
    assert spelled_date_line("5 ΔΕΚΕΜΒΡΙΟΥ 2024") == "5 dec 2024"
    assert spelled_date_line("5 ΜΑΪΟΥ 2024") == "5 may 2024"
    assert spelled_date_line("5 Marco 2024") == "5 Marco 2024"


def test_the_connectors_go_only_between_a_day_a_month_and_a_year() -> None:
    assert spelled_date_line("Top 5 de 2024") == "Top 5 de 2024"
    assert spelled_date_line("Capítulo 5 de la serie 2024") == "Capítulo 5 de la serie 2024"
    assert spelled_date_line("5 de Madrid de 2024") == "5 de Madrid de 2024"
    assert read_date_line("Top 5 de 2024", LATEST) is None


def test_polish_listopada_is_left_to_other_readers() -> None:
    # Polish November and Croatian October: the word alone (no page language) says neither
    assert spelled_date_line("5 listopada 2024") == "5 listopada 2024"


@pytest.mark.parametrize(
    "line",
    [
        "December 5, 2024",
        "Dec 5, 2024 at 2:30 p.m.",
        "Updated 5 December 2024",
        "12/05/2024",
        "2024-12-05T14:30:00Z",
        "Vol. 3, 2024",
        "Decade 2 of 2024",
        "Season 5 of 2024",
        "Set 3, 2024",  # a word that starts another language's month, without its period
        "Out 5 2024",
        "Top 10 of 2024",
        "3 min read",
    ],
)
def test_english_lines_read_as_before(line: str) -> None:
    before = try_date_expr(line, "%Y-%m-%d", False, MIN_DATE, LATEST)
    assert read_date_line(line, LATEST) == before


def test_a_line_read_as_written_is_never_spelled() -> None:
    # "mars" is a month htmldate reads: the fast parser answers before any spelling
    assert read_date_line("5 mars 2024", LATEST) == "2024-03-05"
    assert spelled_date_line("5 mars 2024") == "5 mars 2024"


@pytest.mark.parametrize(
    ("line", "day"),
    [
        # a clock time before its date: the parser reads a date only at the line's start
        ("Updated: 9:37 PM CST Nov 18, 2019", date(2019, 11, 18)),
        ("updated 10:49 AM EDT, Thu May 9, 2013", date(2013, 5, 9)),
        ("POSTED: 12:01 a.m. HST, Jan 03, 2014", date(2014, 1, 3)),
        ("10:30 am 5 Dec 2024", date(2024, 12, 5)),
        # a day, a month and a year joined by hyphens
        ("9-Dec-2019", date(2019, 12, 9)),
        # capitals: the parser reads "Dec 9, 2019" and "dec 9, 2019", not "DEC 9, 2019"
        ("DEC 9, 2019", date(2019, 12, 9)),
        ("PUBLISHED: DEC 9, 2019", date(2019, 12, 9)),
        ("5 DE DICIEMBRE DE 2024", date(2024, 12, 5)),
    ],
)
def test_english_forms_the_parser_missed_are_read(line: str, day: date) -> None:
    assert read_date_line(line, LATEST) == day.isoformat()


@pytest.mark.parametrize(
    "line",
    ["Match 3-1 ended 10:30 PM Saturday", "Order 12-Dec-2019x", "Doors open at 7:30 PM"],
)
def test_a_clock_time_without_a_date_is_no_date(line: str) -> None:
    assert read_date_line(line, LATEST) is None


def test_a_shown_update_yields_to_the_shown_publication_day() -> None:
    # both shown in capitals before the headline, the update nearest: the story's day wins
    page = build_page(
        body_top="<p class='meta'>Updated: JANUARY 02, 2026</p><p>DECEMBER 22, 2022</p>"
    )
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == date(2022, 12, 22)


@pytest.mark.parametrize(
    ("lang", "update", "published"),
    [
        ("de", "Zuletzt aktualisiert: 06.12.2024", "05.12.2024, 14:30 Uhr"),
        ("de", "Zuletzt geändert am 6. Dezember 2024", "5. Dezember 2024"),
        ("fr", "Dernière mise à jour le 6 décembre 2024", "5 décembre 2024"),
        ("es", "Última actualización: 6 de diciembre de 2024", "5 de diciembre de 2024"),
        ("it", "Ultimo aggiornamento: 6 dicembre 2024", "5 dicembre 2024"),
        ("nl", "Laatst gewijzigd: 6 december 2024", "5 december 2024"),
        ("pl", "Ostatnia aktualizacja: 6 grudnia 2024", "5 grudnia 2024"),
        ("ru", "Последнее обновление: 6 декабря 2024", "5 декабря 2024"),
    ],
)
def test_a_shown_update_in_another_language_yields_too(
    lang: str, update: str, published: str
) -> None:
    page = build_page(lang=lang, body_top=f"<p>{update}</p><p>{published}</p>")
    shown = visible_date(parse_html(page), lang)
    assert shown is not None and shown.date() == DAY


def test_a_shown_update_alone_is_still_the_date_shown() -> None:
    page = build_page(body_top="<p class='meta'>Updated: January 2, 2026</p>")
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == date(2026, 1, 2)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Updated Dec 7, 2024 | Published Dec 5, 2024", date(2024, 12, 5)),
        ("Aktualisiert am 07.12.2024 | Erstellt am 05.12.2024", date(2024, 12, 5)),
        ("Mis à jour le 07/12/2024, publié le 05/12/2024", date(2024, 12, 5)),
        ("Updated Dec 7, 2024, first posted Dec 5, 2024", date(2024, 12, 5)),
    ],
)
def test_an_update_line_naming_the_publication_gives_the_publication_day(
    line: str, day: date
) -> None:
    # one line, the update first: the day after the publication's label is the story's
    shown = visible_date(parse_html(build_page(body_top=f"<p class='meta'>{line}</p>")))
    assert shown is not None and shown.date() == day


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("05 dic 2024 - 14:30", date(2024, 12, 5)),
        ("3 set 2024, 10:00", date(2024, 9, 3)),
        ("12 ago 2024", date(2024, 8, 12)),
        ("on 04-ago-2021 5:11:10", date(2021, 8, 4)),
        ("10 lug 2024", date(2024, 7, 10)),
    ],
)
def test_an_abbreviated_month_without_its_period_between_a_day_and_a_year(
    line: str, day: date
) -> None:
    assert read_date_line(line, LATEST) == day.isoformat()


@pytest.mark.parametrize("line", ["dic 2024", "5 dic 24", "set 12 points"])
def test_an_abbreviation_without_its_period_elsewhere_is_no_month(line: str) -> None:
    assert read_date_line(line, LATEST) is None


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("12/25/2024", date(2024, 12, 25)),  # htmldate's fast parser read no date
        ("Posted: 3/14/2024 10:00 AM", date(2024, 3, 14)),
        ("25/12/2024", date(2024, 12, 25)),
        ("12/05/2024", date(2024, 5, 12)),  # either way: day first, as most of the world
    ],
)
def test_a_numeric_date_whose_second_part_is_over_12_is_month_first(line: str, day: date) -> None:
    assert read_date_line(line, LATEST) == day.isoformat()


def test_no_such_day_is_no_date() -> None:
    assert read_date_line("02/30/2024", LATEST) is None


@pytest.mark.parametrize(
    ("texts", "month_first"),
    [
        (["Updated 3/13/2026", "6/2/2025"], True),
        (["19/02/2025", "08/04/2025"], False),
        (["3/13/2026", "19/02/2025"], False),  # the page disagrees with itself: no order
        (["08/04/2025"], False),  # nothing says
    ],
)
def test_the_page_s_unambiguous_dates_say_its_order(texts: list[str], month_first: bool) -> None:
    assert month_first_page(texts) is month_first


def test_an_ambiguous_shown_date_reads_in_the_page_s_own_order() -> None:
    listing = "<ul><li>Report, 3/13/2026</li><li>Notice, 12/17/2024</li></ul>"
    page = build_page(body_top="<p class='meta'>6/2/2025</p>", body_bottom=listing)
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == date(2025, 6, 2)
    listing = "<ul><li>Rapport, 19/02/2025</li></ul>"
    page = build_page(body_top="<p class='meta'>6/2/2025</p>", body_bottom=listing)
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == date(2025, 2, 6)
