"""Metadata of extract_article() on small inline pages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from archive.titles import split_title
from pipelines.extraction import extract_article
from pipelines.extraction.core import visible_date
from pipelines.extraction.dateline import spelled_date_line
from pipelines.extraction.decode import parse_html
from pipelines.extraction.metadata import (
    author_bio,
    author_block_name,
    author_box,
    author_classed,
    avatar_name,
    byline_core,
    class_values,
    clean_name,
    heading_text,
    headline,
    in_menu,
    is_handle,
    is_logo,
    linked_author,
    more_by,
    names_site,
    names_someone,
    parse_datetime,
    plausible_names,
    slug_words,
    split_names,
    stamped_byline,
    strip_site_name,
    tags_title,
    uncased_byline,
    visible_byline,
    wire_lead_names,
)
from pipelines.extraction.text import is_byline
from tests.support.pages import STORY, STORY_IN

URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_published_time_keeps_the_stated_offset_and_day(make_page):
    head = '<meta property="article:published_time" content="2024-05-12T01:30:00+02:00">'
    doc = extract_article(make_page(head=head), URL)
    assert doc.published_at == datetime(2024, 5, 11, 23, 30, tzinfo=UTC)  # the same instant
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2024, 5, 12)  # the day the page's readers saw
    assert doc.modified_at is None


def test_jsonld_dates_published_and_modified(make_page):
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Council approves harbour bridge rebuild",
            "datePublished": "2024-05-12T06:00:00-04:00",
            "dateModified": "2024-05-13T09:15:30Z",
        }
    )
    doc = extract_article(make_page(head=head), URL)
    assert doc.published_at == datetime(2024, 5, 12, 10, 0, tzinfo=UTC)
    assert doc.modified_at == datetime(2024, 5, 13, 9, 15, 30, tzinfo=UTC)
    assert doc.jsonld_types == ["NewsArticle"]


def test_jsonld_dates_as_epoch_numbers(make_page):
    # JSON numbers were dropped before the date parser saw them
    article = {"@type": "NewsArticle", "datePublished": 1733409000, "dateModified": [1733495400000]}
    page = make_page(head=jsonld(article))
    doc = extract_article(page, "https://news.example.com/news/harbour-bridge-rebuild")
    assert doc.published_at == datetime(2024, 12, 5, 14, 30, tzinfo=UTC)
    assert doc.modified_at == datetime(2024, 12, 6, 14, 30, tzinfo=UTC)


def test_modified_time_meta_and_itemprop(make_page):
    head = '<meta property="article:modified_time" content="2024-05-14T12:00:00+00:00">'
    top = '<time itemprop="datePublished" datetime="2024-05-12T07:45:00+01:00">12 May</time>'
    doc = extract_article(make_page(head=head, body_top=top), URL)
    assert doc.published_at == datetime(2024, 5, 12, 6, 45, tzinfo=UTC)
    assert doc.modified_at == datetime(2024, 5, 14, 12, 0, tzinfo=UTC)


def test_date_only_becomes_midnight_utc(make_page):
    head = '<meta name="date" content="2024-05-12">'
    doc = extract_article(make_page(head=head), URL)
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)


UNDATED_URL = "https://news.example.com/news/harbour-bridge-rebuild"


def test_a_page_stating_no_date_has_the_date_shown_beside_its_headline(make_page):
    # a sidebar's <time> comes first in the page; the reader sees the line under the headline
    sidebar = '<aside><time datetime="2023-01-09">9 Jan</time> Older news</aside>'
    top = "<p class='meta'><span>Updated on Jul 4, 2024</span> · 5 min read</p>"
    page = make_page(body_top=top).replace("<header>", f"<header>{sidebar}")
    doc = extract_article(page, UNDATED_URL)
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2024, 7, 4)
    # what the markup states still comes first
    head = '<meta property="article:published_time" content="2024-06-30T08:00:00+00:00">'
    doc = extract_article(make_page(head=head, body_top=top), UNDATED_URL)
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2024, 6, 30)


def test_an_earlier_day_shown_beside_the_headline_overrules_the_stated_date(make_page):
    # a story moved to a new site in 2024 whose markup states the day of the move
    head = '<meta property="article:published_time" content="2024-08-07T12:01:51Z">'
    shown = "<p class='meta'><span>Ann Smith</span> · <span>Dec 30, 2013</span></p>"
    doc = extract_article(make_page(head=head, body_top=shown), UNDATED_URL)
    assert doc.published_at is not None
    assert doc.published_at.date() == date(2013, 12, 30)
    # a day shown one day earlier is the stated instant in another offset: it stands
    late = '<meta property="article:published_time" content="2024-08-08T00:57:30Z">'
    evening = "<p class='meta'><span>August 7, 2024</span></p>"
    doc = extract_article(make_page(head=late, body_top=evening), UNDATED_URL)
    assert doc.published_at == datetime(2024, 8, 8, 0, 57, 30, tzinfo=UTC)
    # a later day shown ("Updated ...") is the update: the stated publication stands
    updated = "<p class='meta'><span>Updated Dec 30, 2025</span></p>"
    doc = extract_article(make_page(head=head, body_top=updated), UNDATED_URL)
    assert doc.published_at == datetime(2024, 8, 7, 12, 1, 51, tzinfo=UTC)


def test_the_full_date_in_the_url_overrules_a_stated_date_of_another_day(make_page):
    # a story posted late on May 12 (its URL's day) whose markup states the instant in UTC
    head = '<meta property="article:published_time" content="2024-05-13T03:10:00+00:00">'
    doc = extract_article(make_page(head=head), URL)
    assert doc.published_at == datetime(2024, 5, 12, tzinfo=UTC)
    # a stated date on the URL's day keeps its time of day
    head = '<meta property="article:published_time" content="2024-05-12T21:10:00+00:00">'
    doc = extract_article(make_page(head=head), URL)
    assert doc.published_at == datetime(2024, 5, 12, 21, 10, tzinfo=UTC)
    # so does the day shown beside the headline when the markup states none
    shown = "<p class='meta'><time datetime='2024-05-12T08:00:00+00:00'>5/12/2024</time></p>"
    doc = extract_article(make_page(body_top=shown), URL)
    assert doc.published_at == datetime(2024, 5, 12, 8, 0, tzinfo=UTC)
    # a URL without a full date leaves the stated date alone
    doc = extract_article(make_page(head=head), "https://news.example.com/2024/05/bridge")
    assert doc.published_at == datetime(2024, 5, 12, 21, 10, tzinfo=UTC)


def test_a_page_without_an_h1_shows_its_date_beside_the_heading_its_title_states():
    # an older site heads its story with an <h2>; the date beside it is the page's, not a
    # sidebar's nor a comment's
    page = (
        "<h2>Latest news</h2><p>2 January 2020</p><h2 class='title'>Harbour bridge rebuild"
        "</h2><p>By Ann Smith</p><p>18 December 2025</p>"
    )
    titles = ["Harbour bridge rebuild | The Gazette"]
    assert visible_date(parse_html(page), titles=titles) == datetime(2025, 12, 18, tzinfo=UTC)
    assert visible_date(parse_html(page)) is None  # no stated title: no heading stands in
    # an <h1> stays the anchor
    with_h1 = "<h1>Harbour bridge rebuild</h1><p>1 May 2024</p>" + page
    assert visible_date(parse_html(with_h1), titles=titles) == datetime(2024, 5, 1, tzinfo=UTC)


def test_the_stated_date_anchor_falls_to_an_h2_headline_in_a_whole_page(make_page):
    related = "<aside><time datetime='2020-01-02'>2 January 2020</time></aside>"
    page = make_page(body_top="<p class='meta'>18 December 2025</p>", body_bottom=related)
    page = page.replace("h1>", "h2>")
    doc = extract_article(page, "https://news.example.com/news/bridge")
    assert doc.published_at is not None and doc.published_at.date().isoformat() == "2025-12-18"


def test_visible_date_reads_the_texts_nearest_the_headline():
    above = "<p>News</p><p>12.03.2024</p><h1>Harbour bridge rebuild</h1><p>By Ann Smith</p>"
    assert visible_date(parse_html(above)) == datetime(2024, 3, 12, tzinfo=UTC)
    below = "<h1>Harbour bridge rebuild</h1><p>By Ann Smith</p><p>18 December 2025</p>"
    assert visible_date(parse_html(below)) == datetime(2025, 12, 18, tzinfo=UTC)
    # a date inside the story, after its first long paragraph, is not the page's date
    story = f"<h1>Harbour bridge rebuild</h1><p>{STORY[0]} {STORY[1]}</p><p>May 3, 2021</p>"
    assert visible_date(parse_html(story)) is None
    assert visible_date(parse_html("<p>May 3, 2021</p>")) is None  # no headline
    # scripts and comments are no text; the header's texts are counted up the tree too
    nested = (
        "<div><p>Kicker</p><header><h1>Harbour bridge</h1></header><script>var x = 1;</script>"
        "<!-- 1 May 2020 --><div><p>By Ann Smith</p></div></div><p>7 June 2024</p>"
    )
    assert visible_date(parse_html(nested)) == datetime(2024, 6, 7, tzinfo=UTC)
    # "03/01/2017" is March 1 or January 3: the <time> element around it says which
    numeric = '<h1>Harbour bridge</h1><time datetime="2017-03-01T12:00:00Z">03/01/2017</time>'
    assert visible_date(parse_html(numeric)) == datetime(2017, 3, 1, 12, tzinfo=UTC)
    # a month's name says it better than a datetime in UTC a day later
    named = '<h1>Harbour bridge</h1><time datetime="2026-02-24T02:00:00Z">February 23, 2026</time>'
    assert visible_date(parse_html(named)) == datetime(2026, 2, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Published Dec. 19, 2025, 5:00 a.m. ET", date(2025, 12, 19)),  # news style
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("Updated Aug. 2, 2025 at 4:12 p.m.", date(2025, 8, 2)),
        ("Publié le 3 janv. 2025", date(2025, 1, 3)),
        ("3 févr. 2025", date(2025, 2, 3)),
    ],
)
def test_visible_date_reads_abbreviated_months(line: str, day: date) -> None:
    page = f"<h1>Harbour bridge rebuild</h1><p>By Ann Smith</p><p>{line}</p>"
    found = visible_date(parse_html(page))
    assert found is not None and found.date() == day


def test_month_abbreviations_leave_other_words_alone() -> None:
    assert spelled_date_line("Vol. 3, 2024") == "Vol. 3, 2024"
    assert spelled_date_line("Decade 2 of 2024") == "Decade 2 of 2024"
    assert spelled_date_line("JANUARY 02, 2026") == "JANUARY 02, 2026"  # read as written
    assert spelled_date_line("Dec. 19, 2025") == "dec 19, 2025"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-12T10:30:00Z", datetime(2024, 5, 12, 10, 30, tzinfo=UTC)),
        ("2024-05-12T10:30:00.123456789+0100", datetime(2024, 5, 12, 9, 30, 0, 123456, UTC)),
        ("2024-05-12 10:30:00 -05:00", datetime(2024, 5, 12, 15, 30, tzinfo=UTC)),
        ("Sun, 12 May 2024 10:30:00 GMT", datetime(2024, 5, 12, 10, 30, tzinfo=UTC)),
        ("2024-05-12T10:30:00", datetime(2024, 5, 12, 10, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("1970-01-01", None),
        ("", None),
    ],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


def test_authors_from_jsonld_list(make_page):
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "The Gazette"},
                {
                    "@type": "NewsArticle",
                    "author": [
                        {"@type": "Person", "name": "Jane Doe"},
                        {"@type": "Person", "name": "John Roe"},
                        {"@type": "Organization", "name": "The Gazette"},
                    ],
                    "publisher": {"@type": "Organization", "name": "The Gazette"},
                },
            ],
        }
    )
    doc = extract_article(make_page(head=head), URL)
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert doc.jsonld_types == ["WebSite", "NewsArticle"]


def test_a_jsonld_author_given_by_reference_is_read_from_the_graph(make_page):
    # graph-writing SEO plugins name the author once, in a Person node, and refer to it
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "BlogPosting",
                    "author": {"@id": "https://news.example.com/#/schema/person/42"},
                    "publisher": {"@id": "https://news.example.com/#organization"},
                },
                {"@type": "Organization", "@id": "https://news.example.com/#organization",
                 "name": "The Gazette"},
                {"@type": "Person", "@id": "https://news.example.com/#/schema/person/42",
                 "name": "Jane Doe"},
            ],
        }
    )  # fmt: skip
    top, bio = "<p>By John Roe</p>", "<p>Jane Doe covers the city.</p>"  # shown on the page
    page = make_page(head=head, body_top=top, body_bottom=bio)
    assert extract_article(page, URL).authors == ["Jane Doe"]


@pytest.mark.parametrize("name", ["og:author", "og:article:author", "dcterms.creator"])
def test_more_author_meta_tags_name_the_author(make_page, name):
    # stated markup, read before a visible byline (when the page shows its person)
    head = f'<meta property="{name}" content="Jane Doe">'
    bio = "<p>Jane Doe covers the city.</p>"
    page = make_page(head=head, body_top="<p>By John Roe</p>", body_bottom=bio)
    assert extract_article(page, URL).authors == ["Jane Doe"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe and Max Mustermann", ["Jane Doe", "John Roe", "Max Mustermann"]),
        ("Jane Doe | John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, Staff Writer", ["Jane Doe"]),
        ("TROY L. SMITH, cleveland.com", ["Troy L. Smith"]),
        ("Doe, Jane", ["Doe, Jane"]),
        ("https://www.facebook.com/janedoe", []),
        # what a byline search finds next to a name: labels, dates, roles
        ("Written by Jane Doe", ["Jane Doe"]),
        ("Author Jane Doe", ["Jane Doe"]),
        ("View all posts by Jane Doe", ["Jane Doe"]),
        ("Written By", []),
        ("Jane Doe Last Updated August 1", ["Jane Doe"]),
        ("Jane Doe \u2022 March 3, 2025", ["Jane Doe"]),
        ("Updated January", []),
        ("Jane Doe Tech Reporter", ["Jane Doe"]),
        ("Justin C Roe Trial Attorney", ["Justin C Roe"]),
        ("Theresa May", ["Theresa May"]),  # a month in a name is not a date
        ("Podium Staff", ["Podium Staff"]),  # a team's byline stays whole
        ("Our Editors", ["Our Editors"]),
        # a date before the name, what ends the name, a "By" glued to it
        ("Dec. 19, 2025 \u00b7 Niko Matsakis on behalf of Vision Doc group", ["Niko Matsakis"]),
        ("19 December 2025 | Jane Doe", ["Jane Doe"]),
        ("2025-12-19 - Jane Doe", ["Jane Doe"]),
        ("Jane Doe \u00b7 5 min read", ["Jane Doe"]),
        ("ByJane Doe", ["Jane Doe"]),
        ("Byron Smith", ["Byron Smith"]),  # a name starting with "By" keeps it
        # the label in other languages: "by" and the "Text: Name" credit
        ("Text: Max Mustermann und Erika Musterfrau", ["Max Mustermann", "Erika Musterfrau"]),
        ("Autorin: Erika Musterfrau", ["Erika Musterfrau"]),
        ("Auteur : Jean Dupont", ["Jean Dupont"]),
        ("Texto: María López", ["María López"]),
        ("Tekst: Jan Kowalski", ["Jan Kowalski"]),
        ("Текст Венера Ерофеева", ["Венера Ерофеева"]),
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("Av Lars Larsson", ["Lars Larsson"]),
        ("af Lars Larsen", ["Lars Larsen"]),
        ("Afua Hirsch", ["Afua Hirsch"]),  # a name starting like a label keeps it
        ("Textor Smith", ["Textor Smith"]),
        # "and" in other languages, between names only
        ("Av Lars Larsson och Anna Svensson", ["Lars Larsson", "Anna Svensson"]),
        ("Di Mario Rossi e Anna Bianchi", ["Mario Rossi", "Anna Bianchi"]),
        ("Текст: Иван Петров и Анна Смирнова", ["Иван Петров", "Анна Смирнова"]),
        ("Door Jan Jansen en Piet de Vries", ["Jan Jansen", "Piet de Vries"]),
        ("Maria da Silva e Souza", ["Maria da Silva e Souza"]),  # one person's surnames
        # a date glued after the name, in any language
        ("Par Jean Dupont Le 2 mai 2024 à 14h31", ["Jean Dupont"]),
        ("Por María López 2 de mayo de 2024", ["María López"]),
        ("Max Mustermann Aktualisiert: 02.05.2024", ["Max Mustermann"]),
        ("Jean Li 2 mai 2024", ["Jean Li"]),  # a short surname is no date's lead
        ("Channel 4 News", ["Channel 4 News"]),  # a number inside a team's name stays
        # a date's label and a date before or after the name, in any language
        ("Publié le 2 mai 2024 \u00b7 Jean Dupont", ["Jean Dupont"]),
        ("Publicado el 2 de mayo de 2024 - María López", ["María López"]),
        ("2. Mai 2024 | Max Mustermann", ["Max Mustermann"]),
        ("Jean Dupont Mis à jour le 2 mai", ["Jean Dupont"]),
        ("Aktualisiert", []),
        # a news byline naming a person: what names none goes (publisher, outlet, date)
        ("By JANE DOE and JOHN ROE Associated Press", ["Jane Doe", "John Roe"]),
        ("By Jane Doe | The Washington Post", ["Jane Doe"]),
        ("Jane Doe | Reuters", ["Jane Doe"]),
        ("Jane Doe / Reuters", ["Jane Doe"]),
        ("By Jane Doe For Dailymail.com", ["Jane Doe"]),
        ("Jane Doe Special to The Times", ["Jane Doe"]),
        ("By Jane Doe | Published December 9, 2019", ["Jane Doe"]),
        ("Jane Doe (AP)", ["Jane Doe"]),
        ("Jane Doe and John Roe, USA TODAY", ["Jane Doe", "John Roe"]),
        ("Jane Doe | USA TODAY", ["Jane Doe"]),
        ("Jane Doe, with staff and wire reports", ["Jane Doe"]),
        ("From staff and wire reports", []),  # names nobody ("wire reports" was read)
        ("Published December 9, 2019", []),
        # kept as they are: the publisher when nobody signs, a team beside a person, names
        # in capitals only, the credits the labels keep in brackets, co-authors after "and"
        ("By Jane Doe, CNN", ["Jane Doe"]),
        ("Jane Doe, The Associated Press", ["Jane Doe"]),
        ("By The Associated Press", ["The Associated Press"]),
        ("Reuters | AP", ["Reuters", "AP"]),
        ("AP/Reuters", ["AP/Reuters"]),
        ("Jane Doe, PhD", ["Jane Doe"]),
        ("Jane Doe | The Texas Newsroom", ["Jane Doe", "The Texas Newsroom"]),
        ("JANE DOE | JOHN ROE", ["Jane Doe", "John Roe"]),
        ("Jane Doe (CNXSoft)", ["Jane Doe (CNXSoft)"]),
        ("Jane Doe (Content Manager)", ["Jane Doe (Content Manager)"]),
        ("Jane Doe & kirstin boatto", ["Jane Doe", "kirstin boatto"]),
        ("Jane Doe | John Roe Staff Writer", ["Jane Doe", "John Roe"]),
        # a writer's address beside the name, RSS's "e-mail (Name)"; a profile's address
        ("Jane Doe (@janedoe)", ["Jane Doe"]),
        ("jane@example.com (Jane Doe)", ["Jane Doe"]),
        ("Jane Doe <jane@example.com>", ["Jane Doe"]),
        ("Jane Doe (@janedoe) and John Roe (https://johnroe.net)", ["Jane Doe", "John Roe"]),
        ("facebook.com/janedoe", []),
        ("Jane Doe, https://twitter.com/janedoe", ["Jane Doe"]),
        ("@janedoe", []),
        # contact buttons' labels and an image's credit glued after the name
        ("By Jane Doe Twitter", ["Jane Doe"]),
        ("Jane Doe Email", ["Jane Doe"]),
        ("Jane Doe  Follow", ["Jane Doe"]),
        ("Jane DoeTwitterEmail", ["Jane Doe"]),
        ("Jane Doe Twitter X LinkedIn", ["Jane Doe"]),
        ("JANE DOE TWITTER", ["Jane Doe"]),
        ("Max Mustermann E-Mail Folgen", ["Max Mustermann"]),
        ("Jean Dupont Suivre Profil", ["Jean Dupont"]),
        ("María López Perfil Correo", ["María López"]),
        ("Jane Doe Photo: Getty", ["Jane Doe"]),
        ("Text: Max Mustermann, Fotos: Erika Musterfrau", ["Max Mustermann"]),
        ("Jane Doe Photos by John Roe and Ann Lee", ["Jane Doe"]),
        # a name or an outlet ending like a button stays
        ("Malcolm X", ["Malcolm X"]),
        ("Jane Doe X", ["Jane Doe X"]),
        ("Scottish Daily Mail", ["Scottish Daily Mail"]),
        ("Jane Doe Biology", ["Jane Doe Biology"]),
        ("Garden Learning Network on Facebook", ["Garden Learning Network on Facebook"]),
        ("Photo: Getty", ["Photo: Getty"]),
        # already read right: roles, reading times, credentials
        ("Jane Doe, Contributor", ["Jane Doe"]),
        ("By Jane Doe - 5 min read", ["Jane Doe"]),
        ("Jane Doe, Reporter, and John Roe, Editor", ["Jane Doe", "John Roe"]),
        ("Dr. Jane Doe, MD", ["Dr. Jane Doe"]),
    ],
)
def test_split_names(byline, expected):
    assert split_names(byline) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jane Doe / Reuters", ["Jane Doe"]),
        ("By Jane Doe For Dailymail.com", ["Jane Doe"]),
        ("By JANE DOE and JOHN ROE Associated Press", ["Jane Doe", "John Roe"]),
    ],
)
def test_visible_news_byline_names_only_its_people(make_page, byline, expected):
    page = make_page(body_top=f"<p>{byline}</p>")
    assert extract_article(page, URL).authors == expected


def test_a_visible_bylines_contact_buttons_are_no_part_of_the_name(make_page):
    top = (
        '<div class="byline"><p>By <a href="/author/jane-doe">Jane Doe</a>'
        ' <a href="https://twitter.com/janedoe"><i class="icon"></i>Twitter</a>'
        ' <a href="mailto:jane@example.com">Email</a></p></div>'
    )
    assert extract_article(make_page(body_top=top), URL).authors == ["Jane Doe"]


def test_an_author_meta_tag_in_rss_form_names_the_person(make_page):
    head = '<meta name="author" content="jane@example.com (Jane Doe)">'
    assert extract_article(make_page(head=head), URL).authors == ["Jane Doe"]


@pytest.mark.parametrize(
    "name", ["Jane Doe | The Washington Post", "Jane Doe | Published December 9, 2019"]
)
def test_jsonld_author_after_a_bar_is_no_publisher_nor_date(make_page, name):
    entity = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge"}
    entity["author"] = {"@type": "Person", "name": name}
    head = f'<script type="application/ld+json">{json.dumps(entity)}</script>'
    assert extract_article(make_page(head=head), URL).authors == ["Jane Doe"]


def test_author_meta_wire_credit_goes(make_page):
    head = '<meta name="author" content="Jane Doe (AP)">'
    assert extract_article(make_page(head=head), URL).authors == ["Jane Doe"]


def test_author_meta_byline_becomes_a_list(make_page):
    head = '<meta name="author" content="Jane Doe and John Roe">'
    doc = extract_article(make_page(head=head), URL)
    assert doc.authors == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        ("de-DE", "", "de"),
        ("en_GB", "", "en"),
        (None, '<meta http-equiv="Content-Language" content="fr-FR">', "fr"),
        (None, '<meta property="og:locale" content="es_ES">', "es"),
        (None, "", "en"),  # guessed from the (English) text
    ],
)
def test_language(make_page, lang, head, expected):
    # two paragraphs: too little text to overrule what the page states
    doc = extract_article(make_page(lang=lang, head=head, paragraphs=STORY[:2]), URL)
    assert doc.language == expected


def test_language_template_default_overruled_by_unmistakable_text(make_page):
    german = [
        "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke neu zu bauen, und damit "
        "einen Streit beendet, der die Bewohner fast zehn Jahre lang gespalten hat.",
        "Die Ingenieure hatten im Frühjahr gewarnt, dass die Stahlträger schneller rosten als "
        "erwartet und dass der schwere Verkehr in zwei Jahren umgeleitet werden müsse.",
        "Nach dem Plan, der mit knapper Mehrheit angenommen wurde, beginnen die Arbeiten im März "
        "und die Brücke wird für achtzehn Monate für den Verkehr gesperrt sein.",
        "Die Geschäftsleute am Hafen sagten, sie fürchteten den Verlust von Kunden während der "
        "Sperrung, aber der Bürgermeister versprach einen Fonds für die Händler.",
        "Die Gegner des Projekts hatten argumentiert, dass ein Tunnel auf lange Sicht billiger "
        "sei, was die Berater der Stadt in ihrem Bericht aber zurückgewiesen haben.",
    ]
    doc = extract_article(make_page(lang="en-US", paragraphs=german), URL)
    assert doc.language == "de"


def test_canonical_image_and_titles(make_page):
    head = (
        '<link rel="canonical" href="/2024/05/12/harbour-bridge-rebuild?ref=canonical">'
        '<meta property="og:image" content="/images/bridge.jpg">'
        '<meta property="og:title" content="Council approves harbour bridge &amp;#8216;rebuild&amp;#8217;">'
        '<meta property="og:site_name" content="The Gazette">'
        '<meta property="og:type" content="article">'
        '<meta name="description" content="A decade-long dispute ends.">'
        '<meta property="article:section" content="Local">'
        '<meta property="article:tag" content="bridges, council">'
    )
    doc = extract_article(
        make_page(head=head, title="Council approves harbour bridge \u2018rebuild\u2019"), URL
    )
    assert (
        doc.canonical_url
        == "https://news.example.com/2024/05/12/harbour-bridge-rebuild?ref=canonical"
    )
    assert doc.image == "https://news.example.com/images/bridge.jpg"
    assert doc.title == "Council approves harbour bridge \u2018rebuild\u2019"
    assert doc.sitename == "The Gazette"
    assert doc.og_type == "article"
    assert doc.description == "A decade-long dispute ends."
    assert doc.categories == ["Local"]
    assert doc.tags == ["bridges", "council"]


def test_og_url_is_the_canonical_fallback(make_page):
    head = '<meta property="og:url" content="https://news.example.com/a/b">'
    assert (
        extract_article(make_page(head=head), URL).canonical_url == "https://news.example.com/a/b"
    )


def test_title_not_repeated_and_byline_dropped_from_text(make_page):
    top = "<p>Council approves harbour bridge rebuild</p><p>By Jane Doe</p><p>Updated May 12, 2024</p>"
    doc = extract_article(make_page(body_top=top), URL)
    first_line = doc.text.split("\n")[0]
    assert first_line.startswith("The city council voted on Tuesday")
    assert doc.title == "Council approves harbour bridge rebuild"  # the <h1>, not the <title>


def test_text_paragraphs_word_count_and_link_density(make_page):
    doc = extract_article(make_page(), URL)
    lines = doc.text.split("\n")
    assert len(lines) == 6
    assert doc.word_count == len(doc.text.split())
    assert doc.link_density == 0.0


def test_to_json_is_serialisable(make_page):
    head = '<meta property="article:published_time" content="2024-05-12T10:30:00+02:00">'
    payload = extract_article(make_page(head=head), URL).to_json()
    assert payload["published_at"] == "2024-05-12T10:30:00+02:00"
    assert payload["url"] == URL
    json.dumps(payload)


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        # og:site_name after a separator
        (
            "Machine learning, explained | MIT Sloan",
            "MIT Sloan",
            URL,
            "Machine learning, explained",
        ),
        # ...before it, and a name that differs a little from og:site_name
        ("RealtyMogul.com\u2122 | Real Estate 101", "RealtyMogul", URL, "Real Estate 101"),
        # no og:site_name: the host names the site
        (
            "Best Cloud Stocks of 2025 | The Motley Fool",
            None,
            "https://www.fool.com/x",
            "Best Cloud Stocks of 2025",
        ),
        # a site name and a section, both gone
        (
            "Guide to filing taxes | Consumer Financial Protection Bureau",
            "Consumer Financial Protection Bureau",
            URL,
            "Guide to filing taxes",
        ),
        # a dash inside the headline is not a separator, and an unknown tail stays
        ("Brexit - what happens next", "The Gazette", URL, "Brexit - what happens next"),
        ("Council approves rebuild", "The Gazette", URL, "Council approves rebuild"),
        # a title that is only the site's name is kept
        ("The Gazette", "The Gazette", URL, "The Gazette"),
    ],
)
def test_headline_drops_the_site_name(title, sitename, url, expected):
    assert headline(title, sitename, url, []) == expected


def test_headline_drops_a_tagline_after_a_headline():
    title = "How to help babies sleep through the night | Patient Education | Kids Hospital"
    assert headline(title, None, URL, []) == "How to help babies sleep through the night"
    # a short lead is a label ("About", "Breaking"), not the headline
    assert headline("About - State of AI", None, URL, []) == "About - State of AI"
    # nor is a leading segment no longer than the headline after it: a site's name
    title = "The Daily Gazette | Council approves harbour rebuild"
    assert headline(title, None, URL, []) == title


def test_a_link_to_an_author_page_names_the_author_when_nothing_else_does(make_page):
    top = '<p class="meta"><a href="https://news.example.com/author/jane-doe/">Jane Doe</a></p>'
    bottom = '<aside>More from <a href="/authors/john-roe?page=2">John Roe</a></aside>'
    assert extract_article(make_page(body_top=top, body_bottom=bottom), URL).authors == ["Jane Doe"]
    # a name in markup comes first
    head = '<meta name="author" content="Ann Author">'
    assert extract_article(make_page(head=head, body_top=top), URL).authors == ["Ann Author"]
    tree = parse_html('<p><a rel="author" href="/">By Ann Author</a> <a href="/">Home</a></p>')
    assert linked_author(tree) == ["Ann Author"]
    assert linked_author(parse_html('<a href="/authors/">Our authors</a>')) == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # the reporter's place after a comma (main: "In Kyiv", a second writer, read by
        # trafilatura's byline search, which capitalises the "in")
        ("Jane Doe, in Kyiv", ["Jane Doe"]),
        ("Jane Doe, in New York", ["Jane Doe"]),
        ("By Jane Doe, in Washington", ["Jane Doe"]),
        ("By Jane Doe, in London and John Roe, in Paris", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, in Washington, and John Roe", ["Jane Doe", "John Roe"]),
        # look-alikes that stay as they are read: no "in" and a place
        ("By Jane Doe, Inc.", ["Jane Doe"]),
        ("Jane Doe, India correspondent", ["Jane Doe"]),
    ],
)
def test_the_reporters_place_after_a_comma_names_no_writer(make_page, byline, names):
    top = f'<p class="byline">{byline}</p>'
    assert extract_article(make_page(body_top=top), URL).authors == names


def test_a_credit_in_another_language_names_the_person_not_the_label(make_page):
    # a German story's "Text:" credit, a Russian one in the author tag
    top = '<div class="byline">Text: Max Mustermann</div>'
    assert extract_article(make_page(body_top=top), URL).authors == ["Max Mustermann"]
    head = '<meta name="author" content="Текст: Венера Ерофеева">'
    assert extract_article(make_page(head=head), URL).authors == ["Венера Ерофеева"]
    # a credit in a plain paragraph: read as the byline, and no line of the story
    for credit, name in (
        ("Autor: Max Mustermann", "Max Mustermann"),
        ("Текст: Иван Петров", "Иван Петров"),
    ):
        doc = extract_article(make_page(body_top=f"<p>{credit}</p>"), URL)
        assert doc.authors == [name]
        assert credit not in doc.text
    assert visible_byline(parse_html("<p>Text: Anna Schmidt und Jan Berg</p>")) == [
        "Anna Schmidt",
        "Jan Berg",
    ]
    # another language's "by" before the names, on a page not declared English
    german = '<html lang="de"><body><div class="meta"><span>Von Anna Schmidt und Jan Berg</span>'
    assert visible_byline(parse_html(german + "</div></body></html>")) == [
        "Anna Schmidt",
        "Jan Berg",
    ]
    english = (
        '<html lang="en-US"><body><p>Von Maur Store</p><p>Door Hardware Guide</p></body></html>'
    )
    assert visible_byline(parse_html(english)) == []
    assert visible_byline(parse_html('<html lang="fr"><p>par la suite</p></html>')) == []
    # the word of the language the page declares only: Indonesian "di" is "in"
    assert visible_byline(parse_html('<html lang="id"><p>Di Jakarta Selatan</p></html>')) == []
    assert visible_byline(parse_html("<html><p>Von Anna Schmidt</p></html>")) == []
    # "Text" alone heads other things than a byline
    assert visible_byline(parse_html("<h3>Text</h3><p>Anna Schmidt</p>")) == []


@pytest.mark.parametrize(
    ("credit", "name"),
    [
        ("Penulis: Budi Santoso", "Budi Santoso"),  # Indonesian and Malay
        ("Yazar: Ahmet Yılmaz", "Ahmet Yılmaz"),  # Turkish  # noqa: RUF001
        ("Tác giả: Nguyễn Văn An", "Nguyễn Văn An"),  # Vietnamese
        ("Szerző: Nagy Péter", "Nagy Péter"),  # Hungarian
        ("Teksti: Matti Virtanen", "Matti Virtanen"),  # Finnish
        ("Forfatter: Ola Nordmann", "Ola Nordmann"),  # Danish and Norwegian
    ],
)
def test_the_writers_noun_in_more_languages_opens_a_byline(make_page, credit, name):
    # main read no author on these lines and kept them as the story's first line
    doc = extract_article(make_page(body_top=f"<p>{credit}</p>"), URL)
    assert doc.authors == [name]
    assert credit not in doc.text


def test_a_byline_credit_after_a_full_width_colon_is_the_name():
    # Chinese and Japanese write the colon full width (U+FF1A)
    assert clean_name("作者\uff1a王小明") == "王小明"
    assert clean_name("文\uff1a山田太郎") == "山田太郎"
    assert clean_name("Autor:Jan Kowalski") == "Jan Kowalski"


def test_by_where_the_word_opens_names_too_reads_on_a_page_declaring_its_language():
    # the Indonesian and Malay "oleh", the Romanian "de": on their own pages only
    for lang, line, name in [
        ("id", "Oleh Budi Santoso", "Budi Santoso"),
        ("ms", "Oleh Ahmad Ismail", "Ahmad Ismail"),
        ("ro", "de Ion Popescu", "Ion Popescu"),
    ]:
        page = f'<html lang="{lang}"><body><p>{line}</p></body></html>'
        assert visible_byline(parse_html(page)) == [name]
    # elsewhere the word is a name's: Oleh is a Ukrainian first name, De a surname's
    assert visible_byline(parse_html('<html lang="en"><p>Oleh Sentsov</p></html>')) == []
    assert clean_name("Oleh Sentsov") == "Oleh Sentsov"
    assert clean_name("De Smet Anna") == "De Smet Anna"


# bylines in scripts without case: main read no author on any of these lines and kept
# the line as the story's first (hand-written probe pages in the shapes of the press's CMSs)
@pytest.mark.parametrize(
    ("lang", "line", "names"),
    [
        ("zh", "记者 张三 李四", ["张三", "李四"]),
        ("zh", "本报记者 张三 通讯员 王五", ["张三", "王五"]),
        ("zh", "\uff08记者 张三 李四\uff09", ["张三", "李四"]),
        ("zh", "文\uff0f王小明", ["王小明"]),
        ("zh", "作者\uff1a李四", ["李四"]),
        ("ja", "記者\uff1a山田太郎", ["山田太郎"]),
        ("ja", "文\uff1d山田太郎", ["山田太郎"]),
        ("ja", "取材・文\uff0f佐々木健太郎", ["佐々木健太郎"]),
        ("ja", "記者\uff1a山田 太郎、鈴木 花子", ["山田 太郎", "鈴木 花子"]),  # family, given name
        ("zh", "文\u4e28王小明", ["王小明"]),  # the bar "丨" of Chinese web pages
        ("ko", "홍길동 기자 (hong@example.co.kr)", ["홍길동"]),
        ("ko", "홍길동 기자 hong@example.co.kr", ["홍길동"]),
        ("ko", "김철수·이영희 기자", ["김철수", "이영희"]),
        ("ar", "بقلم: محمد علي", ["محمد علي"]),
        ("ar", "كتبت - فاطمة حسن", ["فاطمة حسن"]),
        ("he", "מאת: יוסי כהן", ["יוסי כהן"]),  # noqa: RUF001
        ("el", "Γράφει ο Γιάννης Παπαδόπουλος", ["Γιάννης Παπαδόπουλος"]),  # noqa: RUF001
        ("id", "Oleh Budi Santoso", ["Budi Santoso"]),
    ],
)
def test_a_byline_without_capitals_names_its_writer_and_leaves_the_text(
    make_page, lang, line, names
):
    story = STORY_IN[lang]
    doc = extract_article(make_page(lang=lang, paragraphs=[line, *story]), URL)
    assert doc.authors == names
    assert line not in doc.text
    assert story[0] in doc.text


@pytest.mark.parametrize(
    ("lang", "line", "names"),
    [
        ("el", "Συντάκτης: Γιάννης Παπαδόπουλος", ["Γιάννης Παπαδόπουλος"]),
        ("el", "ΓΡΑΦΕΙ Η ΜΑΡΙΑ ΠΑΠΑΔΑΚΗ", ["Μαρια Παπαδακη"]),  # capitals drop the accents  # noqa: RUF001
        ("ru", "Текст: Иван Петров Фото: Пётр Сидоров", ["Иван Петров"]),
        ("ru", "Автор: Анна Иванова и Иван Петров", ["Анна Иванова", "Иван Петров"]),
    ],
)
def test_a_greek_or_cyrillic_byline_names_its_writer(make_page, lang, line, names):
    # main read the first three as nobody (the writer's noun, capitals, a photo credit glued)
    story = STORY_IN[lang]
    doc = extract_article(make_page(lang=lang, paragraphs=[line, *story]), URL)
    assert doc.authors == names
    assert line not in doc.text


def test_the_names_before_a_reporters_title_name_the_writers(make_page):
    # a CMS's meta line: the name with the title after it, the date beside; a label in an
    # element of its own
    for lang, byline, names in [
        ("ko", "<span>홍길동 기자</span> <span>2024.05.01 10:21</span>", ["홍길동"]),
        ("ja", "<span>2024年5月1日</span> <span>山田太郎記者</span>", ["山田太郎"]),
        ("zh", "<span>来源\uff1a人民网</span> <span>作者\uff1a</span><span>李四</span>", ["李四"]),
        ("zh", "<p><span>记者\uff1a</span>张三 <span>2024-05-01</span></p>", ["张三"]),
    ]:
        top = f"<div class='info'>{byline}</div>"
        page = make_page(lang=lang, body_top=top, paragraphs=STORY_IN[lang])
        assert extract_article(page, URL).authors == names


def test_a_newswire_lead_names_its_reporters_and_stays_in_the_story(make_page):
    for lang, lead, names in [
        ("zh", "新华社北京5月1日电\uff08记者 张三 李四\uff09", ["张三", "李四"]),
        ("zh", "本报讯\uff08记者 张三 北京报道\uff09", ["张三"]),
        ("ko", "(서울=연합뉴스) 홍길동 기자 = ", ["홍길동"]),
    ]:
        story = STORY_IN[lang]
        doc = extract_article(make_page(lang=lang, paragraphs=[lead + story[0], *story[1:]]), URL)
        assert doc.authors == names
        assert lead.strip() in doc.text


@pytest.mark.parametrize(
    ("lang", "top", "first"),
    [
        ("zh", "<p>记者节当天</p>", ""),  # the Journalists' Day
        ("zh", "", "记者从市政府获悉\uff0c"),  # "the reporter learnt from the city"
        ("zh", "<p>一名记者</p>", ""),  # "a reporter"
        ("ja", "<p>首相記者会見</p>", ""),  # a press conference
        ("ko", "", "홍길동 기자는 "),  # the reporter's name in a sentence
        ("ko", "<p>한 기자가 질문했다</p>", ""),  # "a reporter asked"
        ("ko", "<p>그는 20년 동안 일한 베테랑 기자</p>", ""),  # "a veteran reporter of 20 years"
        ("ar", "<p>كتب الأطفال الجديدة</p>", ""),  # "the new children's books"
        ("ar", "<p>بقلم: المحرر</p>", ""),  # "by: the editor"
        # a CMS's meta line: what is said of the reporter, a desk or a team before the title
        ("ko", "<div class='info'><span>유명한 기자</span> <span>2024.05.01</span></div>", ""),
        ("ko", "<div class='info'><span>정치부 기자</span> <span>2024.05.01</span></div>", ""),
        ("ko", "<div class='info'><span>신입 기자</span></div>", ""),  # "a new reporter"
        ("ko", "<p>노래하는 기자</p>", ""),  # "a singing reporter": a verb's modifier
        ("ko", "", "(서울=연합뉴스) 정치부 기자 = "),
        # a desk, a role or nobody after the label
        ("zh", "<div class='info'><span>作者\uff1a编辑部</span></div>", ""),
        ("zh", "<div class='info'><span>作者\uff1a小编</span></div>", ""),  # the site's "editor"
        ("zh", "<div class='info'><span>作者\uff1a佚名</span></div>", ""),  # "anonymous"
        ("zh", "", "本报讯\uff08记者 编辑部\uff09"),
        ("zh", "<p>记者 北京</p>", ""),  # a place, on a page declared Chinese
        ("ja", "<p>文\uff0f編集部</p>", ""),
        ("ja", "<p>取材・文\uff0f取材班</p>", ""),
        ("ja", "<p>文\uff1d本紙記者</p>", ""),
        ("ar", "<p>بقلم: رئيس التحرير</p>", ""),  # "by: the editor-in-chief"
        ("ar", "<p>كتب: فريق التحرير</p>", ""),  # "the editorial team"
        ("ar", "<p>بقلم: مراسل الجزيرة</p>", ""),  # "Al Jazeera's correspondent"
        ("he", "<p>מאת: מערכת האתר</p>", ""),  # "the site's staff"
    ],
)
def test_a_sentence_a_title_a_role_or_a_desk_without_capitals_names_nobody(
    make_page, lang, top, first
):
    story = STORY_IN[lang]
    page = make_page(lang=lang, body_top=top, paragraphs=[first + story[0], *story[1:]])
    assert extract_article(page, URL).authors == []


def test_names_past_the_role_guards_are_still_read():
    # surnames of two syllables or characters, a short given name, a transliteration, a
    # page declaring no language (the Chinese surname test is for declared Chinese pages)
    assert uncased_byline("남궁민수 기자", "ko") == ["남궁민수"]
    assert uncased_byline("김은 기자", "ko") == ["김은"]
    assert wire_lead_names("(서울=연합뉴스) 윤서인 기자 = 서울시는") == ["윤서인"]
    assert uncased_byline("作者\uff1a欧阳娜娜", "zh") == ["欧阳娜娜"]
    assert uncased_byline("文\uff0f迈克尔·乔丹", "zh") == ["迈克尔·乔丹"]
    assert uncased_byline("记者 杨帆 实习生 刘洋", "zh") == ["杨帆", "刘洋"]
    assert uncased_byline("文\uff0f山田太郎") == ["山田太郎"]
    assert uncased_byline("بقلم: عبد الله محمد", "ar") == ["عبد الله محمد"]


def test_the_editors_credit_names_no_writer(make_page):
    # the editor signs the Chinese web page's foot, the photographer follows the reporter
    for bottom in ("<p>编辑\uff1a赵六</p>", "<p class='editor'>责任编辑\uff1a赵六</p>"):
        page = make_page(lang="zh", body_bottom=bottom, paragraphs=STORY_IN["zh"])
        assert extract_article(page, URL).authors == []
    assert uncased_byline("记者 张三 摄影 王五") == ["张三"]


def test_by_of_a_declared_language_stays_in_the_text_of_another():
    # "Oleh" is a Ukrainian first name: a line opening with it is the story's elsewhere
    assert is_byline("Oleh Budi Santoso", "id")
    assert not is_byline("Oleh Sentsov Speaks", "en")
    assert is_byline("记者 张三")
    assert not is_byline("记者从市政府获悉")


def test_a_visible_by_line_names_the_author(make_page):
    top = '<div class="meta"><p>By: <a href="#bio">Jane Doe</a></p></div>'
    assert extract_article(make_page(body_top=top), URL).authors == ["Jane Doe"]
    assert visible_byline(parse_html("<p>Written by Ann Smith and Bo Jones</p>")) == [
        "Ann Smith",
        "Bo Jones",
    ]
    # the label in an element of its own, the name in the next one or around it
    label = "<div class='meta'><span>By</span><span>Daryl Austin</span></div>"
    assert visible_byline(parse_html(label)) == ["Daryl Austin"]
    label = "<div><div>Written by</div><div><b>Jack</b> <b>Shepherd</b></div></div>"
    assert visible_byline(parse_html(label)) == ["Jack Shepherd"]
    label = "<div class='meta'><span>By </span><button>Chase Bernath</button></div>"
    assert visible_byline(parse_html(label)) == ["Chase Bernath"]
    # a sentence that starts with "By" is not a byline
    assert visible_byline(parse_html("<p>By the end of the week the river rose.</p>")) == []


def test_a_team_byline_after_a_label_of_its_own_names_the_team():
    meta = "<div><div>By</div><div>The Meetingnotes Team</div><div>|</div><div>6 mins</div></div>"
    assert visible_byline(parse_html(meta)) == ["The Meetingnotes Team"]
    # in the same place, a phrase that is neither a person's name nor a team's is no author
    meta = "<div><div>By</div><div>the way, prices changed</div></div>"
    assert visible_byline(parse_html(meta)) == []
    # a "By" glued to the name in the element's own text
    assert visible_byline(parse_html("<p>ByJane Doe</p>")) == ["Jane Doe"]


def test_author_and_contributor_labels_name_the_author():
    label = "<div class='tags'><div><strong>Contributors:</strong> Janet Loughrey</div></div>"
    assert visible_byline(parse_html(label)) == ["Janet Loughrey"]
    assert visible_byline(parse_html("<p>Author: Jane Doe</p>")) == ["Jane Doe"]
    # the word without its colon starts no byline ("Author of three novels, …")
    assert visible_byline(parse_html("<p>Author Jane Doe</p>")) == []


def test_article_written_by_and_post_by_are_byline_labels():
    assert visible_byline(parse_html("<p>Post by Jane Doe</p>")) == ["Jane Doe"]
    label = "<div><p>Article written by:</p><h3>Maria Lopez</h3><p>Maria grows roses.</p></div>"
    assert visible_byline(parse_html(label)) == ["Maria Lopez"]
    assert split_names("Article written by Ann Smith") == ["Ann Smith"]


@pytest.mark.parametrize(
    "line",
    [
        "Story by Jane Doe",
        "Words by Jane Doe",
        "Reporting by Jane Doe",
        "Story and photos by Jane Doe",
        "Guest post by Jane Doe",
    ],
)
def test_every_byline_lead_word_opens_a_visible_byline(line, make_page):
    # one vocabulary (metadata.BY_LEAD) for the name's cleaning and the byline's finding:
    # main cleaned "Story by Jane Doe" to the name but found no byline starting so
    assert visible_byline(parse_html(f"<p>{line}</p>")) == ["Jane Doe"]
    label = f"<div><div>{line.removesuffix(' Jane Doe')}</div><div>Jane Doe</div></div>"
    assert visible_byline(parse_html(label)) == ["Jane Doe"]
    doc = extract_article(make_page(paragraphs=[line, *STORY]), URL)
    assert doc.authors == ["Jane Doe"]
    assert doc.text.split("\n")[0] != line  # the byline is no line of the story


def test_a_story_sentence_opening_with_a_lead_word_is_no_byline():
    assert visible_byline(parse_html("<p>Story by story, the archive grew.</p>")) == []


def test_a_heading_like_label_of_its_own_is_read_with_the_next_element():
    label = "<aside><h3>Author</h3><p><a href='/'>Sam Okafor</a></p></aside>"
    assert visible_byline(parse_html(label)) == ["Sam Okafor"]
    label = "<dl><dt>Written by</dt><dd>Ann Smith and Bo Jones</dd></dl>"
    assert visible_byline(parse_html(label)) == ["Ann Smith", "Bo Jones"]
    # the label wrapped alone, the name in the block after the wrapper
    label = "<div><div><h4>By</h4></div><div><span>Lee Chan</span></div></div>"
    assert visible_byline(parse_html(label)) == ["Lee Chan"]
    # a heading is read only as a label; a heading naming no person names nobody
    assert visible_byline(parse_html("<h3>By Jane Doe</h3>")) == []
    assert visible_byline(parse_html("<h3>Author</h3><p>of three novels</p>")) == []


def test_a_team_named_first_gives_way_to_the_person_a_later_byline_names():
    page = (
        "<div><p>By Team Tiger Data</p></div><p>Story text.</p>"
        '<p>Written by <a href="https://example.org/pg">Paulinho Giovannini</a></p>'
    )
    assert visible_byline(parse_html(page)) == ["Paulinho Giovannini"]


def test_an_author_box_link_to_the_writers_stories_names_the_author(make_page):
    box = (
        '<div><p>Elliot Raba</p><button aria-label="All articles by Elliot Raba">'
        "<span>All articles by Elliot Raba</span></button></div>"
    )
    assert more_by(parse_html(box)) == ["Elliot Raba"]
    assert extract_article(make_page(body_bottom=box), URL).authors == ["Elliot Raba"]
    # a name in markup comes first; "more stories" naming no person names nobody
    head = '<meta name="author" content="Ann Author">'
    assert extract_article(make_page(head=head, body_bottom=box), URL).authors == ["Ann Author"]
    assert more_by(parse_html("<a>More stories from our newsroom partners</a>")) == []


def test_the_person_who_last_updated_the_page_names_its_author():
    line = '<div><i>Last updated March 3, 2025 by <a href="/">Erik Demaine</a>.</i></div>'
    assert visible_byline(parse_html(line)) == ["Erik Demaine"]
    # an update line naming no person, and a sentence that merely starts with "Updated"
    assert visible_byline(parse_html("<p>Last updated March 3, 2025 by our staff.</p>")) == []
    text = "<p>Updated rules took effect in May, backed by the council and the mayor.</p>"
    assert visible_byline(parse_html(text)) == []


def test_an_author_box_names_the_author_when_nothing_else_does(make_page):
    box = (
        '<div class="elementor-author-box"><h4 class="elementor-author-box__name">'
        "Lance Ryan</h4><p>Lance has tested mattresses for a decade.</p></div>"
    )
    assert extract_article(make_page(body_bottom=box), URL).authors == ["Lance Ryan"]
    # any name the page gives elsewhere comes first
    top = '<p class="meta"><a href="/author/jane-doe/">Jane Doe</a></p>'
    assert extract_article(make_page(body_top=top, body_bottom=box), URL).authors == ["Jane Doe"]
    tree = parse_html('<div class="authorName">Ann Author and Bo Jones</div>')
    assert author_box(tree) == ["Ann Author", "Bo Jones"]
    # an author box with no name element, and a name element too long for a name
    assert author_box(parse_html('<div class="author-box">Ann Author</div>')) == []
    assert author_box(parse_html(f'<p class="author__name">{"Ann Author " * 10}</p>')) == []


def test_the_author_classed_elements_are_selected_once_and_only_where_a_class_holds_them():
    tree = parse_html(
        '<div class="post"><span class="byline Author">x</span>'
        '<p class="blog-author-box"><b class="author__name">Ann Author</b></p></div>'
    )
    classed = author_classed(tree, class_values(tree))
    assert [e.tag for e in classed] == ["span", "p", "b"]  # "Author" holds it too
    assert classed == author_classed(tree)
    assert author_box(tree, classed) == author_box(tree) == ["Ann Author"]
    plain = parse_html('<div class="post"><span class="byline">By Ann Author</span></div>')
    assert author_classed(plain, class_values(plain)) == author_classed(plain) == []


def test_the_name_beside_an_avatar_under_the_headline_names_the_author(make_page):
    # an author card whose class names are hashes (CSS-in-JS): the headshot's alt holds
    # the name written after it
    card = (
        '<div class="css-1a2b3c"><img src="/h.jpg" alt="Headshot of Lisa Pham, Staff Writer">'
        '<div class="css-4d5e6f"><span class="css-7a8b9c">Lisa Pham</span>'
        "<span>Content Writer</span></div></div>"
    )
    assert extract_article(make_page(body_top=card), URL).authors == ["Lisa Pham"]
    team = '<div><img src="/t.png" alt="Podium staff"></div><p>Podium Staff</p>'
    assert extract_article(make_page(body_top=team), URL).authors == ["Podium Staff"]
    # a name the markup gives comes first; an avatar after the story opens is not read
    head = '<meta name="author" content="Ann Author">'
    assert extract_article(make_page(head=head, body_top=card), URL).authors == ["Ann Author"]
    assert extract_article(make_page(body_bottom=card), URL).authors == []


def test_pictures_over_their_own_names_are_no_avatar():
    def page(header: str) -> str:
        return f"<html><body><h1>Carry-on luggage</h1>{header}<p>{'Words. ' * 30}</p></body></html>"

    tile = '<div><a href="/p/{0}"><img src="/{0}.jpg" alt="{1}"><p>{1}</p></a></div>'
    tiles = tile.format(1, "Venue Spinner") + tile.format(2, "Aero Spinner")
    assert avatar_name(parse_html(page(tiles))) == []  # a listing's tiles
    assert avatar_name(parse_html(page(tile.format(1, "Ana Ruiz")))) == ["Ana Ruiz"]  # alone
    heading = '<a href="/p/1"><img src="/1.jpg" alt="Venue Spinner"><h2>Venue Spinner</h2></a>'
    assert avatar_name(parse_html(page(heading))) == []  # a tile's heading
    other = '<img src="/h.jpg" alt="Headshot of Lisa Pham"><span>Ann Author</span>'
    assert avatar_name(parse_html(page(other))) == []  # the alt does not hold the name


def test_an_author_block_opening_with_a_name_names_the_author_when_nothing_else_does(make_page):
    box = (
        '<div class="post-author-box"><img src="/a.png" alt=""><p><strong>Ana Ruiz:</strong>'
        " Ana has run the shop since 1998.</p></div>"
    )
    assert author_block_name(parse_html(box)) == ["Ana Ruiz"]
    assert extract_article(make_page(body_bottom=box), URL).authors == ["Ana Ruiz"]
    # markup's handle gives way to it; any name the page gives elsewhere comes first
    head = '<meta name="author" content="admin">'
    assert extract_article(make_page(head=head, body_bottom=box), URL).authors == ["Ana Ruiz"]
    top = '<p class="meta"><a href="/author/jane-doe/">Jane Doe</a></p>'
    assert extract_article(make_page(body_top=top, body_bottom=box), URL).authors == ["Jane Doe"]
    # a block opening with a call to action, a heading or a phrase names nobody
    assert author_block_name(parse_html('<div class="author-links"><a>Sign In</a></div>')) == []
    box = '<div class="author-bio"><h3>About the Author</h3><p>Ana Ruiz</p></div>'
    assert author_block_name(parse_html(box)) == []


def test_a_name_a_colon_and_a_sentence_is_an_authors_block_not_a_byline(make_page):
    # trafilatura's byline search reads the whole block: "Ana Ruiz Ana covers weather" and
    # "Climate" (split at "and") were the authors
    box = (
        '<div class="author-block"><strong>Ana Ruiz:</strong> Ana covers weather and climate'
        " for the paper.</div>"
    )
    assert extract_article(make_page(body_bottom=box), URL).authors == ["Ana Ruiz"]
    assert byline_core("Ana Ruiz: Ana covers weather and climate.") == ""
    # a label before the colon, or a name or role after it: the line stays as it was
    for line in ("Author: Jane Doe", "Written By: Jane Doe", "Jane Doe: Senior Editor"):
        assert byline_core(line) == line


def test_a_line_stating_a_date_and_by_whom_names_the_author_when_nothing_else_does(make_page):
    stamp = "<p>Posted on December 5, 2024 by Jane Doe</p>"
    assert extract_article(make_page(body_top=stamp), URL).authors == ["Jane Doe"]
    for line in (
        "<p>Published by Jane Doe on Dec 5, 2024</p>",
        "<p><span>December 5, 2024</span> | <span>By <a href='/t'>Jane Doe</a></span></p>",
        "<div>On Dec. 5, 2024 By Jane Doe In <a href='/c/news'>News</a></div>",
    ):
        assert stamped_byline(parse_html(line)) == ["Jane Doe"], line
    # between the label and "by" a date or nothing: a review's source is no byline; a handle
    # names nobody
    assert stamped_byline(parse_html("<p>Posted on Trustpilot.com by Pat K.</p>")) == []
    assert stamped_byline(parse_html("<p>Posted on 5 December 2024 by admin</p>")) == []
    # any name the page gives elsewhere comes first
    top = '<p class="meta"><a href="/author/ann-lee/">Ann Lee</a></p>'
    assert extract_article(make_page(body_top=top + stamp), URL).authors == ["Ann Lee"]


def test_an_authors_bio_names_the_author_when_nothing_else_does(make_page):
    bio = "<p>Mara Quinn is a freelance food writer and the editor of Pantry Notes.</p>"
    assert author_bio(parse_html(bio)) == ["Mara Quinn"]
    assert extract_article(make_page(body_bottom=bio), URL).authors == ["Mara Quinn"]
    top = '<p class="meta"><a href="/author/jane-doe/">Jane Doe</a></p>'
    assert extract_article(make_page(body_top=top, body_bottom=bio), URL).authors == ["Jane Doe"]
    # a person introduced in another role, a long paragraph, a phrase: no author
    assert author_bio(parse_html("<p>Tom Hale is a farmer near Leeds.</p>")) == []
    long = "<p>Mara Quinn is a food writer. " + "She cooks. " * 40 + "</p>"
    assert author_bio(parse_html(long)) == []
    assert author_bio(parse_html("<p>The Pantry is a writer's favourite shop.</p>")) == []


def test_an_element_classed_as_the_author_names_a_person_when_nothing_else_does(make_page):
    meta = '<div class="blog-meta"><span class="blog-meta-author"> Tim Enwall </span></div>'
    assert extract_article(make_page(body_top=meta), URL).authors == ["Tim Enwall"]
    assert author_box(parse_html('<p class="author vcard">By Ann Smith</p>')) == ["Ann Smith"]
    # there, only a name shaped like a person's; a review's or a comment's author is not
    # the story's
    assert author_box(parse_html('<span class="post-author">Editorial</span>')) == []
    review = (
        '<div class="review"><strong class="woocommerce-review__author">Guy Vennero</strong></div>'
    )
    assert author_box(parse_html(review)) == []
    comment = '<cite class="comment-author">Ann Author</cite>'
    assert author_box(parse_html(comment)) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("andrew.keaveney", True),
        ("page.head.extra.author", True),  # a template's unfilled variable
        ("jane_doe", True),
        ("admin", True),
        ("NOC Admin", True),
        ("Jane Doe", False),
        ("Z.B. Steele", False),
        ("J.D. Salinger", False),
        ("AccountingDepartment.com", False),  # a site signing as itself
        ("adminn", False),
        ("Admiral Ray", False),
    ],
)
def test_an_account_handle_is_told_from_a_name(name, expected):
    assert is_handle(name) is expected


def test_an_account_handle_in_markup_gives_way_to_the_person_the_page_shows(make_page):
    box = '<div class="author-info"><h4 class="author-name">Denise Everheart</h4></div>'
    head = '<meta name="author" content="andrew.keaveney">'
    page = make_page(head=head, body_bottom=box)
    assert extract_article(page, URL).authors == ["Denise Everheart"]
    admin = jsonld({"@type": "BlogPosting", "author": {"@type": "Person", "name": "NOC Admin"}})
    page = make_page(head=admin, body_top="<p class='byline'>By David Gracey</p>")
    assert extract_article(page, URL).authors == ["David Gracey"]
    # a handle stays when the page shows nobody (the labels keep "sara.r.peter"), and so
    # does a site's name signing as itself
    head = '<meta name="author" content="sara.r.peter">'
    assert extract_article(make_page(head=head), URL).authors == ["sara.r.peter"]
    head = '<meta name="author" content="AccountingDepartment.com">'
    page = make_page(head=head, body_bottom=box)
    assert extract_article(page, URL).authors == ["AccountingDepartment.com"]
    # what the page shows must be a person's name
    head = '<meta name="author" content="admin">'
    box = '<div><span class="author-name">Editorial</span></div>'
    assert extract_article(make_page(head=head, body_bottom=box), URL).authors == ["admin"]


def test_the_publisher_signing_as_author_gives_way_to_the_person_the_page_shows(make_page):
    publisher = {"@type": "Organization", "name": "USA TODAY"}
    article = {
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": "USA TODAY"},
        "publisher": publisher,
    }
    top = '<p class="meta"><a href="/staff/2646/brian-truitt/">Brian Truitt</a></p>'
    page = make_page(head=jsonld(article), body_top=top)
    assert extract_article(page, URL).authors == ["Brian Truitt"]
    # alone it stays: the labels name the publisher when no person signs
    assert extract_article(make_page(head=jsonld(article)), URL).authors == ["Usa Today"]
    # a person named in markup who is not the publisher stays before a visible byline
    article["author"] = {"@type": "Person", "name": "Jane Doe"}
    page = make_page(head=jsonld(article), body_top=top)
    assert extract_article(page, URL).authors == ["Jane Doe"]


def test_markup_naming_someone_the_page_never_shows_gives_way_to_its_visible_byline(make_page):
    head = '<meta name="author" content="Luke Daigle">'  # the account that uploaded it
    byline = "<div class='by-div'><p>By: Paul Fenaroli</p></div>"
    page = make_page(head=head, body_top=byline)
    assert extract_article(page, URL).authors == ["Paul Fenaroli"]
    # shown anywhere on the page (in capitals too), the markup's person stays
    for shown in ("<p>Luke Daigle</p>", "<span>LUKE DAIGLE</span>"):
        page = make_page(head=head, body_top=byline, body_bottom=shown)
        assert extract_article(page, URL).authors == ["Luke Daigle"]
    # a copy in a script is not shown; an author link or box is no visible byline
    script = '<script>var author = "Luke Daigle";</script>'
    page = make_page(head=head, body_top=byline, body_bottom=script)
    assert extract_article(page, URL).authors == ["Paul Fenaroli"]
    link = '<p><a href="/author/solene-rauturier/">Solene Rauturier</a></p>'
    page = make_page(head='<meta name="author" content="srauturier">', body_top=link)
    assert extract_article(page, URL).authors == ["srauturier"]


def test_a_menu_heading_reading_by_is_no_byline():
    menu = (
        "<header><div class='dropdown-menu'><p>By Use Case</p><p>By Industry</p></div>"
        "<nav><ul><li><h4>By Ovolo Collective Hotels</h4></li></ul></nav></header>"
        "<article><p class='byline'>By Preetam Jinka</p></article>"
    )
    assert visible_byline(parse_html(menu)) == ["Preetam Jinka"]
    # the theme's classes on <body> ("amasty-mega-menu") put no byline in a menu
    page = "<html><body class='amasty-mega-menu'><div><p>By: Ray Ansari</p></div></body></html>"
    tree = parse_html(page)
    assert visible_byline(tree) == ["Ray Ansari"]
    assert not in_menu(tree.find(".//p"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", True),
        ("kirstin boatto", True),  # a user name in lower case
        ("h.szeyee", True),
        ("The Currency editors", True),
        ("Ludwig van Beethoven", True),
        ("Ask the Doctors", True),
        ("Иван Петров", True),
        ("王小明", True),  # a script without case
        ("Sign up for free trial", False),
        ("Get", False),
        ("Account Settings", False),
        ("Read Jane Doe's articles in The Post", False),
        ("Hej! Log in or sign up", False),
        ("This review is", False),
        ("Human in the Loop", False),
    ],
)
def test_an_author_string_names_someone_unless_it_is_a_call_to_action_or_a_phrase(text, expected):
    assert names_someone(text) is expected


def test_a_call_to_action_is_no_author(make_page):
    head = '<meta name="author" content="Sign up for free trial">'
    assert extract_article(make_page(head=head), URL).authors == []
    head = '<meta name="author" content="Get">'
    top = '<p class="meta"><a href="/author/jane-doe/">Jane Doe</a></p>'
    assert extract_article(make_page(head=head, body_top=top), URL).authors == ["Jane Doe"]


def test_byline_search_keeps_the_names_among_what_it_found():
    assert plausible_names(["Brett Cruz", "Privacy", "Home"]) == ["Brett Cruz"]
    assert plausible_names(["Jane Doe", "John Roe"]) == ["Jane Doe", "John Roe"]
    assert plausible_names(["Krystyna"]) == ["Krystyna"]
    assert plausible_names(["Staff", "Desk"]) == ["Staff", "Desk"]  # no name among them


def test_a_line_break_in_the_headline_reads_as_a_space(make_page):
    page = make_page().replace(
        "<h1>Council approves harbour bridge rebuild</h1>",
        "<h1>Council approves<br>harbour <span>bridge</span> rebuild</h1>",
    )
    assert extract_article(page, URL).title == "Council approves harbour bridge rebuild"


def test_a_subtitle_glued_to_the_headline_in_its_own_element_reads_after_a_space():
    glued = "<h1>Harbour Bridge Rebuild<span class='block'>What Changes for Drivers</span></h1>"
    assert heading_text(parse_html(glued).find(".//h1")) == (
        "Harbour Bridge Rebuild What Changes for Drivers"
    )
    # a word split by markup stays whole; a comment is no text
    split = "<h1>C<span>ycle</span> lanes <!-- x -->for <b>All</b> of the <em>city</em></h1>"
    assert heading_text(parse_html(split).find(".//h1")) == "Cycle lanes for All of the city"


def test_what_a_headline_sets_in_small_is_no_part_of_the_title(make_page):
    # a subtitle or a kicker in <small> beside the headline's own words (Bootstrap's
    # "secondary text"): the page's <title> and og:title state the headline alone
    subtitle = (
        "<h1>Council approves harbour bridge rebuild<br><small>Work starts in May</small></h1>"
    )
    page = make_page().replace("<h1>Council approves harbour bridge rebuild</h1>", subtitle)
    assert extract_article(page, URL).title == "Council approves harbour bridge rebuild"
    kicker = "<h1><small>Opinion</small> Council approves harbour bridge rebuild</h1>"
    assert heading_text(parse_html(kicker).find(".//h1")).strip() == (
        "Council approves harbour bridge rebuild"
    )
    # a headline all in <small> is read whole
    small = "<h1><small>Council approves harbour bridge rebuild</small></h1>"
    assert (
        heading_text(parse_html(small).find(".//h1")) == "Council approves harbour bridge rebuild"
    )


def test_a_headlines_label_for_screen_readers_is_no_part_of_the_title(make_page):
    for hidden in ("sr-only", "screen-reader-text", "visually-hidden", "govuk-visually-hidden"):
        heading = f"<h1><span class='{hidden}'>Article: </span>Council approves budget</h1>"
        assert heading_text(parse_html(heading).find(".//h1")) == "Council approves budget"
    page = make_page().replace(
        "<h1>Council approves harbour bridge rebuild</h1>",
        "<h1><span class='screen-reader-text'>Post title: </span>"
        "Council approves harbour bridge rebuild</h1>",
    )
    assert extract_article(page, URL).title == "Council approves harbour bridge rebuild"


def test_a_headline_set_in_capitals_is_read_in_the_stated_titles_case():
    url = "https://news.example.com/2024/05/12/story.html"
    stated = "Council Approves Harbour Bridge Rebuild | The Gazette"
    assert headline(stated, None, url, ["COUNCIL APPROVES HARBOUR BRIDGE REBUILD"]) == (
        "Council Approves Harbour Bridge Rebuild"
    )
    # a stated title of other words, or one in capitals too, leaves the <h1> as it is
    assert headline("Budget news | The Gazette", None, url, ["COUNCIL APPROVES REBUILD"]) == (
        "COUNCIL APPROVES REBUILD"
    )
    assert headline("Council Rebuild Approved", None, url, ["COUNCIL APPROVES REBUILD"]) == (
        "COUNCIL APPROVES REBUILD"
    )
    assert headline("COUNCIL APPROVES REBUILD", None, url, ["COUNCIL APPROVES REBUILD"]) == (
        "COUNCIL APPROVES REBUILD"
    )


def test_a_logo_in_an_h1_linking_home_is_no_headline():
    story = (
        "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 8 + "</p>"
    )
    logo = "<header><h1><a href='/'>The Gazette</a></h1></header>"
    for head, article in [
        # the <title> ends with the logo's name, which no og:site_name states
        (
            "<title>Council approves budget | The Gazette</title>",
            "<h2>Council approves budget</h2>",
        ),
        # the story's own <h1> after the logo's
        (
            "<title>Council approves budget | The Gazette</title>",
            "<h1>Council approves budget</h1>",
        ),
    ]:
        page = f"<html><head>{head}</head><body>{logo}<article>{article}{story}</article></body></html>"
        assert extract_article(page, URL).title == "Council approves budget"
    home = parse_html("<h1><a href='https://news.example.com/'>Gazette</a></h1>").find(".//h1")
    assert is_logo(home)
    # a headline linking to its own story, or holding more than the link, is one
    for heading in (
        "<h1><a href='/2024/05/12/council-approves-budget'>Council approves budget</a></h1>",
        "<h1><a href='/'>Gazette</a>: Council approves budget</h1>",
        "<h1><a href='#top'>Council approves budget</a></h1>",
    ):
        assert not is_logo(parse_html(heading).find(".//h1"))


def test_a_headings_permalink_and_invisible_characters_are_no_part_of_the_title(make_page):
    # Sphinx's "¶", a Markdown renderer's "#": a symbol linking to the heading itself
    sphinx = '<h1>Working with forms<a class="headerlink" href="#working-with-forms">¶</a></h1>'
    assert heading_text(parse_html(sphinx).find(".//h1")) == "Working with forms"
    hugo = '<h1><a class="anchor" href="#c-sharp">#</a> Getting started with C#</h1>'
    assert heading_text(parse_html(hugo).find(".//h1")).strip() == "Getting started with C#"
    # a link to elsewhere, or one holding words, stays
    linked = '<h1><a href="#top">Harbour bridge</a> rebuild <a href="/tags/x">§</a></h1>'
    assert heading_text(parse_html(linked).find(".//h1")) == "Harbour bridge rebuild §"
    # a soft hyphen or a zero-width space shows nothing
    page = make_page().replace(
        "<h1>Council approves harbour bridge rebuild</h1>",
        "<h1>Council ap\u00adproves harbour\u200b bridge rebuild</h1>",
    )
    assert "\u00ad" in page
    assert extract_article(page, URL).title == "Council approves harbour bridge rebuild"


def test_headline_is_the_visible_h1_not_the_share_card_title():
    # sites write og:title for search engines; a reader quotes the page's headline
    seo = "Best Apps to Learn a Language in 2025 \u2013 Top 10 Picks | Talk"
    h1 = "Top 10: Best Apps to Learn a Language"
    assert headline(seo, "Talk", URL, [h1]) == h1
    # among several <h1>s, the one the stated title shares its words with
    headings = ["The Gazette", "Council approves harbour bridge rebuild", "Newsletter"]
    stated = "Council approves harbour bridge rebuild | The Gazette"
    assert headline(stated, "The Gazette", URL, headings) == headings[1]
    # an <h1> that is the site's logo is not the headline
    assert headline(stated, "The Gazette", URL, ["The Gazette"]) == headings[1]


def test_the_title_the_url_slug_was_written_from_wins_over_a_differing_h1():
    url = "https://www.example.com/blog/how-to-get-toddler-to-sleep-in-own-bed/"
    stated = "How To Get Toddlers To Sleep In Their Own Bed | Baby Tips"
    assert headline(stated, "Baby Tips", url, ["Toddler Sleep Training"]) == (
        "How To Get Toddlers To Sleep In Their Own Bed"
    )
    # a slug sharing no more words with the stated title leaves the <h1> standing
    url = "https://www.example.com/blog/sleep-training/"
    assert headline(stated, "Baby Tips", url, ["Toddler Sleep Training"]) == (
        "Toddler Sleep Training"
    )
    assert headline(
        stated, "Baby Tips", "https://www.example.com/", ["Toddler Sleep Training"]
    ) == ("Toddler Sleep Training")


def test_an_h1_another_stated_title_repeats_is_not_outvoted_by_the_slug():
    url = "https://www.example.org/nutrition/eat-well-on-a-budget/sample-menus"
    h1 = "7 days of healthy meals on a budget"
    # the JSON-LD headline names the section, as the slug does; og:title is the <h1>
    assert headline("Sample menus", None, url, [h1], [h1]) == h1
    assert headline("Sample menus", None, url, [h1], [f"{h1} - Heart Matters"]) == h1
    # with no other title repeating the <h1>, the slug's title wins as before
    assert headline("Sample menus", None, url, [h1], ["Budget cooking"]) == "Sample menus"


def test_an_h1_adding_a_tagline_to_the_stated_title_yields_to_it():
    url = "https://www.example.com/language-learning-apps-compared/"
    h1 = "15 Language Learning Apps Compared - Personally Tested"
    assert headline("15 Language Learning Apps Compared", None, url, [h1]) == (
        "15 Language Learning Apps Compared"
    )
    # a section after the separator, a slug of numbers: the stated title again
    url = "https://news.example.com/story/opinion/2025/12/19/meditation/87830855007/"
    h1 = "How meditation rewires brains | Opinion"
    assert headline("How meditation rewires brains", None, url, [h1]) == (
        "How meditation rewires brains"
    )
    # the slug spells the tail: the <h1> is the headline the story went up under
    url = "https://www.example.org/blog/plant-based-diet-tips-and-tricks"
    h1 = "Transitioning to a plant-based diet \u2013 tips and tricks"
    assert headline("Transitioning to a plant-based diet", None, url, [h1]) == h1
    # an <h1> differing from the stated title otherwise still stands on a tie
    h1 = "Plant-based diet: tips and tricks"
    assert headline("Transitioning to a plant-based diet", None, URL, [h1]) == h1


def test_tags_title_needs_the_title_then_a_separated_tail():
    assert tags_title("Index funds | How to invest", "Index funds")
    assert tags_title("A - B - C", "A - B")
    assert not tags_title("Index funds: how to invest", "Index funds")
    assert not tags_title("Index funds", "Index funds")
    assert not tags_title("Investing | Index funds", "Index funds")


def test_slug_words_are_the_last_path_segment_without_ids():
    assert slug_words("https://x.org/a/best-vpn-2026-48213.html?utm=1") == {"best", "vpn", "2026"}
    assert slug_words("https://x.org/") == set()
    assert slug_words(None) == set()


def test_site_name_suffix_dropped_from_an_extracted_title(make_page):
    head = '<meta property="og:site_name" content="Pack Hacker">'
    page = make_page(head=head, title="The Best Portable Speaker for 2026")
    page = page.replace("<h1>", "<h2>").replace("</h1>", "</h2>")  # no <h1> to lean on
    page = page.replace("| The Gazette", "| Pack Hacker")
    doc = extract_article(page, URL)
    assert doc.title == "The Best Portable Speaker for 2026"


@pytest.mark.parametrize(
    ("title", "host"),
    [
        # the domain itself, on the page's own public suffix
        ("Man rescued from well - CNN.com", "edition.cnn.com"),
        ("Man rescued from well - n-tv.de", "www.n-tv.de"),
        ("Man rescued from well | MDR.DE", "www.mdr.de"),
        ("Man rescued from well - Süddeutsche.de", "www.sueddeutsche.de"),
        ("Man rescued from well - BBC.co.uk", "www.bbc.co.uk"),
        # a name led by a short domain label (initials)
        ("BBC News - Man rescued from well", "www.bbc.co.uk"),
        ("Man rescued from well - WSJ", "www.wsj.com"),
        ("Man rescued from well - FAZ", "www.faz.net"),
        ("Man rescued from well | NZZ", "www.nzz.ch"),
        # ...after a spaced colon, which only parts a headline from the site's name
        ("Man rescued from well : NPR", "www.npr.org"),
        # ...after a spaced slash or in closing brackets, only before the site's name
        ("Man rescued from well / NPR", "www.npr.org"),
        ("Man rescued from well (NPR)", "www.npr.org"),
        ("Man rescued from well (The New York Times)", "www.nytimes.com"),
        # a name the domain label spells by initials and whole words, "The" aside
        ("Man rescued from well - The New York Times", "www.nytimes.com"),
        ("Man rescued from well \u2013 Los Angeles Times", "www.latimes.com"),
        ("Man rescued from well - The Wall Street Journal", "www.wsj.com"),
        ("Man rescued from well - Frankfurter Allgemeine Zeitung", "www.faz.net"),
        ("Man rescued from well - Neue Zürcher Zeitung", "www.nzz.ch"),
        # letters compared without accents, umlauts as German writes them without
        ("Man rescued from well - Süddeutsche Zeitung", "www.sueddeutsche.de"),
        # a section between the headline and the site's name goes after it
        ("Man rescued from well - Politik - SZ.de", "www.sueddeutsche.de"),
        # already read before: containment of og-less host labels
        ("Man rescued from well | Fox News", "www.foxnews.com"),
        ("Man rescued from well - Chicago Tribune", "www.chicagotribune.com"),
        ("Man rescued from well - The Washington Post", "www.washingtonpost.com"),
        ("Man rescued from well | Daily Mail Online", "www.dailymail.co.uk"),
        ("Man rescued from well - Reuters", "www.reuters.com"),
        ("Man rescued from well | ZEIT ONLINE", "www.zeit.de"),
        ("Man rescued from well | heise online", "www.heise.de"),
    ],
)
def test_a_title_loses_the_site_name_its_domain_spells(title, host):
    assert headline(title, None, f"https://{host}/2010/05/story.html", []) == (
        "Man rescued from well"
    )


def test_a_slash_or_brackets_in_a_headline_stay_when_they_name_no_site():
    url = "https://www.npr.org/2010/05/story.html"
    assert headline("Either / Or: a budget vote", None, url, []) == "Either / Or: a budget vote"
    assert headline("Man rescued from well (Updated)", None, url, []) == (
        "Man rescued from well (Updated)"
    )
    assert headline("Man rescued (twice) / Reports", None, url, []) == (
        "Man rescued (twice) / Reports"
    )


def test_a_domain_spelled_site_name_is_read_only_where_it_names_this_site():
    url = "https://www.example.com/x"
    # another suffix than the page's: a file or a library, not this site
    assert strip_site_name("Vue.js - a comparison", None, url) == "Vue.js - a comparison"
    assert strip_site_name("Release notes - README.md", None, url) == "Release notes - README.md"
    # a spaced colon inside a headline (French typography) is no separator
    title = "Réforme des retraites en France : ce qui change"
    assert strip_site_name(title, None, "https://www.lemonde.fr/x") == title
    # a short label leads a site's name of a few words, not a headline
    url = "https://www.npr.org/x"
    title = "Man rescued from well - NPR reporters retrace the rescue"
    assert strip_site_name(title, None, url) == title
    # initials spell a name only with every word: "New York" alone is not nytimes
    title = "Man rescued from well - New York"
    assert strip_site_name(title, None, "https://www.nytimes.com/x") == title


def test_a_heading_names_the_site_by_containment_only():
    # a headline led by the site's initials is the page's <h1>, not its logo
    url = "https://www.npr.org/2010/05/story.html"
    h1 = "NPR reporters retrace the rescue at the well"
    assert headline("Rescue retraced : NPR", None, url, [h1]) == h1
    assert not names_site(h1, None, url, heading=True)
    assert names_site("NPR", None, url)


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        # older WordPress themes: "Title « Blog"; a spaced "//", single guillemets, a light bar
        ("Man rescued from well \u00ab Example Blog", "Example Blog", URL, "Man rescued from well"),
        (
            "Man rescued from well // Example",
            None,
            "https://example.com/x",
            "Man rescued from well",
        ),
        (
            "Man rescued from well \u2039 Example",
            None,
            "https://example.com/x",
            "Man rescued from well",
        ),
        (
            "Example \u203a Man rescued from well",
            None,
            "https://example.com/x",
            "Man rescued from well",
        ),
        (
            "Man rescued from well \u2758 Example",
            None,
            "https://example.com/x",
            "Man rescued from well",
        ),
        # CJK titles: the full-width bar, and "|", "_", "-" written without spaces
        (
            "記事タイトル\uff5cサイト",
            "サイト",
            URL,
            "記事タイトル",
        ),
        (
            "华为发布新款手机\uff5c凤凰网",
            "凤凰网",
            URL,
            "华为发布新款手机",
        ),
        (
            "华为发布新款手机_新浪新闻",
            "新浪新闻",
            URL,
            "华为发布新款手机",
        ),
        (
            "华为发布新款手机-网易新闻",
            "网易新闻",
            URL,
            "华为发布新款手机",
        ),
        (
            "华为发布新款手机|新浪新闻",
            "新浪新闻",
            URL,
            "华为发布新款手机",
        ),
        # a CJK site's name contained in a segment: three Han characters tell it
        (
            "华为发布新款手机_凤凰网资讯",
            "凤凰网",
            URL,
            "华为发布新款手机",
        ),
        # Korean news CMSes: "Title < Section < Site", and "Title : Site"
        (
            "정부, 새 정책 발표 < 정치 < 한겨레",
            "한겨레",
            URL,
            "정부, 새 정책 발표",
        ),
        (
            "정부, 새 정책 발표 : 연합뉴스",
            "연합뉴스",
            URL,
            "정부, 새 정책 발표",
        ),
        # French quotes in guillemets are the headline's, spaced as French typography does
        (
            "Macron : \u00ab Nous allons gagner \u00bb | Le Monde",
            "Le Monde",
            URL,
            "Macron : \u00ab Nous allons gagner \u00bb",
        ),
        (
            "Le ministre a dit \u00ab oui \u00bb hier - Le Monde",
            "Le Monde",
            URL,
            "Le ministre a dit \u00ab oui \u00bb hier",
        ),
    ],
)
def test_a_title_loses_the_site_name_after_other_separators(title, sitename, url, expected):
    assert headline(title, sitename, url, []) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Jean-Luc Picard returns to the bridge",
        "Why snake_case beats camelCase",
        "C++ // comments and what they cost",
        "Why a < b matters for every sort",
        "한-미 정상회담 열려",  # Korean "Korea-US summit": a hyphen inside
        "Le ministre a dit \u00ab oui \u00bb hier",
    ],
)
def test_other_separators_split_no_headline(title):
    assert headline(title, "Example", "https://example.com/x", []) == title


def test_split_title_reads_the_other_separators():
    assert split_title("Jean-Luc Picard_snake_case") == ["Jean-Luc Picard_snake_case"]
    assert split_title("a < b") == ["a < b"]
    assert split_title("a < b < c") == ["a", "b", "c"]
    assert split_title("标题_Sina") == ["标题_Sina"]  # a Latin side: no split
    # a title cut from a whole one keeps the whole one's reading of " < "
    assert split_title("a < b", "a < b < c") == ["a", "b"]
    # a quoting pair of guillemets separates nothing, and hides no separator next to it
    assert split_title("\u00ab Oui \u00bb | Le Monde") == ["\u00ab Oui \u00bb", "Le Monde"]


def test_an_old_news_page_titled_with_the_site_domain_loses_it(make_page):
    page = make_page(title="Man rescued from well")
    page = page.replace("<h1>", "<h2>").replace("</h1>", "</h2>")  # no <h1> to lean on
    page = page.replace("| The Gazette", "- CNN.com")
    doc = extract_article(page, "https://edition.cnn.com/2010/US/05/12/well.rescue/index.html")
    assert doc.title == "Man rescued from well"
    page = page.replace("- CNN.com", "- The New York Times")
    doc = extract_article(page, "https://www.nytimes.com/2010/05/12/us/12well.html")
    assert doc.title == "Man rescued from well"


RUSSIAN = [
    "Городской совет во вторник проголосовал за восстановление старого моста в порту, "
    "положив конец спору, который почти десять лет разделял жителей города.",
    "Инженеры ещё весной предупреждали, что стальные опоры ржавеют быстрее, чем ожидалось, "
    "и что через два года тяжёлые грузовики придётся пустить в объезд.",
]
JAPANESE = [
    "東京都は二日、老朽化した港の橋を建て替える計画を正式に決めた。十年近く住民の意見が"
    "分かれていた問題に決着がついた形で、工事は来年三月に始まる予定だ。",
    "都の技術者は昨年春、鋼材の腐食が想定より速く進んでいると警告していた。橋は工事期間中の"
    "一年半にわたって通行止めとなり、その間は臨時の渡し船が運航される。",
]


def test_language_of_a_page_stating_none_is_identified_in_any_language(make_page):
    doc = extract_article(make_page(lang=None, paragraphs=RUSSIAN, title="Мост"), URL)
    assert doc.language == "ru"


def test_template_lang_overruled_by_a_text_in_another_script(make_page):
    doc = extract_article(make_page(lang="en", paragraphs=JAPANESE, title="港の橋"), URL)
    assert doc.language == "ja"


def test_a_failing_jsonld_read_keeps_trafilaturas_other_metadata(make_page):
    # trafilatura's JSON-LD reader raises on an author given as a number; the category
    # links it reads in another step are kept all the same
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "author": [5]})
    body_top = '<div class="post-info"><a href="/category/harbours/">Harbours</a></div>'
    doc = extract_article(make_page(head=head, body_top=body_top), URL)
    assert doc.categories == ["Harbours"]


def test_a_jsonld_shape_trafilatura_cannot_read_is_logged_in_one_line(make_page, caplog):
    # a list inside "@graph": trafilatura's JSON-LD reader raises on it
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            [{"@type": "Organization", "name": "The Gazette"}],
            {"@type": "NewsArticle", "headline": "Council approves harbour bridge rebuild"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    with caplog.at_level("WARNING", logger="pipelines.extraction"):
        doc = extract_article(make_page(head=head), URL)
    assert doc.title == "Council approves harbour bridge rebuild"
    assert doc.text.startswith("The city council voted")
    failures = [r for r in caplog.records if "JSON-LD reader failed" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info is None and "\n" not in failures[0].getMessage()


@pytest.mark.parametrize(
    "url",
    ["https://www.example-news.com/local/council-budget", "https://examplenews.com/local/x"],
)
def test_a_logo_heading_naming_a_hyphenated_domain_is_no_headline(url):
    # a theme's site title in <h1>, the story's headline in <h2>: main compared the heading
    # with "example-news" as written, found no site in it, and took the logo as the title
    assert names_site("Example News", None, url, heading=True)
    title = headline("Council approves budget | Example News", None, url, ["Example News"])
    assert title == "Council approves budget"
