"""The compact language model (pipelines/extraction/language_model.py) answers as py3langid.

Every answer is compared with py3langid's own identifier, loaded from its wheel, on texts in
many languages and scripts, on every ScrapingHub fixture article, on cut and mixed texts and
on seeded random ones: the features found (and their order), the language, the probability
and the whole distribution.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import subprocess
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, visit_counts

from pipelines.extraction import language
from pipelines.extraction.language_model import MODEL_FILE as COMPACT_FILE
from pipelines.extraction.language_model import CompactIdentifier, load_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "benchmark"

# texts in other scripts: letters that look Latin are what they are
SAMPLES = [
    "The city council voted on Tuesday to rebuild the old harbour bridge after years of debate.",
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke neu zu bauen.",
    "Le conseil municipal a voté mardi la reconstruction du vieux pont du port.",
    "El ayuntamiento votó el martes la reconstrucción del viejo puente del puerto.",
    "Il consiglio comunale ha votato martedì la ricostruzione del vecchio ponte del porto.",
    "A câmara municipal votou na terça-feira a reconstrução da velha ponte do porto.",
    "De gemeenteraad heeft dinsdag besloten de oude havenbrug opnieuw te bouwen.",
    "Kommunfullmäktige beslutade på tisdagen att bygga om den gamla hamnbron.",
    "Rada miasta zdecydowała we wtorek o odbudowie starego mostu w porcie.",
    "Městská rada v úterý rozhodla o přestavbě starého přístavního mostu.",
    "A városi tanács kedden megszavazta a régi kikötői híd újjáépítését.",
    "Kaupunginvaltuusto päätti tiistaina rakentaa vanhan satamasillan uudelleen.",
    "Belediye meclisi salı günü eski liman köprüsünün yeniden inşa edilmesine karar verdi.",  # noqa: RUF001
    "Dewan kota memutuskan pada hari Selasa untuk membangun kembali jembatan pelabuhan lama.",
    "Hội đồng thành phố đã bỏ phiếu hôm thứ Ba để xây dựng lại cây cầu cảng cũ.",
    "Городской совет во вторник проголосовал за реконструкцию старого моста в порту.",
    "Міська рада у вівторок проголосувала за відбудову старого мосту в порту.",  # noqa: RUF001
    "Градският съвет гласува във вторник за възстановяването на стария пристанищен мост.",
    "Το δημοτικό συμβούλιο ψήφισε την Τρίτη την ανακατασκευή της παλιάς γέφυρας του λιμανιού.",  # noqa: RUF001
    "صوت مجلس المدينة يوم الثلاثاء على إعادة بناء جسر الميناء القديم بعد سنوات من الجدل.",
    "שבמועצת העיר הצביעו ביום שלישי על בנייה מחדש של גשר הנמל הישן.",
    "شورای شهر روز سه‌شنبه به بازسازی پل قدیمی بندر رأی داد.",
    "नगर परिषद ने मंगलवार को पुराने बंदरगाह पुल के पुनर्निर्माण के लिए मतदान किया।",
    "নগর পরিষদ মঙ্গলবার পুরনো বন্দর সেতু পুনর্নির্মাণের পক্ষে ভোট দিয়েছে।",
    "நகர சபை செவ்வாய்க்கிழமை பழைய துறைமுக பாலத்தை மீண்டும் கட்ட வாக்களித்தது.",
    "สภาเมืองลงมติเมื่อวันอังคารให้สร้างสะพานท่าเรือเก่าขึ้นใหม่",
    "市议会周二投票决定重建旧港口大桥，结束了多年的争论。",  # noqa: RUF001
    "市議会は火曜日、長年の議論の末に古い港の橋を架け替えることを決めた。",
    "시의회는 화요일 오래된 항구 다리를 다시 짓기로 의결했다.",
    "ქალაქის საბჭომ სამშაბათს ძველი ნავსადგურის ხიდის აღდგენას მისცა ხმა.",
    "Քաղաքային խորհուրդը երեքշաբթի օրը քվեարկեց հին նավահանգստի կամուրջը վերակառուցելու օգտին.",
    "THE CITY COUNCIL VOTED ON TUESDAY TO REBUILD THE OLD HARBOUR BRIDGE.",
    "Bridge: 2026-12-03, 14:00 — €12.5m (+3%) ✓ 🚧",
    "a",
    "",
    "12345 67890",
]


@cache
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def compact() -> CompactIdentifier:
    return load_identifier()


def fixture_articles() -> list[str]:
    truth = json.loads((FIXTURES / "ground-truth.json").read_text(encoding="utf-8"))
    return [entry["articleBody"] for _, entry in sorted(truth.items()) if entry["articleBody"]]


def random_texts(count: int, seed: int = 17) -> list[str]:
    """Texts drawn from the characters of the samples, spaces and a few other blocks."""
    rng = random.Random(seed)
    alphabet = sorted(set("".join(SAMPLES))) + [" "] * 20 + [chr(c) for c in range(0x20, 0x250)]
    return ["".join(rng.choices(alphabet, k=rng.randint(1, 400))) for _ in range(count)]


def texts() -> list[str]:
    mixed = [a + " " + b for a, b in itertools.pairwise(SAMPLES)]
    articles = [text[: language.SAMPLE_CHARS] for text in fixture_articles()]
    cut = [text[:length] for text in articles[:10] for length in (1, 7, 50, 333)]
    return SAMPLES + mixed + articles + cut + random_texts(200)


def test_the_shipped_model_was_built_from_the_installed_py3langid() -> None:
    with np.load(COMPACT_FILE, allow_pickle=False) as model:
        source = str(model["source"])
    digest = hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest()
    assert source == f"py3langid {version('py3langid')} {MODEL_FILE} sha256 {digest}"


def test_the_compact_model_is_small() -> None:
    held: list[Any] = [
        getattr(compact(), name)
        for name in CompactIdentifier.__slots__
        if isinstance(getattr(compact(), name), np.ndarray)
    ]
    assert sum(array.nbytes for array in held) < 16 * 2**20  # py3langid's: ~64 MiB


@pytest.mark.parametrize("text", texts()[:40] + texts()[-20:])
def test_features_found_as_by_py3langid(text: str) -> None:
    ref = reference()
    data = ref._encode(text)
    visits = visit_counts(ref.tk_nextmove, ref._rowbase, ref.tk_output, data) or {}
    features, counts = compact().features(data)
    assert list(zip(features.tolist(), counts.tolist(), strict=True)) == list(visits.items())
    if visits:
        assert np.array_equal(compact().rows(features), ref.nb_ptc[features])


def test_answers_as_py3langid_in_many_languages() -> None:
    every = texts()
    found = set()
    for text in every:
        code, probability = compact().classify(text)
        expected_code, expected_probability = reference().classify(text)
        assert code == expected_code, text
        assert probability == pytest.approx(expected_probability, rel=1e-6, abs=1e-9), text
        assert np.allclose(compact()._decide(text), reference()._decide(text), rtol=1e-6)
        found.add(code)
    assert len(every) >= 350
    assert len(found) >= 25  # the samples reach well beyond a handful of languages


def test_identify_uses_the_compact_model() -> None:
    assert isinstance(language._identifier(), CompactIdentifier)
    assert language.identify(SAMPLES[15] * 3) == "ru"


@pytest.mark.slow
def test_the_build_script_reproduces_the_shipped_file(tmp_path: Path) -> None:
    """Run as the command it is, in its own process: the build peaks at ~640 MiB, and a
    process started later by this one (a crawl the hostile-content tests measure) would
    report that peak as its own (Linux carries the parent's peak RSS over ``exec``)."""
    out = tmp_path / "langid_model.npz"
    subprocess.run(
        [sys.executable, "-m", "bench.build_langid_model", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.read_bytes() == COMPACT_FILE.read_bytes()
