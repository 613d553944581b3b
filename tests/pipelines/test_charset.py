"""One charset policy: the crawl and ``newsarchive extract`` read the same bytes as the same
text (they drifted apart once: different BOM tables, a guess on one side only)."""

from __future__ import annotations

import codecs

import pytest
from scrapy.http import HtmlResponse

from pipelines.charset import decode, looks_binary
from pipelines.extraction import extract_article
from pipelines.extraction.decode import decode_html
from pipelines.worker import extract_page

URL = "http://127.0.0.1/news/story.html"


def page(meta: str = "", text: str = "A plain story.") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    body = "".join(f"<p>{text} Paragraph {n}.</p>" for n in range(12))
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Story</title></head>"
        f"<body><article><h1>Story</h1>{body}</article></body></html>"
    )


LATIN = "Le café de la gare a rouvert à Zürich après des années, déjà l'été. "
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl včera večer starosta. "
RUSSIAN = "Москва сегодня объявила о новых мерах. "  # noqa: RUF001

# (name, bytes, Content-Type charset or None): what a crawl fetches and a user saves.
CASES = [
    ("utf-8 declared", page("utf-8").encode(), None),
    ("utf-8 undeclared", page().encode(), None),
    ("utf-8 under a wrong header", page().encode(), "iso-8859-1"),
    ("cp1252 declared", page("windows-1252", LATIN).encode("cp1252"), None),
    ("cp1252 declared wrong (meta says utf-8)", page("utf-8", LATIN).encode("cp1252"), None),
    (
        "cp1250 declared wrong (meta says iso-8859-1)",
        page("iso-8859-1", CZECH).encode("cp1250"),
        None,
    ),
    ("cp1250 undeclared", page("", CZECH).encode("cp1250"), None),
    (
        "koi8-r declared",
        page("koi8-r", RUSSIAN).encode("koi8-r"),
        None,
    ),
    ("utf-8 with BOM", codecs.BOM_UTF8 + page("windows-1252").encode(), None),
    ("utf-16 with BOM", page().encode("utf-16"), None),
    ("unknown charset declared", page("x-no-such-charset").encode(), None),
]


def crawl_text(body: bytes, header: str | None) -> str:
    """What a crawl decodes: Scrapy's response.encoding handed to the screen."""
    headers = {"Content-Type": f"text/html; charset={header}"} if header else {}
    response = HtmlResponse(url=URL, body=body, headers=headers)
    return decode(body, response.encoding).text


@pytest.mark.parametrize(("name", "body", "header"), CASES, ids=[case[0] for case in CASES])
def test_crawl_and_extract_decode_alike(name, body, header):
    if header is None:
        assert crawl_text(body, None) == decode_html(body)
    crawled = crawl_text(body, header)
    assert crawled == decode(body, header).text
    assert "<title>Story</title>" in crawled


@pytest.mark.parametrize(
    ("name", "body", "header"),
    [case for case in CASES if case[2] is None],
    ids=[case[0] for case in CASES if case[2] is None],
)
def test_crawl_worker_and_extract_command_extract_alike(name, body, header):
    """The whole path: the crawl's worker (screen, then extraction) and ``extract``."""
    response = HtmlResponse(url=URL, body=body, headers={})
    crawled = extract_page(body, response.encoding, URL, with_signature=False)
    extracted = extract_article(body, URL)
    if crawled.extracted is None:  # refused by the screen: the text is garbled
        assert crawled.refusal is not None
        assert crawled.refusal.reason == "bad_charset"
        assert "\ufffd" in extracted.text
    else:
        assert crawled.extracted.text == extracted.text


def test_a_wrong_declaration_is_not_second_guessed():
    body = page("utf-8", LATIN).encode("cp1252")
    decoded = decode(body)
    assert (decoded.encoding, decoded.whole) == ("utf-8", False)
    assert "caf\ufffd" in decoded.text
    assert "caf\ufffd" in decode_html(body)


def test_only_undeclared_bytes_are_guessed():
    decoded = decode(page("", CZECH).encode("cp1250"))
    assert (decoded.encoding, decoded.whole) == ("cp1250", True)
    assert CZECH in decoded.text


def test_byte_order_marks_are_consumed():
    for encoding in ("utf-8-sig", "utf-16", "utf-32"):
        decoded = decode(page().encode(encoding))
        assert decoded.text == page(), encoding
        assert decoded.whole


def test_one_control_character_limit():
    text = page()
    size = len(text.encode())
    assert not looks_binary(text)
    assert not looks_binary("\x00" * (size // 100 - 1) + text)
    assert looks_binary("\x00" * (size // 50) + text)
