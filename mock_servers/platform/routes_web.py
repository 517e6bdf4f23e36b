"""The platform website's pages (方式一 of the guide): home, 注册/登录, 个人中心, and the 企业认证 hop.

Route functions only read the request, call the shared modules (``accounts``,
``certification``, ``results``) and pick a page; the rules live in those modules so that the
app's H5 pages (``routes_app``, under ``/m/``) reuse them.  The 企业认证 callback here is the
one redirect URI of both front ends.

Forms are read with ``request.form()`` rather than declared parameters: a missing or
garbled field must give the form back with a message, not FastAPI's 422 JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from mock_servers.platform import accounts
from mock_servers.platform.browser import BROWSER_HINT, is_recommended_browser
from mock_servers.platform.certification import ProviderUnavailable
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.results import render_outcome
from mock_servers.platform.sso import IdpUnavailableError
from mock_servers.platform.web import (
    AGREEMENT_TITLES,
    WEB_PROFILE_PATH,
    WEB_START_PATH,
    clear_session_cookie,
    end_session,
    ensure_session,
    form_text,
    format_beijing,
    local_path_or_none,
    login_url_for,
    render,
    require_user,
    session_id,
    set_session_cookie,
)

PROFILE_PATH = WEB_PROFILE_PATH
START_PATH = WEB_START_PATH

CENTER_PATH = "/user/center"
MY_HOME_PATH = "/user/home"
# Breadcrumb entries (name, href) of the pages below them.
_CENTER = ("个人中心", CENTER_PATH)
_MY_HOME = ("我的主页", MY_HOME_PATH)


@dataclass(frozen=True)
class _UserPage:
    """A page on the way to 个人主页 that shows only text, and for a section its side menu.

    ``text`` may name ``{username}`` (the name the user is greeted by: nickname, else
    username); ``parents`` and ``links`` are (name, href) pairs.
    """

    title: str
    parents: tuple[tuple[str, str], ...]
    text: str
    links: tuple[tuple[str, str], ...] = ()

    @property
    def template(self) -> str:
        return "user_section.html" if self.links else "user_page.html"


_USER_PAGES: dict[str, _UserPage] = {
    CENTER_PATH: _UserPage(
        "个人中心",
        (),
        "欢迎您，{username}。在“我的主页”中可以查看个人主页和企业认证信息。",
        links=(_MY_HOME, ("我的服务", "/user/services"), ("账号设置", "/user/settings")),
    ),
    MY_HOME_PATH: _UserPage(
        "我的主页",
        (_CENTER,),
        "在“个人主页”中查看基本信息和认证信息。",
        links=(("个人主页", PROFILE_PATH), ("我的收藏", "/user/home/favorites")),
    ),
    "/user/services": _UserPage("我的服务", (_CENTER,), "您还没有申请过服务。"),
    "/user/settings": _UserPage("账号设置", (_CENTER,), "如需修改手机号码或密码，请联系呼叫中心。"),
    "/user/home/favorites": _UserPage("我的收藏", (_CENTER, _MY_HOME), "您还没有收藏任何政策或服务。"),
}


def web_router(ctx: PlatformContext) -> APIRouter:
    router = APIRouter()

    # --- home and static pages ------------------------------------------------------------

    @router.get("/", summary="首页")
    def home(request: Request) -> Response:
        hint = None if is_recommended_browser(request.headers.get("user-agent")) else BROWSER_HINT
        return render(ctx, request, "home.html", {"browser_hint": hint})

    @router.get("/agreement/{kind}", summary="用户服务协议 / 隐私协议")
    def agreement(request: Request, kind: str) -> Response:
        if kind not in AGREEMENT_TITLES:
            return render(
                ctx, request, "error.html", {"title": "页面不存在", "message": "您访问的页面不存在。"}, status_code=404
            )
        return render(ctx, request, "agreement.html", {"title": AGREEMENT_TITLES[kind]})

    # --- 注册 / 登录 / 退出 ------------------------------------------------------------------

    @router.get("/register", summary="用户注册")
    def register_page(request: Request) -> Response:
        return render(ctx, request, "register.html", {"values": {}, "errors": {}})

    @router.post("/register")
    async def register_submit(request: Request) -> Response:
        form = await request.form()
        # As typed: the rules read each identifier in its canonical form, the page gives back the user's own.
        registration = accounts.Registration(
            username=form_text(form, "username"),
            mobile=form_text(form, "mobile"),
            password=form_text(form, "password"),
            password_confirm=form_text(form, "password_confirm"),
            agreed=bool(form_text(form, "agree")),
        )
        user, errors = accounts.register(ctx.store, registration, ctx.clock.now())
        if user is None:
            # Give back what was typed, except the passwords.
            values = {"username": registration.username, "mobile": registration.mobile, "agree": registration.agreed}
            return render(ctx, request, "register.html", {"values": values, "errors": errors})
        response = RedirectResponse("/login", status_code=303)
        ctx.store.push_flash(ensure_session(ctx, request, response), accounts.MSG_REGISTERED)
        return response

    @router.get("/login", summary="用户登录")
    def login_page(request: Request) -> Response:
        next_path = local_path_or_none(request.query_params.get("next"))
        return render(ctx, request, "login.html", {"values": {}, "errors": {}, "next": next_path})

    @router.post("/login")
    async def login_submit(request: Request) -> Response:
        form = await request.form()
        login_id = form_text(form, "login_id")
        next_path = local_path_or_none(form_text(form, "next") or request.query_params.get("next"))
        user, errors = accounts.log_in(ctx.store, login_id, form_text(form, "password"))
        if user is None:
            context = {"values": {"login_id": login_id}, "errors": errors, "next": next_path}
            return render(ctx, request, "login.html", context)
        # A fresh session id at login (no session fixation); whatever the old session held —
        # including half-done 企业认证 requests of another account — is dropped with it.
        end_session(ctx, request)
        response = RedirectResponse(next_path or "/", status_code=303)
        set_session_cookie(ctx, response, ctx.store.create_session(user.username))
        return response

    @router.post("/logout", summary="退出登录")
    def logout(request: Request) -> Response:
        end_session(ctx, request)
        response = RedirectResponse("/", status_code=303)
        clear_session_cookie(ctx, response)
        return response

    # --- 个人中心 → 我的主页 → 个人主页 ------------------------------------------------------

    @router.get("/user", include_in_schema=False)
    def user_root(request: Request) -> Response:
        require_user(ctx, request)
        return RedirectResponse(CENTER_PATH, status_code=303)

    @router.get(PROFILE_PATH, summary="个人主页 (基本信息, 认证信息)")
    def user_profile(request: Request) -> Response:
        username = require_user(ctx, request)
        user = ctx.store.get_user(username)
        binding = ctx.store.binding_for_user(username)
        context = {
            "username": username,
            # Accounts registered in the app have one; the website's form does not ask for it.
            "nickname": user.nickname if user else None,
            "masked_mobile": accounts.mask_mobile(user.mobile) if user else "",
            "binding": binding,
            "certified_at": format_beijing(binding.bound_at) if binding else None,
            "start_path": START_PATH,
        }
        return render(ctx, request, "user_profile.html", context)

    def user_page(path: str, spec: _UserPage) -> None:
        @router.get(path, summary=spec.title)
        def page(request: Request) -> Response:
            username = require_user(ctx, request)
            user = ctx.store.get_user(username)
            context = {
                "title": spec.title,
                "parents": spec.parents,
                "links": spec.links,
                "text": spec.text.format(username=user.display_name if user else username),
            }
            return render(ctx, request, spec.template, context)

    for path, spec in _USER_PAGES.items():
        user_page(path, spec)

    # --- 北京市企业认证 (SSO with the 一证通 IdP) -----------------------------------------------

    # Plain ``def``: these talk to the IdP with a blocking client, so FastAPI runs them in its
    # thread pool and a slow IdP does not stall the event loop (and every other page with it).
    @router.get(START_PATH, summary="北京市企业认证: go to the IdP")
    def certification_start(request: Request) -> Response:
        require_user(ctx, request)
        sid = session_id(ctx, request)
        if sid is None:  # the session vanished since require_user (a reset in between)
            return RedirectResponse(login_url_for(START_PATH), status_code=303)
        try:
            url = ctx.certification.begin(sid, return_to=PROFILE_PATH)
        except IdpUnavailableError as error:
            return render_outcome(ctx, request, ProviderUnavailable(detail=str(error), channel="web"))
        return RedirectResponse(url, status_code=303)

    @router.get("/auth/yzt/callback", summary="Redirect URI of the 一证通 IdP")
    def certification_callback(request: Request) -> Response:
        params = request.query_params
        outcome = ctx.certification.complete(
            session_id(ctx, request),
            state=params.get("state"),
            code=params.get("code"),
            error=params.get("error"),
            error_description=params.get("error_description"),
        )
        # Shared with the app: the outcome says which front end's page answers.
        return render_outcome(ctx, request, outcome)

    return router
