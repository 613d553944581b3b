# ruff: noqa: RUF001 (the Persian digits of a date line)
"""The zero-width non-joiner (U+200C) and joiner (U+200D) are part of a word's spelling and
stay in the story text, the title and the authors (trafilatura's text cleaning drops them:
main wrote the Persian "سه‌شنبه", Tuesday, as "سهشنبه" on every line); the invisible
characters that spell nothing (soft hyphen, zero-width space, word joiner, BOM) still go.
trafilatura's own functions, the bench's baseline, are left as shipped."""

from __future__ import annotations

import trafilatura
import trafilatura.utils

from pipelines.extraction import extract_article
from pipelines.extraction.core import trafilatura_metadata
from pipelines.extraction.decode import parse_html
from pipelines.extraction.joiners import remove_control_characters
from pipelines.extraction.metadata import read_metadata

ZWNJ, ZWJ = "\u200c", "\u200d"
TUESDAY = f"سه{ZWNJ}شنبه"  # Persian: "three-Saturday"
SAYS = f"می{ZWNJ}گوید"  # "he says": the continuous prefix "می" kept apart
HEADLINE = f"وزیر خارجه {SAYS} دیدار {TUESDAY} به گفت{ZWNJ}وگو کمک کرد"
PERSIAN_STORY = [
    f"وزیر امور خارجه روز {TUESDAY} در نشست خبری در تهران گفت که دولت برای گفت{ZWNJ}وگو "
    f"با همسایگان آماده است و این دیدار می{ZWNJ}تواند راه را برای همکاری باز کند.",
    f"او {SAYS} که این گفت{ZWNJ}وگوها باید بدون پیش{ZWNJ}شرط برگزار شود و نتیجه آن به سود "
    "همه کشورهای منطقه خواهد بود، به ویژه در زمینه تجارت و انرژی.",
    f"به گفته کارشناسان، نشست {TUESDAY} نخستین دیدار رسمی دو کشور در سه سال گذشته بود و "
    f"رسانه{ZWNJ}های دو طرف آن را گامی مهم در بهبود روابط توصیف کرده{ZWNJ}اند.",
    f"قرار است هیئت{ZWNJ}های کارشناسی دو کشور ماه آینده در پایتخت دیدار کنند و جزئیات "
    "توافق را درباره گذرگاه های مرزی و حمل و نقل کالا بررسی کنند.",
]
WRITER = f"حسین حسن{ZWNJ}زاده"
URL = "https://www.khabar.example/news/1403/09/15/100"


def persian_page(headline: str = HEADLINE, story: list[str] = PERSIAN_STORY) -> str:
    """A Persian news site's story page: its title with the site's name, a navigation, the
    headline, a date line and the byline, the story, a footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    return (
        '<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{headline} | خبرگزاری نمونه</title>"
        '<meta property="og:type" content="article"></head><body>'
        '<header><nav><a href="/">صفحه اصلی</a> <a href="/politics/">سیاسی</a></nav></header>'
        f"<main><article><h1>{headline}</h1>"
        f'<div class="meta"><span class="date">{TUESDAY} ۱۵ آذر ۱۴۰۳ - ۱۴:۳۰</span>'
        f'<p class="byline">نویسنده: {WRITER}</p></div>'
        f'<div class="article-body">{paragraphs}</div></article></main>'
        "<footer><p>درباره ما</p><p>تماس با ما</p></footer></body></html>"
    )


def test_a_persian_story_keeps_its_zero_width_non_joiners():
    result = extract_article(persian_page(), URL)
    assert result.title == HEADLINE
    assert TUESDAY in result.text and SAYS in result.text
    assert "سهشنبه" not in result.text and "میگوید" not in result.text
    assert result.text.splitlines() == PERSIAN_STORY  # the byline and the date line gone
    # a name written with the non-joiner is a name (main kept the byline in the text)
    assert result.authors == [WRITER]
    assert result.language == "fa"
    assert (
        result.published_at is not None and result.published_at.date().isoformat() == "2024-12-05"
    )


def test_trafilaturas_title_and_byline_keep_the_non_joiner():
    """The values read by trafilatura's metadata (its title from the one ``<h1>``, its
    byline search), used when the page states none."""
    html = (
        '<html lang="fa"><head><meta charset="utf-8"></head><body><article>'
        f'<h1>{HEADLINE}</h1><div class="author">{WRITER}</div>'
        f"{''.join(f'<p>{p}</p>' for p in PERSIAN_STORY)}</article></body></html>"
    )
    tree = parse_html(html)
    document = trafilatura_metadata(tree, URL, read_metadata(tree, URL))
    assert (document.title, document.author) == (HEADLINE, WRITER)


def test_indic_words_keep_their_joiners():
    """A Malayalam chillu written with ZWJ ("കേരളത്തില്‍", "in Kerala"), a Hindi half form with
    ZWJ ("क्‍षेत्र") and one with ZWNJ, the virama shown ("क्‌ष")."""
    kerala = f"കേരളത്തില്{ZWJ}"
    malayalam = [
        f"{kerala} ഇന്നലെ പെയ്ത കനത്ത മഴയില്{ZWJ} നിരവധി റോഡുകള്{ZWJ} വെള്ളത്തിനടിയിലായി, "
        "ഗതാഗതം പലയിടത്തും തടസ്സപ്പെട്ടു എന്ന് അധികൃതര്\u200d അറിയിച്ചു.",
        f"അടുത്ത മൂന്ന് ദിവസം {kerala} ശക്തമായ മഴ തുടരുമെന്ന് കാലാവസ്ഥാ നിരീക്ഷണ കേന്ദ്രം "
        "മുന്നറിയിപ്പ് നല്കി, തീരപ്രദേശങ്ങളില്\u200d ജാഗ്രത പാലിക്കണം.",
        "ദുരിതാശ്വാസ ക്യാമ്പുകള്\u200d തുറന്നിട്ടുണ്ടെന്നും ആവശ്യമായ സഹായം എത്തിക്കുമെന്നും "
        "മുഖ്യമന്ത്രി പറഞ്ഞു, സ്ഥിതിഗതികള്\u200d സര്\u200dക്കാര്\u200d നിരീക്ഷിക്കുന്നു.",
    ]
    region = f"क्{ZWJ}षेत्र"
    virama = f"क्{ZWNJ}ष"
    hindi = [
        f"नगर निगम ने मंगलवार को बंदरगाह {region} में पुराने पुल के पुनर्निर्माण को मंजूरी दे दी, "
        "जिससे लगभग दस साल से चल रहा विवाद खत्म हो गया।",
        f"भाषाविदों के अनुसार पुराने छापेखानों में {virama} जैसे संयुक्ताक्षर अलग लिखे जाते थे, और "
        "आज भी कई अखबार इसी रूप का प्रयोग करते हैं।",
        f"इंजीनियरों ने चेतावनी दी थी कि इस {region} के लोहे के खंभे उम्मीद से ज्यादा तेजी से जंग "
        "खा रहे हैं और भारी ट्रकों को दूसरे रास्ते से भेजना पड़ेगा।",
    ]
    for lang, story, words in (("ml", malayalam, [kerala]), ("hi", hindi, [region, virama])):
        html = (
            f'<html lang="{lang}"><head><meta charset="utf-8"><title>{words[0]}</title></head>'
            f"<body><article><h1>{words[0]}</h1>"
            f"{''.join(f'<p>{p}</p>' for p in story)}</article></body></html>"
        )
        result = extract_article(html, URL)
        assert result.text.splitlines() == story
        assert all(word in result.text for word in words)
        assert result.title == words[0]


ENGLISH_STORY = [
    "The city's coding club opened its doors on Tuesday to more than two hundred visitors, "
    "who came to see what the volunteers had built over the summer for the local schools.",
    "Its posters read \U0001f469\u200d\U0001f4bb Learn to code with us, and the family "
    "ticket \U0001f468\u200d\U0001f469\u200d\U0001f467 was the most popular of the day.",
    "Organisers said they would run the open day again next spring, with more workshops for "
    "beginners and a second room for the robotics team and its growing waiting list.",
]


def english_page(story: list[str], title: str = "Coding club opens its doors") -> str:
    return (
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta property="og:title" content="{title}"><title>{title}</title></head>'
        f"<body><article><h1>Coding club opens its doors</h1>"
        f"{''.join(f'<p>{p}</p>' for p in story)}</article></body></html>"
    )


def test_an_emoji_sequence_joined_by_zwj_stays_whole():
    result = extract_article(english_page(ENGLISH_STORY), URL)
    assert "\U0001f469\u200d\U0001f4bb" in result.text  # woman technologist, not two emoji
    assert "\U0001f468\u200d\U0001f469\u200d\U0001f467" in result.text  # a family
    assert result.text.splitlines() == ENGLISH_STORY


def test_soft_hyphens_and_zero_width_spaces_still_go():
    invisible = [
        ENGLISH_STORY[0].replace("visitors", "visi\u00adtors").replace("city's", "\ufeffcity's"),
        ENGLISH_STORY[1].replace("code with", "code\u200bwith").replace("day.", "day\u2060."),
        ENGLISH_STORY[2],
    ]
    result = extract_article(english_page(invisible, title="Coding club opens its&shy; doors"), URL)
    assert result.text.splitlines() == [
        ENGLISH_STORY[0],
        ENGLISH_STORY[1].replace("code with", "codewith"),
        ENGLISH_STORY[2],
    ]
    assert result.title == "Coding club opens its doors"
    assert (
        remove_control_characters("a\u00adb\u200bc\u2060d\ufeffe\u200cf\u200dg")
        == "abcde\u200cf\u200dg"
    )


def test_trafilatura_as_shipped_is_not_changed():
    """The bench compares against ``trafilatura.extract`` as shipped: it still drops them."""
    text = trafilatura.extract(persian_page()) or ""
    assert "سهشنبه" in text and ZWNJ not in text
    assert trafilatura.utils.remove_control_characters(TUESDAY) == "سهشنبه"
