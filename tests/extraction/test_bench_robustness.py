"""The robustness benchmark's rewrite: class and id names hashed, structure kept."""

from __future__ import annotations

from lxml import html as lxml_html

from bench.robustness import hash_names
from pipelines.extraction import extract_article
from tests.support.pages import STORY, build_page


def test_every_class_and_id_token_is_hashed_and_repeats_stay_alike() -> None:
    page = "<div class='entry-content post' id=main><p class=\"entry-content\">x</p></div>"
    tree = lxml_html.fromstring(hash_names(page))
    div_classes = tree.get("class").split()
    assert all(token.startswith("css-") for token in div_classes)
    assert tree.get("id", "").startswith("css-")
    assert tree.find("p").get("class") == div_classes[0]  # "entry-content" twice, one hash
    assert "entry-content" not in hash_names(page)


def test_a_plain_article_keeps_its_story_with_hashed_names() -> None:
    page = build_page()
    text = extract_article(hash_names(page), "https://news.example.com/2024/05/12/bridge").text
    assert text is not None and all(paragraph in text for paragraph in STORY)
