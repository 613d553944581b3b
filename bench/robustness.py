"""How our extraction holds up on rewritten pages, against trafilatura's.

    python -m bench.robustness [--part tuning,checking] [--jobs 2] [--worst 12]
                               [--transform hashed|plain|brs|next|truncated|noh1|divs|
                                            comments|comments-plain|promo|cookie|table[,...]]
                               [--metadata] [--decision]

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
- ``divs``: every ``<p>`` written as a ``<div>``, attributes kept (a paragraph left open
  closed where HTML ends it): a CMS that emits a ``<div>`` per paragraph.
- ``comments``: a comment thread right after the story's last paragraph (the last of the
  page's longest run of long paragraphs, ``story_paragraphs``), as WordPress themes write
  it: "N Comments", an ``<ol>`` of comments, each its author's name, a ``<time>`` and one
  to three short paragraphs; their words are the first sentences of the next page's
  paragraphs (as ``next`` takes it), so they are real text of the corpus.
- ``comments-plain``: the same thread as ``<div>``s whose class names are hashed (no
  ``<ol>``, ``<article>`` or ``<time>``): a site whose comment markup says nothing.
- ``promo``: boilerplate between the story's paragraphs: an "Advertisement" label after
  its first quarter, a newsletter box ("Sign up for our newsletter", an email input, a
  button) after half, a "Related:" list of three headlines (the next page's headings)
  after three quarters. The archive must hold the story, none of these.
- ``cookie``: a cookie-consent banner (a paragraph of 50 words, three buttons) first in
  the ``<body>``.
- ``table``: the ``<body>``'s content in the wide cell of a layout table, beside a narrow
  cell of section links, as sites built before CSS layout were.

With ``--metadata`` it also prints ours' title, authors and date accuracy (``bench.metric``'s
``title_right``, ``authors_right``, ``date_right``) on the labelled pages of each version:
what our metadata readers lean on (the first ``<h1>``, the page's JSON-LD) is rewritten too.

With ``--decision`` it weighs the article-or-not decision (``classify_page``) instead, on
every WCXB page of the part (all seven page types, not only articles), as served and
rewritten: archive precision and recall, and on the tuning part the non-article types
archived, the reasons articles were skipped and the pages whose decision the rewrite flips.
Markup the page-look model reads (``<article>``, ``<h2>``, class names, ``<div>`` counts) is
rewritten too.

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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
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
    at = _at_body_end(html)
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


_TAG = re.compile(r"<(/?)([a-z][\w:-]*)[^>]*>", re.I)
# a <p> and its content up to its </p>; an unclosed <p> (another <p> first) is none
_PARAGRAPH = re.compile(r"<p(?=[\s>])[^>]*>((?:(?!<p[\s/>]).)*?)</p\s*>", re.I | re.S)
# a block inside a paragraph's match: an unclosed <p> matched on to a later </p>
_BLOCK_INSIDE = re.compile(r"<(?:div|h[1-6]|ul|ol|table|section|article|script)(?=[\s/>])", re.I)
_ANCHOR = re.compile(r"<a(?=[\s>])[^>]*>(.*?)</a\s*>", re.I | re.S)
_UNSEEN = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_HEADING = re.compile(r"<h([1-3])(?=[\s>])[^>]*>(.*?)</h\1\s*>", re.I | re.S)
# elements whose start tag, or whose end tag, ends an open <p> (HTML's implied end tags)
_ENDS_P = frozenset(
    (
        *("address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "menu", "nav", "ol"),
        *("p", "pre", "section", "table", "td", "th", "tr", "ul"),
    )
)
STORY_PARAGRAPH = 100  # characters of a story paragraph's text, links under a third of them
STORY_GAP = 200  # characters of other text that end a run of story paragraphs
LINK_SHARE = 0.3


def paragraphs_as_divs(html: str) -> str:
    """``html`` with every ``<p>`` written as a ``<div>``, attributes kept; a paragraph the
    page leaves open is closed where HTML ends it (the next ``<p>``, a block's start, an end
    tag other than an inline one's), so the divs follow each other as the paragraphs did."""
    out: list[str] = []
    at, open_p = 0, False
    for tag in _TAG.finditer(html):
        closing, name = tag[1] == "/", tag[2].lower()
        out.append(html[at : tag.start()])
        at = tag.end()
        if name == "p" and closing:
            out.append("</div>" if open_p else "")
            open_p = False
            continue
        if open_p and name in _ENDS_P:
            out.append("</div>")
            open_p = False
        if name == "p":
            out.append("<div" + tag[0][2:])
            open_p = True
        else:
            out.append(tag[0])
    out.append(html[at:])
    return "".join(out)


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", _UNSEEN.sub(" ", fragment))).split())


def story_paragraphs(html: str) -> list[re.Match[str]]:
    """The page's story as its paragraphs: of its ``<p>`` of ``STORY_PARAGRAPH`` characters
    and more (links under ``LINK_SHARE`` of them), the run with the most text, a run ending
    where ``STORY_GAP`` characters of other text stand between two. On the tuning articles
    its last paragraph is a paragraph of the labelled story on 3 pages in 4 (elsewhere an
    author's bio, a footer's line or a later post's below it)."""
    runs: list[list[tuple[re.Match[str], int]]] = []
    for match in _PARAGRAPH.finditer(html):
        if _BLOCK_INSIDE.search(match[1]):
            continue
        length = len(visible_text(match[1]))
        links = sum(len(visible_text(a)) for a in _ANCHOR.findall(match[1]))
        if length < STORY_PARAGRAPH or links >= LINK_SHARE * length:
            continue
        gap = len(visible_text(html[runs[-1][-1][0].end() : match.start()])) if runs else 0
        if not runs or gap > STORY_GAP:
            runs.append([])
        runs[-1].append((match, length))
    best = max(runs, key=lambda run: sum(length for _, length in run), default=[])
    return [match for match, _ in best]


def _at_body_end(html: str) -> int:
    closing = _last(_BODY_CLOSE, html) or _last(_HTML_CLOSE, html)
    return closing.start() if closing else len(html)


def _sentences(text: str, limit: int) -> str:
    """``text``'s first sentences, as many as fit in ``limit`` characters (at least one)."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept += " " + sentence
    return kept


COMMENTERS = (
    "Margaret Ellis",
    "Tom Okafor",
    "Priya Raman",
    "Daniel Kowalski",
    "Sofia Marquez",
    "James Whitfield",
    "Hannah Lindqvist",
    "Ahmed Farouk",
)
MAX_COMMENTS = 12
COMMENT_PARAGRAPH = 240  # characters a comment's paragraph keeps of the other page's
COMMENT_SOURCE = 40  # characters of a paragraph of the other page worth quoting


def comment_paragraphs(next_html: str) -> list[list[str]]:
    """The comments of a thread, each one to three paragraphs (1, 2, 3, 1, ...; at most
    ``MAX_COMMENTS``), written from the paragraphs of ``next_html`` (its first sentences,
    escaped), so a comment's words are real words of the corpus."""
    texts = [visible_text(m[1]) for m in _PARAGRAPH.finditer(next_html)]
    texts = [escape(_sentences(t, COMMENT_PARAGRAPH)) for t in texts if len(t) >= COMMENT_SOURCE]
    comments: list[list[str]] = []
    while texts and len(comments) < MAX_COMMENTS:
        size = len(comments) % 3 + 1
        comments.append(texts[:size])
        texts = texts[size:]
    return comments


def _commented(i: int) -> tuple[str, str, str]:
    """The ``i``-th comment's author, its date line and that date as ISO 8601."""
    day, hour, minute = i % 27 + 2, i % 10 + 8, i * 7 % 60
    return (
        COMMENTERS[i % len(COMMENTERS)],
        f"October {day}, 2024 at {hour}:{minute:02d} am",
        f"2024-10-{day:02d}T{hour:02d}:{minute:02d}:00",
    )


# a comment's markup from (its index, author, date line, ISO date, paragraphs' HTML)
CommentMarkup = Callable[[int, str, str, str, str], str]


def _comment_items(comments: list[list[str]], item: CommentMarkup) -> str:
    """Each comment's markup, ``item(i, author, date line, ISO date, paragraphs' HTML)``."""
    items = []
    for i, paragraphs in enumerate(comments):
        body = "".join(f"<p>{text}</p>" for text in paragraphs)
        items.append(item(i, *_commented(i), body))
    return "".join(items)


def _wordpress_comment(i: int, name: str, shown: str, stamp: str, body: str) -> str:
    return (
        f'<li id="comment-{101 + i}" class="comment even depth-1">'
        f'<article id="div-comment-{101 + i}" class="comment-body">'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{name}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="#comment-{101 + i}">'
        f'<time datetime="{stamp}">{shown}</time></a></div></footer>'
        f'<div class="comment-content">{body}</div><div class="reply">'
        f'<a rel="nofollow" class="comment-reply-link" href="#comment-{101 + i}">Reply</a>'
        "</div></article></li>"
    )


def _plain_comment(_i: int, name: str, shown: str, _stamp: str, body: str) -> str:
    return (
        f'<div class="c-item"><div class="c-head"><span class="c-name">{name}</span>'
        f'<span class="c-date">{shown}</span></div><div class="c-body">{body}</div>'
        '<button class="c-reply">Reply</button></div>'
    )


def wordpress_thread(comments: list[list[str]]) -> str:
    """A comment thread as WordPress themes write it: "N Comments", an ``<ol>`` of comments,
    each an ``<article>`` with its author's name, a ``<time>`` and its paragraphs."""
    return (
        f'<div id="comments" class="comments-area"><h2 class="comments-title">'
        f"{len(comments)} Comments</h2>"
        f'<ol class="comment-list">{_comment_items(comments, _wordpress_comment)}</ol></div>'
    )


def plain_thread(comments: list[list[str]]) -> str:
    """A comment thread of ``<div>``s whose class names say nothing (hashed, as CSS-in-JS
    sites name them): "N Comments", then per comment its author's name, its date line and
    its paragraphs."""
    return hash_names(
        f'<div class="c-thread"><h3 class="c-title">{len(comments)} Comments</h3>'
        f'<div class="c-list">{_comment_items(comments, _plain_comment)}</div></div>'
    )


def _after_story(html: str, fragment: str) -> str:
    """``html`` with ``fragment`` right after the story's last paragraph (else at the end of
    its ``<body>``)."""
    story = story_paragraphs(html)
    at = story[-1].end() if story else _at_body_end(html)
    return html[:at] + fragment + html[at:]


def append_comments(html: str, next_html: str) -> str:
    """``html`` with a WordPress comment thread (``wordpress_thread``) right after the
    story's last paragraph, its comments written from ``next_html``'s paragraphs."""
    comments = comment_paragraphs(next_html)
    return _after_story(html, wordpress_thread(comments)) if comments else html


def append_plain_comments(html: str, next_html: str) -> str:
    """``append_comments`` with a thread of ``<div>``s whose class names say nothing
    (``plain_thread``)."""
    comments = comment_paragraphs(next_html)
    return _after_story(html, plain_thread(comments)) if comments else html


NEWSLETTER = (
    '<div class="newsletter-signup"><h3>Sign up for our newsletter</h3>'
    "<p>Get the day's top stories in your inbox every morning.</p>"
    '<form action="/subscribe" method="post"><input type="email" name="email"'
    ' placeholder="Your email address"><button type="submit">Subscribe</button></form></div>'
)
ADVERTISEMENT = (
    '<div class="ad-container"><span class="ad-label">Advertisement</span>'
    '<div id="div-gpt-ad-1700000000000-0"></div></div>'
)
RELATED_FALLBACK = (
    "City council approves new budget after long debate",
    "Five things to know before the weekend",
    "Local schools prepare for record enrolment",
)
HEADLINE_WORDS = 5, 20  # words of a heading's or link's text to stand as a headline


def headlines(next_html: str, count: int = 3) -> list[str]:
    """``count`` headlines from ``next_html`` (its ``<h1>``-``<h3>``, then its links, of
    ``HEADLINE_WORDS`` words, escaped), padded with ``RELATED_FALLBACK``'s."""
    texts = [visible_text(m[2]) for m in _HEADING.finditer(next_html)]
    texts += [visible_text(a) for a in _ANCHOR.findall(next_html)]
    found: list[str] = []
    for text in texts:
        fewest, most = HEADLINE_WORDS
        if fewest <= len(text.split()) <= most and escape(text) not in found:
            found.append(escape(text))
    return (found + [t for t in RELATED_FALLBACK if t not in found])[:count]


def _slug(headline: str) -> str:
    return "-".join(re.findall(r"\w+", headline.lower())[:8])


def related_links(next_html: str) -> str:
    """A "Related:" box of three links to other stories (``headlines``)."""
    items = "".join(f'<li><a href="/news/{_slug(h)}">{h}</a></li>' for h in headlines(next_html))
    return f'<div class="related-links"><strong>Related:</strong><ul>{items}</ul></div>'


def insert_promos(html: str, next_html: str) -> str:
    """``html`` with boilerplate between the story's paragraphs (``story_paragraphs``): an
    ``ADVERTISEMENT`` after its first quarter, a ``NEWSLETTER`` box after half, three
    ``related_links`` after three quarters (after the first paragraph when the story has
    few); a story of one paragraph is left as it is."""
    story = story_paragraphs(html)
    if len(story) < 2:
        return html
    boxes = (ADVERTISEMENT, NEWSLETTER, related_links(next_html))
    out, at = [], 0
    for share, box in zip((0.25, 0.5, 0.75), boxes, strict=True):
        end = story[min(len(story) - 2, max(0, round(len(story) * share) - 1))].end()
        out += [html[at:end], box]
        at = end
    return "".join(out) + html[at:]


COOKIE_BANNER = (
    '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-live="polite">'
    "<p>We use cookies and similar technologies to improve your experience on our site, to"
    ' personalise content and advertising, and to analyse our traffic. By clicking "Accept'
    ' all", you agree to the storing of cookies on your device. You can change your'
    ' preferences at any time in our <a href="/cookie-policy">Cookie Policy</a>.</p>'
    '<button type="button">Accept all</button><button type="button">Reject all</button>'
    '<button type="button">Manage preferences</button></div>'
)


def cookie_banner(html: str) -> str:
    """``html`` with a cookie-consent banner (``COOKIE_BANNER``) first in its ``<body>``."""
    opening = _BODY_OPEN.search(html)
    at = opening.end() if opening else 0
    return html[:at] + COOKIE_BANNER + html[at:]


def layout_table(html: str) -> str:
    """``html`` with its ``<body>``'s content in the wide cell of a layout table, beside a
    narrow cell of section links, as sites built before CSS layout were."""
    opening = _BODY_OPEN.search(html) or _HEAD_CLOSE.search(html)
    start, end = opening.end() if opening else 0, _at_body_end(html)
    menu = "<br>".join(f'<a href="/{s.lower()}/">{s}</a>' for s in ("News", "Sport", "Contact"))
    return (
        f'{html[:start]}<table width="100%" border="0" cellpadding="4" cellspacing="0"><tr>'
        f'<td valign="top" width="150">{menu}</td><td valign="top">{html[start:end]}</td>'
        f"</tr></table>{html[end:]}"
    )


# name -> (column label, rewrite of (the page's HTML, the next page's HTML in the part))
TRANSFORMS: dict[str, tuple[str, Callable[[str, str], str]]] = {
    "hashed": ("names hashed", lambda html, _next: hash_names(html)),
    "plain": ("no HTML5", lambda html, _next: html4(html)),
    "brs": ("<p> as <br>", lambda html, _next: paragraphs_as_breaks(html)),
    "next": ("next appended", append_next),
    "truncated": ("cut at 80%", lambda html, _next: truncate(html)),
    "noh1": ("<h1> as <h2>", lambda html, _next: h1_as_h2(html)),
    "divs": ("<p> as <div>", lambda html, _next: paragraphs_as_divs(html)),
    "comments": ("comments", append_comments),
    "comments-plain": ("comments hashed", append_plain_comments),
    "promo": ("promo boxes", insert_promos),
    "cookie": ("cookie banner", lambda html, _next: cookie_banner(html)),
    "table": ("layout table", lambda html, _next: layout_table(html)),
}
# the transforms that read the next page of the part
READS_NEXT = frozenset({"next", "comments", "comments-plain", "promo"})

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
    following = partner.html() if READS_NEXT.intersection(transforms) else ""
    versions = [_scored(html, page)]
    versions += [_scored(TRANSFORMS[name][1](html, following), page) for name in transforms]
    rights = tuple(r for _, r in versions) if metadata else ()
    return Scores(versions[0][0], tuple(f1s for f1s, _ in versions[1:]), rights)


# (archived, reason) of one version of a page
Decision = tuple[bool, str]


def decide(job: tuple[corpora.Page, corpora.Page], transforms: tuple[str, ...]) -> list[Decision]:
    """``classify_page``'s verdict on the page as served, then on each rewrite."""
    from pipelines.extraction import classify_page, extract_article

    page, partner = job
    html = page.html()
    following = partner.html() if READS_NEXT.intersection(transforms) else ""
    versions = [html] + [TRANSFORMS[name][1](html, following) for name in transforms]
    verdicts = [classify_page(extract_article(v, page.url), page.url) for v in versions]
    return [(verdict.is_article, verdict.reason) for verdict in verdicts]


def decision_report(
    part: str,
    pages: list[corpora.Page],
    decisions: list[list[Decision]],
    transforms: tuple[str, ...],
) -> None:
    labels = ["as served"] + [TRANSFORMS[name][0] for name in transforms]
    articles = sum(page.is_article for page in pages)
    print(f"\n==== wcxb / {part}: {len(pages)} pages, {articles} articles: archive or not ====")
    for v, label in enumerate(labels):
        archived = [page for page, d in zip(pages, decisions, strict=True) if d[v][0]]
        hits = sum(page.is_article for page in archived)
        print(
            f"{label:16} P {hits / max(1, len(archived)):.3f}  R {hits / max(1, articles):.3f}"
            f"  archived {len(archived)}, non-articles {len(archived) - hits}"
        )
        if part != "tuning":
            continue
        wrong = Counter(page.page_type for page in archived if not page.is_article)
        lost = Counter(
            d[v][1]
            for page, d in zip(pages, decisions, strict=True)
            if page.is_article and not d[v][0]
        )
        print(
            f"{'':16} fp types {dict(wrong.most_common())}  fn reasons {dict(lost.most_common())}"
        )
    if part != "tuning":
        return
    for v, name in enumerate(transforms, start=1):
        print(f"\npages whose decision {TRANSFORMS[name][0]} flips: served -> rewritten")
        for page, d in zip(pages, decisions, strict=True):
            if d[0][0] != d[v][0]:
                print(f"  {page.key}  {page.page_type:13} {d[0][1]} -> {d[v][1]}  {page.url[:70]}")


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
    parser.add_argument(
        "--part",
        default="tuning,checking",
        type=corpora.parts_argument,
        help="comma-separated parts",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--worst", type=int, default=12, help="tuning pages listed")
    parser.add_argument(
        "--transform", default="hashed", help=f"comma-separated, of {', '.join(TRANSFORMS)}"
    )
    parser.add_argument(
        "--metadata", action="store_true", help="ours' title, authors, date accuracy too"
    )
    parser.add_argument(
        "--decision",
        action="store_true",
        help="the archive decision on every page type instead of the article texts",
    )
    args = parser.parse_args(argv)
    transforms = tuple(args.transform.split(","))
    if unknown := [name for name in transforms if name not in TRANSFORMS]:
        parser.error(f"unknown transform: {', '.join(unknown)}")
    for part in args.part:
        if args.decision:
            every = corpora.load(["wcxb"], [part])
            with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
                jobs = list(zip(every, next_pages(every), strict=True))
                decisions = pool.map(
                    functools.partial(decide, transforms=transforms), jobs, chunksize=8
                )
            decision_report(part, every, decisions, transforms)
            continue
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
