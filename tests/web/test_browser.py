"""The web view in a real browser: Chromium on `newsarchive serve` over a fixture archive
written by the real writer. Screenshots of each page go to the test's tmp folder."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.browser import browser_missing, chromium, resources_loaded, serve
from tests.support.newsroom import HEALTHY, XSS_TITLE, add_script_title, build_newsroom

pytestmark = [pytest.mark.slow, pytest.mark.browser]

INS_BACKGROUND = "rgba(205, 236, 205, 1)"  # --ins in style.css
DEL_BACKGROUND = "rgba(251, 213, 213, 1)"  # --del


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'archive.db'}"
    room = build_newsroom(url, datetime.now(UTC).replace(microsecond=0))
    xss = add_script_title(url, room.now)
    with serve(url) as server, chromium() as driver:
        yield server, driver, room, xss, folder


def follow(driver, element, submit: bool = False) -> None:
    """Click a link (or submit a form) and wait for the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.submit() if submit else element.click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(old))


def shot(driver, folder, name: str) -> None:
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, name


def test_search_open_a_result_its_diff_its_story_and_a_site(site):
    from selenium.webdriver.common.by import By

    server, driver, room, _xss, folder = site
    driver.get(server.url("/"))
    shot(driver, folder, "home")
    box = driver.find_element(By.NAME, "q")
    box.send_keys("ceasefire")
    follow(driver, box, submit=True)
    assert "ceasefire" in driver.title
    marks = [m.text.lower() for m in driver.find_elements(By.TAG_NAME, "mark")]
    assert marks and set(marks) == {"ceasefire"}
    shot(driver, folder, "search")

    # the edited story is the best match: its title carries the word
    first = driver.find_element(By.CSS_SELECTOR, "li.hit h2 a")
    follow(driver, first)
    assert driver.current_url.endswith(f"/article/{room.edited}")
    assert "resume and move forward" in driver.find_element(By.TAG_NAME, "h1").text
    greyed = driver.find_elements(By.CSS_SELECTOR, "div.boilerplate p")
    assert any("Independent local news" in p.text for p in greyed)
    shot(driver, folder, "article")

    # its first change: a figure corrected, highlighted word by word
    follow(driver, driver.find_element(By.LINK_TEXT, "what changed"))
    removed = driver.find_elements(By.CSS_SELECTOR, ".diff del")
    added = driver.find_elements(By.CSS_SELECTOR, ".diff ins")
    assert [e.text for e in removed] == ["three"] and [e.text for e in added] == ["four"]
    assert removed[0].value_of_css_property("background-color") == DEL_BACKGROUND
    assert added[0].value_of_css_property("background-color") == INS_BACKGROUND
    assert removed[0].is_displayed() and added[0].is_displayed()
    shot(driver, folder, "diff")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "a[rel=next]"))  # versions 2 -> 3
    assert "agreed to meet again" in " ".join(
        e.text for e in driver.find_elements(By.CSS_SELECTOR, ".diff ins")
    )
    driver.find_element(By.CSS_SELECTOR, "input[value=side]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=changes]").click()
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form.compare button"))
    assert "view=side" in driver.current_url and "changes=1" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, "table.diff.side td.new ins")
    shot(driver, folder, "diff-side")

    # the harbour story's cluster: three copies on a time line
    driver.get(server.url(f"/article/{room.harbour}"))
    follow(driver, driver.find_element(By.CSS_SELECTOR, "a.badge.copies"))
    assert driver.current_url.endswith(f"/story/{room.harbour}")
    dots = driver.find_elements(By.CSS_SELECTOR, "#timeline svg circle")
    assert len(dots) == 3 and all(d.is_displayed() for d in dots)
    shot(driver, folder, "story")

    follow(driver, driver.find_element(By.LINK_TEXT, "Stories"))
    shot(driver, folder, "stories")
    follow(driver, driver.find_element(By.LINK_TEXT, "Sites"))
    flags = [f.text for f in driver.find_elements(By.CSS_SELECTOR, "table.sites .flag")]
    assert sorted(set(flags)) == ["blocked", "failing", "ok", "silent", "stale"]
    shot(driver, folder, "sites")
    follow(driver, driver.find_element(By.LINK_TEXT, HEALTHY))
    chart = driver.find_element(By.CSS_SELECTOR, "#chart svg")
    assert chart.is_displayed() and chart.size["width"] > 300
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.bar:not(.empty)")) == 8
    shot(driver, folder, "site")
    follow(driver, driver.find_element(By.LINK_TEXT, "Crawl runs"))
    shot(driver, folder, "runs")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "table.runs td a"))
    shot(driver, folder, "run")

    # nothing was loaded from anywhere but the server
    for page in ("/", f"/article/{room.edited}", f"/story/{room.harbour}", f"/site/{HEALTHY}"):
        driver.get(server.url(page))
        assert all(u.startswith(server.base) for u in resources_loaded(driver)), page


def test_a_stored_script_tag_runs_no_script(site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    server, driver, _room, xss, folder = site
    for page in (f"/article/{xss}", "/?site=evil.example", "/?q=cuts"):
        driver.get(server.url(page))
        with pytest.raises(NoAlertPresentException):
            _ = driver.switch_to.alert.text
    driver.get(server.url(f"/article/{xss}"))
    assert driver.find_element(By.TAG_NAME, "h1").text == XSS_TITLE
    assert driver.title.startswith(XSS_TITLE)
    assert driver.execute_script("return document.scripts.length") == 0
    shot(driver, folder, "xss")


def test_a_raw_capture_is_shown_as_text(site):
    from selenium.webdriver.common.by import By

    server, driver, room, _xss, folder = site
    driver.get(server.url(f"/article/{room.harbour}"))
    follow(driver, driver.find_element(By.LINK_TEXT, "raw"))
    assert driver.execute_script("return document.contentType") == "text/plain"
    body = driver.find_element(By.TAG_NAME, "body").text
    assert body.startswith("<html><title>Harbour expansion approved")
    shot(driver, folder, "raw")
