"""classify_page(): articles pass, listings, tag/search/author/about pages do not."""

from __future__ import annotations

import json
import math

import pytest

from archive.outcomes import SkipReason
from pipelines.extraction import Extracted, Verdict, classify_page, extract_article, pagetype
from pipelines.extraction.decode import parse_html
from pipelines.extraction.metadata import LONG_PARAGRAPH_CHARS, text_shape_signals
from pipelines.extraction.pagetype import (
    SHORT_LINE_CHARS,
    URL_WORD_GROUPS,
    article_likeness,
    is_dated_url,
    is_item_url,
    is_listing_url,
    line_shape,
    min_article_likeness,
    page_features,
    rule_verdict,
    text_words,
    url_features,
)
from tests.support.pages import STORY, build_page

ARTICLE_URL = "https://news.example.com/2024/05/12/harbour-bridge-rebuild"
WORDS = " ".join(STORY)  # about 180 words


def doc(
    text: str = WORDS,
    *,
    og_type: str | None = None,
    jsonld_types: list[str] | None = None,
    link_density: float = 0.0,
    stated: bool = False,
) -> Extracted:
    """A page's extraction; ``stated``: its markup states a published date and an author."""
    return Extracted(
        url=None,
        text=text,
        og_type=og_type,
        jsonld_types=jsonld_types or [],
        link_density=link_density,
        word_count=len(text.split()),
        signals={"stated_date": 1.0, "stated_author": 1.0} if stated else {},
    )


@pytest.mark.parametrize(
    ("page", "url", "reason"),
    [
        (
            doc(jsonld_types=["WebSite", "NewsArticle"]),
            "https://x.com/news/bridge",
            "article:jsonld",
        ),
        (doc(jsonld_types=["ReportageNewsArticle"]), "https://x.com/news/bridge", "article:jsonld"),
        (doc(og_type="article"), "https://x.com/news/bridge", "article:og_type"),
        (doc(), ARTICLE_URL, "article:dated_url+long_text"),
        (
            doc(),
            "https://x.com/news/20240512-harbour-bridge-rebuild",
            "article:dated_url+long_text",
        ),
        (doc(WORDS * 2), "https://x.com/news/harbour-bridge-rebuild", "article:long_text"),
    ],
)
def test_articles(page, url, reason):
    assert classify_page(page, url).is_article
    assert classify_page(page, url).reason == reason


@pytest.mark.parametrize(
    ("page", "url", "reason"),
    [
        (doc(""), ARTICLE_URL, "skip:no_text"),
        (doc(), "https://x.com/tag/bridges/", "skip:listing"),
        (doc(), "https://x.com/category/local/page/2/", "skip:listing"),
        (doc(), "https://x.com/author/jane-doe/", "skip:listing"),
        (doc(), "https://x.com/search?q=bridge", "skip:listing"),
        (doc(), "https://x.com/?s=bridge", "skip:listing"),
        (doc(), "https://x.com/", "skip:listing"),
        (doc(), "https://x.com/2024/05/", "skip:listing"),
        (doc(og_type="article"), "https://x.com/topics/transport", "skip:listing"),
        (doc(WORDS * 3, og_type="article"), "https://x.com/news", "skip:listing"),
        (doc(WORDS * 3), "https://x.com/en/blog/", "skip:listing"),
        (doc(), "https://x.com/about-us/", "skip:service_page"),
        (doc(jsonld_types=["CollectionPage"]), "https://x.com/local/", "skip:listing"),
        (doc(jsonld_types=["ProfilePage"]), "https://x.com/people/jane", "skip:non_article_type"),
        (doc(og_type="profile"), "https://x.com/people/jane", "skip:non_article_type"),
        (doc(link_density=0.6), ARTICLE_URL, "skip:link_dense"),
        (doc(og_type="article", link_density=0.8), "https://x.com/news/bridge", "skip:link_dense"),
        (doc(STORY[0]), ARTICLE_URL, "skip:too_short"),
        (doc(STORY[0], jsonld_types=["NewsArticle"]), "https://x.com/news/b", "skip:too_short"),
        (doc(og_type="website"), "https://x.com/local", "skip:too_short"),
        (doc(WORDS * 2, og_type="website"), "https://x.com/local", "skip:non_article_type"),
        (doc(WORDS * 2, link_density=0.3), "https://x.com/local", "skip:link_dense"),
    ],
)
def test_non_articles(page, url, reason):
    verdict = classify_page(page, url)
    assert not verdict.is_article
    assert verdict.reason == reason


def test_article_jsonld_and_og_overrule_an_odd_listing_shaped_url():
    page = doc(jsonld_types=["NewsArticle"], og_type="article")
    assert classify_page(page, "https://x.com/category/local/bridge-vote-ends-dispute").is_article


def test_a_sections_name_marks_its_front_page_not_its_stories():
    for front in ("https://x.com/news", "https://x.com/company/blog/", "https://x.com/insights"):
        assert is_listing_url(front)
    for story in ("https://x.com/news/harbour-bridge-rebuild", "https://x.com/blog/bridge.html"):
        assert not is_listing_url(story)
    assert classify_page(doc(WORDS * 3, og_type="article"), "https://x.com/news").reason == (
        "skip:listing"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.npr.org/sections/health-shots/2019/11/18/780265063/why-the-bridge-matters",
        "https://x.com/news/world/2019/11/18/a-story.html",
        "https://x.com/archive/2019/11/18/long-slug-of-a-story",
    ],
)
def test_article_urls_with_listing_words_in_their_folders(url):
    assert is_dated_url(url)
    assert not is_listing_url(url)


def listing_page() -> str:
    teasers = "".join(
        f"<div class='teaser'><h2><a href='/2024/05/{d:02d}/story-number-{d}'>Headline of story "
        f"number {d} about the harbour</a></h2><p><a href='/2024/05/{d:02d}/story-number-{d}'>"
        f"A short summary of the story number {d}, read on</a></p></div>"
        for d in range(1, 25)
    )
    meta = (
        "<meta property='og:type' content='website'>"
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "name": "Local"})
        + "</script>"
    )
    return (
        f"<html lang='en'><head><title>Local news</title>{meta}</head><body><main>"
        f"<h1>Local news</h1>{teasers}</main></body></html>"
    )


def test_end_to_end_listing_page_is_skipped():
    extracted = extract_article(listing_page(), "https://news.example.com/local/")
    assert not classify_page(extracted, "https://news.example.com/local/").is_article


def test_end_to_end_unmarked_article_passes():
    html = build_page(paragraphs=STORY * 2)
    extracted = extract_article(html, "https://news.example.com/local/harbour-bridge-rebuild")
    verdict = classify_page(extracted, "https://news.example.com/local/harbour-bridge-rebuild")
    assert verdict == classify_page(
        extracted, "https://news.example.com/local/harbour-bridge-rebuild"
    )
    assert verdict.is_article, verdict


JAPANESE = [
    "東京都は二日、老朽化した港の橋を建て替える計画を正式に決めた。十年近く住民の意見が"
    "分かれていた問題に決着がついた形で、工事は来年三月に始まる予定だ。",
    "都の技術者は昨年春、鋼材の腐食が想定より速く進んでいると警告していた。橋は工事期間中の"
    "一年半にわたって通行止めとなり、その間は臨時の渡し船が運航される。",
]


def test_short_japanese_article_is_not_too_short():
    # Japanese has no spaces: its "words" are whole sentences, its size is its characters
    head = '<meta property="og:type" content="article">'
    html = build_page(head=head, paragraphs=JAPANESE, lang="ja", title="港の橋、建て替えへ")
    url = "https://news.example.jp/articles/harbour-bridge-rebuild"
    extracted = extract_article(html, url)
    assert extracted.word_count < 10  # what a space-counting threshold would have seen
    verdict = classify_page(extracted, url)
    assert verdict == Verdict(True, "article:og_type")
    assert extracted.language == "ja"


# a short Khmer news brief: Khmer, like Lao and Burmese, writes no spaces between words
KHMER = [
    "ក្រសួងសាធារណការនិងដឹកជញ្ជូនបានប្រកាសកាលពីថ្ងៃចន្ទថាស្ពានចាស់នៅមាត់កំពង់ផែនឹងត្រូវរុះរើ"
    "និងសាងសង់ឡើងវិញចាប់ពីខែមីនាឆ្នាំក្រោយ។",
    "វិស្វករបានព្រមានកាលពីឆ្នាំមុនថាដែកនៃស្ពាននេះកំពុងច្រេះលឿនជាងការរំពឹងទុកហើយស្ពាននឹងត្រូវបិទរយៈពេលមួយឆ្នាំកន្លះ។",
]


def test_short_khmer_article_is_not_too_short():
    # a space counter sees two "words"; its characters make a brief of some 80 words
    text = "\n".join(KHMER)
    brief = doc(text, og_type="article")
    assert brief.word_count == 2
    assert text_words(brief) > 50
    assert rule_verdict(brief, "https://news.example.kh/articles/harbour-bridge") == Verdict(
        True, "article:og_type"
    )


@pytest.mark.parametrize(
    "lines",
    [
        ["सरकार ने पुल को दोबारा बनाने का फ़ैसला किया।", "काम अगले साल मार्च में शुरू होगा।"],
        ["«Le pont sera reconstruit dès mars.»", "«Les travaux dureront dix-huit mois.»"],
        ["هل سيُعاد بناء الجسر؟", "قالت الوزارة إن العمل سيبدأ في مارس\u06d4"],
    ],
)
def test_sentence_ends_of_every_script_count(lines):
    # a line closed by a danda, a guillemet or an Arabic question mark ends a sentence, as
    # an English line closed by a full stop does
    assert page_features(doc("\n".join(lines)), None)["sentences"] == 1.0


def product_page() -> str:
    offer = {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"}
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Harbour Lamp"}
    cards = "".join(
        f"<div class='product-card'><img src='/p{i}.jpg'><span class='price'>€{i}9</span>"
        f"<button class='add-to-cart'>Add</button></div>"
        for i in range(8)
    )
    description = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        "<html lang='en'><head><title>Harbour Lamp | Shop</title>"
        "<meta property='og:type' content='article'>"  # a theme's default, not a news story
        f"<script type='application/ld+json'>{json.dumps({**product, 'offers': offer})}"
        "</script></head><body><main><h1>Harbour Lamp</h1>"
        "<span class='price' itemprop='price' content='49.00'>€49</span>"
        f"<form class='cart'><input name='qty' value='1'><button>Add to cart</button></form>"
        f"<div class='product-description'>{description}</div><h2>You may also like</h2>{cards}"
        "</main></body></html>"
    )


def test_product_page_with_og_type_article_is_not_a_news_article():
    url = "https://shop.example.com/lamps/harbour-lamp-brass-edition"
    verdict = classify_page(extract_article(product_page(), url), url)
    assert (verdict.is_article, verdict.reason) == (False, "skip:non_article_type")


def forum_page() -> str:
    posts = "".join(
        f"<article class='message message--post'><div class='message-user'>user{i}</div>"
        f"<time datetime='2024-05-{i + 1:02d}T10:00:00Z'>May {i + 1}</time>"
        f"<div class='message-body'><p>{STORY[i % len(STORY)]}</p></div>"
        f"<div class='message-actions'><a class='reply' href='#r{i}'>Reply</a>"
        f"<button class='vote'>+1</button></div></article>"
        for i in range(12)
    )
    return (
        "<html lang='en'><head><title>Harbour bridge closure: thoughts? | Town Forum</title>"
        "</head><body><main><h1>Harbour bridge closure: thoughts?</h1>"
        f"<div class='thread'>{posts}</div>"
        "<form class='reply-form'><textarea></textarea><button>Post reply</button></form>"
        "</main></body></html>"
    )


def test_forum_thread_is_skipped():
    url = "https://forum.example.com/threads/harbour-bridge-closure-thoughts.4821"
    extracted = extract_article(forum_page(), url)
    assert extracted.word_count > 250  # long enough for the text rules alone
    assert rule_verdict(extracted, url).is_article
    assert classify_page(extracted, url).reason == "skip:not_article_like"


def docs_page() -> str:
    """A manual's page: a sidebar listing the other pages, steps with commands."""
    sidebar = (
        "<aside class='sidebar'><nav><ul>"
        + "".join(
            f"<li><a href='/guide/topic-{i}'>Configuring part {i}</a></li>" for i in range(40)
        )
        + "</ul></nav></aside>"
    )
    steps = "".join(
        f"<h2>Step {i}: configure the bridge client</h2><p>{STORY[i % len(STORY)]}</p>"
        f"<pre><code>bridge-client configure --span {i} --load heavy</code></pre>"
        "<p>Run <code>bridge-client check</code> and <code>bridge-client status --all</code> "
        "to verify the setting.</p>"
        for i in range(10)
    )
    return (
        "<html lang='en'><head><title>Configuring the client - Bridge Docs</title>"
        "<meta property='og:type' content='website'></head><body>"
        f"{sidebar}<main><h1>Configuring the client</h1>{steps}</main></body></html>"
    )


def test_documentation_page_with_a_sidebar_is_skipped():
    url = "https://docs.example.org/guide/configuring-the-client"
    extracted = extract_article(docs_page(), url)
    assert rule_verdict(extracted, url).is_article  # long enough for the text rules alone
    assert article_likeness(extracted, url) < min_article_likeness()
    assert classify_page(extracted, url).reason == "skip:not_article_like"


def service_page() -> str:
    """A product's marketing page: feature blurbs, sign-up buttons, WebSite markup only."""
    features = "".join(
        f"<section class='feature'><h3>Feature {i}</h3><p>{STORY[i % len(STORY)]}</p>"
        "<a class='btn btn-primary' href='/signup'>Start free trial</a>"
        "<button class='cta'>Book a demo</button></section>"
        for i in range(16)
    )
    entity = {"@context": "https://schema.org", "@type": "WebSite", "name": "Bridgely"}
    return (
        "<html lang='en'><head><title>Features - Bridgely</title>"
        f"<script type='application/ld+json'>{json.dumps(entity)}</script></head><body>"
        "<header><nav><a href='/pricing'>Pricing</a></nav></header>"
        f"<main><h1>Everything your team needs to watch its bridges</h1>{features}"
        "<form><input type='email'><button>Sign up</button></form></main></body></html>"
    )


def test_marketing_page_is_skipped():
    url = "https://www.example.com/solutions/bridge-monitoring"
    extracted = extract_article(service_page(), url)
    assert rule_verdict(extracted, url).is_article
    assert classify_page(extracted, url).reason == "skip:not_article_like"


BUILDER_LEVELS = ("section", "container", "row", "column", "widget-wrap", "widget")


def in_builder_boxes(html: str, depth: int) -> str:
    """``html`` nested in ``depth`` of a page builder's layout boxes."""
    for level in reversed(BUILDER_LEVELS[:depth]):
        html = f"<div class='builder-{level}'>{html}</div>"
    return html


def blog_like_service_page(depth: int) -> str:
    """A consultancy's service page written like a blog post: a headline and sections of
    prose, no date, no author, every block in ``depth`` layout boxes, as page builders lay
    out marketing sites (menu and footer links in theirs too)."""
    title = "Bridge inspection for harbour towns"
    sections = "".join(
        in_builder_boxes(f"<h2>Part {i}</h2>", depth)
        + in_builder_boxes(f"<p>{STORY[i % len(STORY)]} {STORY[(i + 1) % len(STORY)]}</p>", depth)
        for i in range(8)
    )
    menu = "".join(
        in_builder_boxes(f"<a href='/solutions/s{i}'>Solution {i}</a>", depth) for i in range(40)
    )
    footer = "".join(
        in_builder_boxes(f"<a href='/company/c{i}'>Link {i}</a>", depth) for i in range(60)
    )
    entity = {"@context": "https://schema.org", "@type": "WebSite", "name": "Bridgely"}
    return (
        f"<html lang='en'><head><title>{title}</title>"
        f"<script type='application/ld+json'>{json.dumps(entity)}</script></head><body>"
        f"<header>{menu}</header><main>{in_builder_boxes(f'<h1>{title}</h1>', depth)}"
        f"{sections}</main><footer>{footer}</footer>"
        "<form><input type='email'><button>Get a quote</button></form></body></html>"
    )


def test_service_page_written_like_a_blog_post_is_skipped():
    url = "https://www.example.com/solutions/bridge-inspection-for-harbour-towns"
    extracted = extract_article(blog_like_service_page(depth=4), url)
    assert extracted.word_count > 400  # long prose: the text rules alone archive it
    assert rule_verdict(extracted, url).is_article
    assert classify_page(extracted, url).reason == "skip:not_article_like"


def test_a_page_builders_nesting_looks_less_like_an_article():
    url = "https://www.example.com/bridge-inspection-for-harbour-towns"
    likeness = [
        article_likeness(extract_article(blog_like_service_page(depth), url), url)
        for depth in (1, 2, 4)
    ]
    assert likeness == sorted(likeness, reverse=True)
    # (the multinomial model splits the <div> count's weight between the service and
    # documentation types: the article's share falls by under a tenth, by more than .05)
    assert likeness[0] - likeness[-1] > 0.05


def test_short_news_brief_is_archived():
    page = (
        "<html lang='en'><head><title>Harbour bridge to close in March</title>"
        "<meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2024-05-12T09:00:00Z'></head>"
        "<body><main><article><h1>Harbour bridge to close in March</h1>"
        f"<p>{STORY[0]}</p><p>{STORY[2]}</p></article></main></body></html>"
    )
    url = "https://news.example.com/2024/05/12/harbour-bridge-to-close-in-march"
    extracted = extract_article(page, url)
    assert extracted.word_count < 100
    assert classify_page(extracted, url) == Verdict(True, "article:og_type")
    assert article_likeness(extracted, url) > 0.9


BRIEF = " ".join(WORDS.split()[:30])


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (doc(BRIEF, og_type="article", stated=True), "article:og_type"),
        (doc(BRIEF, jsonld_types=["NewsArticle"], stated=True), "article:jsonld"),
        (doc(BRIEF, og_type="article"), "skip:too_short"),  # no date or author stated
        (doc(BRIEF, stated=True), "skip:too_short"),  # no article markup
        # a forum's or social network's post is dated and signed by its user, not edited
        (doc(BRIEF, jsonld_types=["DiscussionForumPosting"], stated=True), "skip:too_short"),
        (doc(" ".join(WORDS.split()[:12]), og_type="article", stated=True), "skip:too_short"),
    ],
)
def test_a_short_brief_is_archived_when_its_markup_attests_an_article(page, reason):
    assert rule_verdict(page, "https://x.com/news/bridge-to-close").reason == reason


def test_an_attested_article_overrules_a_listing_shaped_url():
    url = "https://x.com/topic/harbour-bridge"
    assert rule_verdict(doc(og_type="article", stated=True), url).reason == "article:og_type"
    assert rule_verdict(doc(og_type="article"), url).reason == "skip:listing"
    forum_post = doc(jsonld_types=["DiscussionForumPosting"], stated=True)
    assert rule_verdict(forum_post, url).reason == "skip:listing"


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/product/professional-resume-writing-service/",
        "https://shop.x.com/products/harbour-lamp-brass",
        "https://x.com/services/seo-audit-for-small-firms",
        "https://forum.x.com/threads/best-bridge-cameras-2025.691400/",
    ],
)
def test_a_product_service_or_thread_page_is_no_article(url):
    assert is_item_url(url)
    assert classify_page(doc(WORDS * 3, og_type="article"), url).reason == "skip:non_article_type"
    # the rules alone would archive it: the page-look model still learns such pages' look
    assert rule_verdict(doc(WORDS * 3, og_type="article"), url).is_article
    # an article the markup declares overrules the URL, as it does a listing-shaped one
    story = doc(WORDS * 3, og_type="article", jsonld_types=["NewsArticle"])
    assert classify_page(story, url).reason == "article:jsonld"
    assert pagetype.overrules_url(doc(og_type="article", stated=True))


@pytest.mark.parametrize(
    "url",
    [
        "https://x.edu/umc/services/websites/seo/what-is/",  # the folder is not the slug's
        "https://x.com/products",  # the folder's own page
        "https://x.com/news/product-recall-hits-harbour-lamps",
    ],
)
def test_a_slug_under_no_item_folder_is_no_item(url):
    assert not is_item_url(url)


def test_short_brief_with_a_stated_date_and_author_is_archived_end_to_end():
    head = (
        "<meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2024-05-12T09:00:00Z'>"
        "<meta name='author' content='Jane Doe'>"
    )
    url = "https://news.example.com/local/harbour-bridge-to-close-in-march"
    extracted = extract_article(build_page(head=head, paragraphs=[BRIEF]), url)
    assert 20 <= extracted.word_count < 50
    assert classify_page(extracted, url) == Verdict(True, "article:og_type")
    unattested = head.replace("<meta name='author' content='Jane Doe'>", "")
    extracted = extract_article(build_page(head=unattested, paragraphs=[BRIEF]), url)
    assert not extracted.authors
    assert classify_page(extracted, url) == Verdict.skipped(SkipReason.TOO_SHORT)


def test_url_section_words_are_generic_vocabulary():
    docs = url_features("https://docs.example.org/getting-started")
    assert (docs["uh_doc"], docs["u_doc"]) == (1.0, 0.0)
    assert url_features("https://example.com/en/pricing/")["u_service"] == 1.0
    assert url_features("https://forum.example.net/threads/bridge.4821")["uh_forum"] == 1.0
    story = url_features("https://example.com/blog/council-votes-to-rebuild-the-bridge")
    assert story["u_article"] == 1.0
    assert story["u_lastwords"] > url_features("https://example.com/blog/bridge")["u_lastwords"]
    assert not any(url_features("https://example.com/")[f"u_{g}"] for g in URL_WORD_GROUPS)


def test_the_same_page_looks_less_like_an_article_under_a_manual_url():
    extracted = extract_article(build_page(paragraphs=STORY * 3), None)
    as_story = article_likeness(extracted, "https://example.com/news/council-rebuilds-the-bridge")
    as_manual = article_likeness(extracted, "https://docs.example.com/guide/bridge")
    assert as_manual < as_story


def test_text_shape_signals_count_characters_where_the_text_stands():
    paragraphs = ["a" * 40, "b" * 200, "c" * 300]
    page = (
        "<html><body><h1>Title</h1><h2>Part two</h2>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "<p> </p><ul><li>first item</li><li>second <a href='/x'>link</a></li></ul>"
        "</body></html>"
    )
    signals = text_shape_signals(parse_html(page))
    assert signals["p_median"] == len(paragraphs[1])  # the empty paragraph is not counted
    assert signals["p_long"] == 2  # two of at least LONG_PARAGRAPH_CHARS
    assert signals["p_chars"] == sum(map(len, paragraphs))
    assert signals["h_chars"] == len("Title") + len("Part two")
    assert signals["li_chars"] == len("first item") + len("second")  # the items' own text
    assert signals["a_chars"] == len("link")
    assert 200 >= LONG_PARAGRAPH_CHARS > 40


def test_japanese_text_has_the_shape_of_prose_in_characters():
    # a line of Japanese is one "word" to a space counter; its characters and its 。 are
    # what make it prose, as an English sentence's are
    japanese = line_shape("\n".join(JAPANESE), JAPANESE)
    english = line_shape("\n".join(STORY[:2]), STORY[:2])
    assert japanese["short_lines"] == english["short_lines"] == 0.0
    assert japanese["punctuation"] > english["punctuation"] > 0
    assert japanese["line_median"] > math.log1p(SHORT_LINE_CHARS)


def test_unmarked_japanese_article_is_archived():
    paragraphs = JAPANESE * 6  # some 700 characters: 350 words at two characters a word
    html = build_page(paragraphs=paragraphs, lang="ja", title="港の橋、建て替えへ")
    url = "https://news.example.jp/2024/05/12/harbour-bridge-rebuild"
    extracted = extract_article(html, url)
    assert extracted.word_count < 20
    assert classify_page(extracted, url).is_article
    assert article_likeness(extracted, url) > min_article_likeness()


def test_likeness_is_the_article_types_share_of_every_types_odds(monkeypatch):
    """The page-look model weighs each page type by its own weights: a count that marks a
    forum and one that marks a manual both take the article type's share, though neither
    weighs against the other (``bench/train_pagetype.py`` fits one weight per type)."""
    model = {
        "threshold": 0.3,
        "classes": ["article", "forum", "documentation"],
        "bias": [1.0, 0.0, 0.0],
        # per feature: mean, scale, then a weight per class
        "weights": {"time": [0.0, 1.0, 0.0, 2.0, 0.0], "code": [0.0, 1.0, 0.0, 0.0, 2.0]},
    }
    monkeypatch.setattr(pagetype, "_model", lambda: model)
    url = "https://example.com/threads/harbour-bridge-questions"
    times = "".join(f"<time datetime='2024-05-{d:02d}'>May {d}</time>" for d in range(1, 8))
    thread = build_page(
        title="Harbour bridge questions", paragraphs=[*STORY, *STORY], body_bottom=times
    )
    extracted = extract_article(thread, url)
    assert extracted.signals["time"] == 7 and extracted.signals["code"] == 0
    odds = [math.exp(1.0), math.exp(2.0 * math.log1p(7)), math.exp(0.0)]
    assert article_likeness(extracted, url) == pytest.approx(odds[0] / sum(odds))
    assert article_likeness(extracted, url) < min_article_likeness()
    assert classify_page(extracted, url).reason == "skip:not_article_like"


def test_a_faq_beside_a_stated_or_bylined_author_is_a_signed_pieces_appendix():
    # an SEO plugin marks a guide's closing questions as a FAQPage; the guide states its writer
    rules = {"stated_author": 1.0}
    appendix = Extracted(
        url=None,
        text=WORDS * 2,
        og_type="website",
        jsonld_types=["WebSite", "FAQPage", "Question"],
        word_count=len(WORDS.split()) * 2,
        signals=rules,
    )
    assert pagetype.non_article_types(appendix) == set()
    faq_page = Extracted(**{**appendix.to_json(), "signals": {}})
    assert pagetype.non_article_types(faq_page) == {"FAQPage"}
    # the writer shown in a byline, not in the markup, signs the piece as well
    bylined = Extracted(**{**faq_page.to_json(), "authors": ["Jane Doe"]})
    assert pagetype.non_article_types(bylined) == set()
    # a product or a profile stays what it says even when an author is stated
    product = Extracted(**{**appendix.to_json(), "jsonld_types": ["Product", "FAQPage"]})
    assert pagetype.non_article_types(product) == {"Product"}


def test_a_long_guide_with_a_faq_and_a_stated_author_is_archived_end_to_end():
    faq = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": "When will the bridge reopen?",
                "acceptedAnswer": {"@type": "Answer", "text": "In the spring of 2026."},
            }
        ],
    }
    site = {"@context": "https://schema.org", "@type": "WebSite", "name": "The Gazette"}
    head = (
        "<meta property='og:type' content='website'>"
        f"<script type='application/ld+json'>{json.dumps(site)}</script>"
        f"<script type='application/ld+json'>{json.dumps(faq)}</script>"
    )
    url = "https://www.example.com/blog/learn/harbour-bridge-rebuild-explained"
    signed = head + "<meta name='author' content='Jane Doe'>"
    extracted = extract_article(build_page(head=signed, paragraphs=STORY * 3), url)
    assert "FAQPage" in extracted.jsonld_types
    assert extracted.signals["stated_author"] == 1.0
    assert rule_verdict(extracted, url) == Verdict(True, "article:long_text")
    unsigned = extract_article(build_page(head=head, paragraphs=STORY * 3), url)
    assert rule_verdict(unsigned, url) == Verdict.skipped(SkipReason.NON_ARTICLE_TYPE)
