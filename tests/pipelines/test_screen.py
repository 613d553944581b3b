"""The screen before extraction: each kind of page no reader could read, and the pages it
must let through, as a pure function over bytes."""

from __future__ import annotations

import random

import pytest

from pipelines.extraction.model import Extracted
from pipelines.screen import (
    Refusal,
    Screened,
    check_extraction,
    decode_page,
    exceeds_parser_depth,
    looks_truncated,
    screen_page,
)
from pipelines.worker import no_text_reason

ACCENTED = "Le café de la gare a fermé à Zürich, déjà l'été — « voilà »."
PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Café</title></head>'
    "<body><article>" + f"<p>{ACCENTED}</p>" * 40 + "</article></body></html>"
)


def reason(result: Screened | Refusal) -> str | None:
    return result.reason if isinstance(result, Refusal) else None


def test_a_normal_page_passes_with_its_text():
    result = screen_page(PAGE.encode(), "utf-8")
    assert isinstance(result, Screened)
    assert result.text == PAGE and result.encoding == "utf-8"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "empty"),
        (b" \n\t ", "empty"),
        (b"\0" * 5000, "binary"),
        (random.Random(1).randbytes(20000), "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\n\n%PDF-1.4 leading blank lines", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "binary"),
        (b"PK\x03\x04" + b"x" * 100, "binary"),
        (b"\x1f\x8b\x08\x00" + b"x" * 100, "binary"),
    ],
)
def test_binary_bodies_are_refused(body, expected):
    assert reason(screen_page(body, "utf-8")) == expected


def test_a_few_stray_control_characters_do_not_make_a_page_binary():
    page = PAGE.replace("Zürich", "Zür\x00ich", 3).replace("gare", "ga\x0bre", 2)
    assert isinstance(screen_page(page.encode(), "utf-8"), Screened)


def test_utf8_declared_as_latin1_is_read_as_utf8():
    result = screen_page(PAGE.encode("utf-8"), "cp1252")
    assert isinstance(result, Screened)
    assert ACCENTED in result.text and result.encoding == "utf-8"


def test_a_latin1_page_declared_latin1_stays_latin1():
    result = screen_page(PAGE.encode("cp1252"), "cp1252")
    assert isinstance(result, Screened) and result.encoding == "cp1252"
    assert ACCENTED in result.text


def test_a_wrong_header_is_overridden_by_the_pages_meta_charset():
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    result = screen_page(page.encode("cp1252"), "utf-8")
    assert isinstance(result, Screened) and result.encoding == "cp1252"
    assert ACCENTED in result.text


def test_cp1252_declared_utf8_everywhere_is_refused_as_bad_charset():
    """No statistical guess: it would read "à" as "ą" and store a garbled article."""
    assert reason(screen_page(PAGE.encode("cp1252"), "utf-8")) == "bad_charset"


def test_text_encoded_twice_is_refused_as_mojibake():
    twice = PAGE.encode("utf-8").decode("latin-1").encode("utf-8")
    assert reason(screen_page(twice, "utf-8")) == "mojibake"


def test_one_odd_byte_is_not_a_charset_error():
    body = PAGE.encode("utf-8").replace(b"Z\xc3\xbcrich", b"Z\xfcrich", 1)
    assert isinstance(screen_page(body, "utf-8"), Screened)


def test_decoding_order_bom_utf8_declared_meta():
    assert decode_page(PAGE.encode(), "x-no-such-charset")[1:] == ("utf-8", True)
    assert decode_page(b"\xef\xbb\xbf<html>\xc3\xa9", "cp1252") == (
        "<html>\u00e9",
        "utf-8-sig",
        True,
    )
    utf16 = PAGE.encode("utf-16")
    assert decode_page(utf16, "utf-8") == (PAGE, "utf-16", True)
    assert decode_page("<p>caf\u00e9</p>".encode("cp1252"), "cp1252")[1:] == ("cp1252", True)
    assert decode_page(b"<p>caf\xe9</p>", "utf-8")[2] is False


@pytest.mark.parametrize(
    ("tail", "truncated"),
    [
        ("</article></body></html>", False),
        ("</article></body>", False),
        ("</article>\n</div>", False),  # ends on a tag: the optional end tags were left out
        ("<p>Le café de la gare a fer", True),
        ("<p class=", True),
    ],
)
def test_a_page_cut_short_is_truncated(tail, truncated):
    page = "<html><head><title>t</title></head><body><article><p>Story.</p>" + tail
    assert looks_truncated(page) is truncated
    assert (reason(screen_page(page.encode(), "utf-8")) == "truncated") is truncated


def test_a_fragment_without_document_tags_is_not_truncated():
    assert not looks_truncated("<div><p>just a fragment of text")


def test_truncated_pages_are_failures_not_skips():
    refusal = screen_page(PAGE.encode()[: len(PAGE) // 2], "utf-8")
    assert isinstance(refusal, Refusal) and refusal.outcome == "failed"


def nested(depth: int) -> str:
    return (
        "<html><body>"
        + "<div>" * depth
        + f"<p>{ACCENTED}</p>"
        + "</div>" * depth
        + "</body></html>"
    )


def test_nesting_past_the_parser_limit_is_detected():
    assert exceeds_parser_depth(nested(100_000))
    assert exceeds_parser_depth(nested(300))
    assert not exceeds_parser_depth(nested(200))
    assert not exceeds_parser_depth(PAGE)


def test_extractions_are_checked_for_empty_text_and_depth():
    assert check_extraction(PAGE, ACCENTED * 10) is None
    assert check_extraction(PAGE, "  \n").reason == "empty_text"
    assert check_extraction(nested(100_000), "Home\nNews").reason == "too_deep"
    assert check_extraction(nested(100_000), "").reason == "too_deep"
    # a long extraction is kept without a parse: the parser built its text
    assert check_extraction(nested(100_000), "x" * 5000) is None


# --- pages without story text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "jsonld", "expected"),
    [
        ("https://news.example/", [], "listing"),  # a home page
        ("https://news.example/contact/", [], "service_page"),
        ("https://news.example/about-us", [], "service_page"),
        ("https://news.example/team/jane/", ["ProfilePage"], "non_article_type"),
        ("https://news.example/2024/05/12/harbour-strike/", [], "empty_text"),
        ("https://news.example/world/harbour-strike-ends", ["NewsArticle"], "empty_text"),
    ],
)
def test_a_page_without_text_is_skipped_for_what_it_is(url, jsonld, expected):
    """Only a page that should have had a story counts as empty_text (what `stats` calls
    an extraction failure); a home, contact or profile page is skipped for what it is."""
    empty = Extracted(url=url, jsonld_types=jsonld)
    refusal = no_text_reason(empty, url, Refusal("empty_text", "extraction found no text"))
    assert (refusal.reason, refusal.outcome) == (expected, "skipped")


def test_other_refusals_are_kept():
    truncated = Refusal("truncated", "the page ends mid-document", outcome="failed")
    assert no_text_reason(Extracted(url=None), "https://a.example/", truncated) is truncated
