"""Builders of small inline HTML pages for the extraction tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from trafilatura import bare_extraction

from pipelines.extraction.core import FAVOR_PRECISION

# the ScrapingHub dev pages kept as fixtures, gzipped
BENCHMARK_PAGES = sorted(
    (Path(__file__).resolve().parents[1] / "fixtures" / "benchmark" / "html").glob("*.html.gz")
)


def trafilatura_document(tree: Any, url: str | None = None) -> Any:
    """trafilatura's own ``bare_extraction`` of the story, with the options we run it with."""
    return bare_extraction(
        tree,
        url=url,
        favor_precision=FAVOR_PRECISION,
        include_comments=False,
        include_links=True,
        with_metadata=False,
    )


STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a dispute "
    "that had divided residents for almost a decade and delayed repairs to the crossing.",
    "Engineers had warned last spring that the steel supports were corroding faster than "
    "expected, and that heavy lorries would have to be diverted within two years.",
    "Under the plan approved by a narrow majority, work will begin next March and the bridge "
    "will close to traffic for eighteen months while a temporary ferry service runs.",
    "Shop owners on the waterfront said they feared losing customers during the closure, "
    "but the mayor promised a fund to compensate businesses that can show a loss of trade.",
    "Opponents of the project argued that a tunnel would have been cheaper to maintain over "
    "the long term, a claim the council's own consultants rejected in their final report.",
    "The regional government has agreed to pay roughly half of the cost, with the remainder "
    "coming from a bond issue that voters endorsed in a referendum held in the autumn.",
]

PageBuilder = Callable[..., str]


def build_page(
    *,
    head: str = "",
    body_top: str = "",
    body_bottom: str = "",
    paragraphs: list[str] | None = None,
    lang: str | None = "en",
    title: str = "Council approves harbour bridge rebuild",
) -> str:
    """A complete article page: <head> extras, a header, the story paragraphs, a footer."""
    story = "".join(f"<p>{p}</p>" for p in (STORY if paragraphs is None else paragraphs))
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'><title>{title} | The Gazette"
        f"</title>{head}</head><body><header><nav><a href='/'>Home</a> <a href='/news/'>News</a>"
        f"</nav></header><main><article><h1>{title}</h1>{body_top}<div class='article-body'>"
        f"{story}</div>{body_bottom}</article></main><footer><p>© 2024 The Gazette</p></footer>"
        "</body></html>"
    )


@pytest.fixture
def make_page() -> PageBuilder:
    """The page builder, as a fixture."""
    return build_page
