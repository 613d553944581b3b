"""`newsarchive serve` as a user starts it: where it listens, what it refuses, the token."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.support.browser import serve
from tests.support.cli import run_cli
from tests.support.newsroom import build_newsroom

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess

TOKEN = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'archive.db'}"
    build_newsroom(url, datetime.now(UTC))
    return url


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_it_refuses_another_address_without_a_token_file(db, tmp_path):
    result = run_cli("serve", "--host", "0.0.0.0", "--db", db, cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert result.stderr == (
        "newsarchive serve: refusing to listen on 0.0.0.0 without --token-file: anyone who "
        "can reach it could read the archive (listen on 127.0.0.1, or give a token file)\n"
    )


def test_bad_token_files_missing_archives_and_busy_ports_are_one_line(db, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("abc\n")
    result = run_cli("serve", "--token-file", str(short), "--db", db, cwd=tmp_path, timeout=30)
    assert (result.returncode, result.stderr) == (
        2,
        f"newsarchive serve: the token in {short} is too short: use 16 characters or more\n",
    )
    absent = run_cli("serve", "--token-file", str(tmp_path / "no.txt"), cwd=tmp_path, timeout=30)
    assert absent.returncode == 2 and "cannot read the token file" in absent.stderr
    missing = run_cli(
        "serve", "--db", f"sqlite:///{tmp_path / 'typo.db'}", cwd=tmp_path, timeout=30
    )
    assert missing.returncode == 2 and "no archive at" in missing.stderr
    assert not (tmp_path / "typo.db").exists()
    with socket.socket() as busy:
        busy.bind(("127.0.0.9", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = run_cli(
            "serve",
            "--host",
            "127.0.0.9",
            "--port",
            str(port),
            "--db",
            db,
            cwd=tmp_path,
            timeout=30,
        )
    assert taken.returncode == 1
    assert taken.stderr.startswith(f"newsarchive serve: cannot listen on 127.0.0.9:{port}: ")
    assert "Traceback" not in taken.stderr + missing.stderr + absent.stderr


def test_a_real_server_answers_only_its_hosts_and_only_with_the_token(db, tmp_path):
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n")
    with serve(db, "127.0.0.8", "--token-file", str(token_file)) as server:
        assert "token required" in server.stderr.read_text()
        status, body = get(server.url("/"))
        assert status == 401 and 'name="token"' in body
        status, body = get(server.url("/"), Authorization=f"Bearer {TOKEN}")
        assert status == 200 and "articles archived" in body
        status, _ = get(server.url("/"), Authorization=f"Bearer {TOKEN}", Host="evil.example")
        assert status == 400
        status, _ = get(server.url("/static/style.css"))
        assert status == 200
