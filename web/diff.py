"""What changed between two versions of a text: lines, then words within changed lines.

Lines are matched first (``difflib``); a changed line paired with its replacement is
then compared word by word, so a corrected figure shows as one word struck out and one
put in rather than two whole paragraphs. The result is plain data (rows of spans) that
a template lays out inline or side by side; nothing here makes HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# A paired line pair with more words than this is shown as a whole line out and a
# whole line in: matching words is quadratic at worst, and such a "line" is a page.
MAX_WORDS_TO_MATCH = 4000
# unchanged lines kept around each change when only the changes are shown
CONTEXT_LINES = 1

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

SpanKind = Literal["same", "del", "ins"]
RowKind = Literal["same", "change", "del", "ins", "skip"]


@dataclass(frozen=True, slots=True)
class Span:
    kind: SpanKind
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the diff. ``old`` and ``new`` are the line's spans on each side
    (None where the line exists on one side only); a ``skip`` row stands for
    ``skipped`` unchanged lines left out."""

    kind: RowKind
    old: tuple[Span, ...] | None = None
    new: tuple[Span, ...] | None = None
    old_line: int | None = None
    new_line: int | None = None
    skipped: int = 0

    @property
    def inline(self) -> tuple[Span, ...]:
        """The spans of both sides merged: removed words, then the words put in."""
        if self.kind in ("same", "del"):
            return self.old or ()
        if self.kind == "ins":
            return self.new or ()
        return _merge(self.old or (), self.new or ())


@dataclass(frozen=True, slots=True)
class Diff:
    rows: tuple[Row, ...]
    words_removed: int
    words_added: int

    @property
    def changed(self) -> bool:
        return any(row.kind not in ("same", "skip") for row in self.rows)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def diff_texts(old: str, new: str, *, changes_only: bool = False) -> Diff:
    """The rows of a diff from ``old`` to ``new`` (texts of lines)."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [
                Row("same", (Span("same", a[i]),), (Span("same", b[j]),), i + 1, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            old_spans, new_spans = diff_words(a[i1 + k], b[j1 + k])
            rows.append(Row("change", old_spans, new_spans, i1 + k + 1, j1 + k + 1))
        rows += [Row("del", (Span("del", a[i]),), None, i + 1) for i in range(i1 + pairs, i2)]
        rows += [Row("ins", None, (Span("ins", b[j]),), None, j + 1) for j in range(j1 + pairs, j2)]
    removed = sum(_words(s.text) for r in rows for s in r.old or () if s.kind == "del")
    added = sum(_words(s.text) for r in rows for s in r.new or () if s.kind == "ins")
    shown = _changes_only(rows) if changes_only else rows
    return Diff(tuple(shown), removed, added)


def diff_words(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The spans of a changed line on each side: words kept, removed (old side) and
    put in (new side)."""
    a, b = tokens(old), tokens(new)
    if len(a) + len(b) > 2 * MAX_WORDS_TO_MATCH:
        return (Span("del", old),), (Span("ins", new),)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_spans.append(Span("same", "".join(a[i1:i2])))
            new_spans.append(Span("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_spans.append(Span("del", "".join(a[i1:i2])))
        if j2 > j1:
            new_spans.append(Span("ins", "".join(b[j1:j2])))
    return _joined(old_spans), _joined(new_spans)


def _joined(spans: list[Span]) -> tuple[Span, ...]:
    """Adjacent spans of one kind as one span."""
    out: list[Span] = []
    for span in spans:
        if out and out[-1].kind == span.kind:
            out[-1] = Span(span.kind, out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def _merge(old: tuple[Span, ...], new: tuple[Span, ...]) -> tuple[Span, ...]:
    """Both sides of a changed line as one: walking the unchanged spans they share,
    each removal is followed by what was put in its place."""
    merged: list[Span] = []
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and old[i].kind == "del":
            merged.append(old[i])
            i += 1
        elif j < len(new) and new[j].kind == "ins":
            merged.append(new[j])
            j += 1
        else:  # both at a "same" span (they have as many, with equal texts)
            if i < len(old):
                merged.append(old[i])
            i += 1
            j += 1
    return tuple(merged)


def _words(text: str) -> int:
    return len(text.split())


def _changes_only(rows: list[Row]) -> list[Row]:
    """The changed rows with ``CONTEXT_LINES`` unchanged ones around each; every run of
    unchanged lines left out becomes one ``skip`` row."""
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if row.kind != "same":
            for near in range(index - CONTEXT_LINES, index + CONTEXT_LINES + 1):
                if 0 <= near < len(rows):
                    keep[near] = True
    shown: list[Row] = []
    skipped = 0
    for row, kept in zip(rows, keep, strict=True):
        if kept:
            if skipped:
                shown.append(Row("skip", skipped=skipped))
                skipped = 0
            shown.append(row)
        else:
            skipped += 1
    if skipped:
        shown.append(Row("skip", skipped=skipped))
    return shown
