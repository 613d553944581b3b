"""``newsarchive serve``: the archive in a browser (the ``web`` package, on uvicorn).

Listens on 127.0.0.1 unless told otherwise, and refuses any other address without a
token file: the archive is then readable only with its token. The archive is opened
read-only, so the server can run beside crawls.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from archive.engine import resolve_db_url
from crawler.cli import COMMANDS, EXIT_OK, add_db_option
from crawler.cli.errors import CommandError, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8800
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=COMMANDS["serve"],
        description="Serve a read-only web view of the archive: search, articles with "
        "their versions and diffs, story clusters, sites and their health, crawl runs. "
        "Listens on 127.0.0.1; any other address needs --token-file.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        help="a file holding a secret token: every request must carry it (an "
        "'Authorization: Bearer TOKEN' header, or the sign-in form's cookie); "
        "required to listen on anything but a loopback address",
    )
    add_db_option(parser)
    parser.set_defaults(run=run)


def read_token(path: str) -> str:
    """The token in ``path`` (its first line); ValueError says what is wrong."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the token file {path}: {exc}") from None
    token = lines[0].strip() if lines else ""
    if len(token) < 16:
        raise ValueError(f"the token in {path} is too short: use 16 characters or more")
    return token


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (OSError when it cannot be had)."""
    address = host.strip("[]")
    infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, where = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from web.app import create_app
        from web.security import is_loopback
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"the web view needs its extra ({exc.name} is missing): pip install 'newsarchive[web]'"
        ) from exc
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port (0 to 65535)")
    loopback = is_loopback(args.host)
    if not loopback and not args.token_file:
        raise UsageError(
            f"refusing to listen on {args.host} without --token-file: anyone who can reach "
            f"it could read the archive (listen on {DEFAULT_HOST}, or give a token file)"
        )
    try:
        token = read_token(args.token_file) if args.token_file else None
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    from archive.read import open_archive

    with open_archive(args.db) as arc:
        try:
            sock = listen(args.host, args.port)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
            ) from exc
        allowed = [args.host.strip("[]"), *LOOPBACK_NAMES] if loopback else None
        app = create_app(arc, token=token, allowed_hosts=allowed)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        where = make_url(resolve_db_url(args.db)).render_as_string(hide_password=True)
        print(
            f"newsarchive serve: http://{shown}:{port}/ (read-only view of {where}"
            f"{', token required' if token else ''}); Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", server_header=False
        )
        uvicorn.Server(config).run(sockets=[sock])
    return EXIT_OK
