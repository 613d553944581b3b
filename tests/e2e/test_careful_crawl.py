"""A crawl that meets an unreachable start, a Ctrl-C, a start page that links to itself,
a page budget, and a folder it should leave as it found it."""

from __future__ import annotations

import fnmatch
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from archive.locks import lock_path
from tests.support.cli import ROOT, cli_env, run_cli, start_mockserver
from tests.support.sitegen import generate_news_site

pytestmark = pytest.mark.slow  # every test runs crawls in subprocesses

# A loopback port nothing listens on (RFC 863's discard port is not served here): the
# crawl's requests are refused at once, and never leave the machine.
CLOSED = "http://127.0.0.1:9/"
FAST_RETRIES = ("-s", "RETRY_BACKOFF_BASE=0.05", "-s", "RETRY_BACKOFF_MAX=0.1")


def test_an_unreachable_start_is_one_line_with_its_reason_even_quiet(
    tmp_path, lock_files_in_the_sessions_folder
):
    quiet = run_cli("crawl", CLOSED, "-q", *FAST_RETRIES, cwd=tmp_path, timeout=120)
    assert quiet.returncode == 1
    assert "Traceback" not in quiet.stderr
    lines = [re.sub(r"^\S+ \S+ ", "", line) for line in quiet.stderr.splitlines()]
    assert lines == [
        f"[news] ERROR: start URL failed (connection_refused): {CLOSED}: "
        "Connection was refused by other side: 111: Connection refused.",
        "[newsarchive] ERROR: crawl failed: no start URL could be fetched",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]  # no lock file here
    # the suite's crawls lock in a folder of the session's, never in the user's cache
    locks = lock_files_in_the_sessions_folder / "newsarchive"
    pattern = lock_path(str(tmp_path / "archive.db"), "crawl-*", locks)
    assert list(locks.glob(pattern.name))


def test_the_summary_of_an_unreachable_start_adds_up(tmp_path):
    result = run_cli("crawl", CLOSED, *FAST_RETRIES, cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    rows = dict(re.findall(r"^  (\S.*?)\s{2,}(\S+)$", result.stderr, re.MULTILINE))
    # One page and one robots.txt failed for good, each tried 1 + RETRY_TIMES (2) times.
    assert rows["failed: connection_refused"] == "1"
    assert rows["robots.txt unreachable"] == "1"
    assert rows["retries"] == "4"
    assert rows["failed tries (retries included)"] == "6"


def test_a_name_that_does_not_resolve_fails_its_start_in_one_line(tmp_path):
    # The stub resolver answers every name "no such host": no DNS server is asked.
    result = run_cli(
        "crawl",
        "http://news.example/",
        "-q",
        "-s",
        "DNS_RESOLVER=tests.support.dnsstub.NoSuchHostResolver",
        *FAST_RETRIES,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [start, failed] = result.stderr.splitlines()
    assert "ERROR: start URL failed (dns): http://news.example/: DNS lookup failed" in start
    assert failed.endswith("crawl failed: no start URL could be fetched")


def test_the_lock_of_the_default_archive_is_not_left_in_the_working_folder(mockserver, tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    feed = mockserver.url("blog", "/atom.xml")
    default = run_cli("crawl", feed, "-q", cwd=work, XDG_RUNTIME_DIR=str(runtime))
    assert default.returncode == 0, default.stderr
    assert sorted(p.name for p in work.iterdir()) == ["archive.db"]
    [lock] = (runtime / "newsarchive").iterdir()
    assert lock.name.startswith("archive.db-") and lock.name.endswith(".lock")
    named = run_cli("crawl", feed, "-q", "--db", "news.db", cwd=work, XDG_RUNTIME_DIR=str(runtime))
    assert named.returncode == 0, named.stderr
    assert [p.name for p in work.glob("news.db.crawl-*.lock")]  # beside the archive it names
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    lock_name = "news.db.crawl-0123456789abcdef.lock"
    assert any(fnmatch.fnmatch(lock_name, p) for p in patterns), ".gitignore covers it"


def test_every_page_is_fetched_once_and_skips_are_logged_with_their_url(mockserver, tmp_path):
    mockserver.reset()
    result = run_cli("crawl", mockserver.url("news", "/"), "-v", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = mockserver.log()["news"]
    twice = {path: entry["count"] for path, entry in log.items() if entry["count"] > 1}
    assert twice == {}  # the home page links to itself; robots.txt is read once
    skipped = re.findall(r"INFO: skipped \((\w+)\): (\S+)$", result.stderr, re.MULTILINE)
    assert ("service_page", mockserver.url("news", "/contact/")) in skipped
    assert ("listing", mockserver.url("news", "/tag/climate/")) in skipped
    assert "<PageItem" not in result.stderr  # one line per page


def test_max_pages_counts_the_start_page(mockserver, tmp_path):
    mockserver.reset()
    result = run_cli("crawl", mockserver.url("news", "/"), "--max-pages", "5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = mockserver.log()["news"]
    pages = [p for p in log if p not in ("/robots.txt", "/sitemap.xml", "/feed/")]
    assert 1 < len(pages) <= 5


# --- Ctrl-C ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bignews")
    site = generate_news_site(root, articles=120, per_section=20)
    server = start_mockserver(root)
    yield site, server
    server.process.terminate()
    server.process.wait(10)


def served(server, name: str) -> int:
    return sum(entry["count"] for entry in server.log().get(name, {}).values())


def test_ctrl_c_is_acknowledged_at_once_and_nothing_new_is_fetched(big_site, tmp_path):
    site, server = big_site
    server.reset()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "crawler.cli", "crawl", server.url(site.name, "/")),
            *("--workers", "1", "-s", "DOWNLOAD_DELAY=0.3", "-s", "PROGRESS_INTERVAL=0.5"),
        ],
        cwd=tmp_path,
        env=cli_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    os.set_blocking(process.stderr.fileno(), True)
    deadline = time.monotonic() + 120
    seen = ""
    while time.monotonic() < deadline:  # until a progress line shows pages coming in
        line = process.stderr.readline()
        seen += line
        progress = re.match(r"\[newsarchive\] (\d+) pages", line)
        if not line or (progress and int(progress.group(1)) >= 3):
            break
    process.send_signal(signal.SIGINT)
    before = served(server, site.name)
    _, rest = process.communicate(timeout=60)
    stderr = seen + rest
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    said = re.search(
        r"^newsarchive crawl: stopping: finishing (\d+) page\(s\) in flight "
        r"\(Ctrl-C again to stop now\)$",
        stderr,
        re.MULTILINE,
    )
    assert said, stderr
    # Only what was in flight when it said so was fetched after the signal.
    assert served(server, site.name) - before <= int(said.group(1))
    assert re.search(r"^  status\s+interrupted$", stderr, re.MULTILINE)


def wait_until_reading_stdin(process: subprocess.Popen[str], timeout: float = 20) -> None:
    """Wait until the command waits on its standard input, as the kernel tells in
    /proc/PID/wchan (a pipe read) or /proc/PID/syscall (read(0, ...) on x86-64): a
    signal sent earlier would reach Python while it still imports its modules. Where
    /proc cannot tell, this waits the whole timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the command ended before reading its input"
        if _reading_stdin(process.pid):
            return
        time.sleep(0.05)


def _reading_stdin(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/wchan", encoding="ascii") as f:
            if "pipe_read" in f.read():
                return True
        with open(f"/proc/{pid}/syscall", encoding="ascii") as f:
            return f.read().startswith("0 0x0 ")
    except OSError:
        return False


def test_a_read_command_interrupted_says_so_without_a_traceback(tmp_path):
    # A shell without job control starts its background commands with SIGINT ignored,
    # an ignored signal stays ignored across exec, and Python installs no
    # KeyboardInterrupt handler for it: start the command with the disposition a
    # terminal's Ctrl-C meets (a handled signal is reset to the default at exec).
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "extract", "-"],
            cwd=tmp_path,
            env=cli_env(),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, inherited)
    wait_until_reading_stdin(process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().endswith("interrupted")


def test_the_exit_code_table_is_in_the_docs():
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    table = operations[operations.index("## Exit codes") :]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in table
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11 or later" in readme
    assert "0 done, 1 the work failed, 2 bad input or usage" in readme
