"""What the page routes and the OIDC endpoints share: templates, URLs, cookies, form reading.

Kept apart from ``routes.py`` so that ``oidc.py`` can render its error page and
build the login redirect without importing the page routes.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.templating import Jinja2Templates

from mock_servers.common.csrf import CsrfTokens
from mock_servers.common.devices import is_phone
from mock_servers.common.templates import template_environment

PACKAGE_DIR: Final = Path(__file__).parent
TEMPLATES_DIR: Final = PACKAGE_DIR / "templates"
STATIC_DIR: Final = PACKAGE_DIR / "static"
STATIC_PATH: Final = "/am/static"

SITE_NAME: Final = "北京市统一身份认证平台"
TECH_PHONE: Final = "010-58511090"
SUPPORT_EMAIL: Final = "yztyunwei@bjca.org.cn"

LOGIN_PATH: Final = "/am/UI/Login"
# The real site's login URL carries these two parameters; keeping the same URL
# shape lets the harness's page objects match the address as they would in production.
LOGIN_MODULE: Final = "BjzwLDAP"
LOGIN_CHARSET: Final = "UTF-8"
WELCOME_PATH: Final = "/am/UI/Welcome"
LOGOUT_PATH: Final = "/am/UI/Logout"
REGISTER_PATH: Final = "/am/register"
REGISTER_ACCOUNT_PATH: Final = "/am/register/account"
REGISTER_DONE_PATH: Final = "/am/register/done"
# 找回密码: 步骤1 验证身份 at the address the login page's 忘记密码? link has always had,
# 步骤2 设置新密码 after it, and the 获取短信验证码 button's own form target.
FORGOT_PATH: Final = "/am/password/forgot"
RESET_PATH: Final = "/am/password/reset"
RESET_SMS_PATH: Final = "/am/password/reset/sms"
AGREEMENT_PATH: Final = "/am/agreement"

# The IdP session cookie bears OpenAM's name, as the real site (an OpenAM
# deployment, hence /am/UI/Login) does.
SESSION_COOKIE: Final = "iPlanetDirectoryPro"
WIZARD_COOKIE: Final = "yzt_register"
RECOVERY_COOKIE: Final = "yzt_recovery"
# This browser, logged in or not: the id its forms' CSRF tokens and its captchas are bound to.
# Set by the first page with a form; renewed at login, dropped at logout.
BROWSER_COOKIE: Final = "yzt_browser"
_BROWSER_ID: Final = re.compile(r"[A-Za-z0-9_-]{43}")
# Where a request keeps the browser id it started (no cookie yet), for render() to send.
_NEW_BROWSER_ID: Final = "yzt_new_browser_id"


def new_browser_id() -> str:
    return secrets.token_urlsafe(32)


def cookie_browser_id(request: Request) -> str | None:
    """The browser id the request's cookie names, if it is one this IdP could have issued."""
    value = request.cookies.get(BROWSER_COOKIE)
    return value if value and _BROWSER_ID.fullmatch(value) else None


def browser_id(request: Request) -> str:
    """This browser's id: its cookie's, or a new one that the page being rendered sends it."""
    existing = cookie_browser_id(request)
    if existing is not None:
        return existing
    started: str | None = getattr(request.state, _NEW_BROWSER_ID, None)
    if started is None:
        started = new_browser_id()
        setattr(request.state, _NEW_BROWSER_ID, started)
    return started


def make_templates(base_url: str, csrf: CsrfTokens) -> Jinja2Templates:
    env = template_environment(TEMPLATES_DIR)

    @pass_context
    def csrf_token(context: Context) -> str:
        """The token every form carries (``mock_servers.common.csrf``), bound to this browser's id."""
        request: Request = context["request"]
        return csrf.token(browser_id(request))

    env.globals.update(
        site_name=SITE_NAME,
        tech_phone=TECH_PHONE,
        support_email=SUPPORT_EMAIL,
        static_path=STATIC_PATH,
        login_url=login_url,
        with_goto=with_goto,
        csrf_token=csrf_token,
        # The address a phone user is told to open on a PC: the login page as the
        # guide gives it (…/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8), no goto,
        # since the system that sent the phone here is the app, not a PC website.
        pc_login_url=base_url.rstrip("/") + login_url(),
    )
    env.filters["tel_links"] = tel_links
    return Jinja2Templates(env=env)


def on_phone(request: Request) -> bool:
    """The request comes from a phone (the app's web view or a mobile browser): show the mobile pages."""
    return is_phone(request.headers.get("user-agent"))


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    # Every page knows whether it is on a phone: the layout and a few texts differ there.
    response = templates.TemplateResponse(
        request, name, {"mobile": on_phone(request), **(context or {})}, status_code=status_code
    )
    # Every page carries a fresh captcha or per-user data: never serve one from a cache.
    response.headers["Cache-Control"] = "no-store"
    # The same URL answers a phone and a computer differently.
    response.headers["Vary"] = "User-Agent"
    started: str | None = getattr(request.state, _NEW_BROWSER_ID, None)
    if started is not None:
        # The page's form or captcha gave this browser its id: the cookie that carries it back.
        secure = request.url.scheme == "https"
        response.set_cookie(BROWSER_COOKIE, started, httponly=True, samesite="lax", path="/", secure=secure)
    return response


def tel_links(text: str) -> Markup:
    """``text``, escaped, with the technical support number in it as a ``tel:`` link (a tap calls it on a phone)."""
    link = Markup('<a class="tel-link" href="tel:{0}">{0}</a>').format(TECH_PHONE)
    return escape(text).replace(TECH_PHONE, link)


def error_page(
    templates: Jinja2Templates,
    request: Request,
    *,
    status_code: int,
    heading: str,
    detail: str,
    goto: str | None = None,
) -> HTMLResponse:
    """A friendly page for anything that goes wrong, with a way back to the login page."""
    return render(
        templates,
        request,
        "error.html",
        {"heading": heading, "detail": detail, "goto": goto},
        status_code=status_code,
    )


def with_goto(path: str, goto: str | None) -> str:
    """``path`` with a ``goto`` parameter when there is one (every goto is carried encoded)."""
    if not goto:
        return path
    return f"{path}?{urlencode({'goto': goto}, quote_via=quote)}"


def login_url(goto: str | None = None, tab: str | None = None) -> str:
    """The login page in the real site's URL shape: ``/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=…``."""
    params = {"module": LOGIN_MODULE, "gx_charset": LOGIN_CHARSET}
    if goto:
        params["goto"] = goto
    if tab:
        params["tab"] = tab
    return f"{LOGIN_PATH}?{urlencode(params, quote_via=quote)}"


def safe_goto(goto: str | None, base_url: str) -> str | None:
    """``goto`` if following it stays on the IdP, else None (no open redirect).

    Accepted: a path under ``/am/`` (not ``//host``, which a browser reads as
    another host), or an absolute URL with exactly the IdP's origin.
    Backslashes and control characters are refused outright: browsers treat
    ``\\`` like ``/`` in URLs, and a CR/LF would try to split the header.
    """
    if not goto or "\\" in goto or any(ord(char) < 0x20 or ord(char) == 0x7F for char in goto):
        return None
    if goto.startswith("/"):
        return goto if goto.startswith("/am/") and not goto.startswith("//") else None
    try:
        target = urlsplit(goto)
        own = urlsplit(base_url)
        same_origin = (
            target.scheme.lower() == own.scheme.lower()
            and target.hostname == own.hostname
            and target.port == own.port
            and target.username is None
            and target.password is None
        )
    except ValueError:  # e.g. a port that is not a number
        return None
    return goto if same_origin else None


def form_text(form: FormData, name: str) -> str:
    """A text field of a submitted form; a missing field (or a file sent in its place) reads as empty."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
