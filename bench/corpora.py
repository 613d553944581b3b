"""The development corpora and their split into a tuning part and a checking part, by domain.

Two corpora of real pages with hand-marked main text:

* ``scrapinghub``: the 88 development pages of the ScrapingHub article-extraction benchmark
  (``tests/fixtures/benchmark``, also ``/work/shared/benchmarks/article-extraction``), every
  one a news or blog article;
* ``wcxb``: the 1,497 pages of 7 types of the WCXB development split
  (``$NEWSARCHIVE_WCXB_DEV``, else ``shared/benchmarks/wcxb-dev`` beside the checkout or
  in /work).

Pages of one site are alike, so the split is by *registrable domain* (``www.bbc.co.uk`` and
``news.bbc.co.uk`` are ``bbc.co.uk``): a salted BLAKE2b hash of the domain picks its part,
so every page of a domain lands in the same part, a new page lands where its domain already
is, and nobody chose which page goes where. Rules are designed on the ``tuning`` part and
kept only when they also help the ``checking`` part, whose pages are looked at in aggregate
only (see docs/extraction.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tldextract

ROOT = Path(__file__).resolve().parent.parent
SCRAPINGHUB_DIR = ROOT / "tests" / "fixtures" / "benchmark"


def _wcxb_dir() -> Path:
    """``$NEWSARCHIVE_WCXB_DEV``, else ``shared/`` beside the checkout, else /work/shared."""
    if "NEWSARCHIVE_WCXB_DEV" in os.environ:
        return Path(os.environ["NEWSARCHIVE_WCXB_DEV"])
    beside = ROOT.parent / "shared" / "benchmarks" / "wcxb-dev"
    return beside if beside.exists() else Path("/work/shared/benchmarks/wcxb-dev")


WCXB_DIR = _wcxb_dir()

TUNING, CHECKING = "tuning", "checking"
PARTS = (TUNING, CHECKING)


def parts_argument(value: str) -> list[str]:
    """A ``--part`` option's comma-separated parts, each one of ``PARTS`` (an argparse type:
    a typo is one line and exit 2, not an empty run)."""
    names = [name for name in value.split(",") if name]
    if unknown := [name for name in names if name not in PARTS]:
        raise argparse.ArgumentTypeError(
            f"unknown part: {', '.join(unknown)} (parts: {', '.join(PARTS)})"
        )
    return names


# Changing the salt reshuffles the split: never change it (the log in docs/extraction.md
# is only meaningful for this split).
SPLIT_SALT = b"newsarchive-split-1"
CHECKING_SHARE = 0.5

ARTICLE = "article"
PAGE_TYPES = ("article", "forum", "product", "collection", "listing", "documentation", "service")


@cache
def _extractor() -> tldextract.TLDExtract:
    # the public-suffix list bundled with tldextract: never fetched, never cached on disk
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(url: str) -> str:
    """The domain a registrar sells (``bbc.co.uk``), or the host when it has no public suffix."""
    parts = _extractor()(url)
    return parts.top_domain_under_public_suffix or parts.domain or url


def part_of(domain: str) -> str:
    """The part a domain belongs to, from a salted hash of its name (stable across runs)."""
    data = SPLIT_SALT + b"\0" + domain.lower().encode("utf-8")
    share = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") / 2**64
    return CHECKING if share < CHECKING_SHARE else TUNING


@dataclass(frozen=True, slots=True)
class Truth:
    """What a person marked on the page; empty fields are unlabelled."""

    text: str
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    title: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD (or YYYY-MM)


@dataclass(frozen=True, slots=True)
class Page:
    """One corpus page: where its HTML is, its domain, part and type, and its truth."""

    corpus: str
    key: str
    url: str
    path: Path
    page_type: str
    truth: Truth

    @property
    def domain(self) -> str:
        return registrable_domain(self.url)

    @property
    def part(self) -> str:
        return part_of(self.domain)

    @property
    def is_article(self) -> bool:
        return self.page_type == ARTICLE

    def html(self) -> str:
        return gzip.decompress(self.path.read_bytes()).decode("utf-8")


def scrapinghub_pages(directory: Path = SCRAPINGHUB_DIR) -> list[Page]:
    """The ScrapingHub development pages (every one an article)."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            "scrapinghub",
            key,
            truth[key].get("url", ""),
            directory / "html" / f"{key}.html.gz",
            ARTICLE,
            Truth(truth[key].get("articleBody", "")),
        )
        for key in sorted(truth)
    ]


def _wcxb_type(record: dict[str, object]) -> str:
    internal = record.get("_internal") or {}
    page_type = internal.get("page_type", {}) if isinstance(internal, dict) else {}
    primary = page_type.get("primary", ARTICLE) if isinstance(page_type, dict) else page_type
    return "collection" if primary == "category" else str(primary)


def wcxb_pages(directory: Path = WCXB_DIR) -> list[Page]:
    """The WCXB development pages (the ground-truth files are authoritative, see its README)."""
    pages = []
    for path in sorted((directory / "dev" / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        truth = record.get("ground_truth") or {}
        pages.append(
            Page(
                "wcxb",
                path.stem,
                record.get("url", ""),
                directory / "dev" / "html" / f"{path.stem}.html.gz",
                _wcxb_type(record),
                Truth(
                    truth.get("main_content") or "",
                    tuple(truth.get("with") or ()),
                    tuple(truth.get("without") or ()),
                    truth.get("title") or None,
                    truth.get("author") or None,
                    truth.get("publish_date") or None,
                ),
            )
        )
    return pages


CORPORA = {"scrapinghub": scrapinghub_pages, "wcxb": wcxb_pages}


def available(name: str) -> bool:
    """Whether a corpus is on this machine (WCXB is not in the repository)."""
    directory = SCRAPINGHUB_DIR if name == "scrapinghub" else WCXB_DIR
    return (directory / ("ground-truth.json" if name == "scrapinghub" else "dev")).exists()


def load(names: Iterable[str], parts: Iterable[str] = PARTS) -> list[Page]:
    """The pages of the named corpora that fall in ``parts``."""
    wanted = set(parts)
    return [page for name in names for page in CORPORA[name]() if page.part in wanted]
