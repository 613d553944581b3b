"""The text cleanups' vocabularies in other languages than English: the same rules, at the
same places and on the same conditions, know what German, French, Spanish, Italian, Dutch,
Portuguese, Russian and Polish news pages print around a story ("Lesen Sie auch", "À lire
aussi", "Kommentare (3)", "Tous droits réservés", "5 Min. Lesezeit"), and keep the story's
own sentences that open with a like word ("Teilen sich die Parteien…", "Plus de 300…")."""

from __future__ import annotations

import pytest
from lxml.etree import Element

from pipelines.extraction import extract_article
from pipelines.extraction.text import Block, is_furniture_line, is_trailer
from tests.support.newspages import STORIES as NEWS_STORIES
from tests.support.pages import build_page

URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"

STORIES = {lang: NEWS_STORIES[lang] for lang in ("de", "fr", "es")}


def page(lang: str, body: str) -> str:
    title, _ = STORIES[lang]
    return build_page(paragraphs=[], lang=lang, title=title).replace(
        "<div class='article-body'>", f"<div class='article-body'>{body}"
    )


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def text_lines(lang: str, body: str) -> list[str]:
    return extract_article(page(lang, body), URL).text.split("\n")


# teasers: a label with its link inside the story, and a label over a list of links
TEASERS = {
    "de": (
        "<p>Lesen Sie auch: <a href='/2024/05/01/faehre'>Fährbetreiber bieten mit</a></p>",
        "<p>Ähnliche Artikel</p><p><a href='/a'>Zehn Brücken, die Geschichte schrieben</a> | "
        "<a href='/b'>Warum Fähren wieder gefragt sind</a></p>",
    ),
    "fr": (
        "<p>À lire aussi : <a href='/2024/05/01/bac'>Les armateurs candidats au bac</a></p>",
        "<p>Sur le même sujet</p><p><a href='/a'>Dix ponts qui ont marqué l'histoire</a> | "
        "<a href='/b'>Pourquoi les bacs reviennent à la mode</a></p>",
    ),
    "es": (
        "<p>Lee también: <a href='/2024/05/01/ferry'>Las navieras pujan por el contrato</a></p>",
        "<p>Te puede interesar</p><p><a href='/a'>Diez puentes que cambiaron el mundo</a> | "
        "<a href='/b'>Por qué vuelven los transbordadores</a></p>",
    ),
}


@pytest.mark.parametrize("lang", list(STORIES))
def test_teasers_are_dropped_inside_the_story(lang):
    story = STORIES[lang][1]
    link, listed = TEASERS[lang]
    body = paragraphs(story[:2]) + link + paragraphs(story[2:4]) + listed + paragraphs(story[4:])
    assert text_lines(lang, body) == story


@pytest.mark.parametrize(
    ("lang", "teaser"),
    [
        ("it", "<p>Leggi anche: <a href='/x'>Gli armatori in gara per il traghetto</a></p>"),
        ("nl", "<p>Lees ook: <a href='/x'>Veerdiensten dingen mee naar het contract</a></p>"),
        ("pt", "<p>Leia também: <a href='/x'>Armadores disputam o contrato da balsa</a></p>"),
        ("ru", "<p>Читайте также: <a href='/x'>Паромщики борются за контракт</a></p>"),
        (
            "de",
            "<p>Das könnte Sie auch interessieren: <a href='/x'>Zehn Brücken, die Geschichte "
            "schrieben, und was aus ihnen wurde</a></p>",
        ),
        ("fr", "<p><a href='/x'>Lire aussi</a> <a href='/y'>Dix ponts célèbres</a></p>"),
    ],
    ids=["it", "nl", "pt", "ru", "de", "fr-linked"],
)
def test_teaser_labels_of_more_languages(lang, teaser):
    story = STORIES["de"][1]
    body = paragraphs(story[:3]) + teaser + paragraphs(story[3:])
    assert text_lines("de", body) == story


# closing furniture after the story: share and comment prompts, tags, credits, rights
TRAILERS = {
    "de": "".join(
        (
            "<p>Mitarbeit: Jana Schmidt, Paul Weber</p>",
            "<p>Teilen</p>",
            "<p>Kommentare (3)</p>",
            "<p>Kommentar schreiben</p>",
            "<p>© 2024 Hafenstadt Zeitung GmbH \u2013 Alle Rechte vorbehalten</p>",
        )
    ),
    "fr": "".join(
        (
            "<p>Mots-clés : pont, port, conseil municipal</p>",
            "<p>Partager</p>",
            "<p>12 commentaires</p>",
            "<p>Laisser un commentaire</p>",
            "<p>Tous droits réservés \u2013 La Gazette du Port</p>",
        )
    ),
    "es": "".join(
        (
            "<p>Con información de agencias</p>",
            "<p>Compartir</p>",
            "<p>Comentarios (5)</p>",
            "<p>Deja tu comentario</p>",
            "<p>Todos los derechos reservados. Gaceta del Puerto</p>",
        )
    ),
}


@pytest.mark.parametrize("lang", list(STORIES))
def test_closing_furniture_is_peeled_off(lang):
    story = STORIES[lang][1]
    assert text_lines(lang, paragraphs(story) + TRAILERS[lang]) == story


# a short prompt between the story's paragraphs: an advertisement's label, a sign-up call
PROMPTS = {
    "de": ("Anzeige", "Newsletter abonnieren"),
    "fr": ("Publicité", "Abonnez-vous"),
    "es": ("Publicidad", "Suscríbete"),
}


@pytest.mark.parametrize("lang", list(STORIES))
def test_short_prompts_are_dropped_between_story_paragraphs(lang):
    story = STORIES[lang][1]
    first, second = PROMPTS[lang]
    body = paragraphs([*story[:2], first, *story[2:4], second, *story[4:]])
    assert text_lines(lang, body) == story


# furniture lines anywhere: buttons, reading times, sign-up calls, a credit of its own
FURNITURE = {
    "de": (
        "<p><a href='#top'>Zurück nach oben</a></p>",
        "<p>5 Min. Lesezeit</p>",
        "<p>Abonnieren Sie unseren Newsletter, um nichts zu verpassen.</p>",
        "<p>Verfasst von <a href='/autoren/jana-schmidt'>Jana Schmidt</a></p>",
    ),
    "fr": (
        "<p><a href='#top'>Retour en haut</a></p>",
        "<p>Temps de lecture : 4 min</p>",
        "<p>Pour ne rien manquer, inscrivez-vous à notre newsletter.</p>",
        "<p>Rédigé par <a href='/auteurs/marie-dupont'>Marie Dupont</a></p>",
    ),
    "es": (
        "<p><a href='/'>Volver a la portada</a></p>",
        "<p>3 minutos de lectura</p>",
        "<p>Suscríbete a nuestra newsletter y recibe las noticias en tu bandeja de entrada.</p>",
        "<p>Publicado por <a href='/autores/ana-garcia'>Ana García</a></p>",
    ),
}


@pytest.mark.parametrize("lang", list(STORIES))
def test_furniture_lines_are_dropped_anywhere(lang):
    story = STORIES[lang][1]
    button, notice, sign_up, credit = FURNITURE[lang]
    body = (
        paragraphs(story[:2]) + notice + credit + paragraphs(story[2:4]) + sign_up + button
    ) + paragraphs(story[4:])
    assert text_lines(lang, body) == story


@pytest.mark.parametrize(
    ("lang", "text", "link_chars", "furniture"),
    [
        ("it", "Leggi tutto", 11, True),  # reading on, as a button
        ("nl", "Lees verder", 11, True),
        ("pt", "Voltar ao topo", 14, True),
        ("it", "Tempo di lettura: 3 minuti", 0, True),
        ("nl", "Schrijf je in voor onze nieuwsbrief", 0, True),
        ("it", "A cura di Mario Rossi", 0, True),
        ("de", "Zurück zur Normalität", 0, False),  # the words, but no link
        ("de", "Lesezeit ist Lebenszeit", 0, False),  # no reading time given
        ("fr", "Rédigé par la commission, le rapport est sévère.", 0, False),  # a sentence
        ("de", "Wer den Newsletter abonnieren will, zahlt zwei Euro.", 0, False),  # no call
        ("fr", "Les lecteurs abonnés à la newsletter ont doublé.", 0, False),
    ],
)
def test_furniture_line_shapes_in_other_languages(lang, text, link_chars, furniture):
    assert is_furniture_line(Block(Element("p"), text, link_chars)) is furniture


@pytest.mark.parametrize(
    ("lang", "first"),
    [
        ("de", "Aktualisiert am 12.05.2024, 10:42 Uhr"),
        ("fr", "Publié le 12 mai 2024 à 10h42"),
        ("es", "Publicado el 12 de mayo de 2024"),
        ("es", "12 de mayo de 2024"),  # no label: a bare date line
        ("de", "Dienstag, 12. Mai 2024"),
    ],
)
def test_a_leading_date_line_is_dropped(lang, first):
    story = STORIES[lang][1]
    assert text_lines(lang, paragraphs([first, *story])) == story


# story sentences that open like furniture: every one stays where it stands
KEPT = {
    "de": [
        "Teilen sich die Parteien die Ämter, bleibt die Koalition nach Ansicht des Sprechers "
        "bis zur Wahl stabil.",
        "Mehr als 300 Menschen verfolgten die Abstimmung im Rathaus.",
        "Kommentare aus der Opposition blieben aus.",
        "Veröffentlicht wurde der Bericht erst nach der Abstimmung.",
    ],
    "fr": [
        "Plus de 300 personnes ont assisté au vote, retransmis en direct à la radio locale.",
        "Partager les coûts avec la région était la condition du maire.",
        "À lire les conclusions des experts, le tunnel n'était pas une option.",
        "Publicité mensongère : une plainte a été déposée contre le promoteur.",
    ],
    "es": [
        "Relacionado con el caso, el concejal dimitió la semana pasada.",
        "Más de 300 personas siguieron la votación en directo por la radio local.",
        "Compartir el coste con la región fue la condición del alcalde.",
        "Actualizar el plan costará otros dos millones, según el informe.",
    ],
}


@pytest.mark.parametrize("lang", list(STORIES))
def test_story_sentences_that_open_like_furniture_stay(lang):
    story = STORIES[lang][1]
    kept = KEPT[lang]
    lines = [*story[:2], kept[0], *story[2:4], kept[1], *story[4:], kept[2], kept[3]]
    assert text_lines(lang, paragraphs(lines)) == lines


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("de", "Anzeige gegen Unbekannt"),  # a criminal complaint, not an advertisement
        ("de", "Teilen statt besitzen"),
        ("fr", "Partager la route"),
        ("es", "Publicidad engañosa"),
    ],
)
def test_a_short_heading_that_opens_like_a_prompt_stays(lang, heading):
    story = STORIES[lang][1]
    lines = [*story[:3], heading, *story[3:]]
    body = paragraphs(story[:3]) + f"<h2>{heading}</h2>" + paragraphs(story[3:])
    assert text_lines(lang, body) == lines


def test_a_closing_line_following_us_in_another_language_is_dropped():
    story = STORIES["de"][1]
    body = paragraphs(story) + "<p>Folgen Sie der Autorin auf Twitter und Instagram.</p>"
    assert text_lines("de", body) == story


@pytest.mark.parametrize(
    ("text", "trailer"),
    [
        ("Volg ons op Twitter en Facebook voor het laatste nieuws.", True),
        ("Síguenos en Facebook", True),
        ("Tags : pont, port", True),
        ("Aggiornato il 12 maggio 2024 alle 10:42", True),
        ("Tutti i diritti riservati", True),
        ("Wszelkie prawa zastrzeżone", True),
        # a closing sentence of a story, shaped like furniture but not furniture
        ("De burgemeester wordt gevolgd op Twitter door meer dan een miljoen mensen.", False),
        ("Comparte esta opinión el portavoz del partido en el ayuntamiento.", False),
        ("Condividere i costi con la regione era la condizione del sindaco.", False),
    ],
)
def test_closing_lines_in_other_languages(text, trailer):
    assert is_trailer(Block(Element("p"), text, 0)) is trailer


def test_a_compound_opening_like_a_teaser_word_stays_over_links():
    story = STORIES["de"][1]
    heading = "Mehr-Generationen-Haus eröffnet"
    links = (
        "<p><a href='/a'>Zehn Brücken, die Geschichte schrieben</a> | "
        "<a href='/b'>Warum Fähren wieder gefragt sind</a></p>"
    )
    body = paragraphs([*story[:3], heading]) + links + paragraphs(story[3:])
    assert heading in text_lines("de", body)


# a news agency's credit standing as the story's last line, in any language
@pytest.mark.parametrize(
    ("lang", "credit"),
    [
        ("fr", "(Avec AFP)"),
        ("fr", "Avec l'AFP et Reuters"),
        ("fr", "avec agences"),
        ("de", "(mit dpa)"),
        ("de", "dpa/AFP"),
        ("es", "(EFE)"),
        ("es", "Con agencias"),
        ("de", "— AFP"),
    ],
)
def test_a_closing_agency_credit_is_dropped(lang, credit):
    story = STORIES[lang][1]
    assert text_lines(lang, paragraphs([*story, credit])) == story


@pytest.mark.parametrize(
    "text",
    [
        "With AP and Reuters",
        "(Reuters)",
        "AP",
        "(With reporting by AP)",
        "(con ANSA)",
        "Con agenzie",
        "(met ANP)",
        "(\u0441 \u0422\u0410\u0421\u0421)",  # Russian: "(with TASS)"
    ],
)
def test_agency_credits_are_closing_lines(text):
    assert is_trailer(Block(Element("p"), text, 0))


@pytest.mark.parametrize(
    "text",
    [
        # a story's last sentence naming an agency is not its credit
        "Avec l'AFP, le ministère a confirmé le bilan mardi soir.",
        "The AP reported the figures first.",
        "Con la EFE colaboran más de tres mil periodistas.",
        "With thanks",
        "FAQ",
    ],
)
def test_sentences_naming_an_agency_stay(text):
    assert not is_trailer(Block(Element("p"), text, 0))
