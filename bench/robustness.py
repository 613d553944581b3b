"""How much our extraction leans on a page's class and id names, against trafilatura's.

    python -m bench.robustness [--part tuning,checking] [--jobs 2] [--worst 12]

Sites styled by CSS-in-JS name their elements "css-1a2b3c": no class says "comment",
"sidebar" or "entry-content". This benchmark runs ours (``extract_article``) and
``trafilatura.extract`` on each WCXB article page as served and again with every ``class``
and ``id`` token replaced by a hash of itself (the same token keeps the same hash, so
repeated structure stays visible), and prints, per part, the mean word F1 of both
extractors on both versions and the collapses (ours < .5 where trafilatura >= .8). The
tuning part also lists the pages where ours falls most; the checking part prints
aggregates only (docs/extraction.md: rules are designed on the tuning part alone).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import re
from dataclasses import dataclass

import trafilatura

from bench import corpora, metric
from bench.extraction import mean

_ATTRIBUTE = re.compile(r"""\b(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
COLLAPSE_OURS, COLLAPSE_THEIRS = 0.5, 0.8


def _hashed(match: re.Match[str]) -> str:
    value = next(v for v in (match[2], match[3], match[4]) if v is not None)
    tokens = " ".join("css-" + hashlib.md5(t.encode()).hexdigest()[:6] for t in value.split())
    return f'{match[1]}="{tokens}"'


def hash_names(html: str) -> str:
    """``html`` with every class and id token replaced by a hash of itself."""
    return _ATTRIBUTE.sub(_hashed, html)


@dataclass(frozen=True, slots=True)
class Scores:
    ours: float
    theirs: float
    ours_hashed: float
    theirs_hashed: float


def score(page: corpora.Page) -> Scores:
    from pipelines.extraction import extract_article

    html, truth = page.html(), page.truth.text
    found: list[float] = []
    for version in (html, hash_names(html)):
        ours = extract_article(version, page.url).text or ""
        theirs = trafilatura.extract(version, url=page.url) or ""
        found += [metric.word_score(truth, ours).f1, metric.word_score(truth, theirs).f1]
    return Scores(found[0], found[1], found[2], found[3])


def collapses(pairs: list[tuple[float, float]]) -> int:
    return sum(ours < COLLAPSE_OURS and theirs >= COLLAPSE_THEIRS for ours, theirs in pairs)


def report(part: str, pages: list[corpora.Page], scores: list[Scores], worst: int) -> None:
    print(f"\n==== wcxb / {part}: {len(pages)} article pages ====")
    print(f"{'word F1':24} {'as served':>10} {'names hashed':>13}")
    print(
        f"{'ours: extract_article':24} {mean([s.ours for s in scores]):10.3f}"
        f" {mean([s.ours_hashed for s in scores]):13.3f}"
    )
    print(
        f"{'trafilatura.extract':24} {mean([s.theirs for s in scores]):10.3f}"
        f" {mean([s.theirs_hashed for s in scores]):13.3f}"
    )
    print(
        f"{'collapses':24} {collapses([(s.ours, s.theirs) for s in scores]):10d}"
        f" {collapses([(s.ours_hashed, s.theirs_hashed) for s in scores]):13d}"
    )
    if part != "tuning" or not worst:
        return
    print(f"\n{worst} pages where ours falls most: ours / trafilatura, as served -> hashed")
    ranked = sorted(zip(pages, scores, strict=True), key=lambda x: x[1].ours_hashed - x[1].ours)
    for page, s in ranked[:worst]:
        print(
            f"  {page.key}  {s.ours:.3f} / {s.theirs:.3f} -> {s.ours_hashed:.3f} /"
            f" {s.theirs_hashed:.3f}  {page.url[:70]}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="tuning,checking", help="comma-separated parts")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--worst", type=int, default=12, help="tuning pages listed")
    args = parser.parse_args(argv)
    for part in args.part.split(","):
        pages = [p for p in corpora.load(["wcxb"], [part]) if p.is_article]
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            scores = pool.map(score, pages, chunksize=8)
        report(part, pages, scores, args.worst)


if __name__ == "__main__":
    main()
