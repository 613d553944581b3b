"""The robustness benchmark's rewrites: class and id names hashed, HTML5 elements as
``div``, paragraphs as ``<br><br>`` (structure and text kept), the next article appended,
the page cut short, ``<h1>`` as ``<h2>``, ``<p>`` as ``<div>``, a comment thread after the
story, promotional boxes inside it, a cookie banner, a layout table; the metadata rights it
counts."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import pytest
from lxml import html as lxml_html

from bench import corpora, extraction, robustness
from bench.corpora import Page, Truth
from bench.robustness import (
    ADVERTISEMENT,
    COOKIE_BANNER,
    MAX_COMMENTS,
    NEWSLETTER,
    append_comments,
    append_next,
    append_plain_comments,
    body_content,
    comment_paragraphs,
    cookie_banner,
    decide,
    decision_report,
    h1_as_h2,
    hash_names,
    headlines,
    html4,
    insert_promos,
    layout_table,
    metadata_rights,
    next_pages,
    paragraphs_as_breaks,
    paragraphs_as_divs,
    related_links,
    story_paragraphs,
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


def test_paragraphs_become_divs_and_an_open_paragraph_is_closed_where_html_ends_it() -> None:
    page = (
        "<div><p class=lead>One <b>bold</b>.</p><P>Two<p>Three<ul><li>x</li></ul></div><pre>p</pre>"
    )
    assert paragraphs_as_divs(page) == (
        "<div><div class=lead>One <b>bold</b>.</div><div>Two</div><div>Three</div>"
        "<ul><li>x</li></ul></div><pre>p</pre>"
    )
    tree = lxml_html.fromstring(paragraphs_as_divs(build_page()))
    assert not list(tree.iter("p")) and tree.text_content() == lxml_html.fromstring(
        build_page()
    ).text_content().replace("\n", "")


def test_the_story_is_the_longest_run_of_long_paragraphs() -> None:
    teaser = "<p>" + "A teaser in the sidebar that is long enough to count as a paragraph. " * 2
    menu = "<ul>" + "<li>Section with a name</li>" * 20 + "</ul>"
    page = build_page(body_bottom=f"</article>{menu}<article>{teaser}</p>")
    story = story_paragraphs(page)
    assert [lxml_html.fromstring(m[0]).text_content() for m in story] == STORY


def test_a_linked_or_short_paragraph_is_no_story_paragraph() -> None:
    linked = "<p><a href=/x>" + "a link's text " * 10 + "</a> and a few words</p>"
    assert story_paragraphs("<p>Too short.</p>" + linked) == []
    unclosed = "<p>" + STORY[0] + "<div><p>" + STORY[1] + "</p></div>"
    assert [m[1] for m in story_paragraphs(unclosed)] == [STORY[1]]


def test_the_comment_thread_follows_the_story_with_the_other_page_s_paragraphs() -> None:
    page = build_page()
    other = build_page(
        paragraphs=[f"Comment source {i}. It has a second sentence." for i in range(9)]
    )
    rewritten = append_comments(page, other)
    story_end = rewritten.index(STORY[-1]) + len(STORY[-1]) + len("</p>")
    thread = lxml_html.fromstring(rewritten).get_element_by_id("comments")
    assert rewritten[story_end:].startswith('<div id="comments"')
    assert thread.find(".//h2").text_content() == "5 Comments"  # 1 + 2 + 3 + 1 + 2 paragraphs
    comments = thread.findall(".//li")
    assert [len(c.findall(".//p")) for c in comments] == [1, 2, 3, 1, 2]
    assert all(c.find(".//b").text and c.find(".//time") is not None for c in comments)
    assert "Comment source 0. It has a second sentence." in rewritten


def test_the_plain_comment_thread_has_no_telling_class_name() -> None:
    other = build_page(
        paragraphs=[f"Comment source {i} says something about the story." for i in range(3)]
    )
    rewritten = append_plain_comments(build_page(), other)
    thread = rewritten[rewritten.index(STORY[-1]) :]
    assert "2 Comments" in thread and "Comment source 2 says something about the story." in thread
    classes = [e.get("class") for e in lxml_html.fromstring(thread).iter() if e.get("class")]
    assert classes and all(c.startswith("css-") for c in classes)


def test_comments_are_short_and_at_most_twelve() -> None:
    long = "First sentence here. " + "Word " * 100 + "end."
    comments = comment_paragraphs(build_page(paragraphs=[long] * 40))
    assert len(comments) == MAX_COMMENTS
    assert all(text == "First sentence here." for c in comments for text in c)
    assert append_comments("<p>story</p>", "<p>no paragraph</p>") == "<p>story</p>"


def test_promos_stand_between_the_story_s_paragraphs() -> None:
    page, other = build_page(), build_page(title="Ferry timetable changes for the winter")
    rewritten = insert_promos(page, other)
    order = [rewritten.index(text) for text in STORY]
    ad, newsletter = rewritten.index(ADVERTISEMENT), rewritten.index(NEWSLETTER)
    related = rewritten.index(related_links(other))
    assert order[1] < ad < order[2] < newsletter < order[3] < related < order[4]
    assert "Ferry timetable changes for the winter" in related_links(other)
    boxes = (ADVERTISEMENT, NEWSLETTER, related_links(other))
    assert functools.reduce(lambda html, box: html.replace(box, ""), boxes, rewritten) == page
    assert insert_promos("<p>" + STORY[0] + "</p>", other) == "<p>" + STORY[0] + "</p>"


def test_related_headlines_come_from_the_other_page_then_stock_ones() -> None:
    other = (
        "<h2>Short</h2><h3>A real headline of the other page</h3><a href=/>Five words in a link</a>"
    )
    found = headlines(other)
    assert found[:2] == ["A real headline of the other page", "Five words in a link"]
    assert len(found) == 3 and len(headlines("")) == 3
    runaway = "<h2>An unclosed heading " + "<div>and the page after it</div>" * 10 + "</h2>"
    assert headlines(runaway) == headlines("")  # over 20 words: no headline


def test_a_cookie_banner_opens_the_body_and_a_layout_table_holds_it() -> None:
    page = "<html><head><title>A</title></head><body class=x><p>story</p></body></html>"
    assert cookie_banner(page) == page.replace("<body class=x>", "<body class=x>" + COOKIE_BANNER)
    tree = lxml_html.fromstring(layout_table(page))
    cells = tree.findall(".//td")
    assert len(cells) == 2 and cells[1].find("p").text == "story"
    assert tree.find(".//body").getchildren()[0].tag == "table"


def test_a_story_keeps_its_own_text_under_comments_and_promos() -> None:
    page, other = build_page(), build_page(title="Ferry timetable changes for the winter")
    url = "https://news.example.com/2024/05/12/bridge"
    for rewritten in (append_comments(page, other), insert_promos(page, other)):
        text = extract_article(rewritten, url).text
        assert text is not None and all(paragraph in text for paragraph in STORY)


def _page(tmp_path: Path, key: str, url: str, page_type: str, html: str) -> Page:
    path = tmp_path / f"{key}.html.gz"
    path.write_bytes(gzip.compress(html.encode("utf-8")))
    return Page("wcxb", key, url, path, page_type, Truth(""))


def test_the_decision_is_taken_on_the_page_as_served_and_on_each_rewrite(tmp_path: Path) -> None:
    story = _page(
        tmp_path,
        "0001",
        "https://news.example.com/2024/05/12/harbour-bridge-rebuild",
        "article",
        build_page(),
    )
    listing = _page(
        tmp_path, "0002", "https://news.example.com/tag/bridges", "listing", build_page()
    )
    served, hashed, plain = decide((story, listing), ("hashed", "plain"))
    assert (
        served[0] and hashed[0] and plain[0]
    )  # the story stays an article however it is marked up
    assert all(not archived for archived, _ in decide((listing, story), ("hashed", "plain")))


def test_the_decision_report_scores_every_page_type(tmp_path: Path, capsys) -> None:
    pages = [
        _page(tmp_path, "0001", "https://a.example/2024/05/12/x", "article", ""),
        _page(tmp_path, "0002", "https://b.example/2024/05/12/y", "article", ""),
        _page(tmp_path, "0003", "https://c.example/shop/z", "product", ""),
    ]
    decisions = [
        [(True, "article:jsonld"), (True, "article:jsonld")],
        [(True, "article:long_text"), (False, "skip:not_article_like")],
        [(False, "skip:not_article_like"), (True, "article:long_text")],
    ]
    decision_report("tuning", pages, decisions, ("hashed",))
    out = capsys.readouterr().out
    assert "as served        P 1.000  R 1.000" in out
    assert "names hashed     P 0.500  R 0.500" in out
    assert "fp types {'product': 1}  fn reasons {'skip:not_article_like': 1}" in out
    assert "0002  article       article:long_text -> skip:not_article_like" in out


def test_a_mistyped_part_is_one_line_and_exit_2(capsys):
    assert corpora.parts_argument("tuning,checking") == ["tuning", "checking"]
    for main in (robustness.main, extraction.main):
        with pytest.raises(SystemExit) as stop:
            main(["--part", "chekcing"])
        assert stop.value.code == 2
        assert "unknown part: chekcing" in capsys.readouterr().err
