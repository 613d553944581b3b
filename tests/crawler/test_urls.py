"""URL normalisation and site identity."""

from __future__ import annotations

import pytest

from crawler.urls import normalize_url, same_site, site_of
from tests.support.offline import run_offline


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
        ("https://news.example.com:443/", "example.com"),
        # one publisher's hosts are one site: its registrable domain
        ("https://amp.example.co.uk/story", "example.co.uk"),
        ("https://m.example.co.uk/story", "example.co.uk"),
        ("https://example.co.uk/story", "example.co.uk"),
        ("http://amp.paper.test:8123/a", "paper.test:8123"),
        # hosted publications the PSL lists apart stay apart
        ("https://first.blogspot.com/a", "first.blogspot.com"),
        ("https://www.first.github.io/a", "first.github.io"),
        # no registrable domain: the host itself, without www.
        ("http://127.0.0.2:8123/a", "127.0.0.2:8123"),
        ("http://www.intranet/a", "intranet"),
        ("http://news.corp/a", "news.corp"),
        ("http://[::1]:8080/a", "::1:8080"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_same_site() -> None:
    assert same_site("https://www.example.com/a", "http://example.com/b")
    assert same_site("https://amp.example.com/a", "https://m.example.com/a")
    assert not same_site("https://example.com/a", "https://example.org/a")
    assert not same_site("https://first.blogspot.com/", "https://second.blogspot.com/")
    assert not same_site("http://127.0.0.2:1000/", "http://127.0.0.3:1000/")


def test_site_identity_never_fetches_the_public_suffix_list(tmp_path):
    """In a fresh interpreter where any connection or name lookup fails, with an empty
    home (no tldextract cache to read), site identity still works and writes no cache."""
    code = (
        "from crawler.urls import site_of\n"
        "assert site_of('https://amp.news.example.co.uk/x') == 'example.co.uk'\n"
        "assert site_of('https://name.blogspot.com/x') == 'name.blogspot.com'\n"
        "print('offline ok')\n"
    )
    run_offline(code, tmp_path)
