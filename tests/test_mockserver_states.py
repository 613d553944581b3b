"""The test server's page states: one route, several files, switched over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.support.cli import start_mockserver


def get(url: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture
def server(tmp_path):
    site = tmp_path / "one"
    (site / "v").mkdir(parents=True)
    (site / "v" / "a.html").write_text("<p>first state of {{base}}</p>", encoding="utf-8")
    (site / "v" / "b.html").write_text("<p>second state</p>", encoding="utf-8")
    routes = {"/story/": {"states": {"name": "story", "files": {"1": "v/a.html", "2": "v/b.html"}}}}
    (site / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    (tmp_path / "hosts.json").write_text(json.dumps({"one": "127.0.0.21"}), encoding="utf-8")
    server = start_mockserver(tmp_path)
    yield server
    server.stop()


def test_a_route_serves_its_first_state_until_switched_and_its_etag_follows(server):
    url = server.url("one", "/story/")
    status, body, headers = get(url)
    assert (status, body) == (200, f"<p>first state of {server.sites['one']}</p>".encode())
    assert get(url, **{"If-None-Match": headers["ETag"]})[0] == 304
    assert server.set_state("story", "2") == {"story": "2"}
    status, body, _ = get(url, **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (200, b"<p>second state</p>")
    assert get(server.url("one", "/__control__/state"))[1] == b'{"story": "2"}'


def test_an_unknown_state_value_is_refused_and_changes_nothing(server):
    status, body, _ = get(server.url("one", "/__control__/state?name=story&value=9"))
    assert status == 400 and b"no state 'story'" in body
    assert json.loads(get(server.url("one", "/__control__/state"))[1]) == {"story": "1"}
