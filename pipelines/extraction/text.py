"""Post-processing of trafilatura's body tree into the story text.

trafilatura (precision mode, links kept) returns a small XML tree: <p>, <head>, <list>,
<quote>, <table>... with <ref> marking anchor text. Three generic cleanups run on it, each
measured on the benchmark (see bench/extraction.py and the report in the pull request):

* the leading title / byline / date lines that repeat the page header are dropped, and
  the lines at the end equal to its title or its shown date line (trafilatura's short-page
  order);
* "Related: <link>" / "Read more: <link>" teaser paragraphs are dropped wherever they are,
  and so is a bare teaser label ("DON'T MISS") with the link-dense blocks under it, and a
  closing prompt of five words or fewer ("Advertisement", "Follow us"), and a furniture
  line of a few words ("See price at Amazon" as a lone link, "Advertiser Disclosure",
  "6 min read", "Sign up for our newsletter", "Written by Jane Doe");
* from the end, boilerplate is peeled off: link lists, share/subscribe/follow/newsletter
  prompts (at the start of a short block, or anywhere in it for the unmistakable ones:
  "click here", "sign up", "newsletter"...), tag lines, agency credit lines ("Reporting
  by ..."), short "Label: value" lines ("Tag: ...", "SOURCE: ...", "Buyer's Guide: ...")
  and headings with nothing after them ("Pick Six Newsletter", "Tell us what you think").

The words of these cleanups are English, German, French, Spanish, Portuguese, Italian and
Dutch, with the standard forms of Russian and Polish ("Lesen Sie auch", "À lire aussi",
"Kommentare (3)", "Tous droits réservés"), each rule on its English conditions.

Table rows repeating an earlier row (a <tfoot> restating the header) are dropped too. Once
the page's authors are known, the lines at the end of the text that open with an author's
full name ("Jane Doe is a staff writer covering ...") are the author's bio and go as well
(author_bio_lines, applied by ``core.set_text``).

While trafilatura and the cleanups read the page, FurnitureBoxes hides the boxes whose class
or id names them as furniture (a disclaimer, a disclosure, a modal, a pop-up, a sign-up form):
trafilatura's own list of such classes misses them.

Before trafilatura runs, unwrap_empty_inline() unwraps the page's empty inline elements: an
empty ``<span>`` before a list item's text made trafilatura's precision mode drop the item;
unwrap_heading_anchors() unwraps a heading's permalink and its link to another site: that
mode deletes a heading that is wholly a link (every section heading, every entry's name);
hoist_main() moves a ``<main>`` out of the ``<header>`` or menu an unclosed tag put it in.
paragraphs_from_breaks() wraps the runs of text a page sets off by ``<br><br>`` in ``<p>``,
on the copy of the page the partial-story fallback reads again (``fallback.paragraphed``);
paragraphs_from_divs() renames ``<p>`` the ``<div>``s a CMS writes its paragraphs as, on the
copy ``fallback.div_paragraphed`` reads: precision mode, finding no container it knows and
no ``<p>``, keeps only the page's tables, quotes and code (its wild-text recovery).

Then recover_chunks() adds story paragraphs that trafilatura missed because the page split
the article body into several sibling containers of the same class (it keeps the first),
unless the text already says their words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from urllib.parse import urlsplit

from lxml.etree import XPath, _Element, strip_tags
from lxml.html import HtmlElement

from archive.prompts import NEWSLETTER, SIGN_UP
from crawler.urls import same_site
from pipelines.extraction.dateline import MAX_DATE_LINE, read_date_line
from pipelines.extraction.joiners import xmltotxt
from pipelines.extraction.metadata import (
    AUTHOR_NOUNS,
    BY_COLON,
    BY_LEAD,
    BY_WORD_DECLARED,
    BY_WORDS,
    CREDIT_NOUNS,
    FROM_OUR,
    PUBLISHED,
    SOCIAL_NETWORKS,
    UPDATED,
    WIRE_SERVICES,
    WIRE_WITH,
    article_entity,
    clean_text,
    heading_text,
    jsonld_entities,
    linked_author,
    shares_title_words,
    uncased_byline,
    visible_byline,
)

BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "graphic"})
LEAD_WINDOW = 4  # header lines can only be among the first blocks
MAX_BYLINE_WORDS = 12
BYLINE_CAPITALISED = 0.6  # share of capitalised words after "By" in a byline
MAX_TRAILER_WORDS = 30  # a boilerplate prompt is short; longer blocks are story text
MAX_SOCIAL_WORDS = 40
MAX_SOCIAL_CHARS = 400  # also bounds the unanchored _SOCIAL search on hostile "words"
MAX_LABEL_WORDS = 4  # "Related stories", "DON'T MISS"
MAX_PROMPT_WORDS = 5  # a closing prompt this short is furniture wherever it stands
MAX_BUTTON_WORDS = 5  # a paragraph wholly a link this short, reading as a button
BUTTON_LINK_DENSITY = 0.9
MAX_NOTICE_WORDS = 12  # a disclosure label, a reading time, a call to share or join
MAX_SIGN_UP_WORDS = 20  # a call to sign up for a newsletter
MAX_CREDIT_WORDS = 6  # "Written by Jane Doe" standing alone
TEASER_LINK_DENSITY = 0.5
TRAILING_LINK_DENSITY = 0.6
TITLE_MATCH = 0.8  # share of the line's words found in the title
TITLE_COVER = 0.6  # share of the title's words found in the line

_WORD = re.compile(r"\w+")
# The vocabularies below are English first, then German, French, Spanish, Portuguese,
# Italian, Dutch, and Russian/Polish where a form is standard: the words news sites print,
# never a word that commonly opens a story's sentence in that language unless a condition
# (a colon or dash after it, the line's end) holds it as the English bare words are held.
# A phrase list used by two rules is one fragment here, read by both.
#
# Reading on: "Read more", "Weiterlesen", "Lire la suite" (a teaser label and a button).
READ_ON = (
    r"read more|see more"
    r"|weiterlesen|mehr lesen|lesen sie mehr"
    r"|lire la suite|lire plus|voir plus"
    r"|leer m[aá]s|seguir leyendo|sigue leyendo|ver m[aá]s"
    r"|leia mais|continue lendo|continuar lendo|ver mais"
    r"|leggi tutto|leggi di pi[uù]|continua a leggere"
    r"|lees meer|lees verder"
    r"|читать (?:далее|дальше|полностью)|czytaj (?:więcej|dalej)"
)
CLICK_HERE = (
    r"click here|hier klicken|klicken sie hier|cliquez ici|ha(?:z|ga) clic aqu[ií]"
    r"|clique aqui|clicca qui|klik hier|kliknij (?:tutaj|tu)|нажмите здесь"
)
# A comment count's noun ("Comments (3)", "Kommentare (3)", "12 commentaires").
COMMENTS = (
    r"comments?|kommentare?|commentaires?|comentarios?|coment[aá]rios?|comment[oi]"
    r"|reacties?|комментари\w*|komentarz[ey]?"
)
# in scripts whose vowel signs end a word where "\b" sees none: the Hindi "यह भी पढ़ें"
# ("read this too"), the Marathi "हेही वाचा", the Nepali "यो पनि पढ्नुहोस्", the Bengali
# "আরও পড়ুন", the Tamil "இதையும் படிக்க", the Urdu "یہ بھی پڑھیں", the Persian "بیشتر
# بخوانید", the Thai "อ่านเพิ่มเติม", "อ่านข่าวที่เกี่ยวข้อง"
_TEASER_UNSPACED = (
    r"(?:यह|ये|इसे|इन्हें) भी पढ़ें|हेही वाचा|यो पनि पढ्नुहोस्|আরও পড়ুন|இதையும் படிக்க(?:வும்)?"
    r"|یہ بھی پڑھیں|بیشتر بخوانید|อ่านเพิ่มเติม|อ่านข่าวที่เกี่ยวข้อง"
)
# Teaser labels: a bare word needs a colon or dash after it ("Related: ...", "MORE - ...",
# "Mehr zum Thema:", "Relacionado:"), the longer phrases stand alone ("Read more", "You may
# also like", "Lesen Sie auch", "À lire aussi", "Te puede interesar", "Читайте также").
_TEASER = re.compile(
    r"^\W*(?:(?:related(?: stories| articles| posts?| content| coverage| links?| reading"
    r"| videos?)?|more|watch|listen|trending|recommended"
    r"|mehr(?!-\w)|mehr dazu|zum thema|auch interessant|auch lesenswert"
    r"|weitere (?:artikel|beiträge|nachrichten|themen)|empfohlen|meistgelesen"
    r"|[àa] lire|[àa] voir|[àa] d[eé]couvrir|les plus lus|recommand[eé]s?|tendances?"
    r"|relacionad[oa]s?|lo más leído|más noticias|recomendad[oa]s?|tendencias"
    r"|mais lid[oa]s|em alta"
    r"|correlat[io]|i pi[uù] letti|consigliat[io]"
    r"|gerelateerd|ook interessant|meest gelezen|aanbevolen"
    r"|по теме|рекомендуем|polecamy|najczęściej czytane"
    r"|más información|ilgili haber(?:ler)?|по темі)"
    r"\s*(?:[:|\-\u2013\u2014]|$)"
    rf"|(?:{READ_ON}|read also|also read"
    r"|read next|see also|also on|more from|more stories|you may also like"
    r"|you might also like|don'?t miss|watch now"
    r"|lesen sie (?:auch|hier)|siehe auch|passend zum thema|mehr zum thema"
    r"|(?:das|dies) k[oö]nnte (?:sie|dich) auch interessieren"
    r"|(?:ähnliche|verwandte) (?:artikel|beiträge|themen|nachrichten)"
    r"|(?:[àa] )?lire (?:aussi|également)|(?:[àa] )?voir aussi|sur le même (?:sujet|thème)"
    r"|dans la même rubrique|articles (?:similaires|liés|connexes)"
    r"|vous (?:aimerez|pourriez) (?:aussi|peut-être|également)"
    r"|ces articles pourraient vous intéresser"
    r"|le[ae] también|ver también|(?:también )?(?:te|le) puede interesar|puede interesarte"
    r"|te recomendamos|(?:noticias|artículos) relacionad[oa]s|no te pierdas"
    r"|leia também|veja também|(?:notícias|artigos|matérias) relacionad[oa]s"
    r"|você (?:também )?pode gostar|não perca"
    r"|leggi anche|vedi anche|guarda anche|(?:ti )?potrebbe interessarti|ti potrebbe interessare"
    r"|(?:articoli|notizie) correlat[ie]|da non perdere"
    r"|lees ook|zie ook|bekijk ook|gerelateerde artikelen|meer over dit onderwerp"
    r"|читайте (?:также|ещ[её])|смотрите также|см\. также|ещ[её] по теме"
    r"|похожие (?:статьи|новости|материалы)"
    r"|(?:prze)?czytaj (?:też|także|również)|zobacz (?:też|także|również)"
    r"|(?:podobne|powiązane) artykuły"
    r"|(?:přečtěte si|čtěte) (?:také|též)|läs (?:också|även)|læs også|les også"
    r"|читайте (?:також|ще)|дивіться також|(?:bunlar da )?ilginizi çekebilir"
    r"|baca juga|simak juga|xem thêm|đọc thêm|tin liên quan|basahin din|soma pia)\b"
    rf"|(?:{_TEASER_UNSPACED})(?=[\s:|\-\u2013\u2014]|$))",
    re.I,
)
# A news agency's credit standing as the line ("(AFP)", "Avec AFP", "(mit dpa)", "con
# agenzie", "With AP and Reuters"; the agencies and the "with" words: ``metadata``); a
# credit inside a sentence ("PARIS (AFP) - ...") is not a line of its own.
_AND = r",|/|&|and|et|e|y|und|en|и|i"
# the editor's initials after the agencies, in small letters ("dpa/lnw", "AFP/dpa/jbe"),
# as German papers close a story
_EDITOR_INITIALS = r"(?:\s*/\s*(?-i:[a-zäöü]{2,4}))*"
_AGENCY_CREDIT = (
    rf"(?:(?:{WIRE_WITH})\s+(?:l['\u2019]\s*)?)?(?:{WIRE_SERVICES})"
    rf"(?:\s*(?:{_AND})\s*(?:l['\u2019]\s*)?(?:{WIRE_SERVICES}))*{_EDITOR_INITIALS}\W*$"
)
# Closing prompts and credits; matched only at the start of a short trailing block. An
# advertisement's label of another language is the whole line ("Anzeige" is also a
# criminal complaint, "Anzeige gegen Unbekannt").
_TRAILER = re.compile(
    r"^\W*(?:share (?:this|on|the)\b|share$|follow (?:us|him|her|me|them)\b"
    rf"|(?:{SIGN_UP}|{CLICK_HERE}|{NEWSLETTER})\b"
    rf"|tell us what|(?:{COMMENTS})\s*(?:\(\d+\))?$|\d+ (?:{COMMENTS})\b"
    r"|(?:view|show|leave a|post a) (?:comments?|reply)\b|comments are closed|copyright\b|©"
    r"|\(c\) ?\d{4}|all rights reserved|advertisement\b"
    r"|like this (?:story|article)\b|filed under\b|posted in\b"
    r"|tagged\b|\(?(?:with )?(?:additional )?reporting by\b|\(?editing by\b|\(?writing by\b"
    rf"|\(?compiled by\b|(?:{UPDATED})\b|get the (?:latest|best)\b|have a (?:news )?tip\b"
    r"|contact (?:us|the author)\b"
    # German, French, Spanish, Portuguese, Italian, Dutch, Russian, Polish
    r"|(?:teilen|partager|compartir|compartilhar|partilhar|condividi|delen|поделиться"
    r"|udostępnij)\W*$"
    r"|(?:artikel|beitrag|jetzt) teilen\b|teilen sie (?:diesen|den) (?:artikel|beitrag)\b"
    r"|partage[rz] (?:cet article|sur)\b|compartir en\b|comparte (?:esta noticia|este artículo)"
    r"|compartilhe\b|condividi (?:su|questo|l['\u2019]articolo)\b"
    r"|deel (?:dit (?:artikel|bericht)|op)\b"
    r"|folgen sie uns\b|folge uns\b|suivez-nous\b|s[ií]g(?:ue|a)nos\b|siga-nos\b|seguici\b"
    r"|volg ons\b|obserwuj nas\b"
    r"|(?:einen )?kommentar (?:schreiben|verfassen|hinterlassen)\b"
    r"|kommentare (?:anzeigen|lesen)\b|jetzt kommentieren\b"
    r"|(?:laisser|ajouter) un commentaire\b|(?:voir|afficher) les commentaires\b"
    r"|(?:deja|dejar|escribe) (?:un|tu) comentario\b|ver (?:los )?coment[aá]rios\b"
    r"|deixe (?:um|seu|o seu) comentário\b"
    r"|(?:lascia|scrivi) un commento\b|(?:laat een|plaats een) reactie\b"
    r"|(?:оставить|добавить) комментарий|(?:dodaj|zostaw) komentarz\b"
    r"|les commentaires sont fermés|los comentarios están cerrados"
    r"|(?:anzeige|werbung|publicit[eé]|publicidad|publicidade|pubblicit[aà]|advertentie"
    r"|реклама|reklama)\W*$"
    r"|abgelegt unter\b|class[eé] dans\b|archivado en\b|arquivado em\b|archiviato in\b"
    r"|(?:tags?|topics?|categories|schlagw[oö]rter|schlagworte|stichw[oö]rter|stichworte"
    r"|themen|kategorien?|mots[- ]cl[eé]s|[eé]tiquettes|th[eè]mes|cat[eé]gories?|etiquetas|temas"
    r"|categor[ií]as?|palavras-chave|t[oó]picos|argomenti|categori[ae]|parole chiave"
    r"|trefwoorden|onderwerpen|categorie[eë]n|теги|метки|tagi)\s*:"
    rf"|{_AGENCY_CREDIT}"
    r"|mitarbeit\s*:|mit material (?:von|der|des)\b|con información de\b"
    r"|com informações d[eao]s?\b"
    r"|alle rechte vorbehalten|tous droits r[eé]serv[eé]s|todos los derechos reservados"
    r"|todos os direitos reservados|tutti i diritti riservati|alle rechten voorbehouden"
    r"|все права защищены|wszelkie prawa zastrzeżone|riproduzione riservata"
    r"|alle rettigheder forbeholdes|alle rettigheter reservert|alla rättigheter förbehållna"
    r"|všechna práva vyhrazena|tüm hakları saklıdır|усі права захищені"  # noqa: RUF001
    r"|kontaktieren sie uns\b|contactez-nous\b|cont[aá]ct(?:enos|anos)\b|contattaci\b)",
    re.I,
)
# "Follow Jane on Twitter", "Suivez-nous sur Facebook", "on Twitter @jane", an e-mail address.
_SOCIAL = re.compile(
    rf"follow \w+(?: \w+){{0,5}} on (?:{SOCIAL_NETWORKS})"
    r"|\b(?:folge|suivez|s[ií]gue|s[ií]ganos|siga|segui|volg|obserwuj)[\w-]*"
    rf"(?: [\w'\u2019-]+){{0,5}} (?:auf|sur|en|no|na|su|op) (?:{SOCIAL_NETWORKS})"
    rf"|(?:on|\b(?:auf|sur|en|no|su|op)) (?:{SOCIAL_NETWORKS}) @"
    r"|\b[\w.+-]+@[\w-]+\.[\w.]+\b",
    re.I,
)
# A prompt that sells something wherever it sits in a short closing block.
_PROMO = re.compile(rf"\b(?:{CLICK_HERE}|{SIGN_UP}|{NEWSLETTER}|unsubscribe)\b", re.I)
# A paragraph that is wholly a link and reads as a button or a site's legal link.
_BUTTON = re.compile(
    rf"^\W*(?:{READ_ON}|learn more|view more|more info|find out more|continue reading"
    r"|back to\b|(?:see|check|view|compare) (?:the )?(?:latest )?(?:prices?|deals?|offer|details)\b"
    r"|(?:buy|shop|order|book|apply|download|register|donate|enrol|enroll) now\b|get (?:a )?quote\b"
    r"|view pdf\b|privacy policy|cookie (?:notice|policy|settings|preferences)"
    r"|terms (?:of|and) (?:use|service|conditions)"
    r"|mehr erfahren|mehr anzeigen|zum (?:artikel|beitrag|angebot)\b"
    r"|zur[uü]ck (?:nach oben|zum|zur)\b|jetzt (?:kaufen|bestellen|buchen|spenden|herunterladen)\b"
    r"|datenschutz|impressum|nutzungsbedingungen|cookie-einstellungen"
    r"|en savoir plus|retour (?:en haut|[àa]|au|aux)\b"
    r"|voir (?:l['\u2019]offre|le prix)\b|acheter maintenant\b"
    r"|mentions l[eé]gales|politique de confidentialit[eé]|conditions g[eé]n[eé]rales"
    r"|volver (?:arriba|a|al)\b|comprar ahora\b|ver (?:oferta|precio)\b"
    r"|pol[ií]tica de privacidad|aviso legal"
    r"|saiba mais|voltar (?:ao topo|para|ao|[àa])\b|comprar agora\b|ver (?:oferta|preço)\b"
    r"|pol[ií]tica de privacidade|termos de uso"
    r"|scopri di pi[uù]|torna (?:su|al?|alla)\b|torna all['\u2019]|acquista ora\b|vedi offerta\b"
    r"|informativa (?:sulla )?privacy|termini e condizioni"
    r"|meer (?:info|informatie)\b|terug naar\b|nu kopen\b|privacybeleid|privacyverklaring"
    r"|algemene voorwaarden"
    r"|подробнее|наверх\b|политика конфиденциальности"
    r"|powrót do\b|polityka prywatności)",
    re.I,
)
# Page furniture standing as a line of its own: disclosure labels, reading times, calls to
# share a story, to join a site or to receive its notifications.
_NOTICE = re.compile(
    r"^\W*(?:(?:advertiser|affiliate|advertising|editorial) disclosure"
    r"|\d+\s*(?:min|mins|minutes?)\.? read(?: time)?"
    r"|(?:lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo de leitura"
    r"|tempo di lettura|leestijd|время чтения|czas czytania)\W*\d"
    r"|\d+\s*(?:min|minuten|minutos|minuti|минут[аы]?|мин)\.?"
    r"\s*(?:lesezeit|de lecture|de lectura|de leitura|di lettura|leestijd|чтения|czytania)"
    r"|share your (?:story|thoughts|experience|feedback|comments?)\b|join \w+ for free\b"
    r"|would you like to (?:receive|get) (?:notifications|updates)\b"
    # the markers an advertisement leaves between a story's paragraphs ("Story continues
    # below advertisement", "Skip Advertisement", "Scroll to continue with content") and
    # the players and buttons over a story ("Listen to this article", "Gift this article")
    r"|\(?(?:the )?(?:story|article|text) continues(?:\W*$| below\b"
    r"| after (?:the |this )?(?:ad|advertisement)\b)"
    r"|continue reading (?:below|after)\b|skip (?:advertisement|ad)\W*$"
    r"|scroll (?:down )?to continue\b"
    r"|listen to (?:this|the) (?:article|story)(?:\W*$|\s*[·|•(]|\s+now\b)"
    r"|gift this (?:article|story)\W*$|(?:recommended|sponsored) (?:stories|content)\W*$)",
    re.I,
)
# "Sign up for our newsletter", "For daily tips, subscribe to the newsletter", "Click here to
# subscribe to our newsletter", "Get the latest news delivered to your inbox": the verb opens
# a clause ("the newsletters I subscribe to" is a story's sentence).
_SIGN_UP = re.compile(
    rf"(?:^|[.!?,:;]\s)\W*(?:(?:(?:{CLICK_HERE}) to )?(?:{SIGN_UP})\b"
    r"|get (?:the|our) (?:latest|best|top|daily|weekly)\b)",
    re.I,
)
_NEWSLETTER = re.compile(rf"\b(?:{NEWSLETTER})\b", re.I)
# An author credit standing alone ("Written by Jane Doe") inside or under the story.
_CREDIT = re.compile(
    r"^\W*(?:(?:written|posted|words|reviewed|edited|fact[- ]checked) by"
    r"|(?:geschrieben|verfasst|gepostet) von|(?:[eé]crit|r[eé]dig[eé]|publi[eé]) par"
    r"|(?:escrito|redactado|publicado|postado|editado) por|(?:scritto|pubblicato) da|a cura di"
    r"|(?:geschreven|geplaatst) door)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"[.!?:;\"\u201d]$")
# "Tag: x", "SOURCE: News agencies", "Related Roundup: MacBook Pro": a label of a few words
_LABELLED = re.compile(r"^[^\W\d][\w'\u2019&. ]{0,30}:\s+\S")
_SENTENCE_END = re.compile(r"[.!?\"\u201d]$")
MAX_LABELLED_WORDS = 8
_DIGIT = re.compile(r"\d")
_NAME_JOINERS = frozenset({"and", "und", "et", "y", "of", "de", "van", "von", "der", "in", "for"})
# "By Jane Doe", "Von Max Mustermann", "Autor: …", "Text: …" (metadata's byline words)
_BYLINE = re.compile(
    rf"^(?:(?:{BY_LEAD}\s+)?(?:{BY_WORDS})\s|{FROM_OUR}\s"
    rf"|(?:{AUTHOR_NOUNS}|{CREDIT_NOUNS})\s*{BY_COLON}\s?)",
    re.I,
)
# the "by" read only on a page declaring its language (metadata's ``BY_WORD_DECLARED``:
# "Oleh Budi Santoso" on an Indonesian page, "Oleh Sentsov" elsewhere a name)
_BYLINE_IN_LANGUAGE = {
    language: re.compile(rf"^{word}(?:\s*:)?\s", re.I)
    for language, word in BY_WORD_DECLARED.items()
}
# a date line's label: "Updated", "Aktualisiert am", "Publié le", "Publicado el"...
_STAMP = re.compile(
    rf"^(?:{UPDATED}|{PUBLISHED}|last updated|first published|zuletzt aktualisiert)\b", re.I
)


@dataclass(slots=True)
class Block:
    """One block-level element of the body with its flattened text and anchor-text size."""

    element: _Element
    text: str
    link_chars: int
    _words: int = field(default=-1, repr=False, compare=False)

    @property
    def words(self) -> int:
        """Number of word tokens (counted once: every cleanup asks, the text never changes)."""
        if self._words < 0:
            self._words = len(_WORD.findall(self.text))
        return self._words

    @property
    def link_density(self) -> float:
        """Share of the block's characters that are anchor text."""
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


# inline elements a template leaves empty (icons, bullet spans) before a list item's text
EMPTY_INLINE_TAGS = ("span", "i", "b", "em", "strong", "font", "small", "u")


def unwrap_empty_inline(tree: HtmlElement) -> None:
    """Unwrap the empty inline elements of the page (no text, no child), keeping the text
    after them. trafilatura's precision mode drops a list item whose text follows an
    empty ``<span>`` (``<li><span></span>Fixed switches: ...</li>``): whole lists of a
    story were lost so."""
    empty = [
        element
        for element in tree.iter(*EMPTY_INLINE_TAGS)
        if len(element) == 0 and not (element.text or "").strip()
    ]
    for element in empty:
        element.drop_tag()


# inline elements: they stay inside a run of text (a paragraph written without <p>)
INLINE_TAGS = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "sup", "sub", "code", "mark"}
    | {"abbr", "cite", "q", "s", "time", "label"}
)
# elements whose runs of text between <br><br> an older CMS wrote as its paragraphs
BREAK_CONTAINERS = ("body", "div", "td", "dd", "section", "article", "main", "blockquote", "center")
# what a run of text between double breaks holds: inline elements, single breaks, images
RUN_TAGS = INLINE_TAGS | {"br", "img"}


def paragraphs_from_breaks(tree: HtmlElement) -> bool:
    """Wrap in a ``<p>`` each run of text that a container sets off by two ``<br>`` or more
    (or by its block children), where it holds such a double break: an older CMS's (or a
    hand-written page's) paragraphs, ``Text.<br><br>Text.``. trafilatura's precision mode
    reads a page without ``<p>`` as a few loose lines, or keeps a table of it and loses the
    story around. A single ``<br>`` stays a line break inside its paragraph; a run without
    text (an image, an empty link) is left unwrapped. Whether anything was wrapped."""
    wrapped = False
    for container in list(tree.iter(*BREAK_CONTAINERS)):
        children = list(container)
        separators = _separators(children)
        if separators:
            _wrap_runs(container, children, separators)
            wrapped = True
    return wrapped


def has_break_paragraphs(tree: HtmlElement) -> bool:
    """Whether a container of the page sets off runs of text by double breaks."""
    return any(_separators(list(container)) for container in tree.iter(*BREAK_CONTAINERS))


def _separators(children: list[HtmlElement]) -> set[int]:
    """Positions of the ``<br>`` that make chains of two or more (blank text between)."""
    found: set[int] = set()
    for i, (child, following) in enumerate(pairwise(children)):
        if child.tag == "br" and following.tag == "br" and not (child.tail or "").strip():
            found.update((i, i + 1))
    return found


def _wrap_runs(container: HtmlElement, children: list[HtmlElement], separators: set[int]) -> None:
    """Rebuild ``container``'s content: its runs of text and inline children between the
    double breaks at ``separators`` and its block children as ``<p>``, the breaks dropped."""
    content: list[HtmlElement] = []
    run: list[HtmlElement] = []
    text = container.text
    container.text = None
    for child in children:
        container.remove(child)  # its tail goes with it
    for i, child in enumerate(children):
        if i in separators:
            content += _paragraph(container, text, run)
            text, run = child.tail, []
        elif not isinstance(child.tag, str) or child.tag in RUN_TAGS:
            run.append(child)  # a comment's tail, too, stays on the run
        else:
            content += _paragraph(container, text, run)
            text, run, child.tail = child.tail, [], None
            content.append(child)
    content += _paragraph(container, text, run)
    container.extend(content)


def _paragraph(
    container: HtmlElement, text: str | None, run: list[HtmlElement]
) -> list[HtmlElement]:
    """The run as a ``<p>`` (a trailing ``<br>`` dropped), or its elements as they are when
    it holds no text."""
    if run and run[-1].tag == "br" and not (run[-1].tail or "").strip():
        run = run[:-1]
    words = (text or "") + "".join(
        (child.text_content() if isinstance(child.tag, str) else "") + (child.tail or "")
        for child in run
    )
    if not words.strip():
        return run
    paragraph = container.makeelement("p")
    paragraph.text = text
    paragraph.extend(run)
    return [paragraph]


# a <div> written as a paragraph: inline content only, this many characters ending a
# sentence (a CMS that writes every paragraph as a <div>)
DIV_PARAGRAPH = 60
DIV_PARAGRAPH_LINK_SHARE = 0.3
_PARAGRAPH_END = re.compile(r"[.!?:\"\u201d)]$")


def _is_run_div(element: HtmlElement) -> bool:
    """A ``<div>`` holding text and inline elements only (a run of text)."""
    return element.tag == "div" and all(
        not isinstance(child.tag, str) or child.tag in RUN_TAGS for child in element
    )


def _is_div_paragraph(element: HtmlElement) -> bool:
    """A run ``<div>`` reading as a story paragraph: ``DIV_PARAGRAPH`` characters or more,
    a sentence's end, links under ``DIV_PARAGRAPH_LINK_SHARE`` of its text."""
    text = normalise(element.text_content())
    if len(text) < DIV_PARAGRAPH or not _PARAGRAPH_END.search(text):
        return False
    links = sum(len(anchor.text_content()) for anchor in element.iter("a"))
    return links < DIV_PARAGRAPH_LINK_SHARE * len(text)


def div_paragraph_chars(tree: HtmlElement) -> tuple[int, int]:
    """Characters of the page's story-shaped ``<div>`` paragraphs and of its ``<p>``."""
    divs = sum(
        len(normalise(d.text_content()))
        for d in tree.iter("div")
        if _is_run_div(d) and _is_div_paragraph(d)
    )
    paragraphs = sum(len(normalise(p.text_content())) for p in tree.iter("p"))
    return divs, paragraphs


def paragraphs_from_divs(tree: HtmlElement) -> bool:
    """Rename ``<p>`` every run ``<div>`` holding text in a container that holds a story
    paragraph written as a ``<div>`` (:func:`_is_div_paragraph`): its short paragraphs
    too, not a label or a share box standing alone elsewhere. Whether any was."""
    containers = {
        d.getparent() for d in tree.iter("div") if _is_run_div(d) and _is_div_paragraph(d)
    }
    renamed = False
    for container in containers:
        if container is None:
            continue
        for child in container:
            if _is_run_div(child) and child.text_content().strip():
                child.tag = "p"
                renamed = True
    return renamed


# elements a <main> may not stand in (HTML's content model): one found inside them is in a
# header, a menu or a sidebar the markup never closed
NOT_MAIN_PARENTS = ("header", "nav", "aside", "footer")


def hoist_main(tree: HtmlElement) -> None:
    """Move each ``<main>`` that stands inside a ``<header>``, ``<nav>``, ``<aside>`` or
    ``<footer>`` out to follow the outermost of them; the text after it stays where it was.
    HTML allows no ``<main>`` there: a page that never closed its header or menu had its
    whole story parsed into it, and every reader of page furniture (trafilatura's
    precision mode deletes a ``<header>``, the partial-story test skips a ``<nav>``) lost
    the story with it."""
    for main in list(tree.iter("main")):
        outer = None
        for ancestor in main.iterancestors(*NOT_MAIN_PARENTS):
            outer = ancestor
        if outer is None:
            continue
        tail, main.tail = main.tail, None
        if tail:
            previous = main.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent = main.getparent()
                parent.text = (parent.text or "") + tail
        outer.addnext(main)


MIN_STORY_CHARS = 500  # paragraph text of the story, and of an article appended after it
# what an article of its own holds, and a story's or a landing page's section does not: its
# element, its date (a section's <header>, a page's <footer> or menu are no sign)
OWN_ARTICLE_TAGS = ("article", "time")


def _h1s(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """The page's ``<h1>`` with text, with their text."""
    return [(h, text) for h in tree.iter("h1") if (text := clean_text(heading_text(h)))]


def _headlines(tree: HtmlElement, titles: list[str]) -> list[tuple[HtmlElement, str]]:
    """The ``<h1>`` that may head the page's own story, with its text: the first alike its
    most trusted title that one is (:func:`_alike`; the headline read first), and the first
    alike any title (an appended article's own markup may have misled the headline's
    reading; a site's name in an ``<h1>`` is alike the ``<title>`` that ends with it)."""
    headings = _h1s(tree)
    found = [
        next(((h, text) for h, text in headings if _alike(text, title)), None) for title in titles
    ]
    trusted = next((pair for pair in found if pair is not None), None)
    first = next((pair for pair in headings if any(_alike(pair[1], t) for t in titles)), None)
    return [pair for pair in (trusted, first) if pair is not None][: 1 if trusted == first else 2]


def _heads_story(heading: HtmlElement, branch: HtmlElement, order: dict[HtmlElement, int]) -> bool:
    """Whether ``heading`` heads ``MIN_STORY_CHARS`` of paragraphs of its own in ``branch``:
    after it, before the branch's next ``<h1>``, and in no ``<article>`` that does not hold
    it (the teaser cards of a section under an ``<h1>`` are no story of the heading's)."""
    holders = {a for a in heading.iterancestors() if a.tag == "article"}
    end = min(
        (order[h] for h in branch.iter("h1") if order[h] > order[heading]), default=len(order)
    )
    story = (
        p
        for p in branch.iter("p")
        if order[heading] < order[p] < end
        and all(a in holders for a in p.iterancestors() if a.tag == "article")
    )
    return sum(len(normalise(p.text_content())) for p in story) >= MIN_STORY_CHARS


def _alike(heading: str, title: str) -> bool:
    """Whether either holds most of the other's words (a headline with or without its
    kicker, a title with or without its tagline)."""
    return shares_title_words(heading, title) or shares_title_words(title, heading)


def _branch(first: HtmlElement, heading: HtmlElement) -> HtmlElement:
    """The outermost ancestor-or-self of ``heading`` that does not hold ``first``."""
    ancestors = set(first.iterancestors())
    branch = heading
    for ancestor in heading.iterancestors():
        if ancestor in ancestors:
            break
        branch = ancestor
    return branch


def next_articles(tree: HtmlElement, titles: list[str]) -> list[HtmlElement]:
    """The articles a page appends after its own (infinite scroll), outermost first.

    After a headline of the page (:func:`_headlines`) and its story (``MIN_STORY_CHARS`` of
    paragraph text), each branch of the page that holds an ``<h1>`` of other words than the
    headline's, a story of its own and an element only an article holds
    (``OWN_ARTICLE_TAGS``: its ``<article>``, its date), outside the ``<article>`` holding
    the headline: a story's sections under ``<h1>`` headings, and a site's name in an
    ``<h1>`` above the headline, are none. On a page whose ``<h1>`` are alike no title,
    its first ``<h1>`` is the headline, and a branch counts only where its ``<h1>`` heads
    a story of its own (:func:`_heads_story`)."""
    order: dict[HtmlElement, int] = {}
    branches: list[HtmlElement] = []
    candidates = _headlines(tree, titles)
    # no <h1> alike a title (an appended page's markup may have misled them all): the page's
    # first <h1>, when a later one heads a story of its own (:func:`_heads_story`)
    unsure = not candidates
    if unsure:
        candidates = _h1s(tree)[:1]
    for first, headline in candidates:
        for heading in tree.iter("h1"):
            text = clean_text(heading_text(heading))
            if heading is first or not text or first in heading.iterancestors():
                continue
            if shares_title_words(text, headline) and shares_title_words(headline, text):
                continue  # the headline again (a sticky header)
            branch = _branch(first, heading)
            if branch is heading or branch in branches or branch.getparent() is None:
                continue
            if any(a.tag == "article" for a in branch.iterancestors()):
                continue
            if not order:
                order = {element: i for i, element in enumerate(tree.iter())}
            if not order[first] < order[branch] or not _own_article(branch, heading):
                continue
            if unsure and not _heads_story(heading, branch, order):
                continue
            before = (p for p in tree.iter("p") if order[first] < order[p] < order[branch])
            if sum(len(normalise(p.text_content())) for p in before) >= MIN_STORY_CHARS:
                branches.append(branch)
    return [b for b in branches if not any(a in branches for a in b.iterancestors())]


def _own_article(branch: HtmlElement, heading: HtmlElement) -> bool:
    """Whether ``branch`` holds a story and a sign of an article of its own: an element
    only an article holds (``OWN_ARTICLE_TAGS``), a site header of its own
    (:func:`_own_banner`), or markup stating its own article metadata: an article-typed
    JSON-LD entity, a byline naming someone, a link to an author's page
    (:func:`metadata.visible_byline`, :func:`metadata.linked_author`)."""
    if _paragraph_chars(branch) < MIN_STORY_CHARS:
        return False
    if any(el is not heading for el in branch.iter(*OWN_ARTICLE_TAGS)):
        return True
    if _own_banner(branch):
        return True
    return bool(
        article_entity(jsonld_entities(branch)) or visible_byline(branch) or linked_author(branch)
    )


# a <header> or <footer> inside one of these is that part's own; outside them it is the
# page's banner or content info, its site header or footer (ARIA's landmark rules, as a
# screen reader lists them)
HEADER_SCOPES = ("article", "aside", "main", "nav", "section")
# (the elements that may be one, the role that makes one whatever its scope)
BANNER = (XPath("descendant-or-self::header | descendant-or-self::*[@role='banner']"), "banner")
CONTENT_INFO = (
    XPath("descendant-or-self::footer | descendant-or-self::*[@role='contentinfo']"),
    "contentinfo",
)


def _landmarks(root: HtmlElement, landmark: tuple[XPath, str]) -> list[HtmlElement]:
    """The site headers (``BANNER``) or footers (``CONTENT_INFO``) under ``root``: of the
    landmark's role, or the element scoped to no ``HEADER_SCOPES`` part."""
    candidates, role = landmark
    return [
        el
        for el in candidates(root)
        if el.get("role") == role or not any(a.tag in HEADER_SCOPES for a in el.iterancestors())
    ]


def _second_landmark(branch: HtmlElement, landmark: tuple[XPath, str]) -> bool:
    """Whether ``branch`` holds the landmark while the page holds another outside it."""
    if not _landmarks(branch, landmark):
        return False
    inside = set(branch.iter())
    return any(el not in inside for el in _landmarks(branch.getroottree().getroot(), landmark))


def _own_banner(branch: HtmlElement) -> bool:
    """Whether ``branch`` holds a site header or footer while the page holds another
    outside it: a page has one banner and one content info, so a second one after the
    story is another page's, loaded below it whole (its header, menu and footer with it)."""
    return _second_landmark(branch, BANNER) or _second_landmark(branch, CONTENT_INFO)


def drop_next_articles(tree: HtmlElement, titles: list[str]) -> int:
    """Drop the :func:`next_articles` a page appends after its own; how many."""
    appended = next_articles(tree, titles)
    for branch in appended:
        remove_element(branch)
    return len(appended)


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A comment thread's heading, the whole of it: "12 Comments", "Comments (3)", "4 Replies",
# "3 thoughts on “Title”", "One Response to “Title”" (WordPress themes), "5 Kommentare".
_THREAD_HEADING = re.compile(
    rf"(?:{COMMENTS})(?:\s*\(\d+\))?|\d+\s+(?:{COMMENTS}|responses?|replies)"
    r"|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:thoughts?|responses?|replies|comments?)\s+(?:on|to)\b.*",
    re.I,
)


def comment_threads(tree: HtmlElement) -> list[HtmlElement]:
    """The elements of the comment threads that follow a story (hidden while the text is
    read, :class:`FurnitureBoxes`): a heading (``<h2>``-``<h6>``,
    not wholly a link) that is a thread's (``_THREAD_HEADING``), after ``MIN_STORY_CHARS``
    of paragraph text, taken with the wrappers that hold it alone, and every element after
    it in its container (the comments, the reply form). A thread whose class names say
    nothing ("css-1a2b3c") escapes trafilatura's comment rules, and its text can outweigh a
    short story's."""
    found: list[HtmlElement] = []
    story = 0
    for element in tree.iter("p", *HEADING_TAGS[1:]):
        if element.tag == "p":
            if story < MIN_STORY_CHARS:  # past it, the count is not read
                story += len(normalise(element.text_content()))
            continue
        text = normalise(element.text_content())
        if story < MIN_STORY_CHARS or not _THREAD_HEADING.fullmatch(text):
            continue
        links = sum(len(normalise(a.text_content())) for a in element.iter("a"))
        if links * 2 >= len(text) or any(a in found for a in element.iterancestors()):
            continue
        top = element
        while (parent := top.getparent()) is not None and parent.getparent() is not None:
            if normalise(parent.text_content()) != text:
                break
            top = parent
        found += [top, *top.itersiblings()]
    return found


def unwrap_heading_anchors(tree: HtmlElement, url: str | None = None) -> None:
    """Unwrap the links of headings that name an entry rather than lead to another story
    (:func:`is_entry_link`). trafilatura's precision mode deletes a heading that is wholly
    a link, so a page lost every section heading or every entry's name."""
    anchors = {  # a heading inside a heading holds its links twice: each unwrapped once
        anchor: None
        for heading in tree.iter(*HEADING_TAGS)
        for anchor in heading.iter("a")
        if is_entry_link(anchor.get("href") or "", url)
    }
    for anchor in anchors:
        anchor.drop_tag()


def is_entry_link(href: str, url: str | None) -> bool:
    """Whether a heading's link is its permalink (``<h2><a href="#setup">Setup</a></h2>``)
    or, given the page's ``url``, leads to another site (a list entry naming the product,
    place or resource it is about). A link to another page of the same site is the title
    of a card for another story: it stays a link."""
    if href.startswith("#"):
        return True
    if not url:
        return False
    try:
        host = urlsplit(href.strip()).hostname
    except ValueError:
        return False
    return host is not None and not same_site(f"//{host}", url)


def normalise(text: str) -> str:
    """Collapse runs of whitespace (``str.split`` splits on exactly the characters ``\\s``
    matches, at a quarter of a regex substitution's cost)."""
    return " ".join(text.split())


def word_counts(text: str) -> Counter[str]:
    """Lower-cased word bag, for containment of one text in another."""
    return Counter(w.lower() for w in _WORD.findall(text))


def words_of(text: str) -> set[str]:
    """Lower-cased word set, for fuzzy line comparisons."""
    return {w.lower() for w in _WORD.findall(text)}


def collect_blocks(body: _Element) -> list[Block]:
    """List the block elements of the body in document order, not descending into blocks."""
    blocks: list[Block] = []
    stack: list[_Element] = list(reversed(body))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if element.tag in BLOCK_TAGS:
            text = normalise("".join(element.itertext()))
            links = sum(len(normalise("".join(ref.itertext()))) for ref in element.iter("ref"))
            blocks.append(Block(element, text, links))
        else:
            stack.extend(reversed(element))
    return blocks


def repeats_title(text: str, titles: list[str]) -> bool:
    """Whether a line is (mostly) one of the page's title variants."""
    line = words_of(text)
    if not line:
        return False
    for title in titles:
        words = words_of(title)
        shared = len(line & words)
        if words and shared / len(line) >= TITLE_MATCH and shared / len(words) >= TITLE_COVER:
            return True
    return False


def is_header_line(block: Block, titles: list[str], language: str = "") -> bool:
    """A leading line that repeats the page header: title, byline (in the page's declared
    ``language`` too) or date (labelled "Updated …" or bare: "May 12, 2024", "05.12.2024,
    14:30 Uhr")."""
    if not block.text:
        return True
    if repeats_title(block.text, titles):
        return True
    if block.words > MAX_BYLINE_WORDS:
        return False
    if is_byline(block.text, language) or bool(
        _STAMP.match(block.text) and _DIGIT.search(block.text)
    ):
        return True
    return (
        len(block.text) <= MAX_DATE_LINE
        and not block.text.endswith(":")  # "Effective beginning 6/2/2025:" opens the story
        and read_date_line(block.text, datetime.combine(date.today(), datetime.max.time()))
        is not None
    )


def is_byline(text: str, language: str = "") -> bool:
    """ "By Jane Doe and John Roe, Reuters" but not "By Tuesday evening, the fire was out.";
    "Oleh Budi Santoso" on a page declared Indonesian (``language``); a byline without
    capitals in its own shape ("记者 张三", "홍길동 기자": ``metadata.uncased_byline``)."""
    declared = _BYLINE_IN_LANGUAGE.get(language)
    match = _BYLINE.match(text) or (declared.match(text) if declared else None)
    if match is None or text.endswith("."):
        return bool(uncased_byline(text, language))
    words = [w for w in _WORD.findall(text[match.end() :]) if w.lower() not in _NAME_JOINERS]
    capitalised = sum(w[0].isupper() for w in words)
    return (bool(words) and capitalised / len(words) >= BYLINE_CAPITALISED) or bool(
        uncased_byline(text, language)
    )


def leading_header(blocks: list[Block], titles: list[str], language: str = "") -> set[int]:
    """Indices of the header lines at the top of the body (``language``: the page's)."""
    dropped: set[int] = set()
    for index, block in enumerate(blocks[:LEAD_WINDOW]):
        if not is_header_line(block, titles, language):
            break
        dropped.add(index)
    return dropped


def trailing_header(
    blocks: list[Block],
    titles: list[str],
    is_date_line: Callable[[str], bool],
    dropped: set[int],
) -> set[int]:
    """Indices of the lines at the end of the body that repeat the page's own header word
    for word: a title we found (``titles``) or the date line shown beside the headline
    (``is_date_line``: ``core.shown_date``'s line). On a short story trafilatura appends the
    header it meets in a wider frame (the ``<h1>``, the date line under it) after the
    paragraphs it took first. At most ``LEAD_WINDOW`` lines, and a story line not
    ``dropped`` stays before them."""
    header = {normalise(title) for title in titles}
    header.discard("")
    found: set[int] = set()
    for index in range(len(blocks) - 1, -1, -1):
        text = blocks[index].text
        if len(found) == LEAD_WINDOW or (text and text not in header and not is_date_line(text)):
            break
        found.add(index)
    if not any(blocks[i].text for i in found):
        return set()
    story = min(found, default=0)
    return found if any(b.text for i, b in enumerate(blocks[:story]) if i not in dropped) else set()


def teaser_links(blocks: list[Block]) -> set[int]:
    """Indices of "Related: <link>"-style teasers anywhere in the body."""
    return {
        index
        for index, block in enumerate(blocks)
        if block.text and block.link_density >= TEASER_LINK_DENSITY and _TEASER.match(block.text)
    }


def is_link_dense(block: Block) -> bool:
    return bool(block.text) and block.link_density >= TEASER_LINK_DENSITY


def teaser_lists(blocks: list[Block]) -> set[int]:
    """Indices of bare teaser labels ("DON'T MISS", "Related stories") and of the run of
    link-dense blocks right under each; a label with no links under it stays."""
    found: set[int] = set()
    for index, block in enumerate(blocks):
        if not block.text or is_link_dense(block) or block.words > MAX_LABEL_WORDS:
            continue
        if not _TEASER.match(block.text):
            continue
        end = index + 1
        while end < len(blocks) and is_link_dense(blocks[end]):
            end += 1
        if end > index + 1:
            found.update(range(index, end))
    return found


def prompt_lines(blocks: list[Block]) -> set[int]:
    """Indices of the very short blocks, anywhere in the body, that open with a closing
    prompt ("Advertisement", "Follow us", "Sign up for our newsletter.", "Share this
    post"): page furniture between the story's paragraphs, not only after them."""
    return {
        index
        for index, block in enumerate(blocks)
        if block.text and block.words <= MAX_PROMPT_WORDS and _TRAILER.match(block.text)
    }


def furniture_lines(blocks: list[Block]) -> set[int]:
    """Indices of the blocks, anywhere in the body, that are page furniture by their words
    and shape (:func:`is_furniture_line`), not by where they stand."""
    return {index for index, block in enumerate(blocks) if is_furniture_line(block)}


def is_furniture_line(block: Block) -> bool:
    """A short paragraph that is wholly a link reading as a button ("See price at Amazon",
    "Back to Blogs", "Privacy Policy"); a disclosure label, reading time or call to share,
    join or be notified ("Advertiser Disclosure", "6 min read", "SHARE YOUR STORY"); a call
    to sign up for a newsletter; an author credit of its own ("Written by Jane Doe")."""
    text, words, tag = block.text, block.words, block.element.tag
    if not text or tag in ("list", "table"):
        return False
    if is_button(block):
        return True
    if words <= MAX_NOTICE_WORDS and _NOTICE.match(text):
        return True
    if words <= MAX_SIGN_UP_WORDS and _SIGN_UP.search(text) and _NEWSLETTER.search(text):
        return True
    return words <= MAX_CREDIT_WORDS and bool(_CREDIT.match(text)) and not _CLAUSE_END.search(text)


def is_button(block: Block) -> bool:
    """A short paragraph that is wholly a link reading as a button or a legal link."""
    return (
        block.element.tag == "p"
        and block.words <= MAX_BUTTON_WORDS
        and block.link_density >= BUTTON_LINK_DENSITY
        and bool(_BUTTON.match(block.text))
    )


def is_label_line(block: Block) -> bool:
    """A short "Label: value" line that is not a sentence ("Tag: digitimes.com")."""
    return (
        block.words <= MAX_LABELLED_WORDS
        and bool(_LABELLED.match(block.text))
        and not _SENTENCE_END.search(block.text)
    )


def is_promo(block: Block) -> bool:
    """A short block with an unmistakable sales prompt anywhere in it."""
    return block.words <= MAX_TRAILER_WORDS and bool(_PROMO.search(block.text))


def is_dangling_heading(block: Block) -> bool:
    """A heading, which at the end of the body introduces nothing."""
    return bool(block.element.tag == "head")


def is_trailer(block: Block) -> bool:
    """A closing block that is page furniture rather than story text."""
    if not block.text or block.link_density >= TRAILING_LINK_DENSITY:
        return True
    if block.words <= MAX_TRAILER_WORDS and _TRAILER.match(block.text):
        return True
    # a teaser label is a bare label line or comes with its link
    teaser = block.link_density >= TEASER_LINK_DENSITY or block.words <= MAX_LABEL_WORDS
    if block.words <= MAX_TRAILER_WORDS and teaser and _TEASER.match(block.text):
        return True
    if is_dangling_heading(block) or is_label_line(block) or is_promo(block):
        return True
    short = block.words <= MAX_SOCIAL_WORDS and len(block.text) <= MAX_SOCIAL_CHARS
    return short and bool(_SOCIAL.search(block.text))


def trailing_furniture(blocks: list[Block], dropped: set[int]) -> set[int]:
    """Indices of the furniture blocks at the end of the body (skipping already dropped ones)."""
    found: set[int] = set()
    for index in range(len(blocks) - 1, -1, -1):
        if index in dropped:
            continue
        if not is_trailer(blocks[index]):
            break
        found.add(index)
    return found


MIN_NAME_WORDS = 2  # a bio opens with the author's full name, not a first name alone


def author_bio_lines(lines: list[str], authors: list[str]) -> int:
    """How many lines at the end of the text are the author's bio: each opens with the full
    name of one of the page's ``authors`` and goes on ("Jane Doe is a staff writer
    covering ...", "Jane Doe has no position in any of the stocks mentioned."). The first
    line never counts: a text wholly of such lines is a story about its author, not a bio."""
    names = [name.lower() for name in authors if len(name.split()) >= MIN_NAME_WORDS]
    count = 0
    for line in reversed(lines[1:]):
        lowered = line.lower()
        if not any(lowered.startswith(name) and len(lowered) > len(name) for name in names):
            break
        count += 1
    return count


def remove_element(element: _Element) -> None:
    """Detach an element, keeping its tail text in the tree."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def drop_repeated_rows(body: _Element) -> None:
    """Drop table rows that repeat an earlier row, e.g. a <tfoot> restating the header."""
    for table in body.iter("table"):
        seen: set[tuple[str, ...]] = set()
        for row in list(table.iter("row")):
            cells = tuple(normalise("".join(cell.itertext())) for cell in row)
            if cells in seen:
                remove_element(row)
            seen.add(cells)


@dataclass(slots=True)
class CleanBody:
    """The story lines after cleanup and the anchor-text share of what was kept."""

    lines: list[str]
    link_density: float


def _no_date_line(_text: str) -> bool:
    return False


def clean_body(
    body: _Element,
    titles: list[str],
    language: str = "",
    is_date_line: Callable[[str], bool] = _no_date_line,
) -> CleanBody:
    """Apply the three cleanups to trafilatura's body (mutates it) and serialise it to lines;
    ``language`` is the one the page declares (its bylines' words), ``is_date_line``
    whether a line is the date line it shows beside its headline (the header a short
    story's text may end with)."""
    blocks = collect_blocks(body)
    dropped = leading_header(blocks, titles, language)
    dropped |= trailing_header(blocks, titles, is_date_line, dropped)
    dropped |= teaser_links(blocks) | teaser_lists(blocks)
    dropped |= prompt_lines(blocks) | furniture_lines(blocks)
    dropped |= trailing_furniture(blocks, dropped)
    for index in dropped:
        remove_element(blocks[index].element)
    drop_repeated_rows(body)
    kept = [b for i, b in enumerate(blocks) if i not in dropped]
    text_chars = sum(len(b.text) for b in kept)
    density = sum(b.link_chars for b in kept) / text_chars if text_chars else 0.0
    strip_tags(body, "ref")
    lines = [line for line in (normalise(x) for x in xmltotxt(body, False).split("\n")) if line]
    return CleanBody(lines, min(1.0, density))


# ---------------------------------------------------------------- split-body recovery

MIN_MATCHED_PARAGRAPHS = 3
MIN_SIGNATURE_SHARE = 0.7  # the extracted paragraphs must mostly share one container shape
MIN_RECOVERED_CHARS = 80
MAX_RECOVERED_LINK_DENSITY = 0.3
SIGNATURE_DEPTH = 3  # the paragraph, its container and the container's parent


def signature(element: HtmlElement) -> tuple[str, ...]:
    """Tag and sorted classes of an element and its nearest ancestors."""
    parts: list[str] = []
    node: HtmlElement | None = element
    while node is not None and len(parts) < SIGNATURE_DEPTH:
        classes = " ".join(sorted((node.get("class") or "").split()))
        parts.append(f"{node.tag}.{classes}")
        node = node.getparent()
    return tuple(parts)


def _anchor_chars(paragraph: HtmlElement) -> int:
    return sum(len(a.text_content()) for a in paragraph.iter("a"))


def word_sequence(text: str) -> str:
    """The text's lower-cased words joined by single spaces, with a space at each end: one
    text's sequence inside another's means the first is said in the second, whatever the
    line breaks, spacing and punctuation between its words."""
    return f" {' '.join(_WORD.findall(text.lower()))} "


# the page's own furniture: a paragraph inside one (that the story's paragraphs are not in)
# is never a later chunk of the story (a footer's sponsor blurbs in the story's classes)
PAGE_FURNITURE_TAGS = ("footer", "aside", "nav")


def paragraph_texts(tree: HtmlElement) -> dict[HtmlElement, str]:
    """Each ``<p>`` of the page with its text, whitespace collapsed (``normalise``), in
    document order: read once for :func:`recover_chunks` and the partial-story test
    (``fallback.missed_share``)."""
    return {p: normalise(p.text_content()) for p in tree.iter("p")}


def recover_chunks(
    tree: HtmlElement, lines: list[str], texts: dict[HtmlElement, str] | None = None
) -> tuple[list[str], int]:
    """Add paragraphs from later sibling chunks of the article body trafilatura stopped at.

    Some sites cut one story into several containers of the same class (between ads or pull
    quotes); trafilatura extracts the first container only. A paragraph is recovered when its
    container is a different element than the ones already extracted but has the same, classed
    shape, it comes after the first extracted paragraph and it is long and not link-heavy, and
    its words are not already said in the text (the same sentences broken into lines by
    ``<br>``, or a box repeating a passage of the story), and it is in no ``<footer>``,
    ``<aside>`` or ``<nav>`` the story is not in. Returns the new lines and the
    anchor-text characters added. ``texts``: :func:`paragraph_texts` of ``tree``, when the
    caller has it.
    """
    position = {line: i for i, line in enumerate(lines)}
    paragraphs = list((paragraph_texts(tree) if texts is None else texts).items())
    matched = [(i, p) for i, (p, text) in enumerate(paragraphs) if text in position]
    if len(matched) < MIN_MATCHED_PARAGRAPHS:
        return lines, 0
    shape, count = Counter(signature(p) for _, p in matched).most_common(1)[0]
    if count / len(matched) < MIN_SIGNATURE_SHARE or shape[1].endswith("."):
        return lines, 0
    used = {p.getparent() for _, p in matched}
    fenced = set(matched[0][1].iterancestors(*PAGE_FURNITURE_TAGS))
    joined = "\n".join(lines)
    said = word_sequence(joined)
    additions: dict[int, list[str]] = {}
    last, added_links = -1, 0
    for index, (paragraph, text) in enumerate(paragraphs):
        if text in position:
            last = position[text]
            continue
        if index < matched[0][0] or len(text) < MIN_RECOVERED_CHARS:
            continue
        if paragraph.getparent() in used or signature(paragraph) != shape or text in joined:
            continue
        links = _anchor_chars(paragraph)
        if links / len(text) > MAX_RECOVERED_LINK_DENSITY or word_sequence(text) in said:
            continue
        if not fenced.issuperset(paragraph.iterancestors(*PAGE_FURNITURE_TAGS)):
            continue
        additions.setdefault(last, []).append(text)
        added_links += links
    if not additions:
        return lines, 0
    merged = list(additions.get(-1, []))
    for i, line in enumerate(lines):
        merged.append(line)
        merged.extend(additions.get(i, []))
    return merged, added_links


# ---------------------------------------------------------------- furniture boxes

# Words a template's class or id gives the boxes around a story that are never story:
# legal and affiliate notes, overlays and pop-ups, sign-up forms. ("newsletter" is not one:
# a newsletter's own issue is classed so.)
FURNITURE_BOX_WORDS = ("disclaimer", "disclosure", "modal", "popup", "signup")
FURNITURE_BOX_TAGS = (
    "div", "section", "aside", "p", "span", "ul", "ol", "li", "dl", "figure", "form",
    "table", "small", "footer",
)  # fmt: skip
MAX_BOX_SHARE = 0.5  # a box holding half the page's text, or of its paragraphs', is the page
_FURNITURE_BOX = re.compile("|".join(FURNITURE_BOX_WORDS))


def _names_furniture(klass: str | None, ident: str | None) -> bool:
    return bool(
        (klass and _FURNITURE_BOX.search(klass.lower()))
        or (ident and _FURNITURE_BOX.search(ident.lower()))
    )


def _paragraph_chars(root: HtmlElement) -> int:
    return sum(len(normalise(p.text_content())) for p in root.iter("p"))


@dataclass(slots=True)
class _Hidden:
    element: HtmlElement
    text: str | None
    children: list[HtmlElement]


def named_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """The boxes whose class or id names them as page furniture. A box holding an ``<h1>``,
    half the page's text or half its paragraphs' text is none: a story shown in an overlay,
    or a page whose template names its story so. Found with a regex over each element's
    class and id (~0.6 ms median a page; an XPath 15x that)."""
    found = [
        element
        for element in tree.iter(*FURNITURE_BOX_TAGS)
        if _names_furniture(element.get("class"), element.get("id"))
    ]
    if not found:
        return []
    body = tree.find("body")
    root = tree if body is None else body
    chars, paragraphs = len(normalise(root.text_content())), _paragraph_chars(root)
    kept: dict[HtmlElement, None] = {}  # in the page's order
    for element in found:
        if kept and not kept.keys().isdisjoint(element.iterancestors(*FURNITURE_BOX_TAGS)):
            continue  # inside a box already taken
        if next(element.iter("h1"), None) is not None:
            continue
        if len(normalise(element.text_content())) > MAX_BOX_SHARE * chars:
            continue
        if paragraphs and _paragraph_chars(element) > MAX_BOX_SHARE * paragraphs:
            continue
        kept[element] = None
    return list(kept)


class FurnitureBoxes:
    """The boxes whose class or id names them as page furniture (:data:`FURNITURE_BOX_WORDS`:
    ``class="article-disclaimer"``, ``id="signup-popup"``), and the comment threads after the
    story (:func:`comment_threads`), emptied while the story text is read (:meth:`hide`) and
    filled again after (:meth:`show`), so that the metadata readers and the date search see
    the page as it is. trafilatura's own list misses them: an affiliate note, a modal's
    teaser list or a legal note came into the text."""

    def __init__(self, tree: HtmlElement) -> None:
        self.boxes: list[HtmlElement] = [*named_boxes(tree), *comment_threads(tree)]
        self._hidden: list[_Hidden] = []

    def hide(self) -> None:
        """Empty each box of its text and children (its tail, the text after it, stays)."""
        for box in self.boxes:
            children = list(box)
            self._hidden.append(_Hidden(box, box.text, children))
            box.text = None
            for child in children:
                box.remove(child)

    def show(self) -> None:
        """Put back what :meth:`hide` took out."""
        for hidden in self._hidden:
            hidden.element.text = hidden.text
            hidden.element.extend(hidden.children)
        self._hidden.clear()
