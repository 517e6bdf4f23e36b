"""Plumbing shared by the platform's server-rendered pages: the website and the app's H5 pages.

Sessions are server-side (:class:`~mock_servers.platform.state.PlatformStore`); the browser
only holds a random id in an httponly, SameSite=Lax cookie.  Pages that need a logged-in
user raise :class:`LoginRequired`, which the app turns into a 303 to the login page with
``next`` set to where the user was going.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from markupsafe import Markup, escape
from starlette.datastructures import FormData, UploadFile

from mock_servers.common.clock import BEIJING
from mock_servers.platform.context import PlatformContext

SITE_NAME = "北京市中小企业公共服务平台"
APP_NAME = "北京通企服版"
SESSION_COOKIE = "smebj_session"

# Paths that more than one module sends the browser to (pages, the shared 企业认证 callback).
WEB_LOGIN_PATH = "/login"
WEB_PROFILE_PATH = "/user/home/profile"
WEB_START_PATH = "/auth/yzt/start"
APP_PREFIX = "/m"
APP_LOGIN_PATH = "/m/login"
APP_ME_PATH = "/m/me"
APP_START_PATH = "/m/auth/yzt/start"

# 用户服务协议 and 隐私协议: the ``kind`` in /agreement/{kind} and /m/agreement/{kind}.
AGREEMENT_TITLES = {"service": "用户服务协议", "privacy": "隐私协议"}


class LoginRequired(Exception):
    """The page needs a logged-in user; ``login_url`` brings them back afterwards."""

    def __init__(self, login_url: str) -> None:
        super().__init__(login_url)
        self.login_url = login_url


def session_id(ctx: PlatformContext, request: Request) -> str | None:
    """The request's session id if it names a live session (stale or forged ids count as none)."""
    value = request.cookies.get(SESSION_COOKIE)
    if value and ctx.store.session_exists(value):
        return value
    return None


def current_username(ctx: PlatformContext, request: Request) -> str | None:
    return ctx.store.session_username(session_id(ctx, request))


def end_session(ctx: PlatformContext, request: Request) -> None:
    """Forget the request's session on the server (a fresh one is made at login, none at logout)."""
    existing = session_id(ctx, request)
    if existing is not None:
        ctx.store.delete_session(existing)


def ensure_session(ctx: PlatformContext, request: Request, response: Response) -> str:
    """The request's session, or a new anonymous one whose cookie goes out with ``response``."""
    existing = session_id(ctx, request)
    if existing is not None:
        return existing
    created = ctx.store.create_session()
    set_session_cookie(ctx, response, created)
    return created


def set_session_cookie(ctx: PlatformContext, response: Response, value: str) -> None:
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="lax", secure=ctx.secure_cookies, path="/")


def clear_session_cookie(ctx: PlatformContext, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=ctx.secure_cookies, path="/")


def login_url_for(target: str, login_path: str = WEB_LOGIN_PATH) -> str:
    return f"{login_path}?{urlencode({'next': target})}"


def requested_path(request: Request) -> str:
    """Path and query of the request, as ``next`` carries them."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def require_user(ctx: PlatformContext, request: Request, login_path: str = WEB_LOGIN_PATH) -> str:
    username = current_username(ctx, request)
    if username is None:
        raise LoginRequired(login_url_for(requested_path(request), login_path))
    return username


def local_path_or_none(value: str | None) -> str | None:
    """``value`` if it is a path on this site, else None: ``next`` must never lead off-site.

    "//evil.example" and "/\\evil.example" are protocol-relative to browsers (they turn the
    backslash into a slash), and "http://…" is absolute, so only "/" followed by something
    else counts.  Control characters and whitespace are refused too, as browsers strip them.
    """
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if "\\" in value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    return value


def form_text(form: FormData, name: str) -> str:
    """A text field of a submitted form; absent fields and stray file parts read as empty."""
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return ""
    return value


def format_beijing(moment: datetime) -> str:
    """A timestamp as the pages show it: Beijing time, to the second."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def is_app_path(path: str) -> bool:
    """Whether ``path`` is one of the app's H5 pages (they get the app's layout, even for errors)."""
    return path == APP_PREFIX or path.startswith(APP_PREFIX + "/")


# Beijing landline numbers as the pages write them: 010-82176966, 010-58511090.
_PHONE_NUMBER = re.compile(r"0[0-9]{2,3}-[0-9]{7,8}")


def phone_links(text: str) -> Markup:
    """``text`` (escaped) with every phone number in it a ``tel:`` link, so a phone can call it with a tap."""
    parts: list[str] = []
    position = 0
    for match in _PHONE_NUMBER.finditer(text):
        parts.append(str(escape(text[position : match.start()])))
        number = match.group(0)
        parts.append(f'<a class="tel" href="tel:{number}">{number}</a>')
        position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def render(
    ctx: PlatformContext,
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    show_flashes: bool = True,
) -> Response:
    """Render a page with what every page's layout needs (site name, who is logged in, flashes).

    ``current_user`` is the name the layout greets the user by: the nickname if the account
    has one (app registrations do), else the username.  ``csrf_token()`` is what each form
    carries in its hidden ``csrf_token`` input: the token of the browser's session, which a
    page with a form starts if there is none yet (a page without one starts nothing).
    """
    sid = session_id(ctx, request)
    user = ctx.store.session_user(sid)
    started: list[str] = []

    def csrf_token() -> str:
        if sid is not None:
            return ctx.csrf.token(sid)
        if not started:
            started.append(ctx.store.create_session())
        return ctx.csrf.token(started[0])

    page: dict[str, Any] = {
        "site_name": SITE_NAME,
        "app_name": APP_NAME,
        "current_user": user.display_name if user else None,
        # A page that is not the one the user went to (a refused post) leaves them for the next.
        "flashes": ctx.store.pop_flashes(sid) if show_flashes else [],
        "csrf_token": csrf_token,
    }
    page.update(context or {})
    response = ctx.templates.TemplateResponse(request, template, page, status_code=status_code)
    if started:
        set_session_cookie(ctx, response, started[0])
    return response
