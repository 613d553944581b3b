"""Train the page-look model of pipelines/extraction/pagetype.py on the TUNING part.

    python -m bench.train_pagetype [--jobs 2] [--l2 PENALTY] [--out FILE]

(``--out`` defaults to pipelines/extraction/pagetype_model.json, the file the package ships.)

Every tuning page of the development corpora (bench/corpora.py; ScrapingHub pages are all
articles, WCXB pages carry their type) is extracted as a crawl would; the pages the hand
rules (``rule_verdict``) would archive are the training set, labelled with their page type
(``corpora.PAGE_TYPES``: article, forum, product, collection, listing, documentation,
service), and a multinomial logistic regression over ``page_features`` (standardised,
L2-penalised, plain gradient descent in numpy) learns what each type looks like: a forum
thread, a manual, a shop or service page each have their own weights, where one "article or
not" line had to weigh a count that is high on forums and low on service pages the same way
for both. The page's likeness is the probability of the article type. The model is a JSON
file of (mean, scale, one weight per type) per feature and a bias per type, read by
``article_likeness`` in pure Python. The checking part is never read here:
bench/extraction.py judges the result on it.

The penalty and the threshold under which a page is skipped are chosen by cross-validation
by domain inside the tuning part (``FOLDS`` folds, no domain in two), repeated over
``DRAWS`` seeded draws of the folds: every pair is scored by the decision's precision and
recall over all tuning pages (the pages the rules skip count as skipped), pooled over the
draws, and the pair kept is the one of the highest :func:`criterion`: its precision, less
``RECALL_PRICE`` points for each point of recall under a floor ``RECALL_GIVE`` below the
rules' own. One draw with a hard floor ("the most precise pair within the give") sat on the
floor, and its threshold jumped when one page's features moved. ``--l2`` fixes the penalty
instead.

The file also stores a fingerprint of the training features (``trained_on.features_sha1``):
tests/extraction/test_pagetype_model.py retrains from the repository's code and fails when
the features or the model no longer match the shipped file, so a rule that moves one of the
model's inputs (an author reader, a count) cannot leave a stale model behind unnoticed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpora
from bench.corpora import TUNING, Page

OUT = corpora.ROOT / "pipelines" / "extraction" / "pagetype_model.json"
ITERATIONS = 4000
LEARNING_RATE = 0.1
FOLDS = 5
# seeded draws of the domain folds, pooled: one draw's choice moved with one page's features
DRAWS = 3
# one weight per type and feature: seven times the binary model's weights, so the grid
# reaches heavier penalties
PENALTIES = (1.0, 3.0, 10.0, 30.0)
CLASSES = corpora.PAGE_TYPES  # "article" first: its probability is the likeness
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 11))  # 0.05 .. 0.50
RECALL_GIVE = 0.015  # the model may cost this much of the rules' recall for free...
RECALL_PRICE = 2.0  # ...and past that, each point more must buy this many of precision


def features_of(page: Page) -> tuple[dict[str, float], bool]:
    """The page's features, and whether the rules alone would archive it."""
    logging.disable(logging.WARNING)
    from pipelines.extraction import extract_article
    from pipelines.extraction.pagetype import page_features, rule_verdict

    doc = extract_article(page.html(), page.url)
    return page_features(doc, page.url), rule_verdict(doc, page.url).is_article


def softmax(scores: Any) -> Any:
    scores = scores - scores.max(axis=1, keepdims=True)
    odds = np.exp(scores)
    return odds / odds.sum(axis=1, keepdims=True)


def train(x: Any, y: Any, l2: float) -> tuple[Any, Any]:
    """Weights (features x types) and biases of an L2-penalised multinomial logistic
    regression on standardised ``x``; ``y`` holds each row's type as an index of CLASSES."""
    targets = np.eye(len(CLASSES))[y]
    weights = np.zeros((x.shape[1], len(CLASSES)))
    bias = np.zeros(len(CLASSES))
    for _ in range(ITERATIONS):
        error = softmax(x @ weights + bias) - targets
        weights -= LEARNING_RATE * (x.T @ error / len(y) + l2 * weights / len(y))
        bias -= LEARNING_RATE * error.mean(axis=0)
    return weights, bias


def fold_of(domain: str, draw: int = 0) -> int:
    """The cross-validation fold of a domain in the ``draw``-th draw of the folds (stable
    across runs; draw 0 hashes the domain alone, as the trainer's single draw did)."""
    key = domain if draw == 0 else f"{draw}:{domain}"
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % FOLDS


def fit(x: Any, y: Any, l2: float) -> tuple[Any, Any, Any, Any]:
    """Standardisation and weights fitted on ``x``: (mean, scale, weights, bias)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weights, bias = train((x - mean) / scale, y, l2)
    return mean, scale, weights, bias


def predict(model: tuple[Any, Any, Any, Any], x: Any) -> Any:
    """The probability of the article type (the likeness) of each row of ``x``."""
    mean, scale, weights, bias = model
    return softmax(((x - mean) / scale) @ weights + bias)[:, CLASSES.index(corpora.ARTICLE)]


def decision_scores(archived: Any, labels: Any) -> tuple[float, float]:
    """Precision and recall of "archive" over every page."""
    hits = float((archived & labels).sum())
    return hits / max(1.0, float(archived.sum())), hits / max(1.0, float(labels.sum()))


def held_out_likeness(task: tuple[Any, Any, float, Any]) -> Any:
    """The likeness of the held-out rows ``x_test`` by a model fitted on ``x``/``y``."""
    x, y, l2, x_test = task
    return predict(fit(x, y, l2), x_test)


def held_out(
    x: Any, y: Any, ruled: Any, folds: Any, *, penalties: tuple[float, ...], jobs: int
) -> dict[float, Any]:
    """Each page's likeness held out by domain, per penalty one row per draw of the folds
    (``folds``: draws x pages): in each draw the model is fitted on the ruled pages of the
    other folds and scores the held-out fold's pages."""
    keys = [
        (l2, draw, fold) for l2 in penalties for draw in range(len(folds)) for fold in range(FOLDS)
    ]
    tasks = []
    for l2, draw, fold in keys:
        train = ruled & (folds[draw] != fold)
        tasks.append((x[train], y[train], l2, x[folds[draw] == fold]))
    if jobs > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            scores = pool.map(held_out_likeness, tasks)
    else:
        scores = [held_out_likeness(task) for task in tasks]
    likeness = {l2: np.zeros(folds.shape) for l2 in penalties}
    for (l2, draw, fold), score in zip(keys, scores, strict=True):
        likeness[l2][draw, folds[draw] == fold] = score
    return likeness


def pooled_scores(ruled: Any, likeness: Any, labels: Any, threshold: float) -> tuple[float, float]:
    """Precision and recall of the decision at ``threshold`` pooled over the draws (each
    draw's archived pages and hits summed)."""
    archived = ruled & (likeness >= threshold)
    return decision_scores(archived.ravel(), np.broadcast_to(labels, archived.shape).ravel())


def criterion(precision: float, recall: float, floor: float) -> float:
    """A pair's score: its precision, less ``RECALL_PRICE`` times the recall it gives up
    under ``floor``. A soft floor: a pair whose recall dips a page or two under it loses a
    little, where a hard floor dropped it and the choice jumped to the next threshold down
    when one page's features moved."""
    return precision - RECALL_PRICE * max(0.0, floor - recall)


def choose(
    x: Any, y: Any, ruled: Any, labels: Any, folds: Any, *, penalties: tuple[float, ...], jobs: int
) -> tuple[float, float, list[str]]:
    """The (penalty, threshold) kept by cross-validation by domain, and the table seen.

    ``x``/``y`` (type indices) cover every page (``ruled``: the rules archive it), ``folds``
    each page's fold in each draw (draws x pages). Every pair is scored on the held-out
    likeness of all draws pooled, and the pair of the highest :func:`criterion` is kept,
    its floor ``RECALL_GIVE`` under the rules' recall."""
    rules_recall = decision_scores(ruled, labels)[1]
    floor = rules_recall - RECALL_GIVE
    lines = [f"rules alone: recall {rules_recall:.3f}; {len(folds)} draws of {FOLDS} folds"]
    scored: list[tuple[float, float, float]] = []
    likeness = held_out(x, y, ruled, folds, penalties=penalties, jobs=jobs)
    for l2 in penalties:
        for threshold in THRESHOLDS:
            precision, recall = pooled_scores(ruled, likeness[l2], labels, threshold)
            score = criterion(precision, recall, floor)
            lines.append(
                f"l2 {l2:4} threshold {threshold:.2f}: P {precision:.3f} R {recall:.3f}"
                f" score {score:.4f}"
            )
            scored.append((score, l2, threshold))
    _, l2, threshold = max(scored, key=lambda pair: pair[0])  # the first of equal scores
    return l2, threshold, lines


def tuning_matrix(jobs: int) -> tuple[list[str], Any, Any, Any, Any]:
    """Every tuning page's features: (feature names, x, types as indices of CLASSES, ruled,
    folds: each page's fold in each of the ``DRAWS`` draws)."""
    names = [c for c in ("scrapinghub", "wcxb") if corpora.available(c)]
    pages = corpora.load(names, [TUNING])
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        results = pool.map(features_of, pages, chunksize=8)
    feature_names = sorted({n for features, _ in results for n in features})
    x = np.array([[features.get(n, 0.0) for n in feature_names] for features, _ in results])
    types = np.array([CLASSES.index(page.page_type) for page in pages])
    ruled = np.array([archived for _, archived in results])
    folds = np.array([[fold_of(page.domain, draw) for page in pages] for draw in range(DRAWS)])
    return feature_names, x, types, ruled, folds


def fingerprint(feature_names: list[str], x: Any, types: Any, ruled: Any) -> str:
    """A hash of what the model learns from: the features (to 6 decimals), types and rules'
    verdicts of every tuning page, in corpus order. Stored in the model file, so a change to
    an input (a reader the features depend on) shows as a mismatch, not as a silent drift."""
    digest = hashlib.sha1("\n".join(feature_names).encode("utf-8"))
    for row, label, archived in zip(np.round(x, 6), types, ruled, strict=True):
        values = ",".join(f"{v:.6f}" for v in row) + f";{int(label)}{int(archived)}\n"
        digest.update(values.encode("ascii"))
    return digest.hexdigest()


def build_model(jobs: int, l2: float | None = None) -> tuple[dict[str, Any], list[str]]:
    """The model file's content as trained now, and the cross-validation table seen."""
    feature_names, x, types, ruled, folds = tuning_matrix(jobs)
    labels = types == CLASSES.index(corpora.ARTICLE)
    penalties = PENALTIES if l2 is None else (l2,)
    l2, threshold, table = choose(x, types, ruled, labels, folds, penalties=penalties, jobs=jobs)
    mean, scale, weights, bias = fit(x[ruled], types[ruled], l2)
    model = {
        "about": "bench/train_pagetype.py: multinomial logistic regression over the page "
        "types, on the tuning part's pages that the rules archive; penalty and threshold "
        "cross-validated by domain",
        "trained_on": {
            "pages": int(ruled.sum()),
            "articles": int(labels[ruled].sum()),
            "l2": l2,
            "features_sha1": fingerprint(feature_names, x, types, ruled),
        },
        "threshold": threshold,
        "classes": list(CLASSES),
        "bias": [round(float(b), 6) for b in bias],
        # per feature: mean, scale, then one weight per class
        "weights": {
            n: [round(float(m), 6), round(float(s), 6), *(round(float(w), 6) for w in ws)]
            for n, m, s, ws in zip(feature_names, mean, scale, weights, strict=True)
        },
    }
    return model, table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--l2", type=float, help="fix the penalty (default: cross-validated)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    model, table = build_model(args.jobs, args.l2)
    print("\n".join(table))
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    trained = model["trained_on"]
    print(f"{trained['pages']} pages ({trained['articles']} articles) -> {args.out}")
    print(f"penalty {trained['l2']}, threshold {model['threshold']}")
    print("  " + " ".join(f"{c[:6]:>7}" for c in CLASSES) + "  (weights per type)")
    weights = sorted(model["weights"].items(), key=lambda item: -max(map(abs, item[1][2:])))
    for n, values in weights:
        print(f"  {n:24} " + " ".join(f"{w:+7.3f}" for w in values[2:]))


if __name__ == "__main__":
    main()
