"""Retry waits: Retry-After parsing and the backoff schedule."""

from __future__ import annotations

from email.utils import formatdate

from crawler.middlewares.retry import backoff_delay, parse_retry_after


def test_retry_after_in_seconds_or_as_a_date():
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after(" 5 ") == 5.0
    now = 1_700_000_000.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0


def test_unreadable_retry_after_is_ignored():
    for value in (None, b"", b"soon", b"-5", b"1.5", b"Mon, 99 Foo 2024"):
        assert parse_retry_after(value) is None


def test_backoff_doubles_up_to_its_cap():
    assert [backoff_delay(n, 1.0, 30.0) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff_delay(1, 0.1, 30.0) == 0.1
