# ruff: noqa: RUF001 (Cyrillic and Turkish letters that look Latin)
"""European news pages: the shapes German, Dutch, Polish, Czech, Italian, Scandinavian and
Turkish news sites and blogs give their bylines, dates and closing credits (hand-written
probe pages; main read each of these wrong: a byline label kept in the name or no name, a
Czech date month first, an agency's or a rights line kept as the story's last line)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extraction import extract_article
from pipelines.extraction.core import visible_date
from pipelines.extraction.dateline import spelled_date_line
from pipelines.extraction.decode import parse_html
from pipelines.extraction.metadata import clean_name, linked_author, stamped_byline, visible_byline
from tests.support.newspages import STORIES, news_page

DAY = date(2024, 12, 5)


URL = "https://www.stadtanzeiger.example/politik/hafenbruecke-neubau-100.html"


def byline_authors(lang: str, byline: str) -> list[str]:
    """The authors read from the German news page, declared ``lang``, under ``byline``."""
    page = news_page("de", f'<p class="byline">{byline}</p><p class="date">05.12.2024</p>')
    return extract_article(page.replace('lang="de"', f'lang="{lang}"'), URL).authors


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        # the kind of an opinion piece before the German "von" (main kept it in the name)
        ("de", "Ein Kommentar von Jan Berg", ["Jan Berg"]),
        ("de", "Eine Analyse von Anna Schmidt, ARD-Hauptstadtstudio", ["Anna Schmidt"]),
        ("de", "Ein Gastbeitrag von Jan Berg", ["Jan Berg"]),
        # the writer's role between "von"/"door" and the name (main: nobody)
        ("de", "Von unserem Redakteur Jan Berg", ["Jan Berg"]),
        ("de", "Von unserer Korrespondentin Anna Schmidt", ["Anna Schmidt"]),
        ("nl", "Door onze redacteur Jan Jansen", ["Jan Jansen"]),
        # the Polish "compiled by" and the Turkish "who wrote" (main kept the label)
        ("pl", "Opracowanie: Jan Kowalski", ["Jan Kowalski"]),
        ("tr", "Yazan: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
    ],
)
def test_a_byline_of_a_european_news_site_names_its_writer(
    lang: str, byline: str, names: list[str]
) -> None:
    page = news_page(lang, f'<p class="byline">{byline}</p><p class="date">05.12.2024</p>')
    doc = extract_article(page, URL)
    assert doc.authors == names
    assert byline not in doc.text
    assert STORIES[lang][1][0] in doc.text


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        # the writer's noun in its feminine and plural forms (main kept the label)
        ("pl", "Autorka: Anna Nowak", ["Anna Nowak"]),
        ("cs", "Autorka: Jana Nováková", ["Jana Nováková"]),
        ("pl", "Autorzy: Jan Kowalski, Anna Nowak", ["Jan Kowalski", "Anna Nowak"]),
        ("uk", "Авторка: Олена Коваль", ["Олена Коваль"]),
        ("uk", "Автори: Олена Коваль, Іван Шевченко", ["Олена Коваль", "Іван Шевченко"]),
        # an interview's or an edition's credit before the language's "by"
        ("de", "Ein Interview von Anna Schmidt", ["Anna Schmidt"]),
        ("fr", "Propos recueillis par Jean Dupont", ["Jean Dupont"]),
        ("it", "A cura di Mario Rossi", ["Mario Rossi"]),
        # "from our correspondent" standing for the "by"
        ("fr", "De notre correspondant Jean Dupont", ["Jean Dupont"]),
        ("it", "Dal nostro inviato Mario Rossi", ["Mario Rossi"]),
        ("es", "De nuestra corresponsal María García", ["María García"]),
        # a newsroom role after the comma is no second name
        ("de", "Autorin: Anna Schmidt, Redakteurin Politik", ["Anna Schmidt"]),
        ("fr", "Par Jean Dupont, Journaliste Politique", ["Jean Dupont"]),
    ],
)
def test_more_european_bylines_name_only_their_writers(
    lang: str, byline: str, names: list[str]
) -> None:
    assert byline_authors(lang, byline) == names


@pytest.mark.parametrize(
    "byline",
    [
        "Ein Kommentar von Jan Berg",
        "Von unserem Redakteur Jan Berg",
    ],
)
def test_a_european_byline_opening_the_story_leaves_the_text(byline: str) -> None:
    # the byline as the story's first paragraph: read as the author, not kept as the story's
    # first line
    story = STORIES["de"][1]
    page = news_page("de", "").replace(
        '<div class="article-body">', f'<div class="article-body"><p>{byline}</p>'
    )
    doc = extract_article(page, URL)
    assert doc.authors == ["Jan Berg"]
    assert doc.text.startswith(story[0])


def test_the_label_and_role_words_are_cut_from_a_name_read_elsewhere() -> None:
    assert clean_name("Ein Kommentar von Jan Berg") == "Jan Berg"
    assert clean_name("Von unserem Korrespondenten Jan Berg") == "Jan Berg"
    assert clean_name("Door onze verslaggevers Jan Jansen") == "Jan Jansen"
    assert clean_name("Opracowanie: Jan Kowalski") == "Jan Kowalski"
    # "Yazan" is also a given name: only with its colon a label
    assert clean_name("Yazan Al-Saadi") == "Yazan Al-Saadi"


def test_the_opinion_pieces_kind_and_the_role_read_only_before_the_languages_by() -> None:
    # on an English page "Von" opens a shop's name; the role words need the German "von"
    english = '<html lang="en"><body><p>Von Maur Store Opens Downtown</p></body></html>'
    assert visible_byline(parse_html(english)) == []
    german = '<html lang="de"><body><p>Unserem Redakteur Jan Berg zufolge</p></body></html>'
    assert visible_byline(parse_html(german)) == []
    german = '<html lang="de"><body><p>Ein Kommentar zum Haushalt</p></body></html>'
    assert visible_byline(parse_html(german)) == []


@pytest.mark.parametrize(
    ("lang", "line", "names"),
    [
        # the blog engines' post stamps in German, French, Spanish, Portuguese, Dutch (main
        # read the English form only)
        ("de", "Veröffentlicht am 5. Dezember 2024 von Anna Schmidt", ["Anna Schmidt"]),
        ("fr", "Publié le 5 décembre 2024 par Jean Dupont", ["Jean Dupont"]),
        ("es", "Publicado el 5 de diciembre de 2024 por María García", ["María García"]),
        ("pt", "Publicado em 5 de dezembro de 2024 por João Silva", ["João Silva"]),
        ("nl", "Gepubliceerd op 5 december 2024 door Jan Jansen", ["Jan Jansen"]),
        ("de", "05.12.2024 von Anna Schmidt", ["Anna Schmidt"]),
    ],
)
def test_a_blog_post_stamp_names_its_writer_in_other_languages(
    lang: str, line: str, names: list[str]
) -> None:
    page = (
        f'<html lang="{lang}"><body><article><h1>Titel</h1>'
        f'<div class="entry-meta"><span class="posted-on">{line}</span></div>'
        "<p>Text.</p></article></body></html>"
    )
    assert stamped_byline(parse_html(page)) == names


def test_a_sentence_with_a_date_and_by_is_no_post_stamp() -> None:
    page = (
        '<html lang="de"><body><p>Am 5. Dezember 2024 von Anna Schmidt und vielen anderen '
        "Gästen in der Halle gefeiert, ging das Fest erst spät zu Ende.</p></body></html>"
    )
    assert stamped_byline(parse_html(page)) == []


@pytest.mark.parametrize(
    "href",
    [
        "/autor/anna-schmidt/",
        "/autoren/anna-schmidt",
        "/auteur/anna-schmidt",
        "/autore/anna-schmidt",
    ],
)
def test_an_author_page_path_in_another_language_is_an_author_link(href: str) -> None:
    page = (
        f'<html><body><div class="meta"><a href="{href}">Anna Schmidt</a></div>'
        '<a href="/autorennen/formel-1">Autorennen</a></body></html>'
    )
    assert linked_author(parse_html(page)) == ["Anna Schmidt"]
    # a word beginning like one is no author path: "/autorennen/" (motor racing)
    page = '<html><body><a href="/autorennen/max-verstappen">Max Verstappen</a></body></html>'
    assert linked_author(parse_html(page)) == []


def test_a_site_linking_its_writers_page_in_spanish_names_the_writer() -> None:
    # El País-like header: the name as a link to the writer's page, no "by" word
    page = news_page(
        "de",
        '<a class="a_md_a_n" href="/autor/anna-schmidt/">Anna Schmidt</a>'
        "<span>Berlin - 05 Dez 2024 - 14:30 CET</span>",
    )
    assert extract_article(page, URL).authors == ["Anna Schmidt"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "Publié le 1er décembre 2024 à 14h30"),
        ("it", "1° dicembre 2024"),
        ("pt", "1º de dezembro de 2024"),
        ("es", "1.º de diciembre de 2024"),
    ],
)
def test_the_first_of_the_month_as_an_ordinal_is_the_first(lang: str, line: str) -> None:
    # main left the line unread, and the page's wider search read "1er décembre 2024" as
    # January 1st
    page = news_page("de", f'<p class="date">{line}</p>').replace('lang="de"', f'lang="{lang}"')
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == date(2024, 12, 1)


def test_an_ordinal_before_another_word_is_no_date() -> None:
    assert spelled_date_line("le 1er prix 2024") == "le 1er prix 2024"
    assert spelled_date_line("1er arrondissement") == "1er arrondissement"


@pytest.mark.parametrize(
    ("lang", "closing"),
    [
        ("de", "dpa/AFP/rtr"),  # the German papers' Reuters
        ("sv", "TT"),
        ("da", "/ritzau/"),
        ("tr", "(AA)"),
        ("uk", "Укрінформ"),
        ("it", "Riproduzione riservata © Copyright ANSA"),
        ("da", "Alle rettigheder forbeholdes"),
        ("cs", "Všechna práva vyhrazena"),
        ("tr", "Tüm hakları saklıdır."),
    ],
)
def test_a_closing_agency_or_rights_line_leaves_the_story(lang: str, closing: str) -> None:
    page = news_page(lang, '<p class="date">05.12.2024</p>', closing=f"<p>{closing}</p>")
    doc = extract_article(page, URL)
    assert closing not in doc.text
    assert doc.text.endswith(STORIES[lang][1][-1])


def test_an_agencys_name_inside_a_closing_sentence_stays() -> None:
    line = "TT och Ritzau rapporterade först om beslutet i tisdags kväll."
    page = news_page("sv", '<p class="date">05.12.2024</p>', closing=f"<p>{line}</p>")
    assert extract_article(page, URL).text.endswith(line)


@pytest.mark.parametrize(
    ("lang", "teaser"),
    [
        ("cs", "Čtěte také: Přívoz nahradí most"),
        ("sv", "Läs också: Färja ersätter bron"),
        ("da", "Læs også: Færge afløser broen"),
        ("no", "Les også: Ferje erstatter brua"),
        ("tr", "İlgili Haber: Köprü yerine feribot"),
        ("uk", "Читайте також: Пором замінить міст"),
        ("es", "Más información: El ferry sustituirá al puente"),
    ],
)
def test_a_read_also_teaser_between_story_paragraphs_leaves_the_text(
    lang: str, teaser: str
) -> None:
    label, link = teaser.split(": ")
    story = STORIES[lang]
    page = news_page(lang, '<p class="date">05.12.2024</p>').replace(
        "</p><p>", f'</p><p>{label}: <a href="/weiter/">{link}</a></p><p>', 1
    )
    doc = extract_article(page, URL)
    assert teaser not in doc.text
    assert all(paragraph in doc.text for paragraph in story[1])


def test_a_story_sentence_opening_like_a_teaser_stays() -> None:
    line = "Más información sobre el proyecto se presentará en la próxima sesión del pleno."
    page = news_page("es", '<p class="date">05.12.2024</p>', closing=f"<p>{line}</p>")
    assert line in extract_article(page, URL).text


@pytest.mark.parametrize("closing", ["(dpa/lnw)", "afp/dpa/jbe", "dpa/tmn"])
def test_the_agencies_with_the_editors_initials_close_no_story(closing: str) -> None:
    page = news_page("de", '<p class="date">05.12.2024</p>', closing=f"<p>{closing}</p>")
    doc = extract_article(page, URL)
    assert closing not in doc.text
    assert doc.text.endswith(STORIES["de"][1][-1])


def test_from_our_correspondent_opening_the_story_names_the_writer_and_leaves_the_text() -> None:
    byline = "Dal nostro inviato Mario Rossi"
    story = STORIES["it"][1]
    page = news_page("it", "").replace(
        '<div class="article-body">', f'<div class="article-body"><p>{byline}</p>'
    )
    doc = extract_article(page, URL)
    assert doc.authors == ["Mario Rossi"]
    assert doc.text.startswith(story[0])


def test_a_sentence_about_our_correspondent_is_no_byline() -> None:
    line = "De notre correspondant à Bruxelles, nous avons appris que le vote est reporté."
    page = f'<html lang="fr"><body><p>{line}</p></body></html>'
    assert visible_byline(parse_html(page)) == []


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        # a place the writer filed from after a comma (main: "Em São Paulo", a person)
        ("pt", "Colaboração para o UOL, em São Paulo", []),
        ("pt", "Maria da Silva<br>Colaboração para o UOL, em São Paulo", ["Maria da Silva"]),
        ("pt", "Maria da Silva, em São Paulo", ["Maria da Silva"]),
        ("es", "Por María García, en Bogotá", ["María García"]),
        # each writer's place (main kept only the first writer: the place ended the
        # names); the German "in" and the place before an outlet (read right at main)
        (
            "pt",
            "Por João Silva, em Brasília, e Maria Souza, em São Paulo",
            ["João Silva", "Maria Souza"],
        ),
        ("es", "Por María García, en Bogotá y Juan Pérez, en Lima", ["María García", "Juan Pérez"]),
        (
            "fr",
            "Par Jean Dupont, à Bruxelles et Marie Curie, à Paris",
            ["Jean Dupont", "Marie Curie"],
        ),
        ("de", "Von Anna Schmidt, in Berlin", ["Anna Schmidt"]),
        ("pt", "Maria da Silva, em São Paulo, da Agência Lusa", ["Maria da Silva"]),
        # an agency or outlet credited after the name ends the names (main: "da Agência
        # Lusa" a second writer, "Anna Schmidt mit dpa" nobody, "María García con
        # información de Reuters" one long name)
        ("pt", "Por João Silva, da Agência Lusa", ["João Silva"]),
        ("pt", "Por João Silva, do G1", ["João Silva"]),
        ("pt", "Por João Silva, com informações da Reuters", ["João Silva"]),
        ("de", "Von Anna Schmidt mit dpa", ["Anna Schmidt"]),
        ("fr", "Par Jean Dupont avec AFP", ["Jean Dupont"]),
        ("es", "Por María García, con información de EFE", ["María García"]),
        ("es", "Por María García con información de Reuters", ["María García"]),
        # a newsroom's desk, alone or with its city, is the publisher (main named it)
        ("es", "Redacción Bogotá", []),
        ("es", "Por Redacción Bogotá", []),
        ("pt", "Redação", []),
        ("it", "Redazione Milano", []),
        ("de", "Redaktion Berlin", []),
        ("fr", "Rédaction Paris", []),
        # the interviewer writes the piece (main: "Das Interview führte Anna Schmidt",
        # "Interview Anna Schmidt", "Entrevista de María García")
        ("de", "Das Interview führte Anna Schmidt", ["Anna Schmidt"]),
        ("de", "Interview: Anna Schmidt", ["Anna Schmidt"]),
        ("es", "Entrevista de María García", ["María García"]),
        ("pt", "Entrevista por João Silva", ["João Silva"]),
        # look-alikes that stay: a particle inside a name, two writers, a team ending in
        # its newsroom's word
        ("pt", "Por Maria da Silva", ["Maria da Silva"]),
        ("pt", "Por Ana dos Santos", ["Ana dos Santos"]),
        ("de", "Von Anna Schmidt und Jan Berg", ["Anna Schmidt", "Jan Berg"]),
        ("de", "Stadtanzeiger Redaktion", ["Stadtanzeiger Redaktion"]),
    ],
)
def test_a_place_an_agency_a_desk_or_the_interview_after_the_by_names_no_writer(
    lang: str, byline: str, names: list[str]
) -> None:
    assert byline_authors(lang, byline) == names


def test_an_english_interview_heading_names_no_writer() -> None:
    # "Interview: Jane Doe" heads the interviewee's answers on an English page, and the word
    # "Redaktion" inside an English sentence is no desk
    story = [
        "The magazine's Redaktion in Berlin asked the architect about the harbour bridge "
        "and the long quarrel over its steel piers.",
        "She answered that the piers had rusted faster than anyone expected and that the "
        "city had waited too long to act.",
    ]
    page = (
        '<html lang="en"><head><title>Rebuilding the bridge | Gazette</title></head><body>'
        "<article><h1>Rebuilding the bridge</h1>"
        '<p class="byline">By John Roe</p><p class="date">Dec 5, 2024</p>'
        f"<p>{story[0]}</p><h2>Interview: Jane Doe</h2><p>{story[1]}</p></article></body></html>"
    )
    doc = extract_article(page, "https://www.gazette.example/news/bridge")
    assert doc.authors == ["John Roe"]
    assert "Interview: Jane Doe" in doc.text
    assert story[0] in doc.text
    page = page.replace("By John Roe", "Interview: Jane Doe")
    assert visible_byline(parse_html(page)) == []
