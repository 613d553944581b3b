"""What keeps a page of hostile text harmless, and the archive private.

- Every response carries a Content-Security-Policy that allows no script at all (and
  no inline style, no frame, no form sent elsewhere), ``nosniff``, ``no-referrer``.
  Templates escape every string (Jinja2 autoescape), so a stored title
  ``<script>…`` is text; should anything slip through, the browser runs nothing.
- Links out of archived data go only to ``http``/``https`` URLs (:func:`safe_href`):
  ``javascript:``, ``data:`` and the rest become plain text.
- A raw capture is served as ``text/plain`` with ``nosniff`` and a sandboxing CSP,
  never as HTML on our origin.
- Only the Host names the server was started for are answered (a page elsewhere cannot
  reach a 127.0.0.1 server through DNS rebinding), and with a token every request
  must carry it: ``Authorization: Bearer TOKEN``, or the cookie the login form sets.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from markupsafe import escape

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# for a raw capture: a unique origin with no rights, whatever the body holds
RAW_CSP = "sandbox; default-src 'none'"
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
SAFE_SCHEMES = frozenset({"http", "https"})
COOKIE = "newsarchive_token"
LOGIN_PATH = "/login"
# the stylesheet is no secret, and the sign-in form needs it
OPEN_PREFIX = "/static/"
MAX_LOGIN_BODY = 4096
_INVISIBLE = str.maketrans("", "", "\t\n\r")


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL a browser will read as such, else None."""
    if not url:
        return None
    cleaned = url.strip().translate(_INVISIBLE)  # browsers drop these inside a URL
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return cleaned


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """Adds the security headers (unless a route set its own) and ``Server-Timing``
    (the server's time for the request, in ms) to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                took = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenAuth:
    """Lets through only requests that carry the token, as ``Authorization: Bearer``
    or as the cookie that ``POST /login`` (the login form) sets."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    def _allowed(self, scope: Scope) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        given = headers.get("authorization", "")
        if given.lower().startswith("bearer ") and self._matches(given[7:].strip()):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and self._matches(value):
                return True
        return False

    def _matches(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PREFIX):
            await self.app(scope, receive, send)
        elif scope["path"] == LOGIN_PATH and scope["method"] == "POST":
            await self._login(receive, send)
        elif scope["path"] == LOGIN_PATH:
            await _respond(send, 200, login_page(), "text/html; charset=utf-8")
        elif self._allowed(scope):
            await self.app(scope, receive, send)
        else:
            await _respond(
                send,
                401,
                login_page("This archive needs its token."),
                "text/html; charset=utf-8",
                [(b"www-authenticate", b'Bearer realm="newsarchive"')],
            )

    async def _login(self, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_LOGIN_BODY:
                await _respond(send, 413, "too large", "text/plain; charset=utf-8")
                return
            if not message.get("more_body"):
                break
        given = parse_qs(body.decode("utf-8", "replace")).get("token", [""])[0].strip()
        if not given or not self._matches(given):
            await _respond(send, 401, login_page("Wrong token."), "text/html; charset=utf-8")
            return
        cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await _respond(
            send, 303, "", "text/plain", [(b"location", b"/"), (b"set-cookie", cookie.encode())]
        )


def login_page(message: str = "") -> str:
    note = f'<p class="error">{escape(message)}</p>' if message else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<title>newsarchive: sign in</title><link rel="stylesheet" href="/static/style.css">'
        '</head><body><main class="login"><h1>newsarchive</h1>'
        f'{note}<form method="post" action="{LOGIN_PATH}"><label>Token '
        '<input type="password" name="token" autocomplete="current-password" autofocus>'
        '</label> <button type="submit">Sign in</button></form></main></body></html>'
    )


async def _respond(
    send: Send,
    status: int,
    body: str,
    content_type: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    data = body.encode()
    headers: list[Any] = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(data)).encode()),
        (b"cache-control", b"no-store"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
