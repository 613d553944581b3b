"""The generic cleanups of the story text, on small inline pages."""

from __future__ import annotations

import re

import pytest
import trafilatura
from lxml.etree import Element
from lxml.html import document_fromstring, fragment_fromstring, tostring

from pipelines.extraction import extract_article
from pipelines.extraction.text import (
    Block,
    FurnitureBoxes,
    author_bio_lines,
    comment_threads,
    has_break_paragraphs,
    is_furniture_line,
    paragraphs_from_breaks,
    recover_chunks,
    unwrap_empty_inline,
    unwrap_heading_anchors,
)
from tests.support.pages import STORY, STORY_IN, build_page

URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"


def story_page(body: str) -> str:
    """A page whose article body is given verbatim."""
    return build_page(paragraphs=[]).replace(
        "<div class='article-body'>", f"<div class='article-body'>{body}"
    )


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def test_related_teaser_inside_the_story_is_dropped():
    teaser = "<p><b>Read more:</b> <a href='/2024/05/01/other'>Ferry operators bid for the contract</a></p>"
    doc = extract_article(story_page(paragraphs(STORY[:3]) + teaser + paragraphs(STORY[3:])), URL)
    assert "Ferry operators bid" not in doc.text
    assert doc.text.split("\n") == STORY


def test_trailing_furniture_is_peeled_off():
    trailer = (
        "<p>(Reporting by Jane Doe; Editing by John Roe)</p>"
        "<ul><li><a href='/a'>Ten bridges that changed the world</a></li>"
        "<li><a href='/b'>Why ferries are back in fashion</a></li></ul>"
        "<p>Follow our city desk on Twitter @gazettecity for more.</p>"
        "<p>Share this article</p>"
    )
    doc = extract_article(story_page(paragraphs(STORY) + trailer), URL)
    assert doc.text.split("\n") == STORY


def test_closing_labels_promos_and_headings_are_peeled_off():
    trailer = (
        "<p>Related Roundup: <a href='/roundup/bridges'>Bridges</a></p>"
        "<p>SOURCE: News agencies</p>"
        "<p>Get the Gazette delivered every month. 12 issues for £11.99. "
        "<a href='/subscribe'>Click here</a> for more information.</p>"
        "<h3>Tell us what you think</h3>"
    )
    doc = extract_article(story_page(paragraphs(STORY) + trailer), URL)
    assert doc.text.split("\n") == STORY


def test_closing_sentences_that_look_like_labels_or_promos_are_kept():
    last = [
        "Residents said one thing mattered more than the cost: the bridge must stay open.",
        "The mayor said: no decision on the tolls has been taken.",
        "The company now has two million subscribers and plans to expand its newsroom next year.",
    ]
    doc = extract_article(story_page(paragraphs(STORY + last)), URL)
    assert doc.text.split("\n") == STORY + last


def test_a_teaser_label_over_a_list_of_links_is_dropped_anywhere():
    teasers = (
        "<p>DON'T MISS</p>"
        "<p><a href='/a'>Ferry operators bid for the contract</a> | "
        "<a href='/b'>Tunnel plan rejected by consultants</a></p>"
    )
    body = paragraphs(STORY[:3]) + teasers + paragraphs(STORY[3:])
    doc = extract_article(story_page(body), URL)
    assert doc.text.split("\n") == STORY


def test_a_teaser_label_without_links_under_it_stays():
    lines = [*STORY[:3], "Read more", *STORY[3:]]
    doc = extract_article(story_page(paragraphs(lines)), URL)
    assert "Read more" in doc.text.split("\n")


def test_a_short_closing_prompt_is_dropped_between_story_paragraphs():
    prompts = ["Advertisement", "Follow us", "Sign up for our newsletter.", "Share this post"]
    lines = [*STORY[:2], prompts[0], STORY[2], prompts[1], STORY[3], prompts[2], prompts[3]]
    doc = extract_article(story_page(paragraphs([*lines, *STORY[4:]])), URL)
    assert doc.text.split("\n") == STORY


def test_a_story_paragraph_opening_like_a_prompt_stays():
    kept = [
        "Updated plans were shown to residents on Tuesday evening at the town hall meeting.",
        "Share prices of the ferry operator rose by a tenth after the council's vote.",
    ]
    lines = [*STORY[:2], *kept, *STORY[2:]]
    doc = extract_article(story_page(paragraphs(lines)), URL)
    assert doc.text.split("\n") == lines


FURNITURE = [
    "<p><a href='https://shop.example.com/deal'>See price at Amazon</a></p>",
    "<p><a href='/blog'>Back to Blogs</a></p>",
    "<p><a href='/privacy'>Privacy Policy</a></p>",
    "<p>Advertiser Disclosure</p>",
    "<p>6 min read</p>",
    "<h3>SHARE YOUR STORY</h3>",
    "<p>Join Medium for free to get updates from this writer.</p>",
    "<p>For daily wit &amp; wisdom, sign up for the Gazette newsletter.</p>",
    "<p>Written by <a href='/staff/jane-doe'>Jane Doe</a></p>",
    # an advertisement's markers and a story's players and buttons between its paragraphs
    "<p>Story continues below advertisement</p>",
    "<p>(Article continues after this advertisement)</p>",
    "<p>Skip Advertisement</p>",
    "<p>Scroll to continue with content</p>",
    "<p>Listen to this article</p>",
    "<p>Gift this article</p>",
    "<p>Recommended Stories</p>",
    "<p>Click here to subscribe to our newsletter</p>",
    "<p>Get the latest news delivered to your inbox.</p>",
]


def test_furniture_lines_are_dropped_anywhere_in_the_story():
    body = (
        paragraphs(STORY[:2])
        + "".join(FURNITURE[:5])
        + paragraphs(STORY[2:4])
        + "".join(FURNITURE[5:])
        + paragraphs(STORY[4:])
    )
    doc = extract_article(story_page(body), URL)
    assert doc.text.split("\n") == STORY


@pytest.mark.parametrize(
    "line",
    [
        "<p>Read more</p>",  # a button's words, but no link
        "<p>Back to the harbour, crews began lifting the first steel girders into place.</p>",
        "<p>I also read 28 newsletters, a small subset of the newsletters I subscribe to.</p>",
        "<p>Written by hand, the petition was signed by 4,000 residents.</p>",
        "<p>Share prices of the ferry operator rose by a tenth after the vote.</p>",
        "<p>The story continues a tradition the harbour board began in 1952.</p>",
        "<p>Listen to the article's critics and the plan looks less settled.</p>",
        "<p>Residents get the latest figures in the council's newsletter each month.</p>",
    ],
)
def test_story_lines_shaped_like_furniture_stay(line):
    kept = re.sub(r"<[^>]+>", "", line)
    doc = extract_article(story_page(paragraphs(STORY[:2]) + line + paragraphs(STORY[2:])), URL)
    assert doc.text.split("\n") == [*STORY[:2], kept, *STORY[2:]]


@pytest.mark.parametrize(
    ("tag", "text", "link_chars", "furniture"),
    [
        ("p", "See price at Amazon", 19, True),
        ("p", "See price at Amazon", 0, False),  # a button's words, not a link
        ("p", "Harbour Bridge Trust", 20, False),  # a link, not a button's words
        ("head", "Privacy Policy", 14, False),  # a linked heading names an entry
        ("p", "Learn more about the harbour bridge rebuild plans", 49, False),  # too long
        ("p", "Posted by Jane Doe", 0, True),
        ("p", "Reviewed by the council's engineers.", 0, False),  # a sentence
    ],
)
def test_furniture_line_shapes(tag, text, link_chars, furniture):
    block = Block(Element(tag), text, link_chars)
    assert is_furniture_line(block) is furniture


def test_closing_story_paragraph_with_a_link_is_kept():
    last = (
        "The council will publish the full <a href='/docs/plan.pdf'>construction plan</a> next "
        "week, and residents can comment on it until the end of June at public meetings."
    )
    doc = extract_article(story_page(paragraphs(STORY) + paragraphs([last])), URL)
    assert doc.text.split("\n")[-1] == re.sub(r"<[^>]+>", "", last)
    assert 0 < doc.link_density < 0.05


def test_story_split_into_sibling_chunks_is_recovered():
    chunk = "<div class='story-chunk body-text'>{}</div>"
    quote = "<aside class='pullquote'><p>“It is the end of a long fight.”</p></aside>"
    html = build_page(paragraphs=[]).replace(
        "<div class='article-body'>",
        "<div class='article-body'><div class='grid'>"
        + chunk.format(paragraphs(STORY[:3]))
        + quote
        + "<div class='ad'><p>Advertisement</p></div>"
        + chunk.format(paragraphs(STORY[3:]))
        + "</div>",
    )
    doc = extract_article(html, URL)
    assert doc.text.split("\n")[-3:] == STORY[3:]
    assert STORY[0] in doc.text


def chunked_page(container_class: str) -> str:
    chunk = f"<div class='{container_class}'>{{}}</div>" if container_class else "<div>{}</div>"
    return (
        "<html><body><article><div class='grid'>"
        + chunk.format(paragraphs(STORY[:3]))
        + "<aside class='pullquote'><p>It is the end of a long fight.</p></aside>"
        + chunk.format(paragraphs(STORY[3:]))
        + "</div></article><footer><p>"
        + "Our newsroom is independent and funded by readers in the whole region since 1880."
        + "</p></footer></body></html>"
    )


def test_recover_chunks_adds_later_chunks_of_the_same_classed_container():
    tree = document_fromstring(chunked_page("grid--item body__container"))
    lines, links = recover_chunks(tree, STORY[:3])
    assert lines == STORY
    assert links == 0


def test_recover_chunks_skips_a_paragraph_the_text_already_says():
    # the later chunk repeats two of the story's paragraphs as one, with a <br> between
    # them: our lines hold its words already, in other line breaks and spacing
    repeated = f"{STORY[0]}<br>{STORY[1].upper()}"
    page = chunked_page("grid--item body__container").replace(
        f"<p>{STORY[3]}</p>", f"<p>{repeated}</p><p>{STORY[3]}</p>"
    )
    lines, _ = recover_chunks(document_fromstring(page), STORY[:3])
    assert lines == STORY  # the new paragraphs still come in


def test_recover_chunks_skips_the_page_footer_in_the_story_s_classes():
    """A site builder writes its footer's blurbs in the blocks the story is written in: a
    paragraph inside a ``<footer>`` (or ``<aside>``, ``<nav>``) the story is not in is no
    later chunk of it."""
    blurb = "We are proud members of the regional association of independent photographers, "
    blurb += "which supports working professionals across the whole country."
    footer = f"<footer><div class='grid'><div class='chunk'><p>{blurb}</p></div></div></footer>"
    page = chunked_page("chunk").replace("</body>", f"{footer}</body>")
    lines, _ = recover_chunks(document_fromstring(page), STORY[:3])
    assert lines == STORY
    # a story written inside a footer element keeps its later chunks there
    inside = page.replace("<article>", "<footer>").replace("</article>", "</footer>")
    lines, _ = recover_chunks(document_fromstring(inside), STORY[:3])
    assert lines == STORY


def test_recover_chunks_ignores_unclassed_containers():
    tree = document_fromstring(chunked_page(""))
    lines, _ = recover_chunks(tree, STORY[:3])
    assert lines == STORY[:3]


def test_recover_chunks_needs_enough_matched_paragraphs():
    tree = document_fromstring(chunked_page("grid--item"))
    lines, _ = recover_chunks(tree, STORY[:2])
    assert lines == STORY[:2]


@pytest.mark.parametrize(
    "last",
    [
        "Related charges against two contractors were dropped last year after a long inquiry.",
        "Subscribers to the ferry pass will pay half price during the closure, the mayor said.",
        "Comments from residents will be collected at three public meetings in June and July.",
        "More than 300 people attended the vote, which was broadcast live on local radio.",
        "Also on Tuesday, the council approved a new cycle lane along the harbour front road.",
    ],
)
def test_story_sentences_that_start_like_furniture_are_kept(last):
    doc = extract_article(story_page(paragraphs([*STORY, last])), URL)
    assert doc.text.split("\n")[-1] == last


@pytest.mark.parametrize(
    ("first", "dropped"),
    [
        ("By Jane Doe and John Roe, Reuters", True),
        ("By JANE DOE | The Gazette", True),
        ("Updated 10:42 GMT, May 12, 2024", True),
        ("May 12, 2024", True),  # a bare date line: the page's date, not the story
        ("05.12.2024, 14:30 Uhr", True),
        ("Stand: 05.12.2024 14:30 Uhr", True),
        ("Effective beginning 6/2/2025:", False),  # opens what follows
        ("May 12, 2024 was the day the old bridge finally closed to traffic", False),
        ("By Tuesday evening the old bridge was closed to traffic", False),
        ("Published figures show traffic fell by a third", False),
    ],
)
def test_leading_byline_and_stamp_lines(first, dropped):
    doc = extract_article(story_page(paragraphs([first, *STORY])), URL)
    assert (doc.text.split("\n")[0] != first) is dropped


@pytest.mark.parametrize(
    ("lang", "title", "date_line", "story"),
    [
        ("en", "Council approves harbour bridge rebuild", "December 5, 2024 14:30", STORY[:1]),
        ("zh", "市政府宣布重建老港口大桥", "2024年12月5日 14:30", STORY_IN["zh"][:4]),
    ],
)
def test_the_header_after_a_short_story_is_dropped(lang, title, date_line, story):
    """On a short story trafilatura appends the header it meets in a wider frame (the <h1>,
    the date line shown under it) after the paragraphs it took first: those lines go."""
    page = build_page(paragraphs=story, body_top=f"<p>{date_line}</p>", lang=lang, title=title)
    assert (trafilatura.extract(page, favor_precision=True) or "").endswith(date_line)
    assert extract_article(page, URL).text.split("\n") == story


@pytest.mark.parametrize(
    "closing", ["The council will vote again on December 5, 2024 14:30.", "December 6, 2024"]
)
def test_a_closing_date_sentence_stays(closing):
    """Only a line equal to the header's date line goes (trafilatura appends it here), not a
    sentence holding the date nor another date."""
    page = build_page(paragraphs=[STORY[0], closing], body_top="<p>December 5, 2024 14:30</p>")
    assert (trafilatura.extract(page, favor_precision=True) or "").endswith("14:30")
    assert extract_article(page, URL).text.split("\n") == [STORY[0], closing]


def test_a_longer_story_under_a_date_line_is_unchanged():
    page = build_page(paragraphs=STORY[:6], body_top="<p>December 5, 2024 14:30</p>")
    assert len(STORY) >= 6
    assert extract_article(page, URL).text.split("\n") == STORY[:6]


BULLETS = [
    "Fixed switches: the switches that came with the keyboard stay on it for good, loud or not.",
    "Difficult repairs: a single failed switch meant desoldering it from the circuit board.",
    "Higher costs: trying another feel meant buying a whole new keyboard every single time.",
]


def test_list_items_after_an_empty_inline_element_are_kept():
    """A template's empty <span> before each item's text made trafilatura's precision mode
    drop whole lists of the story."""
    items = "".join(f"<li><span></span>{bullet}</li>" for bullet in BULLETS)
    page = build_page(
        paragraphs=[*STORY[:3], f"</p><ul>{items}</ul><p>{STORY[3]}", *STORY[4:]],
    )
    assert BULLETS[0] not in (trafilatura.extract(page, favor_precision=True) or "")
    text = extract_article(page, "https://news.example.com/2024/05/12/bridge").text
    for bullet in BULLETS:
        assert bullet in text
    for paragraph in STORY:
        assert paragraph in text


def test_unwrap_empty_inline_keeps_every_word():
    tree = document_fromstring(
        "<html><body><p>One <span></span>two <i class='icon'></i>three <b> </b>four "
        "<em>five</em> <span><img src='x.png'></span>six</p></body></html>"
    )
    unwrap_empty_inline(tree)
    paragraph = tree.find(".//p")
    assert paragraph.text_content().split() == ["One", "two", "three", "four", "five", "six"]
    assert [child.tag for child in paragraph] == ["em", "span"]


def test_heading_permalinks_are_unwrapped_and_the_headings_kept():
    heading = "<h2 id='{0}'><a href='#{0}'>{1}</a></h2>"
    page = story_page(
        paragraphs(STORY[:2])
        + heading.format("why", "Why the bridge closed")
        + paragraphs(STORY[2:4])
        + heading.format("next", "What comes next")
        + paragraphs(STORY[4:])
    )
    # trafilatura's precision mode deletes a heading that is wholly a link
    assert "Why the bridge closed" not in (trafilatura.extract(page, favor_precision=True) or "")
    lines = extract_article(page, URL).text.split("\n")
    assert lines == [
        *STORY[:2],
        "Why the bridge closed",
        *STORY[2:4],
        "What comes next",
        *STORY[4:],
    ]


def test_list_entries_named_by_links_to_other_sites_keep_their_names():
    entry = "<h3><a href='https://trails.example.org/{0}'>{1}</a></h3><p>{2}</p>"
    related = "<h3><a href='/2024/05/01/{0}'>{1}</a></h3>"
    page = story_page(
        paragraphs(STORY[:2])
        + entry.format("riverside", "Riverside Trail", STORY[2])
        + entry.format("old-mill", "Old Mill Loop", STORY[3])
        + paragraphs(STORY[4:])
        + "<h2>More from the Gazette</h2>"
        + related.format("ferry", "Ferry operators bid for the contract")
        + related.format("tunnel", "Why the tunnel plan failed")
    )
    lines = extract_article(page, URL).text.split("\n")
    assert lines[:6] == [*STORY[:2], "Riverside Trail", STORY[2], "Old Mill Loop", STORY[3]]
    assert "Ferry operators bid for the contract" not in lines


@pytest.mark.parametrize(
    ("href", "url", "unwrapped"),
    [
        ("#setup", None, True),  # a permalink
        ("#setup", URL, True),
        ("https://trails.example.org/riverside", URL, True),  # another site
        ("//trails.example.org/riverside", URL, True),
        ("https://www.example.com/2024/05/01/ferry", URL, False),  # the page's own site
        ("https://example.com/2024/05/01/ferry", URL, False),
        ("/2024/05/01/ferry", URL, False),
        ("https://trails.example.org/riverside", None, False),  # no page URL: unknown
        ("http://[broken/", URL, False),
    ],
)
def test_heading_links_unwrapped(href, url, unwrapped):
    tree = document_fromstring(
        f"<html><body><h2><a href='{href}'>Setup</a></h2>"
        "<p><a href='#setup'>Back to Setup</a></p></body></html>"
    )
    unwrap_heading_anchors(tree, url)
    assert (tree.find(".//h2/a") is None) is unwrapped
    assert tree.find(".//h2").text_content() == "Setup"
    assert tree.find(".//p/a") is not None  # only headings' links


AUTHOR_META = "<meta name='author' content='Jane Doe'>"
BIO = (
    "Jane Doe is the Gazette's city reporter. She has covered the waterfront, its ferries "
    "and its bridges for twelve years."
)


def test_the_authors_bio_at_the_end_of_the_story_is_dropped():
    page = build_page(head=AUTHOR_META, paragraphs=[*STORY, BIO])
    doc = extract_article(page, URL)
    assert doc.authors == ["Jane Doe"]
    assert doc.text.split("\n") == STORY


def test_a_story_line_naming_the_author_before_its_end_stays():
    quoted = "Jane Doe, who reported the vote, said the council had little choice."
    lines = [*STORY[:2], quoted, *STORY[2:]]
    doc = extract_article(build_page(head=AUTHOR_META, paragraphs=lines), URL)
    assert doc.text.split("\n") == lines


@pytest.mark.parametrize(
    ("lines", "authors", "bio"),
    [
        (
            ["Story.", "Jane Doe is a staff writer.", "Jane Doe has no position in ACME."],
            ["Jane Doe"],
            2,
        ),
        (
            ["Story.", "John Roe covers science.", "Jane Doe covers health."],
            ["Jane Doe", "John Roe"],
            2,
        ),
        (["Story.", "Jane Doe is a staff writer.", "Share this story."], ["Jane Doe"], 0),
        (["Story.", "Jane is a staff writer."], ["Jane"], 0),  # a first name alone is no bio
        (["Story.", "Jane Doe"], ["Jane Doe"], 0),  # the name alone: a byline, not a bio
        (["Story.", "Jane Doe is a staff writer."], [], 0),
        # a text wholly of lines opening with the author's name keeps its first: never emptied
        (["Jane Doe won the race.", "Jane Doe thanked her coach."], ["Jane Doe"], 1),
    ],
)
def test_author_bio_lines(lines, authors, bio):
    assert author_bio_lines(lines, authors) == bio


DISCLAIMER = (
    "Products are chosen independently by our editors. Purchases made through our links "
    "may earn us a commission, which helps fund our reporting and our testing lab."
)


def test_boxes_classed_as_furniture_stay_out_of_the_text():
    """A box whose class or id names it a disclaimer, disclosure, modal, pop-up or sign-up
    form is not read into the story, wherever it stands; trafilatura keeps such boxes."""
    page = story_page(
        f"<div class='affiliate-disclaimer'><p>{DISCLAIMER}</p></div>"
        + paragraphs(STORY[:3])
        + "<div id='signupPopup' class='overlay-box'><p>Before you go, the stories our readers "
        "liked most this week are waiting for you in one short weekly digest.</p></div>"
        + paragraphs(STORY[3:])
        + "<section class='modal fade'><h3>Privacy choices</h3><p>We and our partners use "
        "technologies to store and access information on your device for the purposes "
        "described in our notice.</p></section>"
    )
    assert DISCLAIMER in (trafilatura.extract(page, favor_precision=True) or "")
    doc = extract_article(page, URL)
    assert doc.text.split("\n") == STORY


def test_furniture_boxes_are_hidden_only_while_the_text_is_read():
    """The box is back in the page afterwards: the date search and the metadata readers
    read the page as it is (a date line may stand in such a box)."""
    page = story_page(
        paragraphs(STORY)
        + "<div class='post-disclaimer'>Published <time datetime='2024-05-12'>May 12, 2024</time>"
        "<span>: prices were right at the time of writing.</span></div>"
    )
    doc = extract_article(page, "https://news.example.com/harbour-bridge-rebuild")
    assert doc.text.split("\n") == STORY
    assert doc.published_at is not None and doc.published_at.date().isoformat() == "2024-05-12"
    tree = document_fromstring(page)
    before = [(e.tag, e.text, e.tail) for e in tree.iter()]
    boxes = FurnitureBoxes(tree)
    boxes.hide()
    assert "prices were right" not in tree.text_content()
    boxes.show()
    assert [(e.tag, e.text, e.tail) for e in tree.iter()] == before


@pytest.mark.parametrize(
    ("box", "kept"),
    [
        # a story a template shows in an overlay: it holds the page's heading
        ("<div class='modal-article'><h1>Harbour bridge</h1>{story}</div>", True),
        # or most of the page's paragraphs, whatever its class says
        ("<div class='reader-popup'>{story}</div>", True),
        ("<div class='disclaimer'><p>Past results do not guarantee future ones.</p></div>", False),
    ],
)
def test_a_furniture_box_holding_the_story_is_kept(box, kept):
    html = (
        "<html><body><header><p>The Gazette, news of the harbour town since 1901.</p></header>"
        + box.format(story=paragraphs(STORY))
        + "<p>One more paragraph outside the box, a short note on the page itself.</p>"
        "</body></html>"
    )
    boxes = FurnitureBoxes(document_fromstring(html))
    assert (boxes.boxes == []) is kept


COMMENTS_TEXT = [
    "I drive over that bridge every day and the detours will add an hour to my commute.",
    "Finally. The supports have looked rusty for years, better late than never.",
    "Who is paying for the ferry? The article does not say what a ticket will cost.",
]


def hashed_thread(heading: str = "3 Comments") -> str:
    """A comment thread whose class names say nothing, as CSS-in-JS sites write it."""
    items = "".join(
        f"<div class='css-k2'><div class='css-k3'><span class='css-k4'>Reader {i}</span>"
        f"<span class='css-k5'>October {i + 2}, 2024 at 9:15 am</span></div>"
        f"<div class='css-k6'><p>{text}</p></div><button>Reply</button></div>"
        for i, text in enumerate(COMMENTS_TEXT)
    )
    return f"<div class='css-k0'><h3 class='css-k1'>{heading}</h3><div>{items}</div></div>"


@pytest.mark.parametrize(
    "heading", ["3 Comments", "Comments (3)", "3 thoughts on “Harbour bridge”", "5 Kommentare"]
)
def test_a_comment_thread_without_telling_classes_stays_out_of_the_text(heading):
    page = story_page(paragraphs(STORY) + hashed_thread(heading))
    doc = extract_article(page, URL)
    assert doc.text.split("\n") == STORY
    tree = document_fromstring(page)
    before = [(e.tag, e.text, e.tail) for e in tree.iter()]
    boxes = FurnitureBoxes(tree)
    boxes.hide()
    assert "Reader 1" not in tree.text_content() and STORY[-1] in tree.text_content()
    boxes.show()
    assert [(e.tag, e.text, e.tail) for e in tree.iter()] == before


def test_a_comment_heading_wrapped_alone_takes_the_list_after_its_wrapper():
    thread = hashed_thread().replace("<h3 class='css-k1'>3 Comments</h3>", "")
    page = story_page(paragraphs(STORY) + f"<div><div><h2>3 Comments</h2></div>{thread}</div>")
    found = comment_threads(document_fromstring(page))
    assert [e.tag for e in found] == ["div", "div"]
    assert "Reader 2" in found[1].text_content()


@pytest.mark.parametrize(
    "body",
    [
        # no story before it: a heading near the top, a page of comments alone
        "<h2>3 Comments</h2>" + paragraphs(STORY),
        # a link to the thread, not the thread
        paragraphs(STORY) + "<h3><a href='#comments'>3 Comments</a></h3><p>More story.</p>",
        # a heading that only mentions comments
        paragraphs(STORY) + "<h2>What readers said in their comments</h2><p>Quotes.</p>",
        # a count of replies is no thread's without its number
        paragraphs(STORY) + "<h2>Replies</h2><p>The council's replies to the petition.</p>",
    ],
)
def test_no_comment_thread_without_its_heading_after_a_story(body):
    assert comment_threads(document_fromstring(story_page(body))) == []


def test_runs_between_double_breaks_become_paragraphs() -> None:
    tree = fragment_fromstring(
        "<div>One.<br><br>Two <b>bold</b>.<br>line<br> <br><br>Three.<div>block</div>"
        "tail<br><br><img src=a.png><br><br><a href=/x></a></div>"
    )
    assert paragraphs_from_breaks(tree)
    assert tostring(tree, encoding="unicode") == (
        "<div><p>One.</p><p>Two <b>bold</b>.<br>line</p><p>Three.</p><div>block</div>"
        '<p>tail</p><img src="a.png"><a href="/x"></a></div>'
    )


def test_a_single_break_is_a_line_break_not_a_paragraph() -> None:
    tree = fragment_fromstring("<div><p>One.<br><br>Two.</p>a<br>b<br>c</div>")
    assert not has_break_paragraphs(tree)
    assert not paragraphs_from_breaks(tree)  # a <p>'s own breaks are no container's
    assert tostring(tree, encoding="unicode") == "<div><p>One.<br><br>Two.</p>a<br>b<br>c</div>"
