"""How our extraction holds up on rewritten pages, against trafilatura's.

    python -m bench.robustness [--transform hashed|next|truncated] [--part tuning,checking]
                               [--jobs 2] [--worst 12]

This benchmark runs ours (``extract_article``) and ``trafilatura.extract`` on each WCXB
article page as served and again rewritten by one transform (``TRANSFORMS``), and prints,
per part, the mean word F1 of both extractors on both versions against the page's own truth
and the collapses (ours < .5 where trafilatura >= .8). The tuning part also lists the pages
where ours falls most; the checking part prints aggregates only (docs/extraction.md: rules
are designed on the tuning part alone). The transforms:

* ``hashed`` (the default): every ``class`` and ``id`` token replaced by a hash of itself
  (the same token keeps the same hash, so repeated structure stays visible), as on sites
  styled by CSS-in-JS, where no class says "comment", "sidebar" or "entry-content";
* ``next``: infinite scroll, the next article of the part (in key order) appended below
  the story inside a ``<div>``, its ``<body>``'s content whole; the truth stays the first
  article's, so what falls is precision;
* ``truncated``: the page cut at 80% of its bytes, no closing tags (a partial download).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import re
from collections.abc import Callable
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


_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)
_BODY_CLOSE = re.compile(r"</body\s*>", re.I)
_HTML_CLOSE = re.compile(r"</html\s*>", re.I)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.I)


def body_content(html: str) -> str:
    """What a page's ``<body>`` holds: after its opening tag (else after ``</head>``, else all
    of it), up to its closing tag (else ``</html>``, else the end)."""
    opening = _BODY_OPEN.search(html) or _HEAD_CLOSE.search(html)
    start = opening.end() if opening else 0
    closing = _BODY_CLOSE.search(html, start) or _HTML_CLOSE.search(html, start)
    return html[start : closing.start() if closing else len(html)]


def append_next(html: str, next_html: str) -> str:
    """``html`` with ``next_html``'s body content appended in a ``<div>`` at the end of its
    ``<body>``, as an infinite-scroll page loads the next article below the story."""
    closing = _last(_BODY_CLOSE, html) or _last(_HTML_CLOSE, html)
    at = closing.start() if closing else len(html)
    return f"{html[:at]}<div>{body_content(next_html)}</div>{html[at:]}"


def _last(pattern: re.Pattern[str], html: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(html))
    return matches[-1] if matches else None


TRUNCATED_SHARE = 0.8


def truncate(html: str, share: float = TRUNCATED_SHARE) -> str:
    """The first ``share`` of ``html``'s UTF-8 bytes, as a cut connection leaves a page (a
    character split by the cut is dropped)."""
    data = html.encode("utf-8")
    return data[: int(len(data) * share)].decode("utf-8", errors="ignore")


# name -> (column label, rewrite of (the page's HTML, the next page's HTML in the part))
TRANSFORMS: dict[str, tuple[str, Callable[[str, str], str]]] = {
    "hashed": ("names hashed", lambda html, _next: hash_names(html)),
    "next": ("next appended", append_next),
    "truncated": ("cut at 80%", lambda html, _next: truncate(html)),
}


def next_pages(pages: list[corpora.Page]) -> list[corpora.Page]:
    """Each page's partner for ``next``: the page after it in key order (the last takes the
    first)."""
    ordered = sorted(pages, key=lambda page: page.key)
    following = {page.key: ordered[(i + 1) % len(ordered)] for i, page in enumerate(ordered)}
    return [following[page.key] for page in pages]


@dataclass(frozen=True, slots=True)
class Scores:
    ours: float
    theirs: float
    ours_changed: float
    theirs_changed: float


def score(job: tuple[str, corpora.Page, corpora.Page]) -> Scores:
    from pipelines.extraction import extract_article

    transform, page, partner = job
    html, truth = page.html(), page.truth.text
    changed = TRANSFORMS[transform][1](html, partner.html() if transform == "next" else "")
    found: list[float] = []
    for version in (html, changed):
        ours = extract_article(version, page.url).text or ""
        theirs = trafilatura.extract(version, url=page.url) or ""
        found += [metric.word_score(truth, ours).f1, metric.word_score(truth, theirs).f1]
    return Scores(found[0], found[1], found[2], found[3])


def collapses(pairs: list[tuple[float, float]]) -> int:
    return sum(ours < COLLAPSE_OURS and theirs >= COLLAPSE_THEIRS for ours, theirs in pairs)


def report(
    part: str, transform: str, pages: list[corpora.Page], scores: list[Scores], worst: int
) -> None:
    label = TRANSFORMS[transform][0]
    print(f"\n==== wcxb / {part}: {len(pages)} article pages, {transform} ====")
    print(f"{'word F1':24} {'as served':>10} {label:>13}")
    print(
        f"{'ours: extract_article':24} {mean([s.ours for s in scores]):10.3f}"
        f" {mean([s.ours_changed for s in scores]):13.3f}"
    )
    print(
        f"{'trafilatura.extract':24} {mean([s.theirs for s in scores]):10.3f}"
        f" {mean([s.theirs_changed for s in scores]):13.3f}"
    )
    print(
        f"{'collapses':24} {collapses([(s.ours, s.theirs) for s in scores]):10d}"
        f" {collapses([(s.ours_changed, s.theirs_changed) for s in scores]):13d}"
    )
    if part != "tuning" or not worst:
        return
    print(f"\n{worst} pages where ours falls most: ours / trafilatura, as served -> {label}")
    ranked = sorted(zip(pages, scores, strict=True), key=lambda x: x[1].ours_changed - x[1].ours)
    for page, s in ranked[:worst]:
        print(
            f"  {page.key}  {s.ours:.3f} / {s.theirs:.3f} -> {s.ours_changed:.3f} /"
            f" {s.theirs_changed:.3f}  {page.url[:70]}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="tuning,checking", help="comma-separated parts")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--worst", type=int, default=12, help="tuning pages listed")
    parser.add_argument("--transform", default="hashed", choices=sorted(TRANSFORMS))
    args = parser.parse_args(argv)
    for part in args.part.split(","):
        pages = [p for p in corpora.load(["wcxb"], [part]) if p.is_article]
        jobs = [
            (args.transform, page, partner)
            for page, partner in zip(pages, next_pages(pages), strict=True)
        ]
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            scores = pool.map(score, jobs, chunksize=8)
        report(part, args.transform, pages, scores, args.worst)


if __name__ == "__main__":
    main()
