"""Builds and starts the 一证通 identity provider mock.

``create_app`` wires the pieces (store, templates, OIDC endpoints, pages,
control sub-app) for one base URL; ``start_idp`` serves it on a loopback port
from a background thread.  The fault middleware and the error handlers live
here because they wrap every route of the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.templating import Jinja2Templates

from mock_servers.common.clock import MockClock
from mock_servers.common.control import mount_control
from mock_servers.common.csrf import EXPIRED_MESSAGE, EXPIRED_TITLE, CsrfMiddleware, CsrfTokens
from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.common.server import LOOPBACK, RunningServer, serve_in_thread
from mock_servers.common.static import CachedStaticFiles
from mock_servers.idp import messages
from mock_servers.idp.captchas import CaptchaImages
from mock_servers.idp.control import control_app
from mock_servers.idp.oidc import AUTHORIZE_PATH, DISCOVERY_SUFFIX, OIDC_PREFIX, TOKEN_PATH, SigningKey, oidc_router
from mock_servers.idp.pages import (
    STATIC_DIR,
    STATIC_PATH,
    cookie_browser_id,
    error_page,
    login_url,
    make_templates,
)
from mock_servers.idp.routes import page_router
from mock_servers.idp.state import IdpStore

SERVER_NAME: Final = "一证通 identity provider mock"
# Retry-After of the injected faults: an outage lasts until switched off (come back in a
# minute); a failed token request is a single one, and the next request works at once.
DOWN_RETRY_AFTER_S: Final = 60
TOKEN_FAILURE_RETRY_AFTER_S: Final = 1

_PAGE_ERRORS: Final = {
    400: ("请求无效", "请求参数不完整或格式不正确，请返回重试。"),
    404: ("页面不存在", "您访问的页面不存在，请检查地址是否正确。"),
    405: ("请求方式不正确", "该页面不支持此请求方式，请返回重试。"),
}


def create_app(base_url: str, clock: MockClock | None = None) -> FastAPI:
    """The IdP for ``base_url`` (issuer = base_url + "/am/oauth2"), with a new signing key and empty state."""
    base_url = base_url.rstrip("/")
    store = IdpStore(clock or MockClock())
    csrf = CsrfTokens()
    templates = make_templates(base_url, csrf)
    # A real government login site has no /docs; the control sub-app keeps its own.
    app = FastAPI(title=SERVER_NAME, docs_url=None, redoc_url=None, openapi_url=None)
    # In-process tests may reach the store directly; the harness uses the control interface.
    app.state.store = store
    app.state.base_url = base_url

    _install_csrf_check(app, csrf, templates, base_url)
    _install_faults(app, store, templates)
    _install_error_handlers(app, templates, store)

    app.mount(STATIC_PATH, CachedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(oidc_router(store=store, templates=templates, signing_key=SigningKey(), base_url=base_url))
    app.include_router(page_router(store=store, templates=templates, images=CaptchaImages(), base_url=base_url))
    mount_control(app, control_app(store))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        # The real host sends its bare address to the login page too.
        return RedirectResponse(login_url(), status_code=302)

    return app


def start_idp(host: str = LOOPBACK, port: int = 0) -> RunningServer:
    """Serve a fresh IdP on ``host:port`` (0: a free port) in a daemon thread; ``.url`` is its base URL."""
    return serve_in_thread(create_app, name=SERVER_NAME, host=host, port=port)


def _is_protocol_path(path: str) -> bool:
    """Machine-facing endpoints answer errors in JSON; pages (authorize included) answer with a page."""
    if path.startswith("/.well-known/"):
        return True
    return path.startswith(OIDC_PREFIX + "/") and path != AUTHORIZE_PATH and not path.endswith(DISCOVERY_SUFFIX + "/")


def _install_csrf_check(app: FastAPI, csrf: CsrfTokens, templates: Jinja2Templates, base_url: str) -> None:
    """Every form post of the pages (口令登录, the wizard, 找回密码): from this site, with this browser's token.

    Added before the faults, so inside them: an IdP that is down answers 503 first.  Exempt:
    the OAuth 2.0 / OpenID Connect endpoints, which relying parties' servers (token) and pages
    (authorize) post to by design.  The control interface (a JSON API for tests) needs no
    token, but refuses a post from another site's page too.
    """

    def refuse(request: Request) -> Response:
        # No captcha, no form: nothing on this page starts a browser id (no cookie).
        return error_page(templates, request, status_code=403, heading=EXPIRED_TITLE, detail=EXPIRED_MESSAGE)

    app.add_middleware(
        CsrfMiddleware,
        tokens=csrf,
        session_id=cookie_browser_id,
        refuse=refuse,
        exempt=(OIDC_PREFIX, "/.well-known"),
        headers_only=(CONTROL_PREFIX,),
        origins=(base_url,),
        routes=app.router.routes,
    )


def _install_faults(app: FastAPI, store: IdpStore, templates: Jinja2Templates) -> None:
    @app.middleware("http")
    async def faults(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # The control interface stays reachable, or a test could never switch the fault off again.
        if request.url.path.startswith(CONTROL_PREFIX + "/") or request.url.path == CONTROL_PREFIX:
            return await call_next(request)
        injected = store.get_faults()
        if injected.delay_seconds > 0:
            # Models a slow IdP: the relying party's timeout is what a test exercises.
            await asyncio.sleep(injected.delay_seconds)
        if injected.down:
            if _is_protocol_path(request.url.path):
                return _unavailable_json(retry_after_s=DOWN_RETRY_AFTER_S)
            response = error_page(
                templates,
                request,
                status_code=503,
                heading=messages.IDP_UNAVAILABLE,
                detail="系统正在维护，请稍后重试。",
            )
            response.headers["Retry-After"] = str(DOWN_RETRY_AFTER_S)
            return response
        # Answered before the endpoint runs, as a gateway in front of it would: the
        # code in the request is not used up, only this one request fails.
        if request.url.path == TOKEN_PATH and store.take_token_failure():
            return _unavailable_json(retry_after_s=TOKEN_FAILURE_RETRY_AFTER_S)
        return await call_next(request)


def _unavailable_json(*, retry_after_s: int) -> JSONResponse:
    """The machine endpoints' 503 (RFC 6749 section 4.1.2.1's temporarily_unavailable)."""
    return JSONResponse(
        {"error": "temporarily_unavailable", "error_description": messages.IDP_UNAVAILABLE},
        status_code=503,
        headers={"Retry-After": str(retry_after_s), "Cache-Control": "no-store"},
    )


def _install_error_handlers(app: FastAPI, templates: Jinja2Templates, store: IdpStore) -> None:
    """Whatever goes wrong, answer with a page (or JSON on protocol endpoints), never a traceback."""

    def answer(request: Request, status_code: int, detail: str) -> Response:
        if _is_protocol_path(request.url.path):
            error = "invalid_request" if status_code < 500 else "server_error"
            if status_code == 404:
                error = "not_found"
            return JSONResponse({"error": error, "error_description": detail}, status_code=status_code)
        heading, text = _PAGE_ERRORS.get(status_code, ("请求无法处理", "系统繁忙，请稍后重试。"))
        return error_page(templates, request, status_code=status_code, heading=heading, detail=text)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        response = answer(request, exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        return answer(request, 400, "request parameters are missing or malformed")

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        store.server_errors.record(request.method, request.url.path, exc)
        return answer(request, 500, "the identity provider mock failed unexpectedly")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
