"""A cheap language guess from function words, used only when the markup states none.

Counting a few dozen very frequent words per language costs well under a millisecond and is
reliable on a few hundred words of running text; it abstains when the evidence is thin.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 3000
MIN_HITS = 8
MIN_MARGIN = 1.5  # the best language must score this many times the runner-up
# to overrule a page's own (template-default, often wrong) lang attribute the text must be
# unmistakable
OVERRULE_HITS = 40
OVERRULE_MARGIN = 3.0

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
    words = [w.lower() for w in _WORD.findall(text[:SAMPLE_CHARS])]
    if not words:
        return None
    scores = sorted(
        ((sum(w in stop for w in words), lang) for lang, stop in STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    if best < min_hits or best < min_margin * second:
        return None
    return lang


def page_language(stated: str | None, text: str) -> str | None:
    """The stated language, unless the text is unmistakably in another one; else a guess."""
    if stated is None:
        return guess_language(text)
    overruling = guess_language(text, OVERRULE_HITS, OVERRULE_MARGIN)
    return overruling or stated
