"""Sites files and start URLs: options, precedence, scope and clear errors."""

from __future__ import annotations

import pytest

from crawler.sites import SitesError, load_sites_file, sites_from_urls

SITES = """
[defaults]
depth = 1
delay = 0.5

[[site]]
name = "Example"
start = ["https://news.example.com/", "https://news.example.com/feed/"]
allow = ['/20\\d\\d/', '/world/']
deny = ['/video/']
depth = 3
max_pages = 50

[[site]]
start = "https://other.example.org/sitemap.xml"
"""


def test_sites_file_options_and_precedence(tmp_path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITES)
    first, second = load_sites_file(
        path, base={"depth": 2, "max_pages": 0}, overrides={"max_pages": 7}
    )
    assert (first.name, first.depth, first.max_pages, first.delay) == ("Example", 3, 7, 0.5)
    assert (second.depth, second.max_pages, second.start) == (
        1,
        7,
        ("https://other.example.org/sitemap.xml",),
    )
    # a site is a registrable domain: news.example.com's links may go to www.example.com
    assert first.sites == {"example.com"}


def test_scope_follows_site_allow_and_deny(tmp_path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITES)
    site = load_sites_file(path)[0]
    assert site.in_scope("https://news.example.com/2024/05/12/x/")
    assert site.in_scope("https://www.news.example.com/world/")
    assert not site.in_scope("https://news.example.com/about/")
    assert not site.in_scope("https://news.example.com/2024/video/x/")
    assert site.in_scope("https://amp.example.com/2024/05/12/x/")
    assert not site.in_scope("https://elsewhere.example.org/2024/05/x/")
    assert not site.in_scope("ftp://news.example.com/2024/x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[site]]\nstart = 'https://a.example/'\ndepht = 2\n", "unknown option"),
        ("[[site]]\nname = 'x'\n", "'start'"),
        ("[[site]]\nstart = 'file:///etc/passwd'\n", "not an http"),
        ("[[site]]\nstart = 'https://a.example/'\ndeny = ['(']\n", "bad regular expression"),
        ("[[site]]\nstart = 'https://a.example/'\ndepth = -1\n", "whole number"),
        ("[[site]\nstart = 'x'\n", "sites.toml"),
        ("[defaults]\ndepth = 1\n", r"no \[\[site\]\] tables"),
    ],
)
def test_bad_sites_files_say_what_is_wrong(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(text)
    with pytest.raises(SitesError, match=message):
        load_sites_file(path)


def test_missing_sites_file() -> None:
    with pytest.raises(SitesError, match="cannot read sites file"):
        load_sites_file("/nonexistent/sites.toml")


def test_start_urls_group_by_site() -> None:
    configs = sites_from_urls(
        ["https://a.example/", "https://a.example/feed/", "https://b.example/sitemap.xml"],
        {"depth": 4},
    )
    assert [c.start for c in configs] == [
        ("https://a.example/", "https://a.example/feed/"),
        ("https://b.example/sitemap.xml",),
    ]
    assert all(c.depth == 4 for c in configs)
    with pytest.raises(SitesError):
        sites_from_urls(["not a url"])


def test_a_sites_files_warc_table_sets_the_warc_settings(tmp_path):
    from crawler.sites import warc_settings

    path = tmp_path / "sites.toml"
    path.write_text(
        '[warc]\ndir = "warcs"\nmax_size = 1000\nprefix = "ex"\n\n'
        '[[site]]\nstart = "https://news.example.com/"\n'
    )
    assert warc_settings(path) == {"WARC_DIR": "warcs", "WARC_MAX_SIZE": 1000, "WARC_PREFIX": "ex"}
    assert len(load_sites_file(path)) == 1
    path.write_text('[warc]\nfolder = "x"\n\n[[site]]\nstart = "https://news.example.com/"\n')
    with pytest.raises(SitesError, match="unknown option"):
        warc_settings(path)
