"""The project deploys to scrapyd, and schedule.json runs the news spider into the
archive scrapyd is configured with: a real scrapyd on 127.0.0.1 (free port, its own
folders), deployed with scrapyd-deploy as a user would."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive.read import open_archive
from tests.support.cli import FIXTURE_CRAWL_SETTINGS, ROOT, cli_env, start_mockserver
from tests.support.sitegen import generate_news_site

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
PROJECT_FILES = ("crawler", "pipelines", "archive", "scrapy.cfg", "setup.py", "pyproject.toml")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api(base: str, endpoint: str, data: dict[str, str] | list | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def scrapyd(tmp_path):
    if not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists():
        pytest.skip("scrapyd and scrapyd-client are not installed (pip install -e '.[dev]')")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    archive_db = f"sqlite:///{home / 'archive.db'}"
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\npoll_interval = 0.5\nmax_proc = 2\n"
    )
    log = (home / "scrapyd.log").open("wb")
    # The service's environment names the archive, as a systemd unit would.
    process = subprocess.Popen(
        [str(BIN / "scrapyd")],
        cwd=home,
        env=cli_env(NEWSARCHIVE_DB=archive_db),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            assert api(base, "daemonstatus.json")["status"] == "ok"
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("scrapyd did not start:\n" + (home / "scrapyd.log").read_text())
            time.sleep(0.3)
    yield base, archive_db, home
    process.terminate()
    process.wait(10)
    log.close()


def deploy(base: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Copy the project (as a checkout would hold it) and run scrapyd-deploy there."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=ignore)
        else:
            shutil.copy(source, checkout / name)
    (checkout / "README.md").write_text("newsarchive\n")
    with (checkout / "scrapy.cfg").open("a") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {base}/\nproject = newsarchive\n")
    return subprocess.run(
        [str(BIN / "scrapyd-deploy"), "test"],
        cwd=checkout,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def wait_for_job(base: str, job: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = api(base, "listjobs.json?project=newsarchive")
        for entry in jobs["finished"]:
            if entry["id"] == job:
                return entry
        time.sleep(0.5)
    raise AssertionError(f"scrapyd job {job} did not finish in {timeout} s")


def test_scrapyd_runs_the_news_spider_into_the_configured_archive(scrapyd, tmp_path):
    base, archive_db, home = scrapyd
    deployed = deploy(base, tmp_path)
    assert deployed.returncode == 0, deployed.stderr
    assert json.loads(deployed.stdout)["spiders"] == 2
    assert api(base, "listspiders.json?project=newsarchive")["spiders"] == ["import", "news"]

    site = generate_news_site(tmp_path / "site", articles=20, per_section=10)
    server = start_mockserver(tmp_path / "site")
    try:
        scheduled = api(
            base,
            "schedule.json",
            [
                ("project", "newsarchive"),
                ("spider", "news"),
                ("url", server.url(site.name, "/")),
                ("setting", "EXTRACT_WORKERS=1"),
                *(("setting", f"{k}={v}") for k, v in FIXTURE_CRAWL_SETTINGS.items()),
            ],
        )
        assert scheduled["status"] == "ok", scheduled
        wait_for_job(base, scheduled["jobid"])
    finally:
        server.process.terminate()
        server.process.wait(10)
    job_log = next((home / "logs" / "newsarchive" / "news").glob(f"{scheduled['jobid']}.log"))
    origin = server.url(site.name, "")
    with open_archive(archive_db) as arc:
        urls = sorted(a["url"].removeprefix(origin) for a in arc.articles())
        [run] = arc.crawl_runs()
    assert urls == sorted(site.article_paths), job_log.read_text()[-3000:]
    assert run["status"] == "finished"
