"""Never collapse: an empty or gutted story text is replaced by a better candidate."""

from __future__ import annotations

import gzip
import json

import pytest
import trafilatura
from lxml.html import fragment_fromstring, tostring

from pipelines.extraction import core, extract_article, fallback, pagetype
from pipelines.extraction.decode import parse_html
from pipelines.extraction.fallback import (
    PAGE_SHARE,
    SHORT_TEXT,
    is_suspect,
    page_text_bound,
    stated_body,
)
from pipelines.extraction.joiners import html2txt
from pipelines.extraction.model import Extracted
from pipelines.extraction.pagetype import classify_page
from pipelines.extraction.text import (
    CleanBody,
    div_paragraph_chars,
    hoist_main,
    normalise,
    paragraph_texts,
    paragraphs_from_divs,
    recover_chunks,
)
from tests.support.pages import BENCHMARK_PAGES, STORY, build_page

URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"
NAV = (
    "<nav><ul>"
    + "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(30))
    + "</ul></nav>"
)


def app_shell(body: str) -> str:
    """A script-rendered page: the visible body is a placeholder, the story is in JSON-LD."""
    entity = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council votes to rebuild the harbour bridge",
        "articleBody": body,
    }
    return (
        "<html><head><title>Council votes to rebuild the harbour bridge</title>"
        f"<script type='application/ld+json'>{json.dumps(entity)}</script></head>"
        f"<body>{NAV}<div id='app'><h1>Council votes to rebuild the harbour bridge</h1>"
        "<p>Loading the story...</p></div></body></html>"
    )


def test_a_story_trafilatura_precision_mode_misses_is_recovered():
    page = app_shell("\n".join(STORY))
    precise = trafilatura.extract(page, url=URL, favor_precision=True) or ""
    assert len(precise) < 100, "the page must collapse in precision mode for this test"
    doc = extract_article(page, URL)
    for paragraph in STORY:
        assert paragraph in doc.text
    assert "Section number" not in doc.text
    assert doc.word_count == sum(len(p.split()) for p in STORY)


def test_the_stated_article_body_is_a_candidate_of_its_own():
    candidate = stated_body(parse_html(app_shell("\n\n".join(STORY))))
    assert candidate is not None and candidate.source == "articleBody"
    assert candidate.lines == STORY
    assert stated_body(parse_html(build_page(paragraphs=STORY))) is None


def stated_page(entity_type: str, body: list[str], shown: list[str]) -> str:
    """A page showing ``shown`` whose JSON-LD entity of ``entity_type`` states ``body``."""
    entity = {"@context": "https://schema.org", "@type": entity_type, "headline": "Bridge"}
    entity |= {"datePublished": "2024-05-12", "articleBody": "\n".join(body)}
    script = f"<script type='application/ld+json'>{json.dumps(entity)}</script>"
    return build_page(head=script, paragraphs=shown, body_top=NAV)


def test_a_much_longer_stated_body_replaces_a_whole_looking_text():
    """The page shows the first half of its story (a teaser, the rest behind a button) and
    states all of it: neither suspect nor partial, the text still takes the stated story."""
    story = STORY + MORE
    half = story[: len(story) // 2]
    assert extract_article(stated_page("NewsArticle", story, half), URL).text.split("\n") == story


def test_a_stated_body_replaces_the_text_only_when_much_longer_on_a_declared_article():
    # a stated body not BETTER_RATIO times longer: the text the page shows stays
    most = STORY[:-1]
    assert extract_article(stated_page("NewsArticle", STORY, most), URL).text.split("\n") == most
    # a page whose markup declares no article (a dated WebPage): the shown text stays
    half = STORY[:3]
    assert extract_article(stated_page("WebPage", STORY, half), URL).text.split("\n") == half


def test_a_short_story_is_kept_as_it_is():
    brief = STORY[:2]
    page = build_page(paragraphs=brief, body_top=NAV)
    assert extract_article(page, URL).text.split("\n") == brief


def test_suspicion_needs_a_short_text_and_a_loss():
    tree = parse_html(build_page(paragraphs=STORY))
    page_chars = len("".join(STORY))
    assert not is_suspect(SHORT_TEXT, 10 * SHORT_TEXT, tree, True)  # long: never checked
    assert is_suspect(0, 0, tree, True)  # empty
    assert is_suspect(300, 1000, tree, False)  # our cleanups kept under half of what was found
    assert not is_suspect(page_chars, page_chars, tree, True)  # the whole story
    assert is_suspect(page_chars // 10, page_chars // 10, tree, True)  # a tenth of the page
    # a page not declaring an article: only an empty text or a loss to our cleanups counts
    assert is_suspect(0, 0, tree, False)
    assert not is_suspect(page_chars // 10, page_chars // 10, tree, False)


# pages where html2txt's text differs most from the raw body text: runs of blocks with no
# whitespace between them (it spaces them), removed elements nested in one another and
# holding block elements, tails after removed elements, a footer <div> and a cookie
# banner its XPath deletes (the bound keeps them), a page with no <body>
BOUND_PAGES = [
    "<html><body>" + "<div>word</div>" * 40 + "<p>a<br>b<br>c</p></body></html>",
    "<html><body><aside><div>side<footer><p>foot</p></footer></div>x</aside>tail"
    "<script>var a = 1;</script>after<style>p {}</style><svg><text>svg</text></svg>"
    "<template><p>hidden</p></template><p>story   text\n\n here</p></body></html>",
    "<html><body><div class='site-footer'><p>footer text</p></div>"
    "<div id='cookie-consent'><p>We use cookies</p></div><p>story</p></body></html>",
    build_page(body_top=NAV, paragraphs=STORY),
]


@pytest.mark.parametrize(
    "tree",
    [
        *(parse_html(html) for html in BOUND_PAGES),
        fragment_fromstring("<div><p>no body</p><aside>side</aside><div>more</div></div>"),
    ],
)
def test_the_page_text_bound_is_never_below_html2txt(tree):
    exact = len(html2txt(tree))
    assert page_text_bound(tree) >= exact
    # so the bound's shortcut gives the exact answer at every text length
    for kept in range(1, exact + 2):
        assert is_suspect(kept, kept, tree, True) == (kept < PAGE_SHARE * exact)


CAPTIONS = [
    "Increasing attendance and awareness of a space museum in a small town.",
    "A collaborative approach brought leadership into the creative process for a clinic.",
    "Branding a beer on a mission to benefit a museum and stand out in a crowded space.",
    "Introducing a revamped classic bourbon brand now found on top shelves everywhere.",
    "A data-driven approach brings a community together to attract and retain talent.",
]


def test_an_empty_text_is_rescued_on_a_page_declaring_nothing():
    """A home page of captioned slides: precision mode keeps nothing, balanced mode keeps the
    captions. The page states no type, so only its emptiness makes the text suspect."""
    slides = "".join(
        f"<div class='slide'><div class='caption'>{caption}</div>"
        f"<a class='btn' href='/work/{i}'>View project</a></div>"
        for i, caption in enumerate(CAPTIONS)
    )
    page = (
        "<html lang='en'><head><title>Harbour Works</title></head><body>"
        f"{NAV}<div class='grid'>{slides}</div><footer>Harbour Works</footer></body></html>"
    )
    url = "https://harbour.example.com/"
    assert trafilatura.extract(page, url=url, favor_precision=True) is None
    text = extract_article(page, url).text
    assert CAPTIONS[1] in text
    assert "Section number" not in text


# ---------------------------------------------------------------- a partial long story

MORE = [
    f"In section {i}, the council's report set out how the closure would affect the "
    f"waterfront traffic, the ferry timetable and the shops along the quay, street by street."
    for i in range(8)
]


def test_missed_paragraphs_are_the_story_shaped_ones_the_text_lacks():
    links = "<p>" + " ".join(f"<a href='/a{i}'>Another story number {i}</a>" for i in range(5))
    tree = parse_html(build_page(paragraphs=[*STORY, *MORE], body_bottom=links + "</p>"))
    assert fallback.missed_chars(tree, [*STORY, *MORE]) == 0
    assert fallback.missed_chars(tree, STORY) == sum(len(p) for p in MORE)
    assert fallback.is_partial(tree, STORY)  # 8 paragraphs missed: over half of the text
    assert not fallback.is_partial(tree, [*STORY, *MORE[:6]])  # two missed: too few chars
    assert not fallback.is_partial(tree, [*STORY, *MORE])


@pytest.mark.parametrize("path", BENCHMARK_PAGES[::2], ids=lambda p: p.name[:12])
def test_the_paragraph_texts_read_once_give_the_same_answers(path):
    """fill_text reads the page's <p> texts once for the chunk recovery and the
    partial-story test: the same recovered lines and missed characters as reading them
    in each."""
    tree = parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    texts = paragraph_texts(tree)
    assert list(texts) == list(tree.iter("p"))
    document = trafilatura.bare_extraction(tree, favor_precision=True, with_metadata=False)
    for lines in (STORY, [line for line in (document.text if document else "").splitlines()]):
        assert recover_chunks(tree, lines, texts) == recover_chunks(tree, lines)
        assert fallback.missed_chars(tree, lines, texts) == fallback.missed_chars(tree, lines)
        assert fallback.missed_share(tree, lines, texts) == fallback.missed_share(tree, lines)


def test_story_text_outside_paragraphs_counts_as_missed():
    """Story paragraphs written as a <div>'s text, split by <br>, or as list items count;
    the same text inside a link or a <nav>, a run that ends no sentence, or a container
    mostly made of links does not."""
    runs = "<br><br>".join(MORE[:4])
    items = "".join(f"<li>{line}</li>" for line in MORE[4:])
    tree = parse_html(
        build_page(paragraphs=STORY, body_bottom=f"<div>{runs}</div><ol>{items}</ol>")
    )
    assert fallback.missed_chars(tree, STORY) == sum(len(p) for p in MORE)
    assert fallback.missed_chars(tree, [*STORY, *MORE]) == 0
    assert fallback.is_partial(tree, STORY)
    card = f"<a href='/a'><div>{MORE[0]}</div></a><nav><div>{MORE[1]}</div></nav>"
    label = f"<div>{MORE[2].rstrip('.')}</div>"
    linked = f"<div><a href='/b'>{MORE[3]}</a> {MORE[4][:30]}.</div>"
    tree = parse_html(build_page(paragraphs=STORY, body_bottom=card + label + linked))
    assert fallback.missed_chars(tree, STORY) == 0


def test_runs_count_nested_inline_text_and_blocks_inside_inline_children():
    """A run's text inside an inline child's own children counts; so does a block held
    by an inline child (the walk goes through it) where its container is link dense."""
    half = len(MORE[0]) // 2
    nested = f"<div><span>{MORE[0][:half]}<b>{MORE[0][half:]}</b></span></div>"
    held = f"<div><a href='/a'>{MORE[2]}</a><span><div>{MORE[1]}</div></span></div>"
    tree = parse_html(build_page(paragraphs=STORY, body_bottom=nested + held))
    assert fallback.missed_chars(tree, STORY) == len(MORE[0]) + len(MORE[1])
    assert fallback.missed_chars(tree, [*STORY, MORE[0]]) == len(MORE[1])


def test_a_fuller_candidate_loses_the_short_labels_it_adds_at_its_edges():
    found = ["4 minute read time", STORY[0], *MORE[:2], *STORY[1:], "Contact Info"]
    trimmed = fallback.trimmed(candidate(found, "recall"), STORY)
    assert trimmed is not None and trimmed.lines == [STORY[0], *MORE[:2], *STORY[1:]]
    # a label the text holds itself stays, and so does an added sentence
    ours = ["Contact Info", *STORY]
    found = ["Contact Info", *STORY, "Call the desk."]
    assert fallback.trimmed(candidate(found, "recall"), ours).lines == found


def candidate(lines: list[str], source: str) -> fallback.Candidate:
    return fallback.Candidate(CleanBody(lines, 0.0), source)


def test_a_fuller_candidate_holds_the_text_and_adds_to_it(monkeypatch):
    tree = parse_html(build_page(paragraphs=[*STORY, *MORE]))
    found = {True: [*STORY[:3], *MORE, *STORY[3:]], False: [*STORY, *MORE[:2]]}
    monkeypatch.setattr(
        fallback, "balanced", lambda _t, _u, _ti, recall=False: candidate(found[recall], "x")
    )
    assert fallback.fuller_candidate(tree, URL, [], STORY).lines == found[True]
    # recall mode found less than the text: balanced mode's candidate holds it
    found[True] = STORY[:2]
    assert fallback.fuller_candidate(tree, URL, [], STORY).lines == found[False]
    # recall mode found more, elsewhere on the page: balanced mode is not tried
    found[True] = [*STORY[:2], *MORE]
    assert fallback.fuller_candidate(tree, URL, [], STORY) is None
    # a candidate many times longer took in the page around the story
    found[True] = found[False] = [*STORY, *(MORE * 4)]
    assert fallback.fuller_candidate(tree, URL, [], STORY[:2]) is None
    # one barely longer adds nothing worth the swap
    found[True] = found[False] = [*STORY, "A last line."]
    assert fallback.fuller_candidate(tree, URL, [], STORY) is None


LONG = STORY + [
    f"Witness {i} told the hearing that the crossing had carried her family's shop deliveries "
    f"for forty years, and that a closure of eighteen months would test every trader on the quay."
    for i in range(14)
]


def test_the_cap_grows_with_what_the_page_says_the_text_misses(monkeypatch):
    """A story whose paragraphs are ``<div>``s: precision mode kept its first section, and
    recall mode's whole story is more than ``FULLER_CAP`` times that, as much as the page
    says the text lacks."""
    found, text = LONG[:-1], LONG[:5]
    monkeypatch.setattr(
        fallback, "balanced", lambda _t, _u, _ti, recall=False: candidate(found, "recall")
    )
    assert sum(map(len, found)) > fallback.FULLER_CAP * sum(map(len, text))
    page = build_page(paragraphs=LONG).replace("<p>", "<div>").replace("</p>", "</div>")
    assert fallback.fuller_candidate(parse_html(page), URL, [], text).lines == found
    # a page showing less than the candidate holds: it took in the page around the story
    page = build_page(paragraphs=LONG[:8])
    assert fallback.fuller_candidate(parse_html(page), URL, [], text) is None


def keep_first_paragraphs(monkeypatch, count: int) -> None:
    """Make the extraction's trafilatura pass keep only the story's first ``count``
    paragraphs, as precision mode does on a partial story."""
    run = core.run_trafilatura

    def partial(tree, url):
        document = run(tree, url)
        for element in list(document.body)[count:]:
            document.body.remove(element)
        return document

    monkeypatch.setattr(core, "run_trafilatura", partial)


def partial_story_with_fuller_candidate(monkeypatch) -> list[bool]:
    """Precision mode keeps the first paragraphs of ``LONG + MORE``; the fuller pass finds
    them all. Returns the list each fuller pass appends its ``recall`` flag to."""
    calls: list[bool] = []

    def fuller(_t, _u, _ti, recall=False):
        calls.append(recall)
        return candidate([*LONG, *MORE], "recall")

    monkeypatch.setattr(fallback, "balanced", fuller)
    keep_first_paragraphs(monkeypatch, len(LONG))
    return calls


def test_a_long_story_lacking_a_tenth_of_its_sections_is_partial():
    tree = parse_html(build_page(paragraphs=[*LONG, *MORE]))
    kept = [*LONG, *MORE[:4]]  # the last four sections lost after a figure
    missed = fallback.missed_chars(tree, kept)
    share = missed / sum(len(line) for line in kept)
    assert missed >= fallback.MISSED_MIN
    assert fallback.MISSED_SHARE <= share < 0.3  # under the old 30% trigger
    assert fallback.is_partial(tree, kept)


def test_a_partial_long_story_is_completed_from_the_fuller_candidate(monkeypatch):
    assert sum(len(p) for p in LONG) > SHORT_TEXT  # never checked as a short text
    page = build_page(paragraphs=[*LONG, *MORE])
    monkeypatch.setattr(
        fallback, "balanced", lambda _t, _u, _ti, recall=False: candidate([*LONG, *MORE], "recall")
    )
    assert extract_article(page, URL).text.split("\n") == [*LONG, *MORE]

    keep_first_paragraphs(monkeypatch, len(LONG))
    assert extract_article(page, URL).text.split("\n") == [*LONG, *MORE]
    monkeypatch.setattr(core, "needs_completing", lambda *_args: False)
    assert extract_article(page, URL).text.split("\n") == LONG  # what the rule completes


def test_a_page_the_markup_or_url_rules_out_is_not_completed(monkeypatch):
    """The partial-story pass (a third trafilatura run) is spent only on pages that may
    still be archived: a tag page's text is never archived, however it reads."""
    tag_url = "https://news.example.com/tag/harbour-bridge"
    page = build_page(paragraphs=[*LONG, *MORE])
    calls = partial_story_with_fuller_candidate(monkeypatch)
    skipped = extract_article(page, tag_url)
    assert classify_page(skipped, tag_url).reason == "skip:listing"
    assert skipped.text.split("\n") == LONG
    assert calls == []
    assert extract_article(page, URL).text.split("\n") == [*LONG, *MORE]
    assert calls == [True]


def test_a_page_the_decision_vetoes_is_not_completed(monkeypatch):
    """Nor is a page whose text as it stands the page-look model vetoes (or finds link
    dense): a fuller text did not overturn those skips on the tuning part."""
    page = build_page(paragraphs=[*LONG, *MORE])
    calls = partial_story_with_fuller_candidate(monkeypatch)
    monkeypatch.setattr(pagetype, "article_likeness", lambda _doc, _url: 0.0)
    vetoed = extract_article(page, URL)
    assert classify_page(vetoed, URL).reason == "skip:not_article_like"
    assert vetoed.text.split("\n") == LONG
    assert calls == []
    monkeypatch.setattr(pagetype, "article_likeness", lambda _doc, _url: 1.0)
    assert extract_article(page, URL).text.split("\n") == [*LONG, *MORE]
    assert calls == [True]


def test_only_skips_a_fuller_text_did_not_overturn_stop_the_completion():
    """A gutted article is often too short as it stands: that skip never stops the pass."""
    short = Extracted(url=URL, text="A few words of a gutted story.", word_count=7)
    assert classify_page(short, URL).reason == "skip:too_short"
    assert core.worth_completing(short)
    dense = Extracted(url=URL, text=" ".join(LONG), word_count=400, link_density=0.9)
    assert classify_page(dense, URL).reason == "skip:link_dense"
    assert not core.worth_completing(dense)


def test_a_text_lacking_little_is_completed_only_where_it_is_archived():
    """A text holding most of its story (it lacks under ``GUTTED_PART`` of itself) is
    completed for its reader, never to turn a skipped page into an article."""
    short = Extracted(url=URL, text="A few words of a gutted story.", word_count=7)
    assert not core.worth_completing(short, gutted=False)
    story = Extracted(url=URL, text=" ".join(LONG), word_count=len(" ".join(LONG).split()))
    assert classify_page(story, URL).is_article
    assert core.worth_completing(story, gutted=False)


# ---------------------------------------------------------------- a collapsed story

SLIDES = LONG[5:15]


def slideshow_page(head: str = "") -> str:
    """A story whose intro stands in a content ``<div>`` and whose stops each stand in a
    ``<div>`` of their own after it, with a heading: trafilatura's precision and recall modes
    both read the intro alone, its balanced mode the whole story."""
    intro = "".join(f"<p>{line}</p>" for line in STORY[:2])
    slides = "".join(
        f"<div class='slide'><h2>Stop {i}</h2><p>{line}</p></div>" for i, line in enumerate(SLIDES)
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Ten stops on the harbour walk | The Gazette</title>{head}</head><body>"
        "<header><nav><a href='/'>Home</a></nav></header><h1>Ten stops on the harbour walk</h1>"
        f"<div class='post-content'>{intro}</div>{slides}"
        "<footer><p>© 2024 The Gazette</p></footer></body></html>"
    )


def test_trafilatura_reads_the_slideshow_as_a_sliver_in_precision_and_recall_mode():
    page = slideshow_page()
    sliver = {"favor_precision": True}, {"favor_recall": True}
    for options in sliver:
        assert trafilatura.extract(page, **options).split("\n") == STORY[:2]
    assert all(line in trafilatura.extract(page) for line in SLIDES)


def test_a_collapsed_story_recall_mode_reads_as_narrowly_is_completed_by_balanced_mode():
    """The page declares no article, so the short-text check does not see the sliver; the
    partial-story pass does, and recall mode reads the intro alone: balanced mode, tried
    after it on a text lacking more than itself, holds the whole story."""
    page = slideshow_page()
    text = extract_article(page, URL).text.split("\n")
    assert text[:2] == STORY[:2] and all(line in text for line in SLIDES)
    assert classify_page(extract_article(page, URL), URL).is_article


def test_a_collapsed_story_on_a_page_the_markup_rules_out_is_completed():
    """Its decision cannot move, so the page's reader gets the whole story
    (``newsarchive extract``) at no risk to what the crawl archives."""
    tag_url = "https://news.example.com/tag/harbour-walk"
    doc = extract_article(slideshow_page(), tag_url)
    assert all(line in doc.text.split("\n") for line in SLIDES)
    assert classify_page(doc, tag_url).reason == "skip:listing"


@pytest.mark.parametrize(
    ("likeness", "completed", "reason"),
    [
        (0.95, True, "article:dated_url+long_text"),  # clearly an article: archived whole
        (0.6, False, "skip:too_short"),  # over the veto, not clearly: the sliver stays
        (0.1, True, "skip:not_article_like"),  # vetoed either way: its reader gets it all
    ],
)
def test_a_collapsed_text_is_completed_into_an_article_only_clearly_like_one(
    monkeypatch, likeness, completed, reason
):
    """Forums and service pages have the collapse shape too (a question without its
    answers): on a page declaring no article, the whole reading may make the page archived
    only when the page-look model finds it clearly article-like."""
    monkeypatch.setattr(pagetype, "article_likeness", lambda _doc, _url: likeness)
    doc = extract_article(slideshow_page(), URL)
    assert (SLIDES[0] in doc.text) is completed
    assert classify_page(doc, URL).reason == reason


def test_a_declared_collapsed_story_is_completed_past_what_recall_mode_reads(monkeypatch):
    """A text over the short-text bound lacking more than itself: recall mode's candidate
    is fuller but partial still, balanced mode's holds the whole story (over the cap, by the
    headings and short lines the missed text does not count) and is taken."""
    tree = parse_html(build_page(paragraphs=LONG))
    text = LONG[:4]
    share = fallback.missed_share(tree, text)
    assert share >= fallback.COLLAPSED_PART
    whole = [*LONG[:4], *(f"Part {i}" for i in range(40)), *LONG[4:]]
    assert sum(map(len, whole)) > (1 + share) * sum(map(len, text))
    found = {True: LONG[:6], False: whole}
    monkeypatch.setattr(
        fallback, "balanced", lambda _t, _u, _ti, recall=False: candidate(found[recall], "x")
    )
    assert fallback.fuller_from_modes(tree, URL, [], text) == candidate(LONG[:6], "x")
    always = fallback.fuller_from_modes(tree, URL, [], text, accept=lambda _c: True)
    assert always is not None and always.lines == whole
    refused = fallback.fuller_from_modes(tree, URL, [], text, accept=lambda _c: False)
    assert refused is not None and refused.lines == LONG[:6]
    # a candidate leaving story paragraphs missed still took in something else
    found[False] = [*LONG[:4], *(f"Part {i}" for i in range(40)), *LONG[4:-6], *MORE]
    length = sum(map(len, found[False]))
    assert length <= fallback.COMPLETE_MARGIN * (1 + share) * sum(map(len, text))
    assert fallback.is_partial(tree, found[False])
    taken = fallback.fuller_from_modes(tree, URL, [], text, accept=lambda _c: True)
    assert taken is not None and taken.lines == LONG[:6]


# ---------------------------------------------------------------- a large page


def icons(count: int) -> str:
    """``count`` inline icons of four elements each, as big publishers' pages repeat them."""
    return (
        "<span class='icons'>"
        + "<svg><g><path d='M0 0'/><path d='M1 1'/></g></svg>" * (count // 4)
        + "</span>"
    )


def test_a_large_page_keeps_its_story():
    """A publisher's page of 40,000 elements (inline icons) is no hostile page: trafilatura
    finds its story, and so do we."""
    page = build_page(paragraphs=STORY, body_top=icons(40_000))
    assert 40_000 < len(list(parse_html(page).iter())) < core.MAX_TREE_ELEMENTS
    assert trafilatura.extract(page, url=URL)
    assert extract_article(page, URL).text.split("\n") == STORY


def test_a_page_over_the_bound_is_counted_again_without_its_icons():
    page = build_page(paragraphs=STORY, body_top=icons(core.MAX_TREE_ELEMENTS + 4_000))
    tree = parse_html(page)
    assert not core.is_oversized(tree, URL)
    assert next(tree.iter("svg"), None) is None
    assert extract_article(page, URL).text.split("\n") == STORY


def test_a_page_under_the_bound_keeps_its_text_less_subtrees():
    tree = parse_html(build_page(paragraphs=STORY, body_top=icons(1_000)))
    assert not core.is_oversized(tree, URL)
    assert next(tree.iter("svg"), None) is not None


def test_a_page_over_the_bound_takes_the_story_its_markup_states(monkeypatch):
    """Too large even without its text-less subtrees: trafilatura is not run; the story
    the page states in JSON-LD is its text, else it has none."""
    monkeypatch.setattr(core, "MAX_TREE_ELEMENTS", 40)
    monkeypatch.setattr(core, "run_trafilatura", lambda _tree, _url: pytest.fail("ran"))
    menu = "<ul>" + "<li><a href='/s'>Section</a></li>" * 40 + "</ul>"
    doc = extract_article(app_shell("\n".join(STORY)).replace("<body>", "<body>" + menu), URL)
    assert doc.text.split("\n") == STORY
    assert doc.title == "Council votes to rebuild the harbour bridge"
    assert extract_article(build_page(paragraphs=STORY, body_top=menu), URL).text == ""


@pytest.mark.parametrize("recall", [True, False])
def test_the_fallback_passes_give_the_text_trafilatura_gives_with_the_url(recall):
    # relative, absolute and odd links in and around the story: their targets are
    # resolved only when trafilatura is given the URL, and the text never shows them
    links = "".join(
        f"<p>{p} See <a href='{href}'>this related report</a> for more.</p>"
        for p, href in zip(
            STORY[:4], ["/a/b", "../up", "https://other.example.org/x", "#top"], strict=True
        )
    )
    tree = parse_html(build_page(paragraphs=[], body_bottom=f"<article>{links}</article>"))
    theirs = trafilatura.bare_extraction(
        tree, url=URL, favor_recall=recall, include_links=True, with_metadata=False
    )
    assert theirs is not None and theirs.body is not None
    assert "other.example.org" in trafilatura.xml.xmltotxt(theirs.body, False)
    candidate = fallback.balanced(tree, URL, [], recall=recall)
    assert candidate is not None
    assert candidate.cleaned == core.clean_body(theirs.body, [])


# ---------------------------------------------------------------- a story inside a menu


def unclosed_menu_page() -> str:
    """A page declaring nothing whose menu never closed: the parser puts its ``<main>``, the
    whole story, inside the ``<header>`` and ``<nav>``."""
    links = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY)
    return (
        "<html lang='en'><head><title>Coffee</title></head><body>"
        "<a href='#content'>Skip to main content</a>"
        f"<header class='site-header'><nav class='navbar navbar-expand'><ul>{links}</ul>"
        "<div class='collapse navbar-collapse' id='navbar-primary'>"
        f"<main id='content' class='main'><div class='content'><h1>Coffee</h1>{story}</div>"
        "</main><footer>Campus address, phone and map.</footer></body></html>"
    )


def test_a_main_inside_an_unclosed_menu_is_read_as_the_story(monkeypatch):
    url = "https://uni.example.edu/conservatory/coffee/"
    page = unclosed_menu_page()
    assert extract_article(page, url).text.split("\n") == STORY
    # without the repair precision mode keeps the skip link alone, and no fallback sees
    # it (no article declared, nothing story-shaped outside the menu)
    monkeypatch.setattr(core, "hoist_main", lambda _tree: None)
    assert "Skip to main content" in extract_article(page, url).text


def test_hoist_main_moves_the_main_after_its_outermost_furniture_ancestor():
    tree = parse_html(
        "<html><body><header><nav><ul><li>Home</li></ul><main><p>Story.</p></main>after"
        "</nav></header><p>Next.</p></body></html>"
    )
    hoist_main(tree)
    body = tree.find("body")
    assert [child.tag for child in body] == ["header", "main", "p"]
    assert body[0].text_content() == "Homeafter"  # the text after the main stays put
    assert body[1].text_content() == "Story." and not body[1].tail
    kept = parse_html("<html><body><main><header><p>Head.</p></header></main></body></html>")
    hoist_main(kept)  # a header inside a main is no repair's business
    assert [child.tag for child in kept.find("body")] == ["main"]


def break_paragraphs_page() -> str:
    """An older CMS's page: the story's paragraphs set off by ``<br><br>``, no ``<p>``."""
    story = "<br><br>\n".join(LONG)
    return build_page(paragraphs=[]).replace(
        "<div class='article-body'></div>", f"<div class='article-body'>{story}<br><br></div>"
    )


def test_a_story_written_with_double_breaks_completes_a_fragment(monkeypatch):
    """Precision mode kept a fragment (on the tuning part's pages rewritten so: a table, a
    few loose lines); the precision pass on the page's paragraphs holds the whole story,
    many times the fragment's length (the recall candidate's cap does not apply)."""
    keep_first_paragraphs(monkeypatch, 1)
    monkeypatch.setattr(fallback, "balanced", lambda _t, _u, _ti, recall=False: None)
    text = extract_article(break_paragraphs_page(), URL).text.split("\n")
    assert text == LONG
    assert sum(map(len, LONG)) > fallback.FULLER_CAP * len(LONG[0])


def test_the_paragraphs_candidate_needs_double_breaks():
    tree = parse_html(break_paragraphs_page())
    found = fallback.paragraphed(tree, URL, [])
    assert found is not None and found.lines == LONG and found.source == "paragraphs"
    assert "<br>" in tostring(tree, encoding="unicode")  # the page is not changed
    assert fallback.paragraphed(parse_html(build_page(paragraphs=LONG)), URL, []) is None


def div_story_page(footer_paragraphs: int = 1) -> str:
    """A CMS's page that writes every paragraph as a ``<div>``: a summary in a table cell
    beside a share box, a byline, an action box, sections under ``<h2>`` of ``<div>``
    paragraphs (a short one among them), a table of figures, a footer of ``<p>``."""
    sections = "".join(
        f"<h2>Section {i}: what the hearing heard</h2>\n<div>{line}</div>\n"
        + ("<div>Here is what the council said.</div>\n" if i == 3 else "")
        for i, line in enumerate(LONG)
    )
    rows = "".join(f"<tr><td>{i}</td><td>Pier {i}</td><td>{40 + i} m</td></tr>" for i in range(9))
    footer = "".join(f"<p>Footer line {i} of the site's legal notice.</p>" for i in range(9))
    return (
        "<html><head><title>Council votes to rebuild the harbour bridge</title></head><body>"
        f"<div id='top'>{NAV}</div><div id='wrapper'><div class='kicker'>Report</div>"
        "<h1>Council votes to rebuild the harbour bridge</h1><div class='summary'><table><tr>"
        f"<td><strong>SUMMARY:</strong><div>{STORY[0]}</div></td>"
        "<td><div class='share'><a href='/share'>Share</a></div></td></tr></table></div>"
        "<div class='byline'>by <span><a href='/staff/jane'>Jane Doe</a></span></div>"
        "<div class='body-copy'><blockquote class='box'><h3>In brief</h3>"
        "<div>The vote came after <a href='/s/1'>two years of hearings</a>.</div></blockquote>"
        f"{sections}<table>{rows}</table></div></div>"
        f"<div id='bottom'>{footer[: footer_paragraphs * len(footer) // 9]}</div></body></html>"
    )


def test_div_paragraphs_are_read_as_paragraphs():
    tree = parse_html(div_story_page())
    divs, paragraphs = div_paragraph_chars(tree)
    assert divs >= sum(map(len, LONG)) and 0 < paragraphs < fallback.DIV_PAGE_SHARE * divs
    assert paragraphs_from_divs(tree)
    body = tree.find(".//div[@class='body-copy']")
    texts = [normalise(p.text_content()) for p in body.iter("p")]
    assert "Here is what the council said." in texts  # short, among paragraphs
    # a short <div> alone in its box is no paragraph run: left to the text's own reading
    assert tree.find(".//blockquote/div") is not None
    assert all(line in texts for line in LONG)
    assert tree.find(".//div[@class='share']").tag == "div"  # no paragraph of its own
    assert tree.find(".//div[@class='kicker']").tag == "div"
    assert [div.tag for div in tree.iter("div") if div.get("class") == "byline"] == ["div"]


def test_a_story_written_in_divs_completes_a_fragment(monkeypatch):
    """Precision mode kept the summary and a section (under the ``divs`` probe: the page's
    ``<p>`` written as ``<div>``), recall and balanced mode find no fuller text within
    the cap; the precision pass on the page with its ``<div>`` paragraphs as ``<p>`` reads
    the whole story, every section, with no cap (as strict a reading as the text's own)."""
    keep_first_paragraphs(monkeypatch, 2)
    monkeypatch.setattr(fallback, "balanced", lambda _t, _u, _ti, recall=False: None)
    text = extract_article(div_story_page(), URL).text
    assert all(line in text for line in LONG)
    assert "Footer line" not in text
    assert len(text) > fallback.FULLER_CAP * len(LONG[0])
    # a page whose <p> hold a twentieth of its <div> paragraphs' text is left to them
    tree = parse_html(div_story_page(footer_paragraphs=9))
    divs, paragraphs = div_paragraph_chars(tree)
    assert paragraphs > fallback.DIV_PAGE_SHARE * divs
    assert fallback.div_paragraphed(tree, URL, []) is None


def test_a_div_candidate_is_tried_after_recall_and_balanced_mode(monkeypatch):
    """A fuller recall candidate is taken as before (served pages unchanged); the
    ``<div>`` paragraphs only when neither mode completes the text."""
    tree = parse_html(div_story_page())
    fragment = LONG[:2]
    monkeypatch.setattr(
        fallback, "balanced", lambda _t, _u, _ti, recall=False: candidate(LONG[:6], "recall")
    )
    assert fallback.fuller_candidate(tree, URL, [], fragment).source == "recall"
    monkeypatch.setattr(fallback, "balanced", lambda _t, _u, _ti, recall=False: None)
    assert fallback.fuller_candidate(tree, URL, [], fragment).source == "divs"
