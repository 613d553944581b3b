"""Replay in a real archive player: pywb indexes a crawl's WARC files and serves them.

pywb cannot share this project's environment (it pins redis==2.10.6 and brotlipy), so
the test installs it into a virtualenv of its own, from the pinned
``tests/pywb/requirements.txt``, kept under ``~/.cache/newsarchive/`` between runs. pywb
serves on 127.0.0.1 only, replaying what the WARC files hold (no live web).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import ROOT, MockServer, run_cli

pytestmark = pytest.mark.slow

REQUIREMENTS = ROOT / "tests" / "pywb" / "requirements.txt"


def pywb_bin() -> Path:
    """The bin folder of a virtualenv with pywb, created on first use."""
    key = hashlib.sha1(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    venv = cache / "newsarchive" / f"pywb-{key}"
    if not (venv / "bin" / "wayback").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        install = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode != 0:
            pytest.skip(f"cannot install pywb from {REQUIREMENTS}: {install.stderr[-500:]}")
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def replay(
    mockserver: MockServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("pywb")
    mockserver.reset()
    starts = [mockserver.url("news", "/"), mockserver.url("blog", "/atom.xml")]
    crawl = run_cli("crawl", *starts, "--warc", "warcs", cwd=workdir)
    assert crawl.returncode == 0, crawl.stderr
    raw = {
        path: mockserver.raw(site, path)
        for site, path in (
            ("news", "/2024/05/12/harbour-expansion-approved/"),
            ("blog", "/posts/night-trains-are-back/"),
        )
    }
    bin_dir = pywb_bin()
    warcs = sorted(str(p) for p in (workdir / "warcs").glob("*.warc.gz"))
    subprocess.run([bin_dir / "wb-manager", "init", "news"], cwd=workdir, check=True)
    subprocess.run([bin_dir / "wb-manager", "add", "news", *warcs], cwd=workdir, check=True)
    port = free_port()
    server = subprocess.Popen(
        [bin_dir / "wayback", "--bind", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/news/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield {"base": base, "raw": raw, "mockserver": mockserver, "workdir": workdir}
    finally:
        server.terminate()
        server.wait(10)


def replayed(base: str, url: str, mode: str = "id_") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"{base}/news/2{mode}/{url}")
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        headers = {name.lower(): value for name, value in response.headers.items()}
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, headers, body


def original(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return headers, body


def test_pywb_indexes_the_files_as_our_cdxj_does(replay):
    workdir = replay["workdir"]
    ours = sorted(
        line
        for index in (workdir / "warcs").glob("*.cdxj")
        for line in index.read_text().splitlines()
    )
    pywbs = (workdir / "collections" / "news" / "indexes" / "index.cdxj").read_text().splitlines()
    assert sorted(pywbs) == ours


@pytest.mark.parametrize(
    ("site", "path"),
    [
        ("news", "/2024/05/12/harbour-expansion-approved/"),
        ("blog", "/posts/night-trains-are-back/"),
    ],
)
def test_an_article_replays_as_the_server_sent_it(replay, site, path):
    url = replay["mockserver"].url(site, path)
    sent_headers, sent_body = original(replay["raw"][path])
    status, headers, body = replayed(replay["base"], url)
    assert status == 200
    assert body == sent_body
    assert headers["x-archive-orig-etag"] == sent_headers["etag"]
    assert headers["memento-datetime"]
    if site == "blog":
        # the server's own headers come back as sent (pywb passes or prefixes them)
        served = {v for k, v in headers.items() if k.endswith("x-served-by")}
        assert served == {"fixture-blog"}, headers
    status, _headers, page = replayed(replay["base"], url, "mp_")
    assert status == 200
    title = sent_body.decode().split("<title>", 1)[1].split("</title>", 1)[0]
    assert title in page.decode()  # the page, rewritten for replay
