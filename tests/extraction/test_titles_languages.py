"""Titles of pages in scripts written without spaces (Chinese, Japanese, Thai) and in
Korean: the title rules count and compare words as ``pipelines.extraction.words`` does,
so a Chinese ``<h1>`` is a headline of several words, not one, and a section glued to a
Chinese headline ("标题_栏目_新浪新闻") goes as it does after an English one."""

from __future__ import annotations

import pytest

from pipelines.extraction import extract_article
from pipelines.extraction.metadata import headline, slug_words, stated_headline, visible_headline
from pipelines.extraction.pagetype import text_words
from pipelines.extraction.words import word_length, word_pieces

ZH_URL = "https://news.sina.com.cn/w/2020-03-24/doc-iimxyqwa2791066.shtml"
ZH_STORY = [
    "国际奥委会和东京奥组委二十四日晚发表联合声明\uff0c宣布东京奥运会推迟至明年举行\uff0c"
    "但名称仍保留为二〇二〇年东京奥运会。",
    "声明说\uff0c鉴于新冠肺炎疫情在全球持续蔓延\uff0c为保护运动员和所有相关人员的健康\uff0c"
    "双方一致同意作出这一决定。",
    "日本首相安倍晋三当天与国际奥委会主席巴赫通电话\uff0c提议将奥运会推迟一年左右\uff0c"
    "巴赫表示百分之百同意。",
    "这是现代奥运会历史上首次因非战争原因推迟\uff0c此前曾有三届奥运会因世界大战而停办。",
]
ZH_HEADLINE = "国际奥委会正式宣布东京奥运会推迟至明年举行"
ZH_STATED = "国际奥委会宣布东京奥运会推迟至明年举行"

JA_URL = "https://www.asahi.com/articles/ASN3S7TKQN3SUTQP01X.html"
JA_STORY = [
    "国際オリンピック委員会と大会組織委員会は二十四日、東京五輪を来年夏に延期することで"
    "合意したと発表した。大会の名称は東京二〇二〇のまま維持される。",
    "安倍晋三首相はバッハ会長との電話会談で一年程度の延期を提案し、会長は全面的に"
    "同意したという。近代五輪が延期されるのは史上初めてとなる。",
    "組織委員会は会場や宿泊施設の確保、追加費用の負担など多くの課題に直面しており、"
    "今後の調整は難航も予想される。",
]

KO_URL = "https://www.hankookilbo.com/News/Read/202003241543082712"
KO_STORY = [
    "국제올림픽위원회와 일본 정부는 24일 도쿄올림픽을 내년으로 연기하기로 합의했다고 "
    "발표했다. 대회 명칭은 그대로 유지된다.",
    "아베 신조 일본 총리는 바흐 위원장과의 전화 회담에서 1년 정도 연기를 제안했고 "
    "바흐 위원장은 전적으로 동의했다고 밝혔다.",
    "근대 올림픽이 전쟁이 아닌 이유로 연기되는 것은 이번이 처음이다.",
]

TH_URL = "https://www.thairath.co.th/news/politic/1803456"
TH_STORY = [
    "คณะรัฐมนตรีมีมติเห็นชอบมาตรการกระตุ้นเศรษฐกิจระยะที่สองในการประชุมเมื่อวันอังคาร "
    "เพื่อบรรเทาผลกระทบจากการระบาดของโรคโควิดสิบเก้า",
    "มาตรการดังกล่าวรวมถึงการแจกเงินช่วยเหลือแก่แรงงานนอกระบบประกันสังคม "
    "และการลดค่าน้ำค่าไฟให้แก่ประชาชนเป็นเวลาสามเดือน",
    "รัฐบาลคาดว่าจะใช้งบประมาณรวมกว่าหนึ่งแสนล้านบาทและจะเริ่มดำเนินการได้ภายในเดือนหน้า",
]


def page(title: str, h1s: list[str], story: list[str], lang: str, sitename: str) -> str:
    """A story page of the given language, its <title>, og:site_name and <h1>s."""
    site = f'<meta property="og:site_name" content="{sitename}">'
    kind = '<meta property="og:type" content="article">'
    headings = "".join(f"<h1>{h}</h1>" for h in h1s)
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"{site}{kind}</head><body><header><a href='/'>{sitename}</a></header><main><article>"
        f"{headings}<div class='article-body'>{paragraphs}</div></article></main>"
        "<footer><p>© 2020</p></footer></body></html>"
    )


def test_word_length_counts_unspaced_scripts_by_their_characters():
    assert word_length("Council approves harbour bridge rebuild") == 5.0  # spaced: its words
    assert word_length("东京奥运会推迟至明年举行") == 6.0  # twelve characters, two to a word
    assert word_length("iPhone 发布会") == 2.5
    assert word_length("") == 0.0
    # a word is compared by its characters' bigrams where it is written without spaces
    assert word_pieces("harbour") == ["harbour"]
    assert word_pieces("iPhone发布会\uff0c") == ["iPhone", "发布", "布会"]
    assert word_pieces("奥") == ["奥"]


def test_the_page_look_model_counts_text_as_the_title_rules_do():
    html = page("东京奥运会推迟_新浪新闻", [ZH_HEADLINE], ZH_STORY, "zh", "新浪新闻")
    doc = extract_article(html, ZH_URL)
    assert doc.word_count < 10  # a space-counter sees a few "words"
    assert text_words(doc) == word_length(doc.text) > 100


def test_a_chinese_h1_is_the_headline_without_section_and_site():
    title = f"{ZH_STATED}_国际_新浪新闻"
    html = page(title, [ZH_HEADLINE], ZH_STORY, "zh", "新浪新闻")
    assert extract_article(html, ZH_URL).title == ZH_HEADLINE
    # main read the <h1> as one word, under the two-word minimum, and kept "…_国际"
    assert visible_headline([ZH_HEADLINE], title) == ZH_HEADLINE
    assert headline(title, "新浪新闻", ZH_URL, [ZH_HEADLINE]) == ZH_HEADLINE


def test_a_chinese_stated_title_loses_its_section_and_site():
    title = f"{ZH_STATED}_国际_新浪新闻"
    html = page(title, [], ZH_STORY, "zh", "新浪新闻")
    assert extract_article(html, ZH_URL).title == ZH_STATED
    assert stated_headline(title, "新浪新闻", ZH_URL, []) == ZH_STATED
    # without og:site_name too: a long first segment before short ones is the headline
    assert headline(title, None, ZH_URL, []) == ZH_STATED
    # a short first segment is no headline a section follows: the title stays
    assert stated_headline("新闻中心_国际", None, ZH_URL, []) == "新闻中心_国际"


def test_among_several_chinese_h1s_the_one_the_title_shares_its_characters_with():
    title = f"{ZH_STATED}_国际_新浪新闻"
    h1s = ["新浪新闻", "热门推荐", ZH_HEADLINE]  # the logo, a box's heading, the headline
    html = page(title, h1s, ZH_STORY, "zh", "新浪新闻")
    assert extract_article(html, ZH_URL).title == ZH_HEADLINE
    assert visible_headline(["热门推荐", ZH_HEADLINE], title) == ZH_HEADLINE
    assert visible_headline(["热门推荐", "国内新闻排行"], title) is None


def test_a_one_word_or_sentence_long_chinese_h1_is_no_headline():
    assert visible_headline(["公告"], "公告_新浪新闻") is None  # two characters, one word
    sentence = "。".join(ZH_STORY)  # a paragraph in an <h1>
    assert word_length(sentence) > 40
    assert visible_headline([sentence], ZH_STATED) is None


# Japanese (a full-width bar between title, section and site), Korean (spaced phrases and
# the "<" of Korean CMSes: its titles read as before) and Thai (unspaced): the standing-out
# <h1> is the headline; without one, the stated title loses its section and the site
@pytest.mark.parametrize(
    "case",
    [
        (
            "ja",
            JA_URL,
            JA_STORY,
            "東京五輪、来年夏に延期 IOCと合意\uff5c社会\uff5c朝日新聞デジタル",
            "東京五輪・パラ、来年夏に延期へ",
            "朝日新聞デジタル",
            "東京五輪、来年夏に延期 IOCと合意",
        ),
        (
            "ko",
            KO_URL,
            KO_STORY,
            "대통령, 내달 미국 방문해 정상회담 < 정치 < 기사본문 - 한국일보",
            "대통령, 내달 미국 방문해 한미 정상회담",
            "한국일보",
            "대통령, 내달 미국 방문해 정상회담",
        ),
        (
            "th",
            TH_URL,
            TH_STORY,
            "ครม.ไฟเขียวมาตรการกระตุ้นเศรษฐกิจระยะสอง | การเมือง | ไทยรัฐออนไลน์",
            "ครม.ไฟเขียวมาตรการกระตุ้นเศรษฐกิจระยะสองแสนล้าน",
            "ไทยรัฐออนไลน์",
            "ครม.ไฟเขียวมาตรการกระตุ้นเศรษฐกิจระยะสอง",
        ),
    ],
)
def test_a_page_in_another_script(case):
    lang, url, story, title, h1, sitename, stripped = case
    assert extract_article(page(title, [h1], story, lang, sitename), url).title == h1
    assert extract_article(page(title, [], story, lang, sitename), url).title == stripped


def test_a_japanese_slug_is_read_as_written():
    url = "https://news.example.jp/sports/%E6%9D%B1%E4%BA%AC%E4%BA%94%E8%BC%AA-%E5%BB%B6%E6%9C%9F"
    assert {"東京", "五輪", "延期"} <= slug_words(url)
    # the stated title the slug was written from wins over a differing <h1>
    stated = "東京五輪の延期が正式決定"
    assert headline(stated, None, url, ["【速報】臨時理事会の結論"]) == stated


@pytest.mark.parametrize(
    ("title", "headings", "expected"),
    [
        # English reads exactly as before: one-word headings are no headline...
        ("Harbour bridge to be rebuilt | News | The Gazette", ["Newsletter"], None),
        # ...the several <h1>s are compared word by word...
        (
            "Harbour bridge to be rebuilt | The Gazette",
            ["Most read", "Harbour bridge to be rebuilt, council says"],
            "Harbour bridge to be rebuilt, council says",
        ),
        ("Harbour bridge to be rebuilt", ["Most read", "Latest stories"], None),
    ],
)
def test_english_headings_read_as_before(title, headings, expected):
    assert visible_headline(headings, title) == expected


def test_an_english_page_keeps_its_title():
    html = page(
        "Harbour bridge to be rebuilt | News | The Gazette",
        [],
        ["The council voted on Tuesday to rebuild the old harbour bridge. " * 20],
        "en",
        "The Gazette",
    )
    assert extract_article(html, "https://gazette.example.com/news/1").title == (
        "Harbour bridge to be rebuilt"
    )


# the full-width colon (U+FF1A) a Japanese or Chinese site puts before its name: main kept
# "東京五輪、来年夏に延期\uff1a朝日新聞デジタル" whole as the page's title
@pytest.mark.parametrize(
    "case",
    [
        (
            "ja",
            JA_URL,
            JA_STORY,
            "東京五輪、来年夏に延期 IOCと合意\uff1a朝日新聞デジタル",
            "朝日新聞デジタル",
            "東京五輪、来年夏に延期 IOCと合意",
        ),
        (
            "ja",
            JA_URL,
            JA_STORY,
            "東京五輪、来年夏に延期 IOCと合意 \uff1a 時事ドットコム",
            "時事ドットコム",
            "東京五輪、来年夏に延期 IOCと合意",
        ),
        (
            "zh",
            ZH_URL,
            ZH_STORY,
            f"{ZH_STATED}\uff1a联合早报",
            "联合早报",
            ZH_STATED,
        ),
    ],
)
def test_a_site_name_after_a_full_width_colon_goes(case):
    lang, url, story, title, sitename, expected = case
    assert extract_article(page(title, [], story, lang, sitename), url).title == expected


@pytest.mark.parametrize(
    "title",
    [
        "特集\uff1a東京五輪、来年夏に延期 IOCと合意",  # a label before the headline
        "東京五輪、来年夏に延期\uff1a組織委が発表",  # the headline's own colon
        "首相\uff1a朝日新聞の取材に答える",  # a headline naming the site after its colon
    ],
)
def test_a_full_width_colon_inside_a_headline_stays(title):
    assert headline(title, "朝日新聞", JA_URL, []) == title
