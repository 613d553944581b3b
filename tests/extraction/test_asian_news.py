# ruff: noqa: RUF001, RUF002 (the Urdu full stop, the Japanese full-width colon)
"""Asian and African news pages: the shapes Hindi, Marathi, Bengali, Tamil, Urdu, Persian,
Thai, Japanese, Indonesian, Vietnamese, Filipino and Swahili news sites give their bylines and read-also
teasers (hand-written probe pages; main read each of these wrong: the label kept in the name,
a name's last vowel sign cut, a desk named as the writer, a teaser kept in the story)."""

from __future__ import annotations

import pytest

from pipelines.extraction import extract_article
from pipelines.extraction.metadata import uncased_byline

STORIES = {
    "hi": (
        "पुराने बंदरगाह पुल के पुनर्निर्माण को मंजूरी",
        [
            "नगर निगम ने मंगलवार को पुराने बंदरगाह पुल के पुनर्निर्माण को मंजूरी दे दी, जिससे "
            "लगभग दस साल से चल रहा विवाद खत्म हो गया जिसने शहर के लोगों को बांट दिया था।",
            "इंजीनियरों ने पिछले साल चेतावनी दी थी कि पुल के लोहे के खंभे उम्मीद से ज्यादा तेजी "
            "से जंग खा रहे हैं और भारी ट्रकों को जल्द ही दूसरे रास्ते से भेजना पड़ेगा।",
            "कम बहुमत से पास हुई योजना के अनुसार काम मार्च में शुरू होगा और पुल अठारह महीने तक "
            "बंद रहेगा, इस दौरान एक नौका सेवा यात्रियों को नदी पार कराएगी।",
        ],
    ),
    "bn": (
        "পুরনো বন্দর সেতুর পুনর্নির্মাণ অনুমোদন",
        [
            "পৌরসভা মঙ্গলবার পুরনো বন্দর সেতুর পুনর্নির্মাণ অনুমোদন করেছে, যার ফলে প্রায় দশ বছর "
            "ধরে শহরের মানুষকে বিভক্ত করে রাখা একটি বিতর্কের অবসান হলো।",
            "প্রকৌশলীরা গত বছর সতর্ক করেছিলেন যে সেতুর লোহার খুঁটিগুলো প্রত্যাশার চেয়ে দ্রুত মরিচা "
            "ধরছে এবং ভারী ট্রাকগুলোকে শিগগিরই অন্য পথে পাঠাতে হবে।",
            "অনুমোদিত পরিকল্পনা অনুযায়ী মার্চ মাসে কাজ শুরু হবে এবং সেতুটি আঠারো মাস বন্ধ থাকবে, "
            "এই সময়ে একটি ফেরি সেবা যাত্রীদের নদী পার করাবে।",
        ],
    ),
    "ta": (
        "பழைய துறைமுகப் பாலம் மீண்டும் கட்டப்படும்",
        [
            "மாநகராட்சி செவ்வாய்க்கிழமை பழைய துறைமுகப் பாலத்தை மீண்டும் கட்டுவதற்கு ஒப்புதல் "
            "அளித்தது, இதனால் சுமார் பத்து ஆண்டுகளாக நகர மக்களைப் பிரித்து வைத்திருந்த சர்ச்சை "
            "முடிவுக்கு வந்தது.",
            "பாலத்தின் இரும்புத் தூண்கள் எதிர்பார்த்ததை விட வேகமாக துருப்பிடித்து வருவதாகவும் "
            "கனரக லாரிகள் விரைவில் வேறு பாதையில் திருப்பி விடப்பட வேண்டும் என்றும் பொறியாளர்கள் "
            "கடந்த ஆண்டு எச்சரித்திருந்தனர்.",
        ],
    ),
    "ur": (
        "پرانے بندرگاہ پل کی دوبارہ تعمیر منظور",
        [
            "بلدیہ نے منگل کے روز پرانے بندرگاہ پل کی دوبارہ تعمیر کی منظوری دے دی، جس سے "
            "تقریباً دس سال سے شہریوں کو تقسیم کرنے والا تنازع ختم ہو گیا۔",
            "انجینئروں نے گزشتہ سال خبردار کیا تھا کہ پل کے لوہے کے ستون توقع سے زیادہ تیزی سے "
            "زنگ آلود ہو رہے ہیں اور بھاری ٹرکوں کو جلد دوسرے راستے پر بھیجنا پڑے گا۔",
        ],
    ),
    "fa": (
        "بازسازی پل قدیمی بندر تصویب شد",
        [
            "شورای شهر روز گذشته بازسازی پل قدیمی بندر را تصویب کرد و به اختلافی پایان داد که "
            "نزدیک به ده سال ساکنان شهر را از هم جدا کرده بود.",
            "مهندسان سال گذشته هشدار داده بودند که ستون های فلزی پل سریع تر از انتظار زنگ "
            "می زنند و کامیون های سنگین به زودی باید از مسیر دیگری عبور کنند.",
        ],
    ),
    "th": (
        "สภาเทศบาลไฟเขียวสร้างสะพานท่าเรือเก่าใหม่",
        [
            "สภาเทศบาลมีมติเมื่อวันอังคารให้สร้างสะพานท่าเรือเก่าขึ้นใหม่ ยุติข้อพิพาทที่ทำให้ชาวเมืองแตกแยกกันมาเกือบสิบปี",
            "วิศวกรเตือนเมื่อปีที่แล้วว่าเสาเหล็กของสะพานเป็นสนิมเร็วกว่าที่คาดไว้ "
            "และรถบรรทุกหนักจะต้องเปลี่ยนเส้นทางในไม่ช้า",
            "ตามแผนที่ผ่านความเห็นชอบด้วยเสียงข้างมากเพียงเล็กน้อย งานจะเริ่มในเดือนมีนาคม "
            "และสะพานจะปิดเป็นเวลาสิบแปดเดือน ระหว่างนั้นจะมีเรือข้ามฟากให้บริการแทน",
        ],
    ),
    "id": (
        "Dewan Kota Setujui Pembangunan Ulang Jembatan Pelabuhan",
        [
            "Dewan kota pada Selasa menyetujui pembangunan kembali jembatan pelabuhan lama, "
            "mengakhiri perselisihan yang hampir sepuluh tahun memecah belah warga.",
            "Para insinyur memperingatkan tahun lalu bahwa tiang baja jembatan berkarat lebih "
            "cepat dari perkiraan dan truk berat akan segera dialihkan ke jalur lain.",
            "Menurut rencana yang disetujui dengan selisih suara tipis, pekerjaan dimulai pada "
            "Maret dan jembatan ditutup selama delapan belas bulan.",
        ],
    ),
    "vi": (
        "Thông qua việc xây dựng lại cầu cảng cũ",
        [
            "Hội đồng thành phố hôm thứ Ba đã thông qua việc xây dựng lại cây cầu cảng cũ, chấm "
            "dứt tranh cãi kéo dài gần mười năm khiến người dân chia rẽ.",
            "Các kỹ sư đã cảnh báo hồi mùa xuân năm ngoái rằng các trụ thép của cầu bị gỉ nhanh "
            "hơn dự kiến và xe tải nặng sẽ sớm phải đi đường vòng.",
            "Theo kế hoạch được thông qua với đa số sít sao, công trình sẽ khởi công vào tháng Ba "
            "và cây cầu sẽ đóng cửa mười tám tháng.",
        ],
    ),
    "sw": (
        "Baraza laidhinisha ujenzi upya wa daraja la bandari",
        [
            "Baraza la jiji siku ya Jumanne liliidhinisha ujenzi upya wa daraja la zamani la "
            "bandari, na kumaliza mzozo uliowagawa wakazi kwa karibu miaka kumi.",
            "Wahandisi walionya mwaka jana kwamba nguzo za chuma za daraja hilo zinashika kutu "
            "haraka kuliko ilivyotarajiwa na malori mazito yatalazimika kutumia njia nyingine.",
        ],
    ),
    "tl": (
        "Muling itatayo ang lumang tulay sa pantalan",
        [
            "Inaprubahan ng konseho ng lungsod noong Martes ang muling pagtatayo ng lumang tulay "
            "sa pantalan, na nagtapos sa alitang halos sampung taong naghati sa mga residente.",
            "Nagbabala ang mga inhinyero noong nakaraang taon na mas mabilis kinakalawang ang mga "
            "bakal na haligi ng tulay kaysa inaasahan at kailangang ilihis ang mabibigat na trak.",
        ],
    ),
}
STORIES["mr"] = STORIES["ne"] = STORIES["hi"]  # the labels are what is read


def news_page(lang: str, header: str, teaser: str = "", site: str = "Samachar") -> str:
    """A news site's story page: a title with the site's name, a navigation, the headline,
    the byline and date lines in elements of their own, the story (a read-also teaser after
    its second paragraph), a footer; no JSON-LD and no author meta tag."""
    headline, story = STORIES[lang]
    paragraphs = [f"<p>{p}</p>" for p in story]
    paragraphs.insert(2, teaser)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{headline} | {site}</title>"
        '<meta property="og:type" content="article"></head><body>'
        '<header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>'
        f'<main><article><h1>{headline}</h1><div class="article-meta">{header}</div>'
        f'<div class="article-body">{"".join(paragraphs)}</div></article></main>'
        "<footer><p>About us</p><p>Privacy</p></footer></body></html>"
    )


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
