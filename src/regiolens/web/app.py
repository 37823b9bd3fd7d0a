"""The web app: ``create_app(settings)`` builds the FastAPI application.

Server-rendered pages (Jinja2, HTMX as progressive enhancement: every page and form works without
JavaScript) and the JSON API under ``/api/v1`` with its OpenAPI docs at ``/api/docs``. German by default,
English with ``?lang=en`` (remembered in a cookie). See :mod:`regiolens.web.security` for sessions and
CSRF and :mod:`regiolens.web.warehouse` for how the warehouse is read and written.

>>> from regiolens.web.app import create_app
>>> from regiolens.web.settings import Settings
>>> app = create_app(Settings(warehouse=Path("var/warehouse.duckdb")))     # doctest: +SKIP
>>> # uvicorn.run(app) — or simply: regiolens serve --port 8000
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regiolens import __version__
from regiolens.clusters.model import UnknownClusterError
from regiolens.errors import RegiolensError, UnknownIndustryError, UnknownRegionError
from regiolens.network.records import NotFound
from regiolens.web import accounts, api, api_concept, api_fund, api_network, db
from regiolens.web.routes import account, admin, auth, clusters, compare, concept, data, fund, home, network, regions
from regiolens.web.security import CSRFMiddleware, LoginRequired, current_user
from regiolens.web.settings import Settings
from regiolens.web.templating import TEMPLATES, render
from regiolens.web.warehouse import WarehouseAccess, WarehouseBusy
from regiolens.web.words import check, t

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
LANG_COOKIE = "regiolens_lang"
SESSION_COOKIE = "regiolens_session"
NOT_FOUND_ERRORS = (UnknownRegionError, UnknownClusterError, UnknownIndustryError, NotFound)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class LanguageMiddleware:
    """The page language: ``?lang=de|en`` (then kept in a cookie), else the cookie, else German.

    Also sets the security headers of every answer (no sniffing, no framing, the content security policy of
    the pages; the API docs page, which runs Swagger UI's inline start script, gets none).
    """

    def __init__(self, app: ASGIApp, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        chosen = request.query_params.get("lang")
        lang = check(chosen or request.cookies.get(LANG_COOKIE))
        scope.setdefault("state", {})["lang"] = lang
        set_cookie = chosen in ("de", "en")
        docs = scope["path"] == "/api/docs"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if set_cookie:
                    secure = "; Secure" if self.https_only else ""
                    cookie = f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
                    headers.append((b"set-cookie", cookie.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"x-frame-options", b"DENY"))
                headers.append((b"referrer-policy", b"same-origin"))
                if not docs:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"title": title, "message": message, "status": status}, status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": exc.next_url})
        return RedirectResponse(exc.next_url, status_code=303)

    @app.exception_handler(WarehouseBusy)
    async def busy(request: Request, exc: WarehouseBusy) -> Response:
        lang = check(getattr(request.state, "lang", None))
        response = _error_page(request, 503, t("busy", lang), f"{exc} — {t('try_again', lang)}")
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(RegiolensError)
    async def regiolens_error(request: Request, exc: RegiolensError) -> Response:
        lang = check(getattr(request.state, "lang", None))
        status = 404 if isinstance(exc, NOT_FOUND_ERRORS) else getattr(exc, "status_code", 400)
        message = str(exc) if _is_api(request) else exc.localised(lang)  # the API speaks English, as the CLI
        return _error_page(request, status, t("not_found" if status == 404 else "error", lang), message)

    @app.exception_handler(accounts.PermissionDenied)
    async def denied(request: Request, exc: accounts.PermissionDenied) -> Response:
        lang = check(getattr(request.state, "lang", None))
        return _error_page(request, 403, t("forbidden", lang), str(exc) or t("forbidden", lang))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        lang = check(getattr(request.state, "lang", None))
        titles = {403: "forbidden", 404: "not_found"}
        return _error_page(request, exc.status_code, t(titles.get(exc.status_code, "error"), lang), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        lang = check(getattr(request.state, "lang", None))
        message = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors()
        )
        return _error_page(request, 400, t("error", lang), message)


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")} for e in exc.errors()]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The regiolens web app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    engine = db.make_engine(settings.database_url)
    if settings.migrate:
        db.upgrade(engine)

    app = FastAPI(
        title="regiolens API",
        version=__version__,
        description=(
            "Cluster analytics of regions: profile, comparison, peers, opportunities, metrics and sources. "
            "Every number is the one the CLI prints with `--format json` (NaN as null). "
            "Authenticate with `Authorization: Bearer <token>` (`regiolens users token`)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = db.session_factory(engine)
    app.state.warehouse = WarehouseAccess(settings.warehouse, settings.cache_size)

    # Innermost first: the CSRF check needs the decoded session, so the session middleware wraps it.
    app.add_middleware(CSRFMiddleware, max_body=settings.max_upload_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only,
    )
    app.add_middleware(LanguageMiddleware, https_only=settings.https_only)

    _install_handlers(app)
    TEMPLATES.env.globals["administers_any"] = admin.administers_any  # the header's link to /orgs
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    app.include_router(auth.router, include_in_schema=False)
    app.include_router(home.router, include_in_schema=False)
    app.include_router(regions.router, include_in_schema=False)
    app.include_router(compare.router, include_in_schema=False)
    app.include_router(data.router, include_in_schema=False)
    app.include_router(clusters.router, include_in_schema=False)
    app.include_router(network.router, include_in_schema=False)
    app.include_router(fund.router, include_in_schema=False)
    app.include_router(concept.router, include_in_schema=False)
    app.include_router(account.router, include_in_schema=False)
    app.include_router(admin.router, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(api_network.router)
    app.include_router(api_fund.router)
    app.include_router(api_concept.router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request, _user: db.User = Depends(current_user)) -> HTMLResponse:
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="regiolens API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
