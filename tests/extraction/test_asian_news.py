# ruff: noqa: RUF001, RUF002 (the Urdu full stop, the Japanese full-width colon)
"""Asian and African news pages: the shapes Hindi, Marathi, Bengali, Tamil, Urdu, Persian,
Thai, Japanese, Indonesian, Vietnamese, Filipino and Swahili news sites give their bylines and read-also
teasers (hand-written probe pages; main read each of these wrong: the label kept in the name,
a name's last vowel sign cut, a desk named as the writer, a teaser kept in the story)."""

from __future__ import annotations

import pytest

from pipelines.extraction import extract_article
from pipelines.extraction.metadata import uncased_byline
from tests.support.newspages import STORIES, news_page

URL = "https://www.samachar.example/news/harbour-bridge-100.html"
DATE = '<p class="date">05 Dec 2024, 14:30</p>'


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        # the writer's, the report's and "by" labels before a name without capitals (main
        # kept the label in the name and cut its last vowel sign: "लेखक राहुल शर्म")
        ("hi", "लेखक: राहुल शर्मा", ["राहुल शर्मा"]),
        ("hi", "द्वारा: प्रिया सिंह", ["प्रिया सिंह"]),
        ("hi", "रिपोर्ट: अमित कुमार", ["अमित कुमार"]),
        ("hi", "लेखक: राहुल शर्मा और प्रिया सिंह", ["राहुल शर्मा", "प्रिया सिंह"]),
        ("mr", "लेखक: सचिन पाटील", ["सचिन पाटील"]),
        ("ne", "लेखक: रमेश श्रेष्ठ", ["रमेश श्रेष्ठ"]),
        ("bn", "লেখক: রহিম উদ্দিন", ["রহিম উদ্দিন"]),
        ("ta", "எழுதியவர்: முருகன் சுப்பிரமணியம்", ["முருகன் சுப்பிரமணியம்"]),
        ("th", "โดย สมชาย ใจดี", ["สมชาย ใจดี"]),
        ("th", "ผู้เขียน: สมหญิง รักไทย", ["สมหญิง รักไทย"]),
        # the Urdu "writing" and the Persian "writer" (the Persian letters "ک", "ی" were no
        # letters of a name: main kept the label)
        ("ur", "تحریر: احمد علی", ["احمد علی"]),
        ("fa", "نویسنده: مریم کریمی", ["مریم کریمی"]),
        ("fa", "نویسنده: پیمان یزدانی", ["پیمان یزدانی"]),
        # the reporter's nouns and the declared language's "by", its colon too (main kept
        # the label: "Pewarta Budi Santoso", "Oleh Budi Santoso", "Na Amina Juma")
        ("id", "Pewarta: Budi Santoso", ["Budi Santoso"]),
        ("id", "Reporter: Budi Santoso", ["Budi Santoso"]),
        ("id", "Oleh: Budi Santoso", ["Budi Santoso"]),
        # the Tribun papers' "report of the journalist of <paper>, <name>" (main: nobody)
        ("id", "Laporan Wartawan Tribunnews.com, Budi Santoso", ["Budi Santoso"]),
        ("sw", "Mwandishi: Amina Juma", ["Amina Juma"]),
        ("sw", "Na Amina Juma", ["Amina Juma"]),
        ("tl", "Ni Juan dela Cruz", ["Juan dela Cruz"]),
    ],
)
def test_a_byline_of_an_asian_or_african_news_site_names_its_writer(
    lang: str, byline: str, names: list[str]
) -> None:
    page = news_page(lang, f'<p class="author">{byline}</p>{DATE}')
    doc = extract_article(page, URL)
    assert doc.authors == names
    assert byline not in doc.text
    assert STORIES[lang][1][0] in doc.text


@pytest.mark.parametrize(
    ("lang", "name"),
    [("th", "สมชาย ใจดี"), ("ta", "முருகன் சுப்பிரமணியம்"), ("hi", "प्रिया सिंह")],
)
def test_a_bare_name_keeps_its_last_vowel_sign(lang: str, name: str) -> None:
    """A name alone in an element classed "author" is read by trafilatura's byline search,
    whose normaliser cut a final vowel sign or virama ("ใจด", "சுப்பிரமணியம")."""
    doc = extract_article(news_page(lang, f'<span class="author">{name}</span>{DATE}'), URL)
    assert doc.authors == [name]


@pytest.mark.parametrize(
    ("lang", "byline"),
    [
        ("hi", "रिपोर्ट: निजी संवाददाता"),  # "report: staff correspondent"
        ("bn", "নিজস্ব প্রতিবেদক"),  # "staff reporter"
        ("th", "โดย ผู้สื่อข่าว ไทยพีบีเอส"),  # "by the reporter of ..."
        ("fa", "نویسنده: خبرنگار ایسنا"),  # "writer: ISNA's reporter"
        # a sentence opening with the same words ("issued by ...", "especially ...")
        ("hi", "द्वारा जारी बयान में कहा गया कि पुल का काम मार्च में शुरू होगा"),
        ("th", "โดยเฉพาะอย่างยิ่งผู้ค้าริมน้ำ"),
    ],
)
def test_a_desk_a_role_or_a_sentence_names_nobody(lang: str, byline: str) -> None:
    doc = extract_article(news_page(lang, f'<p class="author">{byline}</p>{DATE}'), URL)
    assert doc.authors == []


@pytest.mark.parametrize(
    ("lang", "teaser"),
    [
        ("hi", "यह भी पढ़ें: नौका सेवा मार्च से शुरू होगी"),
        ("bn", "আরও পড়ুন: মার্চ থেকে ফেরি চলবে"),
        ("ur", "یہ بھی پڑھیں: مارچ سے کشتی سروس"),
        ("th", "อ่านเพิ่มเติม เปิดบริการเรือข้ามฟากเดือนมีนาคม"),
        ("id", "Baca juga: Kapal Feri Beroperasi Mulai Maret"),
        ("vi", "Xem thêm: Phà sẽ hoạt động từ tháng Ba"),
        ("sw", "Soma pia: Kivuko kuanza Machi"),
    ],
)
def test_a_read_also_teaser_leaves_the_story(lang: str, teaser: str) -> None:
    label, _, title = teaser.partition(":") if ":" in teaser else teaser.partition(" ")
    link = f'<p><strong>{label}</strong>{":" if ":" in teaser else ""} <a href="/x">{title.strip()}</a></p>'
    doc = extract_article(news_page(lang, DATE, teaser=link), URL)
    assert title.strip() not in doc.text
    assert all(paragraph in doc.text for paragraph in STORIES[lang][1])


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("記者：山田さくら", ["山田さくら"]),
        ("山田さくら記者", ["山田さくら"]),
        ("記者：鈴木 エリカ、山田太郎", ["鈴木 エリカ", "山田太郎"]),
        # a particle, a verb's ending or an honorific after the Kana: no given name
        ("首相が記者", []),
        ("記者：山田さん", []),
        ("記者：山田だった", []),
    ],
)
def test_a_japanese_given_name_in_kana_is_read(line: str, names: list[str]) -> None:
    """main read "山田さくら" as no name (a Japanese name was Han only) and kept the
    label in the author: "記者：山田さくら"."""
    assert uncased_byline(line, "ja") == names


def test_a_byline_opening_the_story_leaves_the_text() -> None:
    page = news_page("hi", DATE).replace(
        '<div class="article-body">', '<div class="article-body"><p>लेखक: राहुल शर्मा</p>'
    )
    doc = extract_article(page, URL)
    assert doc.authors == ["राहुल शर्मा"]
    assert doc.text.startswith(STORIES["hi"][1][0])
