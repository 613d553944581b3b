"""Consistency of the static fixture sites under tests/fixtures/sites (no network).

The end-to-end tests crawl these sites through tests/support/mockserver.py and compare what was
archived with ``expected.json``. These checks keep the tree and the ground truth in step:
every link resolves under the server's rules, every expected paragraph is exactly the
story container's content, dates and metadata agree with the pages, depths are what
expected.json says, and every page of the tree is classified.
"""

from __future__ import annotations

import json
import re
from collections import deque
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from lxml import etree
from protego import Protego

SITES = Path(__file__).parent / "fixtures" / "sites"
EXPECTED = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
HOSTS: dict[str, str] = json.loads((SITES / "hosts.json").read_text(encoding="utf-8"))
PORT = 8000
ORIGINS = {site: f"http://{ip}:{PORT}" for site, ip in HOSTS.items()}
SITE_OF_NETLOC = {f"{ip}:{PORT}": site for site, ip in HOSTS.items()}
PLACEHOLDER = re.compile(r"\{\{([^}]*)\}\}")
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle"}
TEXT_SUFFIXES = {".html", ".xml", ".txt", ".rss", ".atom"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li"}
CONTAINERS = EXPECTED["story_containers"]
ARTICLES = EXPECTED["articles"]
INJECTED = EXPECTED["boilerplate_lines"]["plugin_injected"]


def article_id(article: dict) -> str:
    return f"{article['site']}{article['path']}"


# --- the server's rules (tests/support/mockserver.py), re-implemented without sockets -------------


def render(site: str, text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        return ORIGINS[site] if key == "base" else ORIGINS[key.split(":", 1)[1]]

    return PLACEHOLDER.sub(replace, text)


@cache
def routes(site: str) -> dict[str, dict]:
    file = SITES / site / "_routes.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def lookup(site: str, request: str) -> tuple[str, str | Path] | None:
    """('file', path) or ('redirect', target) for a request path with query, or None (404)."""
    request = request.split("#", 1)[0] or "/"
    route = routes(site).get(request)
    if route and "redirect" in route:
        return "redirect", route["redirect"]
    path = route["file"] if route else urlsplit(request).path
    relative = path.lstrip("/")
    candidates = (
        [f"{relative}index.html", f"{relative}index.xml"] if path.endswith("/") else [relative]
    )
    if relative.endswith(".gz"):
        candidates.append(relative[: -len(".gz")])
    for candidate in candidates:
        file = SITES / site / candidate
        if file.is_file() and not file.name.startswith("_"):
            return "file", file
    return None


def fetch(site: str, request: str) -> Path | None:
    """The file finally served for a request, following redirects; None for a 404."""
    for _ in range(5):
        found = lookup(site, request)
        if found is None:
            return None
        kind, value = found
        if kind == "file":
            assert isinstance(value, Path)
            return value
        request = str(value)
    raise AssertionError(f"redirect loop at {site}{request}")


def url_to_site_path(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    site = SITE_OF_NETLOC.get(parts.netloc)
    if site is None:
        return None
    return site, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@cache
def served_text(file: Path) -> str:
    site = file.relative_to(SITES).parts[0]
    return render(site, file.read_text(encoding="utf-8"))


@cache
def html_doc(file: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(served_text(file).encode("utf-8"))


@cache
def xml_doc(file: Path) -> etree._Element:
    return etree.fromstring(served_text(file).encode("utf-8"))


def local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def page_url(site: str, file: Path) -> str:
    relative = file.relative_to(SITES / site).as_posix()
    if relative.endswith("index.html") or relative.endswith("index.xml"):
        relative = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
    return f"{ORIGINS[site]}/{relative}"


def links(site: str, file: Path, *, crawl_only: bool = False) -> list[str]:
    """Absolute URLs a page links to. crawl_only: only what a crawler follows for depth."""
    base = page_url(site, file)
    found: list[str] = []
    if file.suffix == ".html":
        doc = html_doc(file)
        found += doc.xpath("//a/@href")
        if not crawl_only:
            found += doc.xpath("//link/@href")
    elif file.suffix == ".xml":
        root = xml_doc(file)
        for el in root.iter():
            name = local(el.tag)
            if name == "loc" or (name == "link" and el.text and el.text.strip()):
                if crawl_only and name == "link" and local(el.getparent().tag) != "item":
                    continue
                found.append(el.text.strip())
            elif name == "link" and el.get("href"):
                if crawl_only and not (
                    local(el.getparent().tag) == "entry"
                    and el.get("rel", "alternate") == "alternate"
                ):
                    continue
                found.append(el.get("href"))
            elif name == "guid" and not crawl_only and el.get("isPermaLink") != "false":
                found.append(el.text.strip())
    elif file.name == "robots.txt" and not crawl_only:
        found += [
            line.split(":", 1)[1].strip()
            for line in served_text(file).splitlines()
            if line.lower().startswith("sitemap:")
        ]
    return [urljoin(base, href.strip()) for href in found]


def all_files(site: str) -> list[Path]:
    return sorted(p for p in (SITES / site).rglob("*") if p.is_file())


def robots(site: str) -> Protego:
    file = SITES / site / "robots.txt"
    return Protego.parse(served_text(file) if file.exists() else "")


def norm(text: str) -> str:
    return " ".join(text.split())


def to_utc(value: str) -> str:
    value = value.strip()
    if len(value) == 10:
        return datetime.fromisoformat(value).replace(tzinfo=UTC).isoformat()
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).isoformat()


# --- page inspection ---------------------------------------------------------------------


def meta(doc: lxml.html.HtmlElement, key: str) -> list[str]:
    return [v.strip() for v in doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")]


def jsonld_objects(doc: lxml.html.HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        data = json.loads(script.text)
        for item in data if isinstance(data, list) else [data]:
            objects += item.get("@graph", [item])
    return objects


def jsonld_article(doc: lxml.html.HtmlElement) -> dict | None:
    for obj in jsonld_objects(doc):
        types = obj.get("@type")
        if set(types if isinstance(types, list) else [types]) & ARTICLE_TYPES:
            return obj
    return None


def container(site: str, doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    tag, cls = CONTAINERS[site].split(".")
    found = doc.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
    assert len(found) == 1, f"{site}: expected one {CONTAINERS[site]}, found {len(found)}"
    return found[0]


def story_blocks(site: str, doc: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(tag, text) of the text blocks inside the story container, captions excluded."""
    blocks = []
    for el in container(site, doc).iter(*BLOCK_TAGS):
        if any(
            anc.tag == "figure" or "caption" in (anc.get("class") or "")
            for anc in [el, *el.iterancestors()]
        ):
            continue
        text = norm(el.text_content())
        if text:
            blocks.append((el.tag, text))
    return blocks


def element_texts(doc: lxml.html.HtmlElement) -> set[str]:
    return {norm(el.text_content()) for el in doc.iter() if isinstance(el.tag, str)}


# --- tests ---------------------------------------------------------------------------------


def test_hosts() -> None:
    assert EXPECTED["hosts"] == HOSTS
    assert len(set(HOSTS.values())) == len(HOSTS)
    for site, ip in HOSTS.items():
        assert (SITES / site).is_dir(), site
        assert ip.startswith("127.") and ip != "127.0.0.1", ip
    assert set(EXPECTED["starts"]) == set(HOSTS)
    assert set(CONTAINERS) == set(HOSTS)


def test_placeholders_are_known() -> None:
    for site in HOSTS:
        for file in all_files(site):
            if file.suffix not in TEXT_SUFFIXES | {".json"}:
                continue
            for key in PLACEHOLDER.findall(file.read_text(encoding="utf-8")):
                assert key == "base" or (key.startswith("site:") and key[5:] in HOSTS), (file, key)


def test_xml_files_are_well_formed() -> None:
    for site in HOSTS:
        for file in all_files(site):
            if file.suffix == ".xml":
                xml_doc(file)


def test_gzip_sitemap_is_served_from_plain_file() -> None:
    file = fetch("wire", "/sitemap-2024-04.xml.gz")
    assert file == SITES / "wire" / "sitemap-2024-04.xml"
    assert not (SITES / "wire" / "sitemap-2024-04.xml.gz").exists()
    assert local(xml_doc(file).tag) == "urlset"


def test_starts_and_routes_resolve() -> None:
    for site, start in EXPECTED["starts"].items():
        assert fetch(site, start) is not None, (site, start)
    for site in HOSTS:
        for request, route in routes(site).items():
            assert set(route) <= {"file", "redirect", "status", "headers", "encoding", "chunked"}, (
                route
            )
            if "file" in route:
                assert (SITES / site / route["file"]).is_file(), (site, request)
            else:
                assert route.get("status", 301) in (301, 302, 307, 308)
                assert fetch(site, route["redirect"]) is not None, (site, request)


def test_every_link_resolves_and_none_leaves_the_fixtures() -> None:
    errors = []
    for site in HOSTS:
        for file in all_files(site):
            if file.suffix not in {".html", ".xml"} and file.name != "robots.txt":
                continue
            for url in links(site, file):
                if urlsplit(url).scheme in ("mailto", "tel", "javascript"):
                    continue
                target = url_to_site_path(url)
                if target is None:
                    errors.append(f"{file.relative_to(SITES)}: external link {url}")
                elif fetch(*target) is None:
                    errors.append(f"{file.relative_to(SITES)}: broken link {url}")
    assert not errors, "\n".join(errors)


def test_every_page_is_classified() -> None:
    """Each HTML page is exactly one of: article, non-article, forbidden."""
    classified: dict[Path, str] = {}
    entries = [(a["site"], a["path"], "article") for a in ARTICLES]
    entries += [(n["site"], n["path"], "non_article") for n in EXPECTED["non_articles"]]
    entries += [(f["site"], f["path"], "forbidden") for f in EXPECTED["forbidden"]]
    for site, path, kind in entries:
        file = fetch(site, path)
        assert file is not None and file.suffix == ".html", (site, path)
        assert file not in classified, (site, path, "listed twice")
        classified[file] = kind
    for site in HOSTS:
        for file in all_files(site):
            if file.suffix == ".html":
                assert file in classified, f"{file.relative_to(SITES)} is not in expected.json"


@pytest.mark.parametrize("entry", EXPECTED["non_articles"], ids=lambda n: f"{n['site']}{n['path']}")
def test_non_article_pages_do_not_look_like_articles(entry: dict) -> None:
    doc = html_doc(fetch(entry["site"], entry["path"]))
    assert "article" not in meta(doc, "og:type")
    assert not meta(doc, "article:published_time")
    assert jsonld_article(doc) is None
    assert robots(entry["site"]).can_fetch(ORIGINS[entry["site"]] + entry["path"], "*")


def test_forbidden_pages_are_disallowed_and_look_like_articles() -> None:
    assert EXPECTED["forbidden"]
    for entry in EXPECTED["forbidden"]:
        assert entry["why"] == "robots.txt"
        url = ORIGINS[entry["site"]] + entry["path"]
        assert not robots(entry["site"]).can_fetch(url, "*"), url
        assert not robots(entry["site"]).can_fetch(url, "newsarchive"), url
        doc = html_doc(fetch(entry["site"], entry["path"]))
        assert meta(doc, "og:type") == ["article"]
        # it is linked from the site, so only robots.txt keeps it out of the archive
        linked = any(
            url_to_site_path(u) == (entry["site"], entry["path"])
            for f in all_files(entry["site"])
            if f.suffix == ".html"
            for u in links(entry["site"], f)
        )
        assert linked, entry


@pytest.mark.parametrize("article", ARTICLES, ids=article_id)
def test_article_paragraphs_are_the_story_container(article: dict) -> None:
    site = article["site"]
    doc = html_doc(fetch(site, article["path"]))
    blocks = story_blocks(site, doc)
    texts = [text for _, text in blocks]
    if site == "plugin":
        assert texts[-len(INJECTED) :] == INJECTED
        texts = texts[: -len(INJECTED)]
    assert texts == article["paragraphs"]
    assert len(set(article["paragraphs"])) == len(article["paragraphs"])
    if site == "news":
        body = [text for tag, text in blocks if tag == "p" and text in article["paragraphs"]]
        plain = [
            t
            for t in body
            if not any(t == norm(q.text_content()) for q in doc.xpath("//blockquote//p"))
        ]
        assert 5 <= len(plain) <= 12
        for text in plain:
            assert 60 <= len(text.split()) <= 150, text[:60]


@pytest.mark.parametrize("article", ARTICLES, ids=article_id)
def test_article_metadata_matches_page(article: dict) -> None:
    site = article["site"]
    doc = html_doc(fetch(site, article["path"]))
    ld = jsonld_article(doc)
    source = article["metadata_source"]
    assert (ld is not None) == ("jsonld" in source)
    assert bool(meta(doc, "article:published_time")) == ("meta" in source)

    assert article["title"] in [norm(h.text_content()) for h in doc.xpath("//h1")]
    assert norm(doc.findtext(".//title")).startswith(article["title"])
    for og_title in meta(doc, "og:title"):
        assert og_title == article["title"]
    if ld:
        assert ld["headline"] == article["title"]

    canonical = doc.xpath("//link[@rel='canonical']/@href")
    assert canonical == [render(site, article["canonical"])]
    assert doc.get("lang", "").split("-")[0] == article["language"]
    assert meta(doc, "description") == [article["description"]]

    sitenames = meta(doc, "og:site_name")
    if ld and isinstance(ld.get("publisher"), dict) and "name" in ld["publisher"]:
        sitenames.append(ld["publisher"]["name"])
    assert sitenames and set(sitenames) == {article["sitename"]}

    images = meta(doc, "og:image")
    if ld and ld.get("image"):
        image = ld["image"]
        image = image[0] if isinstance(image, list) else image
        images.append(image["url"] if isinstance(image, dict) else image)
    expected_image = article["image"] and render(site, article["image"])
    assert set(images) == ({expected_image} if expected_image else set())

    authors = meta(doc, "author")
    assert authors and authors[0].split(", ") == article["authors"]
    if ld and "author" in ld:
        ld_authors = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
        assert [a["name"] for a in ld_authors] == article["authors"]

    published = meta(doc, "article:published_time") + ([ld["datePublished"]] if ld else [])
    published += doc.xpath("//time[contains(@class, 'published')]/@datetime")
    assert published and {to_utc(p) for p in published} == {article["published_at"]}
    modified = meta(doc, "article:modified_time") + (
        [ld["dateModified"]] if ld and "dateModified" in ld else []
    )
    if article["modified_at"] is None:
        assert not modified
    else:
        assert modified and {to_utc(m) for m in modified} == {article["modified_at"]}

    tag_metas = meta(doc, "article:tag")
    if tag_metas:
        assert tag_metas == article["tags"]
    if ld and "keywords" in ld:
        assert ld["keywords"] == article["tags"]
    if not article["tags"]:
        assert not tag_metas and not (ld and ld.get("keywords"))

    categories = set(meta(doc, "article:section"))
    categories |= {norm(a.text_content()) for a in doc.xpath("//a[contains(@rel, 'category')]")}
    if ld and "articleSection" in ld:
        section = ld["articleSection"]
        categories |= set(section if isinstance(section, list) else [section])
    assert categories == set(article["categories"])


@pytest.mark.parametrize("article", [a for a in ARTICLES if a["aliases"]], ids=article_id)
def test_aliases_serve_the_same_article(article: dict) -> None:
    file = fetch(article["site"], article["path"])
    for alias in article["aliases"]:
        assert alias != article["path"]
        assert fetch(article["site"], alias) == file, alias


def crawl_depths(site: str) -> dict[Path, int]:
    """Breadth-first from the start: <a href>, sitemap <loc>, feed item links; robots obeyed."""
    rules = robots(site)
    start = fetch(site, EXPECTED["starts"][site])
    depths = {start: 0}
    queue = deque([start])
    while queue:
        file = queue.popleft()
        for url in links(site, file, crawl_only=True):
            target = url_to_site_path(url)
            if target is None or target[0] != site or not rules.can_fetch(url, "*"):
                continue
            found = fetch(*target)
            if found is not None and found not in depths:
                depths[found] = depths[file] + 1
                queue.append(found)
    return depths


def test_article_depths() -> None:
    errors = []
    for site in HOSTS:
        depths = crawl_depths(site)
        for article in (a for a in ARTICLES if a["site"] == site):
            got = depths.get(fetch(site, article["path"]))
            if got != article["depth"]:
                errors.append(f"{article_id(article)}: depth {got}, expected {article['depth']}")
        for entry in EXPECTED["forbidden"]:
            if entry["site"] == site:
                assert fetch(site, entry["path"]) not in depths
    assert not errors, "\n".join(errors)


def test_news_depth_three_articles_are_only_on_page_two() -> None:
    deep = [a for a in ARTICLES if a["site"] == "news" and a["depth"] == 3]
    assert 1 <= len(deep) <= 2
    for name in ("sitemap.xml", "feed/index.xml"):
        listed = {url_to_site_path(u) for u in links("news", SITES / "news" / name)}
        for article in deep:
            assert ("news", article["path"]) not in listed, (name, article["path"])


@pytest.mark.parametrize("site", [s for s in EXPECTED["boilerplate_lines"] if s in HOSTS])
def test_boilerplate_lines_are_on_every_article_outside_the_story(site: str) -> None:
    lines = EXPECTED["boilerplate_lines"][site]
    paragraphs = [p for a in ARTICLES if a["site"] == site for p in a["paragraphs"]]
    for article in (a for a in ARTICLES if a["site"] == site):
        doc = html_doc(fetch(site, article["path"]))
        story = {text for _, text in story_blocks(site, doc)}
        texts = element_texts(doc)
        for line in lines:
            assert line in texts, (article["path"], line)
            assert line not in story, (article["path"], line)
    for line in lines:
        assert not any(line in p for p in paragraphs), line


def test_boilerplate_templates_are_on_every_article() -> None:
    for site, templates in EXPECTED["boilerplate_templates"].items():
        for article in (a for a in ARTICLES if a["site"] == site):
            texts = element_texts(html_doc(fetch(site, article["path"])))
            for template in templates:
                line = template.format(title=article["title"])
                assert line in texts, (article["path"], line)
                assert line not in article["paragraphs"]


def test_plugin_injected_block_and_recurring_story_line() -> None:
    plugin = [a for a in ARTICLES if a["site"] == "plugin"]
    assert len(plugin) == 8
    for article in plugin:
        doc = html_doc(fetch("plugin", article["path"]))
        texts = [text for _, text in story_blocks("plugin", doc)]
        assert texts[-len(INJECTED) :] == INJECTED
    for site, lines in EXPECTED["story_lines_that_recur"].items():
        for line in lines:
            holders = [a for a in ARTICLES if a["site"] == site and line in a["paragraphs"]]
            assert len(holders) >= 3, line
            for article in holders:
                # genuinely in the middle of the story, not at its edges
                assert 0 < article["paragraphs"].index(line) < len(article["paragraphs"]) - 1


def test_feeds_and_sitemaps_agree_with_articles() -> None:
    by_url = {(a["site"], a["path"]): a for a in ARTICLES}
    # RSS 2.0 (news, daily): pubDate and creators
    for site, path in (("news", "/feed/"), ("daily", "/feed/")):
        root = xml_doc(fetch(site, path))
        items = root.findall("./channel/item")
        assert items
        for item in items:
            article = by_url[url_to_site_path(item.findtext("link"))]
            assert item.findtext("title") == article["title"]
            pub = parsedate_to_datetime(item.findtext("pubDate")).astimezone(UTC).isoformat()
            assert pub == article["published_at"]
            creators = [e.text for e in item.iter("{http://purl.org/dc/elements/1.1/}creator")]
            assert creators == article["authors"]
            assert item.findtext("guid") and item.find("category") is not None
    assert len(xml_doc(fetch("news", "/feed/")).findall("./channel/item")) == 5
    # Atom (blog)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = xml_doc(fetch("blog", "/atom.xml")).findall(f"{atom}entry")
    assert len(entries) == len([a for a in ARTICLES if a["site"] == "blog"])
    for entry in entries:
        href = entry.find(f"{atom}link[@rel='alternate']").get("href")
        article = by_url[url_to_site_path(href)]
        assert to_utc(entry.findtext(f"{atom}published")) == article["published_at"]
        assert to_utc(entry.findtext(f"{atom}updated")) == (
            article["modified_at"] or article["published_at"]
        )
        assert entry.findtext(f"{atom}author/{atom}name") == article["authors"][0]
    # Sitemaps (news, wire): every <loc> is an article, with a <lastmod>
    sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = xml_doc(fetch("wire", "/sitemap_index.xml"))
    assert index.tag == f"{sm}sitemapindex"
    children = [url_to_site_path(loc.text) for loc in index.iter(f"{sm}loc")]
    assert [p for _, p in children] == ["/sitemap-2024-05.xml", "/sitemap-2024-04.xml.gz"]
    wire_listed = set()
    for site, path in [("news", "/sitemap.xml"), *children]:
        root = xml_doc(fetch(site, path))
        for url in root.findall(f"{sm}url"):
            target = url_to_site_path(url.findtext(f"{sm}loc"))
            assert target in by_url, target
            assert url.findtext(f"{sm}lastmod")
            if site == "wire":
                wire_listed.add(target)
    assert wire_listed == {(a["site"], a["path"]) for a in ARTICLES if a["site"] == "wire"}


def test_news_site_variants_are_covered() -> None:
    news = [a for a in ARTICLES if a["site"] == "news"]
    assert len(news) >= 10
    sources = [a["metadata_source"] for a in news]
    assert {"meta+jsonld", "meta", "jsonld"} <= set(sources)
    assert any(len(a["authors"]) == 2 for a in news)
    assert any(a["modified_at"] for a in news)
    assert any(a["aliases"] for a in news)
    # one story has a subheading and a blockquote inside the body
    shapes = []
    for article in news:
        doc = html_doc(fetch("news", article["path"]))
        body = container("news", doc)
        shapes.append((bool(body.xpath(".//h2")), bool(body.xpath(".//blockquote"))))
    assert (True, True) in shapes
    # the utm-tagged link to the aliased article exists somewhere on the site
    utm = [alias for article in news for alias in article["aliases"] if "utm_" in alias]
    assert utm
    all_links = {
        url_to_site_path(u)
        for f in all_files("news")
        if f.suffix == ".html"
        for u in links("news", f)
    }
    for alias in utm:
        assert ("news", alias) in all_links
    # the German post
    assert any(a["language"] == "de" for a in ARTICLES if a["site"] == "blog")
