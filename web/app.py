"""The Starlette application: routes, templates, and the middleware around them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import jinja2
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from archive.engine import db_error_message
from web import format as fmt
from web import pages
from web.security import SecurityHeaders, TokenAuth

if TYPE_CHECKING:
    from collections.abc import Sequence

    from starlette.requests import Request

    from archive.read import Archive

logger = logging.getLogger(__name__)


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(fmt.FILTERS)
    env.globals.update(fmt.GLOBALS)
    return env


def create_app(
    archive: Archive,
    *,
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    title: str = "newsarchive",
) -> Starlette:
    """The web view of an open archive (``open_archive`` opens it read-only).

    ``token``: every request must carry it (a bearer token or the login form's cookie).
    ``allowed_hosts``: the Host names to answer (None: any).
    """
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    if token is not None:
        middleware.append(Middleware(TokenAuth, token=token))
    routes = [
        *pages.ROUTES,
        Mount("/static", app=StaticFiles(packages=[("web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            SQLAlchemyError: _archive_error,
        },
    )
    app.state.archive = archive
    app.state.templates = templates()
    app.state.title = title
    app.state.cache = pages.Cache()
    return app


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    template = request.app.state.templates.get_template("error.html")
    html = template.render(
        status=status, message=message, title=request.app.state.title, path=request.url.path
    )
    return HTMLResponse(html, status_code=status)


async def _http_error(request: Request, exc: Any) -> HTMLResponse:
    return _error_page(request, exc.status_code, exc.detail or "")


async def _archive_error(request: Request, exc: Exception) -> HTMLResponse:
    logger.error("cannot read the archive: %s", db_error_message(exc))
    return _error_page(request, 503, f"The archive cannot be read: {db_error_message(exc)}")
