"""The wire-level split of HTTP messages that WARC records are written from (pure functions)."""

from __future__ import annotations

from crawler.warc.wire import chunked_length, parse_head, response_body, split_message

RESPONSE_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"content-TYPE: text/html; charset=UTF-8\r\n"
    b"X-Folded: first\r\n"
    b"\tsecond\r\n"
    b"not a header line\r\n"
    b"Content-Length: 5\r\n"
    b"\r\n"
)


def test_the_head_is_kept_as_received_and_parsed_for_reading_only():
    head, rest = split_message(RESPONSE_HEAD + b"hello")
    assert head.raw == RESPONSE_HEAD
    assert rest == b"hello"
    assert head.protocol == "HTTP/1.1"
    assert head.status == 200
    assert head.mime == "text/html"
    assert head.header("Content-Type") == "text/html; charset=UTF-8"
    assert head.header("x-folded") == "first second"
    assert [name for name, _ in head.headers] == ["content-TYPE", "X-Folded", "Content-Length"]


def test_an_incomplete_head_is_no_message():
    assert split_message(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n") is None


def test_a_request_head_names_its_method_and_target():
    head = parse_head(b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert head.protocol == "GET"
    assert head.rest_of_line == "/a?b=1 HTTP/1.1"


def test_content_length_cuts_bytes_sent_after_the_message():
    head, rest = split_message(RESPONSE_HEAD + b"helloHTTP/1.1 200 OK\r\n")
    assert response_body(head, rest) == b"hello"


def test_a_chunked_body_keeps_its_framing_up_to_the_last_chunk_and_trailers():
    body = b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    head = parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert head.chunked
    assert chunked_length(body) == len(body)
    assert response_body(head, body + b"junk") == body
    assert chunked_length(body[:-3]) is None
    assert response_body(head, body[:-3]) == body[:-3]
    assert chunked_length(b"zz\r\n") is None


def test_bodiless_statuses_and_head_requests_have_no_body():
    not_modified = parse_head(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n")
    assert response_body(not_modified, b"stray") == b""
    ok = parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    assert response_body(ok, b"hello", method="HEAD") == b""


def test_a_body_without_framing_runs_to_the_end_of_what_arrived():
    head = parse_head(b"HTTP/1.0 200 OK\r\n\r\n")
    assert response_body(head, b"until close") == b"until close"
