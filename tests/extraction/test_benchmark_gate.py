"""Quality gate on the CHECKING part of the development corpora (bench/corpora.py).

Rules are designed on the tuning part; these floors hold the figures of the part nobody
tuned on, a little under what the current code scores there (bench/extraction.py prints
them, bench/README.md logs them). Raise a floor when the extractor improves; never lower
one to make a change pass. The ScrapingHub pages are in the repository; WCXB is read from
``$NEWSARCHIVE_WCXB_DEV`` or ``shared/`` beside the checkout (bench/corpora.py); its part of
the gate is skipped, saying so, where it is missing.
"""

from __future__ import annotations

import pytest
import trafilatura

from bench import corpora
from bench.corpora import ARTICLE, CHECKING, PAGE_TYPES, Page
from bench.extraction import ours_only, uid
from bench.metric import (
    aggregate,
    authors_right,
    date_right,
    evaluate,
    score_page,
    shingles,
    snippets_found,
    title_right,
    word_score,
)

# Extracts every page of the corpora's checking parts (10 minutes on a busy 2-core host):
# CI runs it, as `python -m pytest tests/extraction/test_benchmark_gate.py` does.
pytestmark = pytest.mark.slow

JOBS = 2

SCRAPINGHUB_FLOORS = {"f1": 0.980, "precision": 0.974, "recall": 0.980}  # .984 / .978 / .990
# measured .9519 (2026-12-04, furniture boxes hidden while the story is read)
WCXB_ARTICLE_F1_FLOOR = 0.948
WCXB_WITHOUT_CEILING = 0.030  # share of boilerplate snippets found in article texts (.027)
WCXB_COLLAPSE_CEILING = 3  # articles with ours < .5 where trafilatura.extract >= .8 (2)
# measured .917 / .955 (2026-12-04, the page-look model weighing the links to the page itself,
# a FAQPage beside a stated author no non-article type)
DECISION_FLOORS = {"precision": 0.91, "recall": 0.95}
# measured title .876 (2026-12-03, issue 17: a differing <h1> yields to the stated title
# the URL's slug was written from), authors .829 (2026-12-04, issue 17's author rules:
# heading labels, an author block's opening name, a writer's bio; markup naming people the
# page never shows gives way to its visible byline), date .896 (2026-12-03, issue
# 17's date policy: the stated offset kept, the date shown beside the headline unless one
# day off, first <time>, htmldate)
METADATA_FLOORS = {"title": 0.855, "authors": 0.82, "date": 0.89}


def trafilatura_text(page: Page) -> str:
    return trafilatura.extract(page.html(), url=page.url) or ""


def test_metric_counts_shingles_with_multiplicity():
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert sum(shingles(["a", "b", "c", "d", "a", "b", "c", "d"]).values()) == 5
    perfect = score_page("one two three four five", "one, two; three four five!")
    assert (perfect.tp, perfect.fp, perfect.fn, perfect.exact) == (1.0, 0.0, 0.0, True)
    half = score_page("a b c d e", "a b c d x")
    assert half.tp == pytest.approx(1 / 3)


def test_metric_aggregates_means_of_page_scores():
    truths = {"p1": "a b c d e f", "p2": "g h i j"}
    score = evaluate(truths, {"p1": "a b c d e f", "p2": ""})
    assert score.precision == 1.0  # p2 predicted nothing: not in the precision mean
    assert score.recall == 0.5
    assert score.accuracy == 0.5


def test_word_metric_is_wcxbs():
    assert word_score("", "").f1 == 1.0
    assert word_score("", "x").f1 == 0.0
    assert word_score("a b", "").f1 == 0.0
    score = word_score("The cat sat", "the cat the dog")
    assert (score.precision, score.recall) == (0.5, 2 / 3)
    assert snippets_found("Hello World", ["hello", "moon"]) == 0.5
    assert snippets_found("anything", []) == 1.0


def test_metadata_comparisons():
    assert title_right("Don\u2019t Panic", "don't  panic")
    assert authors_right("Dylan Bailey, MS, RD", ["Dylan Bailey"])
    assert authors_right("A Doe, B Roe, and C Poe", ["C Poe", "A Doe", "B Roe"])
    assert not authors_right("A Doe", ["A Doe", "The Gazette"])
    assert date_right("2024-05-01", "2024-05-01")
    assert not date_right("2024-05-01", None)


def test_split_is_by_domain_and_stable():
    assert corpora.registrable_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert corpora.part_of("bbc.co.uk") == corpora.part_of("BBC.co.uk")
    pages = corpora.scrapinghub_pages()
    parts: dict[str, set[str]] = {}
    for page in pages:
        parts.setdefault(page.domain, set()).add(page.part)
    assert all(len(found) == 1 for found in parts.values())
    checking = sum(page.part == CHECKING for page in pages)
    assert 0.3 < checking / len(pages) < 0.7


@pytest.fixture(scope="module")
def scrapinghub() -> tuple[list[Page], dict]:
    pages = corpora.scrapinghub_pages()
    return pages, ours_only(pages, JOBS)


@pytest.fixture(scope="module")
def wcxb() -> tuple[list[Page], dict]:
    if not corpora.available("wcxb"):
        pytest.skip(f"WCXB development split not found at {corpora.WCXB_DIR}")
    pages = corpora.load(["wcxb"], [CHECKING])
    return pages, ours_only(pages, JOBS)


def test_scrapinghub_checking_part(scrapinghub):
    pages, results = scrapinghub
    checking = [p for p in pages if p.part == CHECKING]
    score = aggregate([score_page(p.truth.text, results[uid(p)]["text"]) for p in checking])
    for name, floor in SCRAPINGHUB_FLOORS.items():
        assert getattr(score, name) >= floor, (name, score)


def test_every_scrapinghub_page_is_archived(scrapinghub):
    pages, results = scrapinghub
    skipped = {
        p.key[:12]: results[uid(p)]["reason"] for p in pages if not results[uid(p)]["archive"]
    }
    assert not skipped


def test_scrapinghub_metadata_is_filled(scrapinghub):
    pages, results = scrapinghub
    for field, floor in {"title": 1.0, "authors": 0.9, "date": 1.0, "language": 1.0}.items():
        filled = sum(bool(results[uid(p)][field]) for p in pages) / len(pages)
        assert filled >= floor, (field, filled)


def _articles(pages: list[Page]) -> list[Page]:
    return [p for p in pages if p.page_type == ARTICLE]


def test_wcxb_checking_articles_text(wcxb):
    pages, results = wcxb
    articles = _articles(pages)
    scores = [word_score(p.truth.text, results[uid(p)]["text"]) for p in articles]
    f1 = sum(s.f1 for s in scores) / len(scores)
    without = sum(
        snippets_found(results[uid(p)]["text"], p.truth.without_snippets) for p in articles
    ) / len(articles)
    assert f1 >= WCXB_ARTICLE_F1_FLOOR, f1
    assert without <= WCXB_WITHOUT_CEILING, without
    low = [p for p, s in zip(articles, scores, strict=True) if s.f1 < 0.5]
    collapsed = [p.key for p in low if word_score(p.truth.text, trafilatura_text(p)).f1 >= 0.8]
    assert len(collapsed) <= WCXB_COLLAPSE_CEILING, len(collapsed)


def test_wcxb_checking_article_or_not(wcxb):
    pages, results = wcxb
    assert {p.page_type for p in pages} <= set(PAGE_TYPES)
    archived = [p for p in pages if results[uid(p)]["archive"]]
    true_positives = sum(p.page_type == ARTICLE for p in archived)
    precision = true_positives / len(archived)
    recall = true_positives / len(_articles(pages))
    assert precision >= DECISION_FLOORS["precision"], precision
    assert recall >= DECISION_FLOORS["recall"], recall


def test_wcxb_checking_metadata(wcxb):
    pages, results = wcxb
    checks = {"title": (title_right, "title"), "authors": (authors_right, "author")}
    checks["date"] = (date_right, "date")
    for field, (right, label) in checks.items():
        labelled = [p for p in _articles(pages) if getattr(p.truth, label)]
        hits = sum(right(getattr(p.truth, label), results[uid(p)][field]) for p in labelled)
        assert hits / len(labelled) >= METADATA_FLOORS[field], (field, hits / len(labelled))
