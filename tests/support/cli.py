"""Running what a user runs: the fixture-site server and ``newsarchive`` in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


SITES_DIR = ROOT / "tests" / "fixtures" / "sites"


@dataclass
class MockServer:
    process: subprocess.Popen[str]
    port: int
    sites: dict[str, str]
    # host names of sites served under a name, with their loopback IP (hosts.json)
    dns_hosts: dict[str, str]
    # an origin by IP, for the control URLs (the test process resolves no fixture names)
    control: str

    def url(self, site: str, path: str = "/") -> str:
        return self.sites[site] + path

    def log(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.control}/__control__/log", timeout=10) as response:
            return json.load(response)

    def raw(self, site: str, path: str) -> bytes | None:
        """The exact bytes of the last response the server sent for ``path`` on ``site``."""
        query = urllib.parse.urlencode({"site": site, "path": path})
        try:
            with urllib.request.urlopen(f"{self.control}/__control__/raw?{query}", timeout=10) as r:
                return bytes(r.read())
        except urllib.error.HTTPError:
            return None

    def requests(self) -> list[tuple[str, str, int, float, float, str]]:
        """Every request served since the last reset, in the order they ended:
        (site, path, status, started, ended, user agent), times in seconds."""
        with urllib.request.urlopen(f"{self.control}/__control__/requests", timeout=10) as r:
            return [tuple(entry) for entry in json.load(r)]

    def reset(self) -> None:
        urllib.request.urlopen(f"{self.control}/__control__/reset", timeout=10).close()

    def set_state(self, name: str, value: str) -> dict[str, str]:
        """Switch the pages of a named state (see tests/support/mockserver.py); the states after."""
        query = urllib.parse.urlencode({"name": name, "value": value})
        with urllib.request.urlopen(f"{self.control}/__control__/state?{query}", timeout=10) as r:
            return json.load(r)

    def dns_args(self) -> list[str]:
        """The crawl options that let the crawler reach the sites served under a name."""
        return ["-s", f"DNS_HOSTS={json.dumps(self.dns_hosts)}"] if self.dns_hosts else []

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def start_mockserver(sites_dir: Path = SITES_DIR) -> MockServer:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.mockserver", "--sites", str(sites_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise RuntimeError("the mock server did not start")
    info = json.loads(line)
    return MockServer(process, info["port"], info["sites"], info["dns_hosts"], info["control"])


# A crawl is polite by default (crawler/settings.py: AutoThrottle, 2 requests at once per
# host, robots.txt Crawl-delay, a back-off after a block). Fixture sites on loopback are crawled at full speed
# instead, with these settings: the one place every test and benchmark that crawls a
# fixture site takes them from (``run_cli`` adds them to each ``crawl``; the tests of the
# polite defaults themselves pass ``polite=True``). Settings a test gives its crawl
# come after these, so they win.
FIXTURE_CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "CRAWL_DELAY_MAX": "0",
    # a fixture's 429 with Retry-After: 3600 would slow the rest of its crawl to a page
    # a minute; the tests of the back-off set their own
    "BLOCK_BACKOFF_START": "0",
}


def fixture_crawl_args() -> list[str]:
    """FIXTURE_CRAWL_SETTINGS as ``newsarchive crawl`` options."""
    return [
        arg for name, value in FIXTURE_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")
    ]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NEWSARCHIVE_DB", None)
    env.update(extra)
    return env


def cli_args(*args: str, polite: bool = False) -> list[str]:
    """``newsarchive ARGS``, with FIXTURE_CRAWL_SETTINGS first for a crawl unless ``polite``."""
    if args and args[0] == "crawl" and not polite:
        return ["crawl", *fixture_crawl_args(), *args[1:]]
    return list(args)


def run_cli(
    *args: str, cwd: Path, timeout: float = 300, polite: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``newsarchive ARGS`` as a user would, in a subprocess, from ``cwd`` (a crawl
    at full speed on fixture sites unless ``polite``: see FIXTURE_CRAWL_SETTINGS)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *cli_args(*args, polite=polite)],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
