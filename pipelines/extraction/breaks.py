"""The paragraphs of a page written without ``<p>``: the runs of text an older CMS (or a
hand-written page) sets off by ``<br><br>``, ``Text.<br><br>Text.``.

One reading for both its readers: the partial-story fallback reads such a page again with
its runs wrapped in ``<p>`` (``fallback.paragraphed``), and the page-look model counts them
as the page's paragraphs (``metadata.text_shape_signals``) where no ``<p>`` holds text.
"""

from __future__ import annotations

from itertools import pairwise

from lxml.html import HtmlElement

# inline elements: they stay inside a run of text (a paragraph written without <p>)
INLINE_TAGS = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "sup", "sub", "code", "mark"}
    | {"abbr", "cite", "q", "s", "time", "label"}
)
# elements whose runs of text between <br><br> an older CMS wrote as its paragraphs
BREAK_CONTAINERS = ("body", "div", "td", "dd", "section", "article", "main", "blockquote", "center")
# what a run of text between double breaks holds: inline elements, single breaks, images
RUN_TAGS = INLINE_TAGS | {"br", "img"}


def paragraphs_from_breaks(tree: HtmlElement) -> bool:
    """Wrap in a ``<p>`` each run of text that a container sets off by two ``<br>`` or more
    (or by its block children), where it holds such a double break: an older CMS's (or a
    hand-written page's) paragraphs, ``Text.<br><br>Text.``. trafilatura's precision mode
    reads a page without ``<p>`` as a few loose lines, or keeps a table of it and loses the
    story around. A single ``<br>`` stays a line break inside its paragraph; a run without
    text (an image, an empty link) is left unwrapped. Whether anything was wrapped."""
    wrapped = False
    for container in list(tree.iter(*BREAK_CONTAINERS)):
        children = list(container)
        separators = _separators(children)
        if separators:
            _wrap_runs(container, children, separators)
            wrapped = True
    return wrapped


def has_break_paragraphs(tree: HtmlElement) -> bool:
    """Whether a container of the page sets off runs of text by double breaks."""
    return any(_separators(list(container)) for container in tree.iter(*BREAK_CONTAINERS))


def _separators(children: list[HtmlElement]) -> set[int]:
    """Positions of the ``<br>`` that make chains of two or more (blank text between)."""
    found: set[int] = set()
    for i, (child, following) in enumerate(pairwise(children)):
        if child.tag == "br" and following.tag == "br" and not (child.tail or "").strip():
            found.update((i, i + 1))
    return found


def _wrap_runs(container: HtmlElement, children: list[HtmlElement], separators: set[int]) -> None:
    """Rebuild ``container``'s content: its runs of text and inline children between the
    double breaks at ``separators`` and its block children as ``<p>``, the breaks dropped."""
    content: list[HtmlElement] = []
    run: list[HtmlElement] = []
    text = container.text
    container.text = None
    for child in children:
        container.remove(child)  # its tail goes with it
    for i, child in enumerate(children):
        if i in separators:
            content += _paragraph(container, text, run)
            text, run = child.tail, []
        elif not isinstance(child.tag, str) or child.tag in RUN_TAGS:
            run.append(child)  # a comment's tail, too, stays on the run
        else:
            content += _paragraph(container, text, run)
            text, run, child.tail = child.tail, [], None
            content.append(child)
    content += _paragraph(container, text, run)
    container.extend(content)


def _paragraph(
    container: HtmlElement, text: str | None, run: list[HtmlElement]
) -> list[HtmlElement]:
    """The run as a ``<p>`` (a trailing ``<br>`` dropped), or its elements as they are when
    it holds no text."""
    if run and run[-1].tag == "br" and not (run[-1].tail or "").strip():
        run = run[:-1]
    words = (text or "") + "".join(
        (child.text_content() if isinstance(child.tag, str) else "") + (child.tail or "")
        for child in run
    )
    if not words.strip():
        return run
    paragraph = container.makeelement("p")
    paragraph.text = text
    paragraph.extend(run)
    return [paragraph]
