"""URL normalisation and site identity."""

from __future__ import annotations

import pytest

from crawler.urls import normalize_url, same_site, site_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://News.Example.COM/a/b/", "http://news.example.com/a/b/"),
        ("https://news.example.com:443/a/", "https://news.example.com/a/"),
        ("http://news.example.com:80/a/", "http://news.example.com/a/"),
        ("http://news.example.com:8080/a/", "http://news.example.com:8080/a/"),
        ("https://news.example.com/a/#comments", "https://news.example.com/a/"),
        ("https://news.example.com", "https://news.example.com/"),
        (
            "https://news.example.com/a/?utm_source=tw&utm_medium=social&id=5&fbclid=x&gclid=y",
            "https://news.example.com/a/?id=5",
        ),
        ("https://news.example.com/a/?b=2&a=1", "https://news.example.com/a/?a=1&b=2"),
        (
            "https://news.example.com/a/?UTM_Campaign=x&mc_cid=1&mc_eid=2",
            "https://news.example.com/a/",
        ),
        ("https://news.example.com/caf%C3%A9/", "https://news.example.com/caf%C3%A9/"),
        ("https://news.example.com/café/", "https://news.example.com/caf%C3%A9/"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_is_idempotent() -> None:
    url = "HTTPS://Www.Example.com:443/x/?utm_source=a&q=1#top"
    assert normalize_url(normalize_url(url)) == normalize_url(url)


def test_a_path_differs_from_its_trailing_slash_twin() -> None:
    assert normalize_url("https://a.example/x") != normalize_url("https://a.example/x/")


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://Example.com./a", "example.com"),
        ("http://127.0.0.2:8123/a", "127.0.0.2:8123"),
        ("https://news.example.com:443/", "news.example.com"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_same_site() -> None:
    assert same_site("https://www.example.com/a", "http://example.com/b")
    assert not same_site("https://example.com/a", "https://other.example.com/a")
    assert not same_site("http://127.0.0.2:1000/", "http://127.0.0.3:1000/")
