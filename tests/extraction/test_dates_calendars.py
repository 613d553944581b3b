"""Shown dates in more languages and calendars: the Thai Buddhist era, Japan's eras, the
month's names of Central and Eastern Europe, the Baltics, Hungary, Vietnam, Israel, India,
Iran and Pakistan, the Solar Hijri calendar, Taiwan's years, the Levantine and Maghreb
month names, and the names two languages give two months."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pipelines.extraction import extract_article
from pipelines.extraction.core import visible_date
from pipelines.extraction.dateline import read_date_line, spelled_date_line
from pipelines.extraction.decode import parse_html
from tests.support.pages import build_page

URL = "https://news.example.com/world/harbour-bridge-rebuild"  # no date in its path
LATEST = datetime(2026, 12, 31, 23, 59)
DAY = date(2024, 12, 5)

LINES = [
    ("th", "5 ธ.ค. 2567"),  # 2567 of the Buddhist era
    ("th", "5 ธันวาคม 2567"),
    ("th", "วันพฤหัสบดีที่ 5 ธันวาคม พ.ศ. 2567"),
    ("th", "5 ธ.ค. 67 14:30 น."),  # the era's year in two digits
    ("th", "๕ ธ.ค. ๒๕๖๗"),  # Thai digits
    ("ja", "令和6年12月5日 14時30分"),
    ("ja", "令和６年１２月５日"),
    ("vi", "5 tháng 12, 2024"),
    ("vi", "Thứ năm, ngày 5 tháng 12 năm 2024"),
    ("hi", "5 दिसंबर 2024"),
    ("hi", "५ दिसम्बर २०२४"),
    ("he", "5 בדצמבר 2024"),
    ("bg", "5 декември 2024"),
    ("sr", "5. децембар 2024."),
    ("sr", "5. децембра 2024."),
    ("sr", "5. decembar 2024."),
    ("hr", "5. prosinca 2024."),
    ("sk", "5. decembra 2024"),
    ("sl", "5. decembra 2024"),
    ("lt", "2024 m. gruodžio 5 d."),
    ("lv", "2024. gada 5. decembrī"),
    ("lv", "5. decembris, 2024"),
    ("et", "5. detsember 2024"),
    ("fa", "\u06f5 دسامبر \u06f2\u06f0\u06f2\u06f4"),  # Persian digits
    ("ur", "5 دسمبر 2024"),
    (
        "fa",
        "\u067e\u0646\u062c\u0634\u0646\u0628\u0647 \u06f1\u06f5 آذر \u06f1\u06f4\u06f0\u06f3",
    ),  # Solar Hijri
    ("fa", "15 آذر ماه 1403 - 10:30"),
    ("fa", "\u06f1\u06f4\u06f0\u06f3/\u06f0\u06f9/\u06f1\u06f5"),  # its year first
    ("zh", "民國113年12月5日"),  # Taiwan's calendar
    ("zh", "113年12月5日 14:30"),
    ("ar", "5 كانون الأول 2024"),  # the Levantine names
    ("ar", "الخميس 5 كانون الاول 2024"),
    ("ar", "5 ديسمبر 2024"),
    ("ar", "5 دجنبر 2024"),  # Morocco's
]


@pytest.mark.parametrize(("lang", "line"), LINES)
def test_a_page_shows_its_date_in_its_language_and_calendar(lang: str, line: str) -> None:
    # main read none of these lines: the page's date was left to the extensive search
    page = build_page(lang=lang, body_top=f"<p class='meta'>{line}</p>")
    shown = visible_date(parse_html(page))
    assert shown is not None and shown.date() == DAY


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("平成31年4月30日", date(2019, 4, 30)),  # Heisei's last day
        ("令和元年5月1日", date(2019, 5, 1)),  # Reiwa's first: 元, its first year
        ("5 ธ.ค. 2024", date(2024, 12, 5)),  # a year of ours on a Thai line
        ("5 มิ.ย. 2567", date(2024, 6, 5)),
        ("5 ก.พ 67", date(2024, 2, 5)),  # an abbreviation without its last period
        ("5 मई 2024", date(2024, 5, 5)),  # a two-letter name
        ("5 \u095eरवरी 2024", date(2024, 2, 5)),  # the nukta composed (U+095E)
        ("5 \u092b\u093cरवरी 2024", date(2024, 2, 5)),  # and as a mark
        ("5. studenoga 2024.", date(2024, 11, 5)),  # Croatian
        ("2024. december 5.", date(2024, 12, 5)),  # Hungarian: read as written on main
        ("5 lip. 2024", date(2024, 7, 5)),  # the Polish July, as before
        ("5 srp. 2024", date(2024, 8, 5)),  # the Czech August, as before
        ("1 فروردین 1403", date(2024, 3, 20)),  # the Solar Hijri year's first day
        ("30 اسفند 1403", date(2025, 3, 20)),  # a leap year's last
        ("5 شباط 2024", date(2024, 2, 5)),
        ("5 أيار 2024", date(2024, 5, 5)),
        ("5 جويلية 2024", date(2024, 7, 5)),  # Algeria's and Tunisia's
        ("5 غشت 2024", date(2024, 8, 5)),
        ("1 تشرين الثاني 2024", date(2024, 11, 1)),
        ("5 كانون الثاني 2025", date(2025, 1, 5)),
        ("民國99年1月5日", date(2010, 1, 5)),
    ],
)
def test_eras_and_other_months_are_read(line: str, day: date) -> None:
    assert read_date_line(line, LATEST) == day.isoformat()


@pytest.mark.parametrize(
    "line",
    [
        "令和元年4月30日",  # still Heisei
        "平成32年1月5日",  # Reiwa by then
        "令和6年13月5日",
        "30 اسفند 1402",  # no such day: 1402 is no leap year
        "2024年 113年",
        "1403/09/15",  # a Solar Hijri date on a page in no known language
        "113/12/05",  # and a year of Taiwan's
        "Season 5 of 2567",
        "Top 5 tháng 2024",
    ],
)
def test_no_day_outside_an_era_or_calendar(line: str) -> None:
    assert read_date_line(line, LATEST) is None


def test_the_normaliser_writes_other_calendars_in_ours() -> None:
    assert spelled_date_line("5 ธ.ค. 2567 14:30 น.") == "2024-12-05 14:30 น."
    assert spelled_date_line("令和6年12月5日") == "2024-12-05"
    assert spelled_date_line("ngày 5 tháng 12 năm 2024") == "ngày 2024-12-05"
    assert spelled_date_line("2024 m. gruodžio 5 d.") == "2024-12-05 d."
    assert spelled_date_line("15 آذر 1403 - 10:30") == "2024-12-05 - 10:30"
    assert spelled_date_line("民國113年12月5日") == "2024-12-05"
    assert spelled_date_line("1403/09/15", "fa") == "2024-12-05"
    assert spelled_date_line("113.12.05", "zh") == "2024-12-05"
    assert spelled_date_line("113/12/05") == "113/12/05"  # on a page in no known language


@pytest.mark.parametrize(
    ("language", "line", "month"),
    [
        ("hr", "5. listopada 2024.", 10),
        ("pl", "5 listopada 2024", 11),
        ("cs", "5. listopad 2024", 11),
        (None, "5 listopada 2024", None),
    ],
)
def test_listopad_is_read_in_the_pages_language(
    language: str | None, line: str, month: int | None
) -> None:
    # the Polish and Czech November, the Croatian October; on a page of neither, no month
    found = read_date_line(line, LATEST, language)
    assert found == (None if month is None else date(2024, month, 5).isoformat())
    assert read_date_line("5 lip. 2024", LATEST, "hr") == "2024-06-05"  # lipanj, June
    assert read_date_line("5 srp. 2024", LATEST, "hr") == "2024-07-05"  # srpanj, July


CROATIAN = [
    "Gradsko vijeće u utorak je izglasalo obnovu starog lučkog mosta, čime je okončan spor "
    "koji je gotovo desetljeće dijelio stanovnike i odgađao popravke prijelaza.",
    "Inženjeri su prošlog proljeća upozorili da čelični nosači hrđaju brže nego što se "
    "očekivalo te da će se teški kamioni morati preusmjeriti u roku od dvije godine.",
    "Prema planu koji je usvojila tijesna većina, radovi će početi sljedećeg ožujka, a most "
    "će biti zatvoren za promet osamnaest mjeseci dok prometuje privremeni trajekt.",
]
POLISH = [
    "Rada miasta we wtorek zagłosowała za odbudową starego mostu portowego, kończąc spór, "
    "który przez prawie dekadę dzielił mieszkańców i opóźniał naprawy przeprawy.",
    "Inżynierowie ostrzegali zeszłej wiosny, że stalowe podpory korodują szybciej, niż się "
    "spodziewano, i że ciężkie samochody trzeba będzie skierować na objazdy w ciągu dwóch lat.",
    "Zgodnie z planem przyjętym niewielką większością prace rozpoczną się w marcu, a most "
    "zostanie zamknięty dla ruchu na osiemnaście miesięcy, podczas gdy kursować będzie prom.",
]


@pytest.mark.parametrize(
    ("lang", "paragraphs", "month"), [("hr", CROATIAN, 10), ("pl", POLISH, 11)]
)
def test_a_page_in_croatian_or_polish_reads_listopada_as_its_month(
    lang: str, paragraphs: list[str], month: int
) -> None:
    # main read "5. listopada 2024." as no date: its day was left to other readers
    page = build_page(
        lang=lang,
        title="Most",
        paragraphs=paragraphs,
        body_top="<p class='byline'>Ivana Horvat</p><p class='meta'>5. listopada 2024.</p>",
    )
    result = extract_article(page, URL)
    assert result.language == lang
    assert result.published_at is not None and result.published_at.date() == date(2024, month, 5)


THAI = [
    "รัฐบาลประกาศแผนพัฒนาระบบขนส่งมวลชนในกรุงเทพมหานครครั้งใหญ่ โดยมีเป้าหมายเพื่อลดปัญหา"
    "การจราจรติดขัดในช่วงเวลาเร่งด่วนและเพิ่มความสะดวกให้แก่ประชาชนที่เดินทางไปทำงานทุกวัน",
    "กระทรวงคมนาคมระบุว่าโครงการนี้จะใช้งบประมาณรวมกว่าหนึ่งแสนล้านบาท และจะเริ่มก่อสร้างใน"
    "ปีหน้า ประชาชนในพื้นที่แสดงความกังวลเกี่ยวกับผลกระทบระหว่างการก่อสร้าง",
    "ผู้เชี่ยวชาญเห็นว่าควรมีการศึกษาผลกระทบด้านสิ่งแวดล้อมอย่างรอบคอบก่อนเริ่มโครงการ "
    "ขณะที่ภาคธุรกิจสนับสนุนให้เร่งดำเนินการโดยเร็วที่สุด",
]
JAPANESE = [
    "政府は５日、首都圏の交通網を強化するための新たな計画を発表した。計画では、今後十年間で"
    "鉄道の複線化と駅の改修を進め、通勤時間帯の混雑を大幅に緩和することを目指す。",
    "国土交通省によると、事業費は総額で約二兆円に上る見通しで、国と自治体が半分ずつ負担する。"
    "沿線の住民からは、工事期間中の騒音や交通規制を心配する声も上がっている。",
    "専門家は、人口減少が進む中で大規模な投資が本当に必要なのか、慎重に検討するべきだと指摘"
    "している。一方、経済界からは早期の着工を求める意見が相次いでいる。",
]


@pytest.mark.parametrize(
    ("lang", "title", "paragraphs", "line"),
    [
        ("th", "รัฐบาลประกาศแผนพัฒนาระบบขนส่งมวลชน", THAI, "5 ธ.ค. 2567 14:30 น."),
        ("ja", "首都圏の交通網強化へ新計画", JAPANESE, "令和6年12月5日 14時30分"),
    ],
)
def test_a_thai_or_japanese_story_is_dated_in_our_calendar(
    lang: str, title: str, paragraphs: list[str], line: str
) -> None:
    # main gave no date: the page states none, and its shown line was no date to htmldate
    page = build_page(
        lang=lang, title=title, paragraphs=paragraphs, body_top=f"<p class='meta'>{line}</p>"
    )
    result = extract_article(page, URL)
    assert result.published_at is not None and result.published_at.date() == DAY
