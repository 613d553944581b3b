"""Diffs of versions: lines matched first, then words within a changed line."""

from __future__ import annotations

from web.diff import MAX_WORDS_TO_MATCH, Span, diff_texts, diff_words


def kinds(spans):
    return [(s.kind, s.text) for s in spans]


def test_a_corrected_figure_is_one_word_out_and_one_in():
    old, new = diff_words(
        "The plan adds two berths in 2027.", "The plan adds three berths in 2027."
    )
    assert kinds(old) == [("same", "The plan adds "), ("del", "two"), ("same", " berths in 2027.")]
    assert kinds(new) == [
        ("same", "The plan adds "),
        ("ins", "three"),
        ("same", " berths in 2027."),
    ]


def test_inline_rows_put_what_came_in_after_what_went_out():
    diff = diff_texts(
        "Intro.\nThe plan adds two berths.\nEnd.",
        "Intro.\nThe plan adds three berths.\nEnd.\nUpdate.",
    )
    assert [r.kind for r in diff.rows] == ["same", "change", "same", "ins"]
    assert kinds(diff.rows[1].inline) == [
        ("same", "The plan adds "),
        ("del", "two"),
        ("ins", "three"),
        ("same", " berths."),
    ]
    assert kinds(diff.rows[3].inline) == [("ins", "Update.")]
    assert (diff.words_removed, diff.words_added) == (1, 2)
    assert (diff.rows[1].old_line, diff.rows[1].new_line) == (2, 2)
    assert (diff.rows[3].old_line, diff.rows[3].new_line) == (None, 4)


def test_removed_lines_and_unchanged_texts():
    diff = diff_texts("a\nb\nc", "a\nc")
    assert [r.kind for r in diff.rows] == ["same", "del", "same"]
    assert diff.rows[1].inline == (Span("del", "b"),)
    assert not diff_texts("same\ntext", "same\ntext").changed
    assert diff_texts("", "").rows == ()


def test_changes_only_keeps_one_line_of_context_and_counts_the_rest():
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    rows = diff_texts(old, new, changes_only=True).rows
    assert [(r.kind, r.skipped) for r in rows] == [
        ("skip", 9),
        ("same", 0),
        ("change", 0),
        ("same", 0),
        ("skip", 8),
    ]


def test_a_page_long_line_is_not_matched_word_by_word():
    words = " ".join(["w"] * MAX_WORDS_TO_MATCH)
    old, new = diff_words(words + " end", words + " fin")
    assert kinds(old) == [("del", words + " end")]
    assert kinds(new) == [("ins", words + " fin")]


def test_unicode_and_punctuation_are_words_of_their_own():
    old, new = diff_words("Zürich: 3 Tote.", "Zürich: 4 Tote!")
    assert kinds(old) == [("same", "Zürich: "), ("del", "3"), ("same", " Tote"), ("del", ".")]
    assert kinds(new) == [("same", "Zürich: "), ("ins", "4"), ("same", " Tote"), ("ins", "!")]
