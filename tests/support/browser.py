"""A real browser on a real server: Debian's Chromium driven by Selenium, and
``newsarchive serve`` in a subprocess on a loopback address.

Selenium is pointed at the system's chromedriver and chromium: Selenium Manager is
never asked for anything, so nothing is downloaded. Run as a script it makes the
README's screenshot of an article page::

    python -m tests.support.browser docs/web-article.png
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# what works here as root, headless, offline: no sandbox (root), no GPU, no calls home
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
ROOT = Path(__file__).resolve().parents[2]
SERVE = (sys.executable, "-m", "crawler.cli", "serve")


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} is missing: apt-get install -y {package} (.ci/run installs it)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium with a new, empty profile, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    with tempfile.TemporaryDirectory(prefix="newsarchive-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.set_page_load_timeout(30)
            yield driver
        finally:
            driver.quit()


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    stderr: Path

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path


@contextmanager
def serve(db_url: str, host: str = "127.0.0.7", *extra: str) -> Iterator[Server]:
    """``newsarchive serve`` on ``host`` and a free port, as a user starts it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NEWSARCHIVE_DB", None)
    with tempfile.TemporaryDirectory(prefix="newsarchive-serve-") as folder:
        log = Path(folder) / "stderr"
        with log.open("w") as err:
            process = subprocess.Popen(
                [*SERVE, "--db", db_url, "--host", host, "--port", "0", *extra],
                cwd=folder,
                env=env,
                stderr=err,
                stdout=subprocess.DEVNULL,
                text=True,
            )
        try:
            yield Server(process, _wait_for_url(process, log), log)
        finally:
            process.terminate()
            process.wait(15)


def _wait_for_url(process: subprocess.Popen[str], log: Path, timeout: float = 30) -> str:
    """The URL the server printed once it listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for word in log.read_text().split():
            if word.startswith("http://"):
                return word
        if process.poll() is not None:
            raise RuntimeError(f"newsarchive serve exited: {log.read_text()}")
        time.sleep(0.05)
    raise RuntimeError(f"newsarchive serve did not start: {log.read_text()}")


def resources_loaded(driver: Any) -> list[str]:
    """Every URL the page loaded (the page itself, its stylesheet, anything else)."""
    entries = driver.execute_script(
        "return performance.getEntries().map(e => e.name).filter(n => n.includes(':'))"
    )
    return [str(e) for e in entries]


def article_screenshot(target: Path) -> None:
    """The README's picture: an edited article with its versions, story and boilerplate."""
    from tests.support.newsroom import build_newsroom

    with tempfile.TemporaryDirectory(prefix="newsarchive-shot-") as folder:
        url = f"sqlite:///{Path(folder) / 'archive.db'}"
        room = build_newsroom(url, datetime.now(UTC).replace(microsecond=0))
        with serve(url) as server, chromium(1280, 860) as driver:
            driver.get(server.url(f"/article/{room.edited}"))
            driver.save_screenshot(str(target))
    print(json.dumps({"screenshot": str(target)}))


def main() -> None:
    parser = argparse.ArgumentParser(description="Screenshot an article page for the README.")
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot take the screenshot: {missing}")
    article_screenshot(args.target)


if __name__ == "__main__":
    main()
