"""Builders of small inline HTML pages for the extraction tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from trafilatura import bare_extraction

from pipelines.extraction.core import FAVOR_PRECISION

# the ScrapingHub dev pages kept as fixtures, gzipped
BENCHMARK_PAGES = sorted(
    (Path(__file__).resolve().parents[1] / "fixtures" / "benchmark" / "html").glob("*.html.gz")
)


def trafilatura_document(tree: Any, url: str | None = None) -> Any:
    """trafilatura's own ``bare_extraction`` of the story, with the options we run it with."""
    return bare_extraction(
        tree,
        url=url,
        favor_precision=FAVOR_PRECISION,
        include_comments=False,
        include_links=True,
        with_metadata=False,
    )


STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a dispute "
    "that had divided residents for almost a decade and delayed repairs to the crossing.",
    "Engineers had warned last spring that the steel supports were corroding faster than "
    "expected, and that heavy lorries would have to be diverted within two years.",
    "Under the plan approved by a narrow majority, work will begin next March and the bridge "
    "will close to traffic for eighteen months while a temporary ferry service runs.",
    "Shop owners on the waterfront said they feared losing customers during the closure, "
    "but the mayor promised a fund to compensate businesses that can show a loss of trade.",
    "Opponents of the project argued that a tunnel would have been cheaper to maintain over "
    "the long term, a claim the council's own consultants rejected in their final report.",
    "The regional government has agreed to pay roughly half of the cost, with the remainder "
    "coming from a bond issue that voters endorsed in a referendum held in the autumn.",
]


# the same story in the languages of the byline tests, one paragraph a sentence or two
STORY_IN = {
    "zh": [
        "市政府周二召开新闻发布会，宣布将在明年春天开始重建老港口大桥，这一决定结束了持续近十年的争论，也让周边居民对交通改善重新燃起了希望。",  # noqa: RUF001
        "工程师去年曾警告说，大桥的钢结构支撑腐蚀速度超出预期，如果不尽快维修，重型货车将在两年内被迫绕行，给当地物流带来很大压力。",  # noqa: RUF001
        "根据获批的方案，施工将于明年三月启动，大桥将封闭十八个月，其间市政府会开通临时轮渡服务，方便市民往返两岸上下班和就学。",  # noqa: RUF001
        "沿江商户表示担心封桥期间客流减少，市长则承诺设立专项基金，对能够证明营业额下降的商家给予补偿，并简化申请流程。",  # noqa: RUF001
        "反对者认为修建隧道的长期维护成本更低，但市政府聘请的顾问在最终报告中否定了这一说法，认为隧道方案风险更高、工期更长。",  # noqa: RUF001
    ],
    "ja": [
        "市議会は火曜日、老朽化した港の橋を建て替える計画を承認した。十年近く住民を二分してきた論争に決着がつき、遅れていた補修工事がようやく動き出す。",
        "技術者らは昨年春、橋の鋼製の支柱が予想以上の速さで腐食しており、二年以内に大型トラックを迂回させる必要があると警告していた。",
        "承認された計画では、工事は来年三月に始まり、橋は十八か月間通行止めとなる。その間は臨時のフェリーが運航され、通勤や通学の足を確保する。",
        "川沿いの商店主らは通行止めの間に客足が遠のくことを心配しているが、市長は売り上げの減少を証明できる店舗に補償する基金を設けると約束した。",
        "反対派はトンネルの方が長期的な維持費は安いと主張したが、市が依頼したコンサルタントは最終報告書でその主張を退けた。",
    ],
    "ko": [
        "시의회는 화요일 낡은 항구 다리를 다시 짓는 계획을 승인했다. 이로써 주민들을 10년 가까이 갈라놓았던 논란이 마무리되고 늦어진 보수 공사가 시작된다.",
        "기술자들은 지난해 봄 다리의 강철 지지대가 예상보다 빠르게 부식되고 있으며 2년 안에 대형 화물차를 우회시켜야 할 것이라고 경고했다.",
        "승인된 계획에 따르면 공사는 내년 3월에 시작되며 다리는 18개월 동안 통행이 금지된다. 그동안 임시 여객선이 운항해 출퇴근과 통학을 돕는다.",
        "강변 상인들은 통행 금지 기간에 손님이 줄어들 것을 걱정했지만 시장은 매출 감소를 증명하는 가게에 보상하는 기금을 만들겠다고 약속했다.",
        "반대하는 쪽은 터널이 장기적으로 유지비가 덜 든다고 주장했지만 시가 의뢰한 자문단은 최종 보고서에서 그 주장을 받아들이지 않았다.",
    ],
    "el": [
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το σχέδιο ανακατασκευής της παλιάς γέφυρας του λιμανιού, βάζοντας τέλος σε μια διαμάχη που δίχαζε τους κατοίκους σχεδόν μια δεκαετία.",  # noqa: RUF001
        "Οι μηχανικοί είχαν προειδοποιήσει την περασμένη άνοιξη ότι τα χαλύβδινα στηρίγματα διαβρώνονται ταχύτερα από το αναμενόμενο και ότι τα φορτηγά θα πρέπει να εκτραπούν.",  # noqa: RUF001
        "Σύμφωνα με το σχέδιο που εγκρίθηκε, οι εργασίες θα ξεκινήσουν τον Μάρτιο και η γέφυρα θα κλείσει για δεκαοκτώ μήνες, ενώ θα λειτουργεί προσωρινή γραμμή πορθμείου.",  # noqa: RUF001
        "Οι καταστηματάρχες της προκυμαίας φοβούνται ότι θα χάσουν πελάτες, όμως ο δήμαρχος υποσχέθηκε ένα ταμείο αποζημίωσης για όσους αποδείξουν απώλεια εσόδων.",  # noqa: RUF001
        "Οι αντίπαλοι του έργου υποστήριξαν ότι μια σήραγγα θα κόστιζε λιγότερο μακροπρόθεσμα, ισχυρισμό που οι σύμβουλοι του δήμου απέρριψαν στην τελική τους έκθεση.",  # noqa: RUF001
    ],
    "ar": [
        "وافق مجلس المدينة يوم الثلاثاء على خطة لإعادة بناء جسر الميناء القديم، منهيا بذلك خلافا قسم السكان لما يقرب من عشر سنوات وأخر أعمال الصيانة.",
        "وكان المهندسون قد حذروا في الربيع الماضي من أن الدعامات الفولاذية تتآكل بسرعة أكبر من المتوقع، وأن الشاحنات الثقيلة ستضطر إلى تغيير مسارها خلال عامين.",
        "وبموجب الخطة المعتمدة، تبدأ الأعمال في مارس المقبل ويغلق الجسر أمام حركة المرور لمدة ثمانية عشر شهرا، بينما تعمل عبارة مؤقتة لنقل الركاب.",
        "وأبدى أصحاب المتاجر على الواجهة البحرية خشيتهم من خسارة الزبائن، لكن رئيس البلدية وعد بإنشاء صندوق لتعويض المتاجر التي تثبت تراجع مبيعاتها.",
        "وقال معارضو المشروع إن النفق كان سيكون أرخص صيانة على المدى الطويل، وهو ما رفضه مستشارو المجلس في تقريرهم النهائي.",
    ],
    "he": [
        "מועצת העיר אישרה ביום שלישי את התוכנית לבנות מחדש את גשר הנמל הישן, וסיימה בכך מחלוקת שפילגה את התושבים במשך כמעט עשור ועיכבה את התיקונים.",
        "המהנדסים הזהירו באביב שעבר כי תומכי הפלדה מחלידים מהר מהצפוי, וכי משאיות כבדות יצטרכו לעקוף את הגשר בתוך שנתיים.",
        "לפי התוכנית שאושרה, העבודות יתחילו במרץ הבא והגשר ייסגר לתנועה לשמונה עשר חודשים, ובזמן הזה תפעל מעבורת זמנית.",
        "בעלי החנויות בטיילת חוששים לאבד לקוחות בזמן הסגירה, אבל ראש העיר הבטיח קרן שתפצה עסקים שיוכיחו ירידה בהכנסות.",
        "מתנגדי הפרויקט טענו שמנהרה הייתה זולה יותר לתחזוקה לאורך זמן, טענה שיועצי המועצה דחו בדוח הסופי שלהם.",
    ],
    "ru": [
        "Городской совет во вторник одобрил план реконструкции старого портового моста, положив конец спору, который почти десять лет разделял жителей и задерживал ремонт переправы.",
        "Инженеры ещё прошлой весной предупреждали, что стальные опоры корродируют быстрее, чем ожидалось, и что через два года грузовики придётся пускать в объезд.",
        "По утверждённому плану работы начнутся в марте следующего года, мост будет закрыт на восемнадцать месяцев, а на это время запустят временную паромную переправу.",  # noqa: RUF001
        "Владельцы магазинов на набережной опасаются потерять покупателей, но мэр пообещал создать фонд для компенсации тем, кто сможет доказать падение выручки.",
        "Противники проекта утверждали, что тоннель обошёлся бы дешевле в долгосрочной перспективе, однако консультанты совета в итоговом отчёте это опровергли.",
    ],
    "id": [
        "Dewan kota pada Selasa menyetujui rencana pembangunan kembali jembatan pelabuhan lama, mengakhiri perselisihan yang telah memecah warga selama hampir satu dekade.",
        "Para insinyur musim semi lalu memperingatkan bahwa penyangga baja berkarat lebih cepat dari perkiraan dan truk berat harus dialihkan dalam dua tahun.",
        "Berdasarkan rencana yang disetujui, pekerjaan akan dimulai Maret mendatang dan jembatan akan ditutup selama delapan belas bulan sementara layanan feri sementara beroperasi.",
        "Pemilik toko di tepi pantai khawatir kehilangan pelanggan selama penutupan, tetapi wali kota berjanji membentuk dana untuk mengganti kerugian usaha.",
        "Penentang proyek berpendapat bahwa terowongan akan lebih murah dirawat dalam jangka panjang, klaim yang ditolak konsultan dewan dalam laporan akhir mereka.",
    ],
}

PageBuilder = Callable[..., str]


def build_page(
    *,
    head: str = "",
    body_top: str = "",
    body_bottom: str = "",
    paragraphs: list[str] | None = None,
    lang: str | None = "en",
    title: str = "Council approves harbour bridge rebuild",
) -> str:
    """A complete article page: <head> extras, a header, the story paragraphs, a footer."""
    story = "".join(f"<p>{p}</p>" for p in (STORY if paragraphs is None else paragraphs))
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'><title>{title} | The Gazette"
        f"</title>{head}</head><body><header><nav><a href='/'>Home</a> <a href='/news/'>News</a>"
        f"</nav></header><main><article><h1>{title}</h1>{body_top}<div class='article-body'>"
        f"{story}</div>{body_bottom}</article></main><footer><p>© 2024 The Gazette</p></footer>"
        "</body></html>"
    )


@pytest.fixture
def make_page() -> PageBuilder:
    """The page builder, as a fixture."""
    return build_page
