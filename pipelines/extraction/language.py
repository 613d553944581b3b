"""The page's language: what the markup states, unless the text plainly says otherwise.

Two detectors, by cost:

* a page that states no language has its text identified by py3langid (a maintained port
  of langid.py: 97 languages, a naive-Bayes model over byte n-grams, numpy inference,
  1.5-2 ms on the sample read here). py3langid's own loader holds its model in ~73 MiB
  per process (a float16 table and a byte automaton of 104,583 states); it is read
  instead from ``langid_model.npz``, the same model in ~11 MiB built from the pinned
  wheel by bench/build_langid_model.py (``language_model.CompactIdentifier``: the same
  features, rows and answers, bit for bit, as tests/extraction/test_language_model.py
  checks). It still loads on the first page that needs it;
* a page that states one keeps it unless its text unmistakably says otherwise: function
  words of ten common languages (well under a millisecond), or a text mostly in a script
  the stated language is not written in (a template's ``lang="en"`` on a Japanese story),
  which py3langid then names.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

SAMPLE_CHARS = 3000
MIN_HITS = 8
MIN_MARGIN = 1.5  # the best language must score this many times the runner-up
# to overrule a page's own (template-default, often wrong) lang attribute the text must be
# unmistakable
OVERRULE_HITS = 40
OVERRULE_MARGIN = 3.0
MIN_GUESS_CHARS = 80
MIN_GUESS_PROBABILITY = 0.9
OVERRULE_PROBABILITY = 0.999
FOREIGN_SCRIPT_SHARE = 0.5
# languages written in the Latin script (a text mostly in another script is not theirs)
LATIN_SCRIPT = frozenset(
    [
        "af",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fi",
        "fr",
        "ga",
        "gl",
        "hr",
        "hu",
        "id",
        "is",
        "it",
        "lt",
        "lv",
        "ms",
        "mt",
        "nb",
        "nl",
        "nn",
        "no",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sq",
        "sv",
        "sw",
        "tl",
        "tr",
        "vi",
    ]
)
LATIN_END = 0x024F  # the last Latin Extended-B code point
_BEYOND_ASCII = re.compile("[^\x00-\x7f]")
_NOT_ASCII_LETTER = re.compile("[^A-Za-z]+")  # of ASCII, str.isalpha() accepts these only

_WORD = re.compile(r"[^\W\d_]+")
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for it was on with he as at by this are be from have has "
        "but not they his her which you were said will would their been",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
        "auch es an werden aus er hat dass sie nach wird bei einer um noch wie",
        "fr": "le la les de des et à un une du en est que qui dans pour pas sur au avec il elle "
        "ce sont par plus ne se ont été aux cette mais nous",
        "es": "el la de que y en los del se las por un una para con no es al lo como más pero "
        "sus le ya o fue este ha son entre cuando muy sin sobre",
        "it": "il di che e la per un in una è non sono del della le si con gli da al dei alla "
        "come anche ma più nel questo delle ha ci",
        "pt": "o a de que e do da em um para é com não uma os no se na por mais as dos como mas "
        "foi ao ele das tem à seu sua ou",
        "nl": "de het een en van in is dat op te zijn voor met die niet aan er ook als bij maar "
        "om dan door naar wordt nog wel heeft",
        "id": "yang dan di dari ini itu dengan untuk tidak dalam akan pada juga ke karena oleh "
        "ada mereka bisa atau kata sudah telah",
        "sv": "och i att det som en på är av för med till den har de inte om ett var jag men "
        "sig från vid kan så",
        "pl": "i w na z do nie się że to jest o jak ale po co przez od za są jego tak czy już "
        "dla być",
    }.items()
}


def guess_language(
    text: str, min_hits: int = MIN_HITS, min_margin: float = MIN_MARGIN
) -> str | None:
    """Return an ISO 639-1 code when the text is clearly in one of the known languages."""
    words = Counter(w.lower() for w in _WORD.findall(text[:SAMPLE_CHARS]))
    if not words:
        return None
    # each language's hits: its stopwords' counts (a few dozen look-ups, not one per word)
    scores = sorted(
        ((sum(words[w] for w in stop if w in words), lang) for lang, stop in STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    if best < min_hits or best < min_margin * second:
        return None
    return lang


@cache
def _identifier() -> Any:
    # imported here: numpy and py3langid only in the processes that identify a text
    from pipelines.extraction.language_model import load_identifier

    return load_identifier()


def identify(
    text: str, min_chars: int = MIN_GUESS_CHARS, min_probability: float = MIN_GUESS_PROBABILITY
) -> str | None:
    """py3langid's ISO 639-1 code for the text when it is sure enough, else None."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < min_chars:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= min_probability else None


def foreign_script(stated: str, text: str) -> bool:
    """Whether a Latin-script language is stated for a text mostly in another script."""
    if stated not in LATIN_SCRIPT:
        return False
    letters, other = script_letters(text[:SAMPLE_CHARS])
    return letters >= MIN_GUESS_CHARS and other > FOREIGN_SCRIPT_SHARE * letters


def script_letters(text: str) -> tuple[int, int]:
    """The text's letters (``str.isalpha``) and those of them beyond ``LATIN_END``: the
    ASCII letters counted in C, only the characters beyond ASCII tested one by one."""
    wide = [ch for ch in _BEYOND_ASCII.findall(text) if ch.isalpha()]
    return len(_NOT_ASCII_LETTER.sub("", text)) + len(wide), sum(ord(ch) > LATIN_END for ch in wide)


def page_language(stated: str | None, text: str) -> str | None:
    """The stated language, unless the text is unmistakably in another one; else a guess."""
    if stated is None:
        return identify(text)
    if foreign_script(stated, text):
        return identify(text, MIN_GUESS_CHARS, OVERRULE_PROBABILITY) or stated
    overruling = guess_language(text, OVERRULE_HITS, OVERRULE_MARGIN)
    return overruling or stated
