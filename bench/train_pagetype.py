"""Train the page-look model of pipelines/extraction/pagetype.py on the TUNING part.

    python -m bench.train_pagetype [--jobs 2] [--l2 1.0] [--out FILE]

(``--out`` defaults to pipelines/extraction/pagetype_model.json, the file the package ships.)

Every tuning page of the development corpora (bench/corpora.py; ScrapingHub pages are all
articles, WCXB pages carry their type) is extracted as a crawl would; the pages the hand
rules (``rule_verdict``) would archive are the training set, labelled article or not, and a
logistic regression over ``page_features`` (standardised, L2-penalised, plain gradient
descent in numpy) learns which of them look like something else: a forum thread, a manual,
a shop or service page. The model is a JSON file of (mean, scale, weight) per feature and a
bias, read by ``article_likeness`` in pure Python. The checking part is never read here:
bench/extraction.py judges the result on it.
"""

from __future__ import annotations

import argparse
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


def features_of(page: Page) -> tuple[dict[str, float], bool] | None:
    """The page's features, and whether the rules alone would archive it."""
    logging.disable(logging.WARNING)
    from pipelines.extraction import extract_article
    from pipelines.extraction.pagetype import page_features, rule_verdict

    doc = extract_article(page.html(), page.url)
    return page_features(doc, page.url), rule_verdict(doc, page.url).is_article


def train(x: Any, y: Any, l2: float) -> tuple[Any, float]:
    """Weights and bias of an L2-penalised logistic regression on standardised ``x``."""
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(ITERATIONS):
        predicted = 1 / (1 + np.exp(-(x @ weights + bias)))
        error = predicted - y
        weights -= LEARNING_RATE * (x.T @ error / len(y) + l2 * weights / len(y))
        bias -= LEARNING_RATE * float(error.mean())
    return weights, bias


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    names = [c for c in ("scrapinghub", "wcxb") if corpora.available(c)]
    pages = corpora.load(names, [TUNING])
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        results = pool.map(features_of, pages, chunksize=8)
    rows = [
        (features, page.is_article)
        for page, result in zip(pages, results, strict=True)
        if result is not None
        for features, archived in [result]
        if archived
    ]
    feature_names = sorted(rows[0][0])
    x = np.array([[features.get(n, 0.0) for n in feature_names] for features, _ in rows])
    y = np.array([float(label) for _, label in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weights, bias = train((x - mean) / scale, y, args.l2)
    model = {
        "about": "bench/train_pagetype.py: logistic regression on the tuning part's pages "
        "that the rules archive",
        "trained_on": {"pages": len(rows), "articles": int(y.sum()), "l2": args.l2},
        "bias": round(bias, 6),
        "weights": {
            n: [round(float(m), 6), round(float(s), 6), round(float(w), 6)]
            for n, m, s, w in zip(feature_names, mean, scale, weights, strict=True)
        },
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} pages ({int(y.sum())} articles) -> {args.out}")
    for n, w in sorted(zip(feature_names, weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {n:16} {w:+.3f}")


if __name__ == "__main__":
    main()
