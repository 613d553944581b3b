"""How our extraction holds up on rewritten pages, against trafilatura's.

    python -m bench.robustness [--part tuning,checking] [--jobs 2] [--worst 12]
                               [--transform hashed|plain|brs|next|truncated|noh1[,...]]
                               [--metadata]

The benchmark runs ours (``extract_article``) and ``trafilatura.extract`` on each WCXB
article page as served and again rewritten (``--transform``, ``TRANSFORMS``; several
comma-separated give one column each):

- ``hashed`` (the default): every ``class`` and ``id`` token replaced by a hash of itself
  (the same token keeps the same hash, so repeated structure stays visible). Sites styled
  by CSS-in-JS name their elements "css-1a2b3c": no class says "comment", "sidebar" or
  "entry-content".
- ``plain``: the HTML5 sectioning and semantic elements (``article``, ``main``,
  ``section``, ``header``, ``footer``, ``nav``, ``aside``, ``figure``, ``figcaption``)
  renamed ``div``, attributes kept (``<time>`` too): the page as an HTML4 site writes it.
- ``brs``: ``plain``, and each paragraph's ``<p>`` tags dropped, its text followed by
  ``<br><br>``: an older CMS's paragraphs.
- ``next``: infinite scroll, the next article of the part (in key order) appended below
  the story inside a ``<div>``, its ``<body>``'s content whole; the truth stays the first
  article's, so what falls is precision.
- ``truncated``: the page cut at 80% of its bytes, no closing tags (a partial download).
- ``noh1``: every ``<h1>`` renamed ``<h2>``, attributes kept: an older news site or blog
  that heads its story with an ``<h2>``.

With ``--metadata`` it also prints ours' title, authors and date accuracy (``bench.metric``'s
``title_right``, ``authors_right``, ``date_right``) on the labelled pages of each version:
what our metadata readers lean on (the first ``<h1>``, the page's JSON-LD) is rewritten too.

It prints, per part, the mean word F1 of both extractors on both versions and the
collapses (ours < .5 where trafilatura >= .8). The tuning part also lists the pages where
ours falls most against trafilatura's own fall; the checking part prints aggregates only
(docs/extraction.md: rules are designed on the tuning part alone).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import multiprocessing
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import trafilatura

from bench import corpora, metric
from bench.extraction import mean

_ATTRIBUTE = re.compile(r"""\b(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
_HTML5_TAG = re.compile(
    r"<(/?)(?:article|main|section|header|footer|nav|aside|figure|figcaption)(?=[\s/>])", re.I
)
_P_OPEN = re.compile(r"<p(?=[\s/>])[^>]*>", re.I)
_P_CLOSE = re.compile(r"</p\s*>", re.I)
_H1_TAG = re.compile(r"<(/?)h1(?=[\s/>])", re.I)
COLLAPSE_OURS, COLLAPSE_THEIRS = 0.5, 0.8


def _hashed(match: re.Match[str]) -> str:
    value = next(v for v in (match[2], match[3], match[4]) if v is not None)
    tokens = " ".join("css-" + hashlib.md5(t.encode()).hexdigest()[:6] for t in value.split())
    return f'{match[1]}="{tokens}"'


def hash_names(html: str) -> str:
    """``html`` with every class and id token replaced by a hash of itself."""
    return _ATTRIBUTE.sub(_hashed, html)


def html4(html: str) -> str:
    """``html`` with its HTML5 sectioning and semantic elements renamed ``div``."""
    return _HTML5_TAG.sub(r"<\1div", html)


def paragraphs_as_breaks(html: str) -> str:
    """``html4(html)`` with each paragraph's text followed by ``<br><br>``, not in a ``<p>``."""
    return _P_CLOSE.sub("<br><br>", _P_OPEN.sub("", html4(html)))


def h1_as_h2(html: str) -> str:
    """``html`` with every ``<h1>`` renamed ``<h2>``, attributes kept."""
    return _H1_TAG.sub(r"<\1h2", html)


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
    "plain": ("no HTML5", lambda html, _next: html4(html)),
    "brs": ("<p> as <br>", lambda html, _next: paragraphs_as_breaks(html)),
    "next": ("next appended", append_next),
    "truncated": ("cut at 80%", lambda html, _next: truncate(html)),
    "noh1": ("<h1> as <h2>", lambda html, _next: h1_as_h2(html)),
}

# metadata field -> (the page truth's field, whether ours' value is right)
METADATA: dict[str, tuple[str, Callable[[str, Any], bool]]] = {
    "title": ("title", metric.title_right),
    "authors": ("author", metric.authors_right),
    "date": ("date", metric.date_right),
}


def next_pages(pages: list[corpora.Page]) -> list[corpora.Page]:
    """Each page's partner for ``next``: the page after it in key order (the last takes the
    first)."""
    ordered = sorted(pages, key=lambda page: page.key)
    following = {page.key: ordered[(i + 1) % len(ordered)] for i, page in enumerate(ordered)}
    return [following[page.key] for page in pages]


# per METADATA field: ours right, wrong, or None where the page's truth has no label
Rights = tuple[bool | None, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """Word F1 of (ours, trafilatura) on the page as served, then on each rewrite; with
    ``--metadata``, ours' metadata rights on the served page, then on each rewrite."""

    served: tuple[float, float]
    rewritten: tuple[tuple[float, float], ...]
    metadata: tuple[Rights, ...] = ()


def metadata_rights(truth: corpora.Truth, found: dict[str, Any]) -> Rights:
    """Per METADATA field, whether ``found[field]`` is right (None: the field is unlabelled)."""
    rights: list[bool | None] = []
    for field, (truth_field, right) in METADATA.items():
        label = getattr(truth, truth_field)
        rights.append(right(label, found.get(field)) if label else None)
    return tuple(rights)


def _scored(html: str, page: corpora.Page) -> tuple[tuple[float, float], Rights]:
    from pipelines.extraction import extract_article

    doc = extract_article(html, page.url)
    theirs = trafilatura.extract(html, url=page.url) or ""
    truth = page.truth.text
    found = {
        "title": doc.title,
        "authors": list(doc.authors),
        "date": doc.published_at.date().isoformat() if doc.published_at else None,
    }
    f1s = metric.word_score(truth, doc.text or "").f1, metric.word_score(truth, theirs).f1
    return f1s, metadata_rights(page.truth, found)


def score(
    job: tuple[corpora.Page, corpora.Page],
    transforms: tuple[str, ...] = ("hashed",),
    metadata: bool = False,
) -> Scores:
    """``job``: the page and its partner for ``next`` (read only when ``next`` is asked)."""
    page, partner = job
    html = page.html()
    following = partner.html() if "next" in transforms else ""
    versions = [_scored(html, page)]
    versions += [_scored(TRANSFORMS[name][1](html, following), page) for name in transforms]
    rights = tuple(r for _, r in versions) if metadata else ()
    return Scores(versions[0][0], tuple(f1s for f1s, _ in versions[1:]), rights)


def collapses(pairs: list[tuple[float, float]]) -> int:
    return sum(ours < COLLAPSE_OURS and theirs >= COLLAPSE_THEIRS for ours, theirs in pairs)


def report(
    part: str,
    pages: list[corpora.Page],
    scores: list[Scores],
    worst: int,
    transforms: tuple[str, ...] = ("hashed",),
) -> None:
    columns = [[s.served for s in scores]]
    columns += [[s.rewritten[i] for s in scores] for i in range(len(transforms))]
    labels = ["as served"] + [TRANSFORMS[name][0] for name in transforms]
    widths = [10] + [max(13, len(label)) for label in labels[1:]]
    print(f"\n==== wcxb / {part}: {len(pages)} article pages ====")
    print(
        f"{'word F1':24}" + "".join(f" {lab:>{w}}" for lab, w in zip(labels, widths, strict=True))
    )
    for name, side in (("ours: extract_article", 0), ("trafilatura.extract", 1)):
        figures = [mean([pair[side] for pair in column]) for column in columns]
        print(f"{name:24}" + "".join(f" {f:{w}.3f}" for f, w in zip(figures, widths, strict=True)))
    print(
        f"{'collapses':24}"
        + "".join(f" {collapses(c):{w}d}" for c, w in zip(columns, widths, strict=True))
    )
    if scores and scores[0].metadata:
        for i, field in enumerate(METADATA):
            cells = [_accuracy([s.metadata[v][i] for s in scores]) for v in range(len(labels))]
            labelled = sum(s.metadata[0][i] is not None for s in scores)
            name = f"ours: {field} ({labelled})"
            print(
                f"{name:24}" + "".join(f" {c:{w}.3f}" for c, w in zip(cells, widths, strict=True))
            )
    if part != "tuning" or not worst:
        return
    if scores and scores[0].metadata:
        for i, name in enumerate(transforms):
            print(f"\nmetadata ours had right as served and not {TRANSFORMS[name][0]}")
            for page, s in zip(pages, scores, strict=True):
                lost = [
                    field
                    for j, field in enumerate(METADATA)
                    if s.metadata[0][j] and s.metadata[i + 1][j] is False
                ]
                gained = [
                    field
                    for j, field in enumerate(METADATA)
                    if s.metadata[0][j] is False and s.metadata[i + 1][j]
                ]
                if lost or gained:
                    print(
                        f"  {page.key}  lost {','.join(lost) or '-'}"
                        f"  gained {','.join(gained) or '-'}  {page.url[:70]}"
                    )
    for i, name in enumerate(transforms):
        print(
            f"\n{worst} pages where ours falls most against trafilatura: ours / trafilatura,"
            f" as served -> {TRANSFORMS[name][0]}"
        )
        ranked = sorted(zip(pages, scores, strict=True), key=lambda x: _relative_fall(x[1], i))
        for page, s in ranked[:worst]:
            (ours, theirs), (ours_r, theirs_r) = s.served, s.rewritten[i]
            print(
                f"  {page.key}  {ours:.3f} / {theirs:.3f} -> {ours_r:.3f} /"
                f" {theirs_r:.3f}  {page.url[:70]}"
            )


def _accuracy(rights: list[bool | None]) -> float:
    """The share right among the labelled (None: unlabelled)."""
    labelled = [r for r in rights if r is not None]
    return sum(labelled) / len(labelled) if labelled else 0.0


def _relative_fall(s: Scores, i: int) -> float:
    """Ours' change under rewrite ``i`` less trafilatura's (most negative first)."""
    (ours, theirs), (ours_r, theirs_r) = s.served, s.rewritten[i]
    return (ours_r - ours) - (theirs_r - theirs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="tuning,checking", help="comma-separated parts")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--worst", type=int, default=12, help="tuning pages listed")
    parser.add_argument(
        "--transform", default="hashed", help=f"comma-separated, of {', '.join(TRANSFORMS)}"
    )
    parser.add_argument(
        "--metadata", action="store_true", help="ours' title, authors, date accuracy too"
    )
    args = parser.parse_args(argv)
    transforms = tuple(args.transform.split(","))
    if unknown := [name for name in transforms if name not in TRANSFORMS]:
        parser.error(f"unknown transform: {', '.join(unknown)}")
    for part in args.part.split(","):
        pages = [p for p in corpora.load(["wcxb"], [part]) if p.is_article]
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            jobs = list(zip(pages, next_pages(pages), strict=True))
            scores = pool.map(
                functools.partial(score, transforms=transforms, metadata=args.metadata),
                jobs,
                chunksize=8,
            )
        report(part, pages, scores, args.worst, transforms)


if __name__ == "__main__":
    main()
