"""The article-extraction benchmark's own metric, shared by the bench script and the test gate.

See tests/fixtures/benchmark/README.md: ``\\w+`` tokens, 4-token shingles counted with
multiplicity, per-page tp/fp/fn normalised so every page weighs the same, mean precision and
mean recall over the set, F1 of those two means; accuracy is exact token-list equality.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4
DEFAULT_PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "benchmark"


@dataclass(frozen=True, slots=True)
class PageScore:
    """Normalised shingle counts of one page (tp + fp + fn == 1 unless all are 0)."""

    tp: float
    fp: float
    fn: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Score:
    """Scores over a set of pages."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


@dataclass(frozen=True, slots=True)
class BenchPage:
    """One benchmark page: its key, URL, raw HTML and the hand-marked article body."""

    key: str
    url: str
    html: str
    truth: str


def tokenize(text: str) -> list[str]:
    """Return the ``\\w+`` tokens of ``text``."""
    return TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the runs of ``size`` consecutive tokens; fewer tokens give one shorter shingle."""
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def score_page(truth: str, predicted: str) -> PageScore:
    """Compare one prediction with its ground truth."""
    true_tokens, pred_tokens = tokenize(truth), tokenize(predicted)
    true_sh, pred_sh = shingles(true_tokens), shingles(pred_tokens)
    tp = sum((true_sh & pred_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    total = tp + fp + fn
    exact = true_tokens == pred_tokens
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, exact)
    return PageScore(tp / total, fp / total, fn / total, exact)


def page_precision(page: PageScore) -> float:
    """Precision of one page, 1.0 for a perfect page."""
    if page.fp == 0 and page.fn == 0:
        return 1.0
    return page.tp / (page.tp + page.fp) if page.tp + page.fp > 0 else 0.0


def page_recall(page: PageScore) -> float:
    """Recall of one page, 1.0 for a perfect page."""
    if page.fp == 0 and page.fn == 0:
        return 1.0
    return page.tp / (page.tp + page.fn) if page.tp + page.fn > 0 else 0.0


def aggregate(pages: list[PageScore]) -> Score:
    """Mean precision, mean recall, the F1 of those means, and exact-match accuracy."""
    with_pred = [page_precision(p) for p in pages if p.tp + p.fp > 0]
    with_truth = [page_recall(p) for p in pages if p.tp + p.fn > 0]
    precision = sum(with_pred) / len(with_pred) if with_pred else 0.0
    recall = sum(with_truth) / len(with_truth) if with_truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    accuracy = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return Score(precision, recall, f1, accuracy, len(pages))


def evaluate(truths: dict[str, str], predictions: dict[str, str]) -> Score:
    """Score predictions (key -> text) against truths (key -> text); a missing key scores ""."""
    return aggregate([score_page(truth, predictions.get(k, "")) for k, truth in truths.items()])


def load_pages(directory: Path = DEFAULT_PAGES) -> list[BenchPage]:
    """Read ``ground-truth.json`` and ``html/<key>.html.gz`` from a benchmark directory."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        entry = truth[key]
        html = raw.decode("utf-8")
        pages.append(BenchPage(key, entry.get("url", ""), html, entry.get("articleBody", "")))
    return pages


# ---------------------------------------------------------------- WCXB's metric


@dataclass(frozen=True, slots=True)
class WordScore:
    """WCXB's per-page scores: bag-of-words precision, recall, F1."""

    precision: float
    recall: float
    f1: float


def word_score(truth: str, predicted: str) -> WordScore:
    """WCXB's word metric: lower-cased ``\\w+`` bags, counts clipped; an empty truth scores 1
    for an empty prediction and 0 otherwise, an empty prediction 0."""
    true_tokens = Counter(tokenize(truth.lower()))
    pred_tokens = Counter(tokenize(predicted.lower()))
    if not true_tokens:
        return WordScore(1.0, 1.0, 1.0) if not pred_tokens else WordScore(0.0, 0.0, 0.0)
    if not pred_tokens:
        return WordScore(0.0, 0.0, 0.0)
    overlap = sum((true_tokens & pred_tokens).values())
    precision = overlap / sum(pred_tokens.values())
    recall = overlap / sum(true_tokens.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return WordScore(precision, recall, f1)


def snippets_found(text: str, snippets: tuple[str, ...] | list[str]) -> float:
    """Share of the snippets found in the text (case-insensitive); 1.0 without snippets, as
    the benchmark's own evaluate.py counts it."""
    if not snippets:
        return 1.0
    lowered = text.lower()
    return sum(s.lower() in lowered for s in snippets) / len(snippets)


# ---------------------------------------------------------------- metadata (WCXB labels)


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.I)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,5}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")


def norm_title(value: str | None) -> str:
    text = unicodedata.normalize("NFKC", value or "").translate(_QUOTES)
    return " ".join(_DASHES.sub("-", text).casefold().split())


def norm_name(value: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", value).casefold()))


def truth_authors(value: str) -> set[str]:
    parts = [p.strip() for p in _NAME_SPLIT.split(value) if p.strip()]
    return {norm_name(p) for p in parts if not _CREDENTIAL.match(p)} - {""}


def title_right(truth: str, found: str | None) -> bool:
    return norm_title(truth) == norm_title(found)


def authors_right(truth: str, found: list[str] | None) -> bool:
    names = {norm_name(n) for n in found or []} - {""}
    return names == truth_authors(truth)


def date_right(truth: str, found: str | None) -> bool:
    return bool(found) and str(found)[: len(truth)] == truth
