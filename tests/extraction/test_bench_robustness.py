"""The robustness benchmark's rewrites: class and id names hashed, HTML5 elements as
``div``, paragraphs as ``<br><br>`` (structure and text kept), the next article appended,
the page cut short, ``<h1>`` as ``<h2>``; the metadata rights it counts."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from bench.corpora import Page, Truth
from bench.robustness import (
    append_next,
    body_content,
    h1_as_h2,
    hash_names,
    html4,
    metadata_rights,
    next_pages,
    paragraphs_as_breaks,
    truncate,
)
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


def test_html4_renames_the_html5_elements_and_keeps_their_attributes() -> None:
    page = (
        "<html><head><title>t</title></head><body><header id=top><nav>menu</nav></header>"
        "<main><article class='post'><section><p>x</p><figure><img src=a.png>"
        "<figcaption>c</figcaption></figure></section><aside>side</aside></article></main>"
        "<footer>f</footer><time datetime='2024-05-12'>May 12</time></body></html>"
    )
    rewritten = html4(page)
    tree = lxml_html.fromstring(rewritten)
    assert [e.tag for e in tree.iter("header", "nav", "main", "article", "section")] == []
    assert [e.tag for e in tree.iter("figure", "figcaption", "aside", "footer")] == []
    assert tree.find(".//head/title") is not None  # <head> is no <header>
    assert tree.find(".//time").get("datetime") == "2024-05-12"
    assert tree.get_element_by_id("top").tag == "div"
    assert tree.find_class("post")[0].tag == "div"
    assert tree.text_content() == lxml_html.fromstring(page).text_content()


def test_paragraphs_become_text_followed_by_two_breaks() -> None:
    page = "<article><p class=lead>One.</p><P>Two <b>bold</b>.</P ><pre>p</pre></article>"
    assert paragraphs_as_breaks(page) == (
        "<div>One.<br><br>Two <b>bold</b>.<br><br><pre>p</pre></div>"
    )


def test_the_next_article_goes_inside_the_body_after_the_story() -> None:
    page = "<html><head><title>A</title></head><body><p>first</p></body></html>"
    following = "<html><head><title>B</title></head><body class=b><p>second</p></body></html>"
    assert append_next(page, following) == (
        "<html><head><title>A</title></head><body><p>first</p>"
        "<div><p>second</p></div></body></html>"
    )


def test_the_next_article_without_a_body_tag_is_appended_whole() -> None:
    assert append_next("<p>first</p>", "<p>second</p>") == "<p>first</p><div><p>second</p></div>"
    assert body_content("<head><title>B</title></head><p>x</p></html>") == "<p>x</p>"


def test_the_next_article_goes_before_the_last_body_end() -> None:
    page = "<body><p>a</p><script>'</BODY>'</script></body></html>"
    assert append_next(page, "<body><p>b</p></body>").endswith("<div><p>b</p></div></body></html>")


def test_a_truncated_page_keeps_its_first_80_percent_of_bytes() -> None:
    page = "<html><body><p>" + "é" * 50 + "</p></body></html>"
    cut = truncate(page)
    assert page.startswith(cut)
    assert int(len(page.encode()) * 0.8) - 1 == len(cut.encode())  # half an "é" dropped
    assert "</html>" not in cut


def test_each_page_is_paired_with_the_next_by_key(tmp_path: Path) -> None:
    pages = [
        Page("wcxb", key, f"https://{key}.example/", tmp_path / key, "article", Truth(""))
        for key in ("0003", "0001", "0002")
    ]
    assert [partner.key for partner in next_pages(pages)] == ["0001", "0002", "0003"]


def test_a_story_with_the_next_article_appended_keeps_its_own_text() -> None:
    page = build_page()
    text = extract_article(append_next(page, page), "https://news.example.com/2024/05/12/b").text
    assert text is not None and all(paragraph in text for paragraph in STORY)


def test_every_h1_becomes_an_h2_with_its_attributes() -> None:
    page = "<body><H1 class='title' id=t>A <b>bold</b> story</H1 ><h10>x</h10><h1>B</h1></body>"
    assert h1_as_h2(page) == (
        "<body><h2 class='title' id=t>A <b>bold</b> story</h2 ><h10>x</h10><h2>B</h2></body>"
    )
    assert h1_as_h2("<h2>kept</h2><header>h</header>") == "<h2>kept</h2><header>h</header>"


def test_metadata_rights_count_only_labelled_fields() -> None:
    truth = Truth("", title="Harbour bridge rebuild", author="Ann Smith", date=None)
    found = {"title": "Harbour Bridge Rebuild", "authors": ["Bob Jones"], "date": "2024-05-12"}
    assert metadata_rights(truth, found) == (True, False, None)
