"""Benchmark our extract_article() against plain trafilatura on saved real pages.

    python bench/extraction.py [--pages DIR] [--repeat N] [--ablation]

Prints, from one run: F1 / precision / recall / accuracy of the article text (the benchmark's
own shingle metric, bench/metric.py), the median cost per page, metadata fill rates, and the
cost ratio of ours to trafilatura.bare_extraction(with_metadata=True), the timing reference.
The three extractors run interleaved on each page so that load from other processes on a
shared machine hits them alike; costs are CPU time of this thread (wall time in brackets).
--ablation also scores our extractor with each text cleanup switched off, one at a time.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from bench.metric import DEFAULT_PAGES, BenchPage, Score, evaluate, load_pages
from pipelines.extraction import core as extraction_core
from pipelines.extraction import extract_article
from pipelines.extraction import text as extraction_text

FIELDS = ("title", "authors", "date", "sitename")


@dataclass
class Run:
    """Texts, metadata fill counts and per-page costs of one extractor."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    filled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    has_metadata: bool = False


def ours(page: BenchPage) -> tuple[str, dict[str, bool]]:
    doc = extract_article(page.html, page.url)
    return doc.text, {
        "title": bool(doc.title),
        "authors": bool(doc.authors),
        "date": doc.published_at is not None,
        "sitename": bool(doc.sitename),
    }


def plain_extract(page: BenchPage) -> tuple[str, dict[str, bool]]:
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or "", {}


def bare_with_metadata(page: BenchPage) -> tuple[str, dict[str, bool]]:
    doc: Any = trafilatura.bare_extraction(
        page.html, url=page.url, with_metadata=True, include_comments=False
    )
    if doc is None:
        return "", {}
    return doc.text or "", {
        "title": bool(doc.title),
        "authors": bool(doc.author),
        "date": bool(doc.date),
        "sitename": bool(doc.sitename),
    }


Extractor = Callable[[BenchPage], tuple[str, dict[str, bool]]]
EXTRACTORS: list[tuple[str, Extractor, bool]] = [
    ("ours: extract_article", ours, True),
    ("trafilatura.extract", plain_extract, False),
    ("bare_extraction+metadata", bare_with_metadata, True),
]


def measure(pages: list[BenchPage], repeat: int) -> list[Run]:
    """Run every extractor on every page, rotating their order page by page."""
    runs = [Run(name, has_metadata=meta) for name, _, meta in EXTRACTORS]
    for page in pages[:3]:  # warm caches and lazy imports outside the measurement
        for _, extractor, _ in EXTRACTORS:
            extractor(page)
    for index, page in enumerate(pages):
        order = [(index + k) % len(EXTRACTORS) for k in range(len(EXTRACTORS))]
        cpu: dict[int, list[float]] = {k: [] for k in order}
        wall: dict[int, list[float]] = {k: [] for k in order}
        for _ in range(repeat):
            for k in order:
                start_cpu, start_wall = time.thread_time(), time.perf_counter()
                text, filled = EXTRACTORS[k][1](page)
                cpu[k].append(time.thread_time() - start_cpu)
                wall[k].append(time.perf_counter() - start_wall)
                runs[k].texts[page.key] = text
                if _ == 0:
                    for name, ok in filled.items():
                        runs[k].filled[name] += ok
        for k in order:
            runs[k].cpu.append(min(cpu[k]))
            runs[k].wall.append(min(wall[k]))
    return runs


def report(runs: list[Run], pages: list[BenchPage]) -> None:
    truths = {p.key: p.truth for p in pages}
    scores: list[Score] = [evaluate(truths, run.texts) for run in runs]
    print(f"{len(pages)} pages\n")
    header = (
        f"{'extractor':28} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'ms/page (wall)':>16}"
    )
    print(header)
    print("-" * len(header))
    for run, score in zip(runs, scores, strict=True):
        cpu_ms = statistics.median(run.cpu) * 1000
        wall_ms = statistics.median(run.wall) * 1000
        print(
            f"{run.name:28} {score.f1:6.3f} {score.precision:6.3f} {score.recall:6.3f} "
            f"{score.accuracy:6.3f} {cpu_ms:7.1f} ({wall_ms:5.1f})"
        )
    print(f"\n{'metadata fill rate':28} " + " ".join(f"{f:>9}" for f in FIELDS))
    for run in runs:
        if run.has_metadata:
            rates = " ".join(f"{run.filled[f] / len(pages):9.1%}" for f in FIELDS)
            print(f"{run.name:28} {rates}")
    ours_run, reference = runs[0], runs[2]
    ratio = statistics.median(ours_run.cpu) / statistics.median(reference.cpu)
    wall_ratio = statistics.median(ours_run.wall) / statistics.median(reference.wall)
    label = "cost ratio ours / bare_extraction+metadata (median)"
    print(f"\n{label}: {ratio:.2f} (wall {wall_ratio:.2f})")


def _nothing(*_args: Any) -> set[int]:
    return set()


# each cleanup of pipelines/extraction/text.py and the replacement that switches it off
CLEANUPS: dict[str, tuple[Any, str, Any]] = {
    "leading title/byline/date": (extraction_text, "leading_header", _nothing),
    "related/read-more teasers": (extraction_text, "teaser_links", _nothing),
    "trailing furniture": (extraction_text, "trailing_furniture", _nothing),
    "repeated table rows": (extraction_text, "drop_repeated_rows", lambda _body: None),
    "split-body recovery": (extraction_core, "recover_chunks", lambda _tree, lines: (lines, 0)),
}


@contextmanager
def switched_off(names: list[str]) -> Iterator[None]:
    with ExitStack() as stack:
        for name in names:
            module, attribute, replacement = CLEANUPS[name]
            stack.enter_context(mock.patch.object(module, attribute, replacement))
        yield


def ablation(pages: list[BenchPage]) -> None:
    """Score our extractor with all cleanups off, then with each one off in turn."""
    truths = {p.key: p.truth for p in pages}
    variants = [("all cleanups", []), ("no cleanup (precision mode only)", list(CLEANUPS))]
    variants += [(f"without {name}", [name]) for name in CLEANUPS]
    print(f"\n{'ablation of extract_article':40} {'F1':>6} {'prec':>6} {'recall':>6}")
    for label, names in variants:
        with switched_off(names):
            score = evaluate(truths, {p.key: extract_article(p.html, p.url).text for p in pages})
        print(f"{label:40} {score.f1:6.4f} {score.precision:6.4f} {score.recall:6.4f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="benchmark directory")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per page (min kept)")
    parser.add_argument("--ablation", action="store_true", help="score each cleanup's share")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    pages = load_pages(args.pages)
    report(measure(pages, max(1, args.repeat)), pages)
    if args.ablation:
        ablation(pages)


if __name__ == "__main__":
    main()
