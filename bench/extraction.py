"""Our extraction against trafilatura on the development corpora, tuning and checking parts apart.

    python -m bench.extraction [--corpus scrapinghub,wcxb] [--part tuning,checking]
                               [--jobs 2] [--timing-every 3] [--reveal-checking]
                               [--save FILE] [--ablation [--rules NAME,...]]

For each corpus (bench/corpora.py) and each part of its split by domain, it prints:

* text quality of ours (``extract_article``) and of ``trafilatura.extract`` (default,
  ``favor_precision``, ``favor_recall``) and ``bare_extraction(with_metadata=True)``: the
  ScrapingHub benchmark's shingle F1 / precision / recall / accuracy; WCXB's word F1 /
  precision / recall per page type, its ``with`` and ``without`` snippet rates, empty texts
  and collapses (an article where ours scores < .5 while trafilatura.extract scores >= .8);
* the 20 worst article pages (ours, with trafilatura.extract's score);
* metadata accuracy on the labelled WCXB articles (title, authors, published day), ours
  against bare_extraction; fill rates on ScrapingHub (it labels no metadata);
* the article-or-not decision (``classify_page``, the crawl's own) as a
  confusion matrix per page type, with the reasons of its mistakes;
* CPU ms per page, median, of ours and of trafilatura.extract timed side by side, page by
  page, in the same process (every ``--timing-every``-th page, every page of a corpus of
  fewer than 200 pages; the order alternates).

Pages are spread over ``--jobs`` processes. trafilatura's outputs are cached per
trafilatura version in ``bench/.cache`` (its timings are not: they are measured in each run).
The checking part's page lists (worst pages, ``--save``) are printed only with
``--reveal-checking``: rules are designed on the tuning part and judged on the checking
part's aggregates alone (docs/extraction.md keeps the log).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import multiprocessing
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import trafilatura

from bench import corpora
from bench.corpora import ARTICLE, CHECKING, PAGE_TYPES, PARTS, TUNING, Page
from bench.metric import (
    aggregate,
    authors_right,
    date_right,
    score_page,
    snippets_found,
    title_right,
    word_score,
)

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
OURS = "ours"
BASELINES = ("extract", "precision", "recall", "bare")
LABELS = {
    OURS: "ours: extract_article",
    "extract": "trafilatura.extract",
    "precision": "  favor_precision",
    "recall": "  favor_recall",
    "bare": "bare_extraction+metadata",
}
COLLAPSE_OURS, COLLAPSE_THEIRS = 0.5, 0.8
WORST = 20
TIME_EVERY_PAGE_BELOW = 200  # pages in a corpus
WORD_FIELDS = ("f1", "precision", "recall")


# ---------------------------------------------------------------- running extractors


def run_ours(html: str, url: str) -> dict[str, Any]:
    from pipelines.extraction import classify_page, extract_article

    doc = extract_article(html, url)
    verdict = classify_page(doc, url)
    return {
        "text": doc.text,
        "title": doc.title,
        "authors": list(doc.authors),
        "date": doc.published_at.date().isoformat() if doc.published_at else None,
        "sitename": doc.sitename,
        "language": doc.language,
        "archive": verdict.is_article,
        "reason": verdict.reason,
    }


def run_baseline(mode: str, html: str, url: str) -> dict[str, Any]:
    if mode == "bare":
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return {"text": ""}
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return {"text": doc.text or "", "title": doc.title, "authors": authors, "date": doc.date}
    options = {"precision": {"favor_precision": True}, "recall": {"favor_recall": True}}
    return {"text": trafilatura.extract(html, url=url, **options.get(mode, {})) or ""}


@dataclass(frozen=True, slots=True)
class Task:
    page: Page
    modes: tuple[str, ...]  # baselines to compute (not cached yet)
    timed: bool  # time ours and trafilatura.extract side by side on this page
    flip: bool  # trafilatura first
    variant: tuple[str, ...] = ()  # ablation: rules switched off


def _init_worker() -> None:
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page


def _cpu(function: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float]:
    start = time.thread_time()
    result = function()
    return result, time.thread_time() - start


def run_task(task: Task) -> dict[str, Any]:
    page = task.page
    html = page.html()
    out: dict[str, Any] = {"key": page.key, "baselines": {}}
    with switched_off(list(task.variant)):
        if task.timed and task.flip:
            _, out["extract_cpu"] = _cpu(lambda: run_baseline("extract", html, page.url))
        out[OURS], out["ours_cpu"] = _cpu(lambda: run_ours(html, page.url))
        if task.timed and not task.flip:
            _, out["extract_cpu"] = _cpu(lambda: run_baseline("extract", html, page.url))
    for mode in task.modes:
        out["baselines"][mode] = run_baseline(mode, html, page.url)
    return out


def ours_on_page(page: Page) -> dict[str, Any]:
    return run_ours(page.html(), page.url)


def ours_only(pages: list[Page], jobs: int) -> dict[str, dict[str, Any]]:
    """Our extraction and decision on each page (by ``uid``), over ``jobs`` processes."""
    with multiprocessing.get_context("spawn").Pool(jobs, _init_worker) as pool:
        results = pool.map(ours_on_page, pages, chunksize=8)
    return {uid(page): result for page, result in zip(pages, results, strict=True)}


# ---------------------------------------------------------------- trafilatura cache


def cache_path() -> Path:
    return CACHE_DIR / f"trafilatura-{trafilatura.__version__}.json.gz"


def page_id(page: Page) -> str:
    digest = hashlib.blake2b(page.path.read_bytes(), digest_size=8).hexdigest()
    return f"{page.corpus}/{page.key}/{digest}"


def load_cache() -> dict[str, dict[str, Any]]:
    path = cache_path()
    if not path.exists():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(gzip.decompress(path.read_bytes()))
    return data


def save_cache(cache: dict[str, dict[str, Any]]) -> None:
    CACHE_DIR.mkdir(exist_ok=True)
    tmp = cache_path().with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(json.dumps(cache).encode("utf-8"), 6))
    tmp.replace(cache_path())


# ---------------------------------------------------------------- the run


@dataclass
class Outcome:
    """Every extractor's output on every page, and the CPU times of the timed pages."""

    pages: list[Page]
    results: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # key -> name
    ours_cpu: dict[str, float] = field(default_factory=dict)
    extract_cpu: dict[str, float] = field(default_factory=dict)


def run_all(
    pages: list[Page], jobs: int, timing_every: int, variant: tuple[str, ...] = ()
) -> Outcome:
    cache = load_cache()
    ids = {page.key + page.corpus: page_id(page) for page in pages}
    sizes = Counter(page.corpus for page in pages)
    tasks = []
    for index, page in enumerate(pages):
        cached = cache.get(ids[page.key + page.corpus], {})
        missing = tuple(mode for mode in BASELINES if mode not in cached)
        # a small corpus is timed on every page: a median over a dozen pages is noise
        step = (
            1 if timing_every > 0 and sizes[page.corpus] < TIME_EVERY_PAGE_BELOW else timing_every
        )
        timed = step > 0 and index % step == 0
        tasks.append(Task(page, missing, timed, bool(index // max(1, step) % 2), variant))
    outcome = Outcome(pages)
    done = 0
    with multiprocessing.get_context("spawn").Pool(jobs, _init_worker) as pool:
        for page, out in zip(pages, pool.imap(run_task, tasks, chunksize=4), strict=True):
            entry = cache.setdefault(ids[page.key + page.corpus], {})
            entry.update(out["baselines"])
            uid = page.corpus + "/" + page.key
            outcome.results[uid] = {OURS: out[OURS], **{m: entry[m] for m in BASELINES}}
            outcome.ours_cpu[uid] = out["ours_cpu"]
            if "extract_cpu" in out:
                outcome.extract_cpu[uid] = out["extract_cpu"]
            done += 1
            if done % 100 == 0:
                print(f"  ... {done}/{len(pages)} pages", file=sys.stderr, flush=True)
    save_cache(cache)
    return outcome


def uid(page: Page) -> str:
    return page.corpus + "/" + page.key


# ---------------------------------------------------------------- scoring helpers


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# ---------------------------------------------------------------- reports


def names() -> list[str]:
    return [OURS, *BASELINES]


def report_scrapinghub(pages: list[Page], outcome: Outcome, reveal: bool) -> None:
    print(f"\n{'text (shingle metric)':28} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6}")
    for name in names():
        score = aggregate(
            [score_page(p.truth.text, outcome.results[uid(p)][name]["text"]) for p in pages]
        )
        print(
            f"{LABELS[name]:28} {score.f1:6.3f} {score.precision:6.3f} {score.recall:6.3f} "
            f"{score.accuracy:6.3f}"
        )
    archived = sum(outcome.results[uid(p)][OURS]["archive"] for p in pages)
    reasons = Counter(
        outcome.results[uid(p)][OURS]["reason"]
        for p in pages
        if not outcome.results[uid(p)][OURS]["archive"]
    )
    print(f"\narchived as articles: {archived}/{len(pages)}  skipped: {dict(reasons)}")
    print(f"\n{'metadata fill rate':28} {'title':>7} {'authors':>7} {'date':>7}")
    for name in (OURS, "bare"):
        rows = [outcome.results[uid(p)][name] for p in pages]
        fills = [
            ratio(sum(bool(r.get(f)) for r in rows), len(rows))
            for f in ("title", "authors", "date")
        ]
        print(f"{LABELS[name]:28} " + " ".join(f"{v:7.1%}" for v in fills))
    if reveal or pages[0].part == TUNING:
        worst = sorted(pages, key=lambda p: shingle_f1(p, outcome, OURS))[:WORST]
        print(f"\n{WORST} worst pages: shingle F1 ours / trafilatura.extract")
        for p in worst:
            ours = shingle_f1(p, outcome, OURS)
            theirs = shingle_f1(p, outcome, "extract")
            print(f"  {p.key[:12]}  {ours:.3f} / {theirs:.3f}  {p.url[:90]}")


def shingle_f1(page: Page, outcome: Outcome, name: str) -> float:
    s = score_page(page.truth.text, outcome.results[uid(page)][name]["text"])
    p = s.tp / (s.tp + s.fp) if s.tp + s.fp else (1.0 if not s.fn else 0.0)
    r = s.tp / (s.tp + s.fn) if s.tp + s.fn else (1.0 if not s.fp else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def word_scores(pages: list[Page], outcome: Outcome, name: str) -> dict[str, Any]:
    return {uid(p): word_score(p.truth.text, outcome.results[uid(p)][name]["text"]) for p in pages}


def report_wcxb(pages: list[Page], outcome: Outcome, reveal: bool) -> None:
    by_type: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_type[page.page_type].append(page)
    types = [t for t in PAGE_TYPES if by_type[t]]
    scores = {name: word_scores(pages, outcome, name) for name in names()}
    header = f"{'word F1 by page type':28} " + " ".join(f"{t[:7]:>7}" for t in types) + "     all"
    print("\n" + header)
    print(
        f"{'(pages)':28} " + " ".join(f"{len(by_type[t]):7d}" for t in types) + f" {len(pages):7d}"
    )
    for name in names():
        cells = [mean([scores[name][uid(p)].f1 for p in by_type[t]]) for t in types]
        overall = mean([scores[name][uid(p)].f1 for p in pages])
        print(f"{LABELS[name]:28} " + " ".join(f"{v:7.3f}" for v in cells) + f" {overall:7.3f}")
    articles = by_type[ARTICLE]
    print(
        f"\n{'article pages':28} {'F1':>6} {'prec':>6} {'recall':>6} {'with':>6} "
        f"{'without':>7} {'empty':>5} {'<.5':>4}"
    )
    for name in names():
        s = [scores[name][uid(p)] for p in articles]
        texts = [outcome.results[uid(p)][name]["text"] for p in articles]
        with_rate = mean(
            [snippets_found(t, p.truth.with_snippets) for p, t in zip(articles, texts, strict=True)]
        )
        without_rate = mean(
            [
                snippets_found(t, p.truth.without_snippets)
                for p, t in zip(articles, texts, strict=True)
            ]
        )
        f1, precision, recall = (mean([getattr(x, a) for x in s]) for a in WORD_FIELDS)
        print(
            f"{LABELS[name]:28} {f1:6.3f} {precision:6.3f} "
            f"{recall:6.3f} {with_rate:6.3f} {without_rate:7.3f} "
            f"{sum(not t.strip() for t in texts):5d} {sum(x.f1 < 0.5 for x in s):4d}"
        )
    collapses = [
        p
        for p in articles
        if scores[OURS][uid(p)].f1 < COLLAPSE_OURS
        and scores["extract"][uid(p)].f1 >= COLLAPSE_THEIRS
    ]
    print(
        f"collapses (ours < {COLLAPSE_OURS} while trafilatura.extract >= {COLLAPSE_THEIRS}): "
        f"{len(collapses)}"
    )
    if reveal or pages[0].part == TUNING:
        worst = sorted(articles, key=lambda p: scores[OURS][uid(p)].f1)[:WORST]
        print(f"\n{WORST} worst article pages: word F1 ours / trafilatura.extract")
        for p in worst:
            print(
                f"  {p.key}  {scores[OURS][uid(p)].f1:.3f} / {scores['extract'][uid(p)].f1:.3f}"
                f"  {p.url[:90]}"
            )
    report_metadata(articles, outcome)
    report_decisions(by_type, types, outcome)


def report_metadata(articles: list[Page], outcome: Outcome) -> None:
    checks = (
        ("title", title_right),
        ("authors", authors_right),
        ("date", date_right),
    )
    labelled = {
        f: [p for p in articles if getattr(p.truth, "author" if f == "authors" else f)]
        for f, _ in checks
    }
    print(
        f"\n{'metadata, labelled articles':28} "
        + " ".join(f"{f + ' (' + str(len(labelled[f])) + ')':>14}" for f, _ in checks)
    )
    for name in (OURS, "bare"):
        cells = []
        for f, right in checks:
            attr = "author" if f == "authors" else f
            hits = sum(
                right(getattr(p.truth, attr), outcome.results[uid(p)][name].get(f))
                for p in labelled[f]
            )
            cells.append(ratio(hits, len(labelled[f])))
        print(f"{LABELS[name]:28} " + " ".join(f"{v:14.3f}" for v in cells))


def report_decisions(by_type: dict[str, list[Page]], types: list[str], outcome: Outcome) -> None:
    print(f"\n{'article or not (ours)':28} {'pages':>6} {'archived':>8} {'skipped':>8}")
    archived_total = Counter[bool]()
    for t in types:
        decisions = [outcome.results[uid(p)][OURS]["archive"] for p in by_type[t]]
        print(
            f"{t:28} {len(decisions):6d} {sum(decisions):8d} {len(decisions) - sum(decisions):8d}"
        )
        archived_total[t == ARTICLE] += sum(decisions)
    articles = len(by_type[ARTICLE])
    precision = ratio(archived_total[True], archived_total[True] + archived_total[False])
    recall = ratio(archived_total[True], articles)
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    missed = Counter(
        outcome.results[uid(p)][OURS]["reason"]
        for p in by_type[ARTICLE]
        if not outcome.results[uid(p)][OURS]["archive"]
    )
    wrong = Counter(
        outcome.results[uid(p)][OURS]["reason"]
        for t in types
        if t != ARTICLE
        for p in by_type[t]
        if outcome.results[uid(p)][OURS]["archive"]
    )
    print(f"articles skipped, by reason: {dict(missed.most_common())}")
    print(f"non-articles archived, by reason: {dict(wrong.most_common())}")


def report_cost(pages: list[Page], outcome: Outcome) -> None:
    timed = [uid(p) for p in pages if uid(p) in outcome.extract_cpu]
    ours_all = statistics.median(outcome.ours_cpu[uid(p)] for p in pages) * 1000
    if not timed:
        print(f"\nCPU ms/page, median: ours {ours_all:.1f} (trafilatura not timed)")
        return
    ours = statistics.median(outcome.ours_cpu[k] for k in timed) * 1000
    theirs = statistics.median(outcome.extract_cpu[k] for k in timed) * 1000
    print(
        f"\nCPU ms/page, median over {len(timed)} pages timed side by side: ours {ours:.1f}, "
        f"trafilatura.extract {theirs:.1f}, ratio {ours / theirs:.2f} "
        f"(ours over all {len(pages)} pages: {ours_all:.1f})"
    )


def report(pages: list[Page], outcome: Outcome, reveal: bool) -> None:
    groups: dict[tuple[str, str], list[Page]] = defaultdict(list)
    for page in pages:
        groups[(page.corpus, page.part)].append(page)
    for (corpus, part), group in sorted(
        groups.items(), key=lambda g: (g[0][0], PARTS.index(g[0][1]))
    ):
        articles = sum(p.is_article for p in group)
        print(
            f"\n==== {corpus} / {part}: {len(group)} pages, {articles} articles, "
            f"{len({p.domain for p in group})} domains ===="
        )
        if corpus == "scrapinghub":
            report_scrapinghub(group, outcome, reveal)
        else:
            report_wcxb(group, outcome, reveal)
        report_cost(group, outcome)


def save(path: Path, pages: list[Page], outcome: Outcome, reveal: bool) -> None:
    rows = []
    for page in pages:
        if page.part == CHECKING and not reveal:
            continue
        result = outcome.results[uid(page)]
        rows.append(
            {
                "corpus": page.corpus,
                "key": page.key,
                "url": page.url,
                "part": page.part,
                "type": page.page_type,
                "ours": result[OURS],
                "extract": result["extract"]["text"],
                "f1": word_score(page.truth.text, result[OURS]["text"]).f1,
                "extract_f1": word_score(page.truth.text, result["extract"]["text"]).f1,
            }
        )
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- ablation


def _nothing(*_args: Any) -> set[int]:
    return set()


def _no(*_args: Any) -> bool:
    return False


def cleanups() -> dict[str, tuple[Any, str, Any]]:
    """Each rule of our extraction and the replacement that switches it off."""
    from pipelines.extraction import core as extraction_core
    from pipelines.extraction import text as extraction_text

    return {
        "leading title/byline/date": (extraction_text, "leading_header", _nothing),
        "related/read-more teasers": (extraction_text, "teaser_links", _nothing),
        "trailing furniture": (extraction_text, "trailing_furniture", _nothing),
        "teaser label + link list": (extraction_text, "teaser_lists", _nothing),
        "trailing Label: value lines": (extraction_text, "is_label_line", _no),
        "trailing promo anywhere in block": (extraction_text, "is_promo", _no),
        "trailing headings": (extraction_text, "is_dangling_heading", _no),
        "short prompts anywhere": (extraction_text, "prompt_lines", _nothing),
        "furniture lines anywhere": (extraction_text, "furniture_lines", _nothing),
        "repeated table rows": (extraction_text, "drop_repeated_rows", lambda _body: None),
        "split-body recovery": (
            extraction_core,
            "recover_chunks",
            lambda _tree, lines: (lines, 0),
        ),
        "collapse fallback": (extraction_core, "better_candidate", lambda *_args: None),
        "author bio at the end": (extraction_core, "author_bio_lines", lambda *_args: 0),
    }


@contextmanager
def switched_off(rules: list[str]) -> Iterator[None]:
    with ExitStack() as stack:
        if rules:
            table = cleanups()
            for name in rules:
                module, attribute, replacement = table[name]
                stack.enter_context(mock.patch.object(module, attribute, replacement))
        yield


def ablation(pages: list[Page], jobs: int, rules: list[str]) -> None:
    """Ours with each rule switched off in turn: the rule's delta on each part."""
    base = run_all(pages, jobs, 0)
    print(
        f"\n{'ablation: delta of F1 when on':34} "
        + " ".join(
            f"{c[:5] + '/' + p[:5]:>17}" for c in sorted({pg.corpus for pg in pages}) for p in PARTS
        )
    )
    for rule in rules:
        off = run_all(pages, jobs, 0, (rule,))
        cells = []
        for corpus in sorted({pg.corpus for pg in pages}):
            for part in PARTS:
                group = [p for p in pages if p.corpus == corpus and p.part == part and p.is_article]
                cells.append(f"{quality(group, base) - quality(group, off):+17.4f}")
        print(f"{rule:34} " + " ".join(cells))


def quality(pages: list[Page], outcome: Outcome) -> float:
    """The corpus's headline figure: shingle F1 (ScrapingHub) or mean word F1 (WCXB)."""
    if not pages:
        return 0.0
    if pages[0].corpus == "scrapinghub":
        return aggregate(
            [score_page(p.truth.text, outcome.results[uid(p)][OURS]["text"]) for p in pages]
        ).f1
    return mean([word_score(p.truth.text, outcome.results[uid(p)][OURS]["text"]).f1 for p in pages])


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="scrapinghub,wcxb", help="comma-separated corpora")
    parser.add_argument(
        "--part",
        default="tuning,checking",
        type=corpora.parts_argument,
        help="comma-separated parts",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--timing-every", type=int, default=3, help="time trafilatura on every Nth page (0: none)"
    )
    parser.add_argument(
        "--reveal-checking", action="store_true", help="list the checking part's pages too"
    )
    parser.add_argument("--save", type=Path, help="write per-page results (JSON) here")
    parser.add_argument("--ablation", action="store_true", help="each rule's delta per part")
    parser.add_argument(
        "--rules", help="with --ablation: only these rules (comma-separated names, as printed)"
    )
    args = parser.parse_args(argv)
    wanted = [c for c in args.corpus.split(",") if c]
    missing = [c for c in wanted if not corpora.available(c)]
    if missing:
        print(f"corpus not found: {', '.join(missing)} (see bench/corpora.py)", file=sys.stderr)
        wanted = [c for c in wanted if c not in missing]
    pages = corpora.load(wanted, args.part)
    started = time.perf_counter()
    if args.ablation:
        rules = args.rules.split(",") if args.rules else list(cleanups())
        ablation(pages, args.jobs, rules)
        return
    outcome = run_all(pages, max(1, args.jobs), args.timing_every)
    report(pages, outcome, args.reveal_checking)
    print(
        f"\n({len(pages)} pages in {time.perf_counter() - started:.0f} s, {args.jobs} jobs, "
        f"trafilatura {trafilatura.__version__})"
    )
    if args.save:
        save(args.save, pages, outcome, args.reveal_checking)


if __name__ == "__main__":
    main()
