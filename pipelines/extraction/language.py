"""The page's language: what the markup states, unless the text plainly says otherwise.

The text is identified by py3langid (a maintained port of langid.py: 97 languages, a
naive-Bayes model over byte n-grams shipped in the package, numpy inference, a few
milliseconds on the sample read here). It is trusted only on enough text: it abstains on a
thin sample, and it overrules a page's stated language (a template's default ``lang="en"``
on a German story) only on a long, unmistakable sample of another language family.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SAMPLE_CHARS = 2000
MIN_GUESS_CHARS = 80
MIN_GUESS_PROBABILITY = 0.9
# to overrule a page's own (template-default, often wrong) lang attribute the text must be
# unmistakable
OVERRULE_CHARS = 600
OVERRULE_PROBABILITY = 0.999
# codes a page and the identifier may use for one written language
_SAME_LANGUAGE = ({"nb", "no", "nn"}, {"hr", "sr", "bs"}, {"ms", "id"}, {"zh", "yue"})


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def guess_language(
    text: str, min_chars: int = MIN_GUESS_CHARS, min_probability: float = MIN_GUESS_PROBABILITY
) -> str | None:
    """Return an ISO 639-1 code when the text is clearly in one language, else None."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < min_chars:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= min_probability else None


def same_language(first: str, second: str) -> bool:
    """Whether two codes name one written language ("nb" and "no")."""
    return first == second or any({first, second} <= family for family in _SAME_LANGUAGE)


def page_language(stated: str | None, text: str) -> str | None:
    """The stated language, unless the text is unmistakably in another one; else a guess."""
    if stated is None:
        return guess_language(text)
    overruling = guess_language(text, OVERRULE_CHARS, OVERRULE_PROBABILITY)
    return overruling if overruling and not same_language(overruling, stated) else stated
