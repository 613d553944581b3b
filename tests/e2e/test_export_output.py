"""Where `newsarchive export -o PATH` writes, for real: a named pipe with a reader, a
symbolic link whose target must change, /dev/stdout, a device that fails every write,
and archives in a folder nobody may write to."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.support.cli import ROOT, cli_env, run_cli
from tests.support.corpus import build_corpus

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess

TIMEOUT_S = 30


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A small archive and how many articles an export of it holds."""
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    corpus = build_corpus(f"sqlite:///{path}")
    return path, len(corpus.ids) + 1


def exported_lines(data: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_a_named_pipe_is_written_in_place_for_its_reader(archive, tmp_path):
    db, total = archive
    pipe = tmp_path / "articles.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def read() -> None:
        with pipe.open("rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run_cli("export", "-o", str(pipe), "--db", str(db), cwd=tmp_path, timeout=TIMEOUT_S)
    reader.join(TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert not reader.is_alive()
    assert len(exported_lines(received[0])) == total
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # still a pipe, not a file in its place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.pipe"]


def test_a_symlink_is_followed_its_target_replaced_and_the_link_kept(archive, tmp_path):
    db, total = archive
    target = tmp_path / "data" / "articles.jsonl"
    target.parent.mkdir()
    target.write_text("yesterday's export\n")
    target.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    result = run_cli("export", "-o", "latest.jsonl", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert len(exported_lines(target.read_bytes())) == total
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's mode
    assert sorted(p.name for p in target.parent.iterdir()) == ["articles.jsonl"]


def test_dev_stdout_and_dash_stream_to_standard_output(archive, tmp_path):
    db, total = archive
    for output in ("/dev/stdout", "-"):
        result = run_cli("export", "-o", output, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert len(exported_lines(result.stdout.encode())) == total
    assert list(tmp_path.iterdir()) == []


def test_a_device_that_refuses_writes_is_one_line_and_stays_a_device(archive, tmp_path):
    db, _ = archive
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    result = run_cli("export", "-o", "/dev/full", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["newsarchive export: /dev/full: No space left on device"]
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


# --- a folder nobody may write to --------------------------------------------------------

MOUNT_READ_ONLY = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def read_only_runner(folder: Path) -> list[str]:
    """A command prefix under which ``folder`` cannot be written to, for real.

    As a user, the folder's mode does it. Root writes through any mode, so the folder
    is bind-mounted read-only in a mount namespace of the command's own (``unshare``);
    where that is not allowed the test is skipped, saying so."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", MOUNT_READ_ONLY]
    prefix.append(str(folder))
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare(1): cannot make a folder read-only")
    probe = subprocess.run(
        [*prefix, "touch", str(folder / "probe")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if probe.returncode == 0 or "Read-only file system" not in probe.stderr:
        (folder / "probe").unlink(missing_ok=True)
        pytest.skip(f"running as root, and a read-only bind mount failed: {probe.stderr.strip()}")
    return prefix


def run_in(prefix: list[str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "crawler.cli", *args],
        cwd=folder,
        env=cli_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture
def read_only_folder(archive, tmp_path) -> tuple[list[str], Path, int]:
    db, total = archive
    shutil.copy(db, tmp_path / "archive.db")
    prefix = read_only_runner(tmp_path)
    yield prefix, tmp_path, total
    tmp_path.chmod(0o755)


def test_an_archive_in_a_read_only_folder_can_be_read(read_only_folder):
    prefix, folder, total = read_only_folder
    before = sorted(p.name for p in folder.iterdir())
    stats = run_in(prefix, folder, "stats")
    assert stats.returncode == 0, stats.stderr
    assert f"{total} articles in" in stats.stdout
    exported = run_in(prefix, folder, "export")
    assert exported.returncode == 0, exported.stderr
    assert len(exported_lines(exported.stdout.encode())) == total
    found = run_in(prefix, folder, "search", "harbour")
    assert found.returncode == 0 and "harbour" in found.stdout.lower(), found.stderr
    shown = run_in(prefix, folder, "show", "1")
    assert shown.returncode == 0 and shown.stdout.startswith("article 1:"), shown.stderr
    current = run_in(prefix, folder, "db", "current")
    assert current.returncode == 0 and "(latest)" in current.stdout, current.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def test_an_export_into_a_read_only_folder_is_refused_before_any_work(read_only_folder):
    prefix, folder, _ = read_only_folder
    result = run_in(prefix, folder, "export", "-o", "articles.jsonl")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"newsarchive export: cannot write articles.jsonl: folder {folder} is not writable"
    ]
    assert not (folder / "articles.jsonl").exists()
