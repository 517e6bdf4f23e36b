"""Build and start the platform mock.

``create_app`` assembles one instance (state, clock, SMS, OIDC client, the website's and the
app's pages, control interface);
``start_platform`` serves it on loopback from a background thread.  The platform's OIDC
redirect URI is ``base_url + "/auth/yzt/callback"`` (:func:`redirect_uri_for`); whoever
starts the mocks registers it at the IdP.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_servers.common.clock import MockClock
from mock_servers.common.control import mount_control
from mock_servers.common.csrf import EXPIRED_MESSAGE, EXPIRED_TITLE, CsrfMiddleware, CsrfTokens
from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.common.server import LOOPBACK, RunningServer, serve_in_thread
from mock_servers.common.server_errors import ServerErrors
from mock_servers.common.sms import SmsService
from mock_servers.common.static import CachedStaticFiles
from mock_servers.common.templates import template_environment
from mock_servers.platform.app_accounts import SMS_SENDER
from mock_servers.platform.app_devices import install_device_cookie
from mock_servers.platform.certification import Certification
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.control import control_app
from mock_servers.platform.routes_app import app_router
from mock_servers.platform.routes_web import web_router
from mock_servers.platform.sso import CALLBACK_PATH, OidcClient
from mock_servers.platform.state import PlatformStore
from mock_servers.platform.web import (
    LoginRequired,
    current_username,
    is_app_path,
    login_url_for,
    phone_links,
    render,
    requested_path,
    session_id,
)

SERVER_NAME = "platform mock"
PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

_ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "请求参数不正确，请返回重试。"),
    404: ("页面不存在", "您访问的页面不存在或已被删除。"),
    405: ("请求方式不正确", "该页面不支持此请求方式。"),
    500: ("系统繁忙", "系统繁忙，请稍后重试。"),
    503: ("平台维护中", "平台正在进行系统维护，请稍后访问。"),
}


def redirect_uri_for(base_url: str) -> str:
    """The redirect URI the platform at ``base_url`` sends to the IdP (register exactly this)."""
    return base_url.rstrip("/") + CALLBACK_PATH


def create_app(
    base_url: str,
    *,
    idp_url: str,
    client_id: str,
    client_secret: str,
    clock: MockClock | None = None,
    idp_transport: httpx.BaseTransport | None = None,
) -> FastAPI:
    """One platform mock instance.

    ``idp_transport`` replaces the HTTP transport used to reach the IdP; the mock's own
    tests pass an ``httpx.MockTransport`` so that they need no IdP server.  Leave it None.
    """
    base = base_url.rstrip("/")
    clock = clock or MockClock()
    store = PlatformStore()
    oidc = OidcClient(
        idp_url=idp_url,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri_for(base),
        clock=clock,
        transport=idp_transport,
        timeout_s=lambda: store.faults.idp_timeout_seconds,
    )
    ctx = PlatformContext(
        base_url=base,
        store=store,
        clock=clock,
        oidc=oidc,
        certification=Certification(store, oidc, clock),
        templates=_templates(),
        sms=SmsService(clock, sender=SMS_SENDER),
        csrf=CsrfTokens(),
        server_errors=ServerErrors(clock),
    )

    # The site has no public API: its only OpenAPI document is the control interface's.
    app = FastAPI(title="北京市中小企业公共服务平台 (mock)", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.platform = ctx
    mount_control(app, control_app(ctx))
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(web_router(ctx))
    app.include_router(app_router(ctx))
    _install_error_pages(app, ctx)
    install_device_cookie(app, ctx)
    _install_csrf_check(app, ctx)
    _install_faults(app, ctx)
    return app


@functools.cache
def _templates() -> Jinja2Templates:
    # The templates never change while running, so every instance in a process shares one
    # environment and compiles each template once (it is safe to render from several threads).
    environment = template_environment(TEMPLATES_DIR)
    environment.filters["phone_links"] = phone_links
    return Jinja2Templates(env=environment)


def start_platform(
    *,
    idp_url: str,
    client_id: str,
    client_secret: str,
    host: str = LOOPBACK,
    port: int = 0,
) -> RunningServer:
    """Serve a new platform mock on ``host:port`` (0 = a free port); ``stop()`` the result when done.

    ``extras["redirect_uri"]`` holds the redirect URI to register at the IdP.
    """

    def build(url: str) -> FastAPI:
        return create_app(url, idp_url=idp_url, client_id=client_id, client_secret=client_secret)

    server = serve_in_thread(build, name=SERVER_NAME, host=host, port=port)
    server.extras["redirect_uri"] = redirect_uri_for(server.url)
    return server


def _error_page(ctx: PlatformContext, request: Request, status_code: int) -> Response:
    title, message = _ERROR_PAGES.get(status_code, _ERROR_PAGES[400 if status_code < 500 else 500])
    # Inside the app, an error page in the website's desktop layout would look like a crash.
    template = "app/error.html" if is_app_path(request.url.path) else "error.html"
    return render(ctx, request, template, {"title": title, "message": message}, status_code=status_code)


def _install_error_pages(app: FastAPI, ctx: PlatformContext) -> None:
    """Friendly pages instead of FastAPI's JSON errors or a traceback (the control interface keeps JSON)."""

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(exc.login_url, status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        path = request.url.path
        # Everything under /user/ needs a session, even a page that does not exist.
        if (
            exc.status_code == 404
            and (path == "/user" or path.startswith("/user/"))
            and current_username(ctx, request) is None
        ):
            return RedirectResponse(login_url_for(requested_path(request)), status_code=303)
        response = _error_page(ctx, request, exc.status_code)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        return _error_page(ctx, request, 400)

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        ctx.server_errors.record(request.method, request.url.path, exc)
        return _error_page(ctx, request, 500)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)


def _install_csrf_check(app: FastAPI, ctx: PlatformContext) -> None:
    """Every form post of the website and the app's pages: from this site, with its session's token.

    Inside the maintenance check (a site that is down answers 503 to everything) and outside
    the device cookie (a refused post gets no cookie at all).  The control interface is a JSON
    API for tests, not a form: no token, but no post from another site's page either.
    获取验证码 is posted by the page's script, which sends the form's token too; its refusal is
    JSON, as its script reads it.
    """

    def refuse(request: Request) -> Response:
        if "application/json" in request.headers.get("accept", ""):
            body = {"field": "sms_code", "message": EXPIRED_MESSAGE, "resend_after": 0}
            return JSONResponse(body, status_code=403, headers={"Cache-Control": "no-store"})
        template = "app/error.html" if is_app_path(request.url.path) else "error.html"
        context = {"title": EXPIRED_TITLE, "message": EXPIRED_MESSAGE}
        response = render(ctx, request, template, context, status_code=403, show_flashes=False)
        response.headers["Cache-Control"] = "no-store"
        return response

    app.add_middleware(
        CsrfMiddleware,
        tokens=ctx.csrf,
        session_id=lambda request: session_id(ctx, request),
        refuse=refuse,
        headers_only=(CONTROL_PREFIX,),
        origins=(ctx.base_url,),
        routes=app.router.routes,
    )


def _install_faults(app: FastAPI, ctx: PlatformContext) -> None:
    @app.middleware("http")
    async def maintenance(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        # The control interface must stay reachable to lift the fault; static files keep the page styled.
        exempt = path.startswith((CONTROL_PREFIX + "/", "/static/")) or path == CONTROL_PREFIX
        if ctx.store.faults.down and not exempt:
            return _error_page(ctx, request, 503)
        return await call_next(request)
