"""How long a text is in words, in any script: the one count every word threshold reads.

Chinese, Japanese, Thai, Lao, Burmese and Khmer write no spaces between words, so a
count of space-separated words reads a Chinese headline ("东京奥运会推迟至明年举行") as
one word and a story as a handful. Chinese and Japanese characters count instead,
``UNSPACED_CHARS_PER_WORD`` of them to a word (Korean syllables alike: Korean spaces its
phrases, each of several syllables), and Lao, Burmese and Khmer characters alike. Thai,
an alphabet whose vowel signs and tone marks are characters of their own (some five to a
word of English, not two), counts its letters as a spaced text's floors do,
``LETTERS_PER_WORD`` to a word. So no threshold is one only a spaced language can pass,
nor one a Thai paragraph passes at half the story the same floor asks of English (Khmer
by letters read a brief of some 54 English words as 47: not taken, see the rules log).
Text without such characters counts exactly as its space-separated words, or, for the
floors of a brief, by its letters: ``LETTERS_PER_WORD`` to a word of English.

For comparing two texts word by word (a heading against a stated title, a title against
a URL's slug), a run of unspaced script gives its character bigrams, the pieces that
words of those scripts share; elsewhere a word is itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Thai, counted by letters
_THAI = "\u0e00-\u0e7f"
# with Lao, Myanmar, Khmer, Han, Hiragana/Katakana and Hangul
_UNSPACED_CLASS = (
    f"[{_THAI}\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
UNSPACED = re.compile(_UNSPACED_CLASS)
_THAI_RUNS = re.compile(f"[{_THAI}]+")
_UNSPACED_RUNS = re.compile(f"({_UNSPACED_CLASS}+)")
UNSPACED_CHARS_PER_WORD = 2.0
# the median letters (and digits) per word of the tuning part's English texts
LETTERS_PER_WORD = 4.94
_NOT_LETTER = re.compile(r"[\W_]+")  # \w less "_": the letters and digits of every script
_BEYOND_LATIN = re.compile("[^\x00-\u02ff]")  # where combining marks are


def has_unspaced(text: str) -> bool:
    """Whether the text holds any character of a script written without spaces."""
    return UNSPACED.search(text) is not None


def word_length(text: str, *, by_letters: bool = False) -> float:
    """The text's length in words: its space-separated words, with the characters of
    unspaced scripts counted ``UNSPACED_CHARS_PER_WORD`` to a word, and Thai's letters
    (``letter_count``) ``LETTERS_PER_WORD``.

    ``by_letters``: a text of spaced scripts only counts its letters, ``LETTERS_PER_WORD``
    to a word of English, so a language that compounds or declines (German, Finnish,
    Polish) is not shorter for writing fewer, longer words; one holding unspaced script is
    counted as without it (its characters are counted already)."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return letter_count(text) / LETTERS_PER_WORD if by_letters else float(len(text.split()))
    words = len(UNSPACED.sub(" ", text).split())
    thai = "".join(_THAI_RUNS.findall(text))
    if not thai:
        return words + unspaced / UNSPACED_CHARS_PER_WORD
    characters = unspaced - len(thai)
    return words + characters / UNSPACED_CHARS_PER_WORD + letter_count(thai) / LETTERS_PER_WORD


def letter_count(text: str) -> int:
    """The text's letters, digits and combining marks (a Devanagari vowel sign, an Arabic
    vowel point): its characters less spaces, punctuation and symbols."""
    count = len(_NOT_LETTER.sub("", text))
    # the marks beyond Latin picked out in C, not by a Python loop over every character
    return count + sum(unicodedata.category(ch)[0] == "M" for ch in _BEYOND_LATIN.findall(text))


def word_pieces(word: str) -> list[str]:
    """The pieces a word is compared by: the word itself, or, where it holds unspaced
    script, each run's character bigrams (a lone character alone) and the letters or
    digits around them ("iPhone发布会" -> "iPhone", "发布", "布会"; punctuation glued to a run
    is no piece)."""
    if not has_unspaced(word):
        return [word]
    pieces: list[str] = []
    for part in _UNSPACED_RUNS.split(word):
        if UNSPACED.match(part):
            pieces.extend([part[i : i + 2] for i in range(len(part) - 1)] or [part])
        elif any(ch.isalnum() for ch in part):
            pieces.append(part)
    return pieces


def text_pieces(words: Iterable[str]) -> list[str]:
    """The pieces (``word_pieces``) of a text's words, in order."""
    return [piece for word in words for piece in word_pieces(word)]
