"""The 北京通企服版 app's H5 pages under ``/m/`` (方式二 of the guide): 下载, 注册, 登录, 我的, 企业认证.

The same store as the website's pages: one account, one session cookie, one 认证信息,
whichever front end the user is on.  Route functions only read the request, call the
rule modules (``app_accounts`` for the app's own account rules, ``certification`` and
``results`` for 企业认证) and pick a page.  A 企业认证 started here comes back through the
website's callback (one redirect URI), which answers with the app's pages because the
request remembers its channel.

Forms are read with ``request.form()``, as on the website: a missing field gives the form
back with its message, never FastAPI's 422 JSON.  获取验证码 is the one JSON endpoint (the
page's script calls it), and its countdown asks the server each second, so the mock's
clock decides when the button comes back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from mock_servers.platform import accounts, app_accounts, app_devices
from mock_servers.platform.app_accounts import CodeRefused
from mock_servers.platform.certification import ProviderUnavailable
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.results import render_outcome
from mock_servers.platform.sso import IdpUnavailableError
from mock_servers.platform.state import User
from mock_servers.platform.web import (
    AGREEMENT_TITLES,
    APP_LOGIN_PATH,
    APP_ME_PATH,
    APP_START_PATH,
    LoginRequired,
    clear_session_cookie,
    end_session,
    ensure_session,
    form_text,
    is_app_path,
    local_path_or_none,
    login_url_for,
    render,
    requested_path,
    require_user,
    session_id,
    set_session_cookie,
)

HOME_PATH = "/m/"
REGISTER_PATH = "/m/register"
CERTIFICATION_PATH = "/m/certification"
DOWNLOAD_PATH = "/m/download"

# The bottom tab bar (底部导航), left to right: 我的 is the right-most tab, as the guide says.
TABS: tuple[tuple[str, str, str], ...] = (
    ("home", "首页", HOME_PATH),
    ("services", "服务", "/m/services"),
    ("messages", "消息", "/m/messages"),
    ("me", "我的", APP_ME_PATH),
)

CERTIFICATION_NOTE = (
    "如果没有一证通账号，请先在电脑上完成一证通注册（目前只能在PC端注册）；"
    "如果已有一证通账号，请选择“口令登录”，输入一证通账号和密码进行登录。"
)

# Where each app store is, for the two download pages.
_STORES = {
    "ios": ("iOS版", "请在iPhone上打开App Store，搜索“北京通企服版”，下载并安装。"),
    "android": (
        "Android版",
        "请在手机自带的应用市场（如华为、小米、OPPO、vivo应用商店）中搜索“北京通企服版”，下载并安装。",
    ),
}

# 获取验证码's refusals as HTTP statuses: what the script and the control interface act on.
_REFUSAL_STATUS = {"invalid": 422, "taken": 409, "rate_limited": 429}


def app_router(ctx: PlatformContext) -> APIRouter:
    router = APIRouter(prefix="/m")

    def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
        """An app page; ``tab`` in ``context`` names the current tab (None: no tab bar)."""
        full = {"tab": None, "tabs": TABS, "back": None, **context}
        return render(ctx, request, template, full, status_code=status_code)

    def not_found(request: Request) -> Response:
        return page(
            request, "app/error.html", {"title": "页面不存在", "message": "您访问的页面不存在。"}, status_code=404
        )

    def user_for(request: Request) -> User:
        """The logged-in account; without one, :class:`LoginRequired` sends the browser to the app's 登录."""
        user = ctx.store.session_user(session_id(ctx, request))
        if user is None:
            raise LoginRequired(login_url_for(requested_path(request), APP_LOGIN_PATH))
        return user

    # --- the tabs ---------------------------------------------------------------------------

    @router.get("/", summary="首页 (app)")
    def home(request: Request) -> Response:
        user = ctx.store.session_user(session_id(ctx, request))
        return page(request, "app/home.html", {"tab": "home", "user": user})

    @router.get("/services", summary="服务 (app)")
    def services(request: Request) -> Response:
        return page(request, "app/services.html", {"tab": "services"})

    @router.get("/messages", summary="消息 (app)")
    def messages(request: Request) -> Response:
        logged_in = ctx.store.session_user(session_id(ctx, request)) is not None
        return page(request, "app/messages.html", {"tab": "messages", "logged_in": logged_in})

    @router.get("/me", summary="我的 (app), with the 企业认证 card")
    def me(request: Request) -> Response:
        user = user_for(request)
        binding = ctx.store.binding_for_user(user.username)
        context = {
            "tab": "me",
            "user": user,
            "masked_mobile": accounts.mask_mobile(user.mobile),
            "user_type_label": app_accounts.USER_TYPE_LABELS[user.user_type] if user.user_type else None,
            "binding": binding,
            "certification_path": CERTIFICATION_PATH,
        }
        return page(request, "app/me.html", context)

    # --- 下载 and 协议 ------------------------------------------------------------------------

    @router.get("/download", summary="下载北京通企服版APP")
    def download(request: Request) -> Response:
        stores = [(name, f"{DOWNLOAD_PATH}/{key}") for key, (name, _) in _STORES.items()]
        return page(request, "app/download.html", {"stores": stores, "back": HOME_PATH})

    @router.get("/download/{store}", summary="iOS版 / Android版: where to get the app")
    def download_store(request: Request, store: str) -> Response:
        if store not in _STORES:
            return not_found(request)
        name, text = _STORES[store]
        return page(request, "app/download_store.html", {"title": name, "text": text, "back": DOWNLOAD_PATH})

    @router.get("/agreement/{kind}", summary="用户服务协议 / 隐私协议 (app)")
    def agreement(request: Request, kind: str) -> Response:
        if kind not in AGREEMENT_TITLES:
            return not_found(request)
        return page(request, "app/agreement.html", {"title": AGREEMENT_TITLES[kind], "back": _came_from(request)})

    # --- 注册 and 获取验证码 -------------------------------------------------------------------

    def register_form(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
        context = {
            "values": values,
            "errors": errors,
            # A form given back while the number is still cooling down keeps counting down.
            "resend_after": app_accounts.resend_after(ctx.sms, values.get("mobile", "")),
            "user_types": app_accounts.USER_TYPE_LABELS,
            "back": HOME_PATH,
        }
        return page(request, "app/register.html", context)

    @router.get("/register", summary="注册 (app)")
    def register_page(request: Request) -> Response:
        return register_form(request, {}, {})

    @router.post("/register")
    async def register_submit(request: Request) -> Response:
        form = await request.form()
        # As typed: the rules read each identifier in its canonical form, the page gives back the user's own.
        registration = app_accounts.AppRegistration(
            mobile=form_text(form, "mobile"),
            sms_code=form_text(form, "sms_code"),
            password=form_text(form, "password"),
            nickname=form_text(form, "nickname"),
            user_type=form_text(form, "user_type"),
        )
        user, errors = app_accounts.register(ctx.store, ctx.sms, registration, ctx.clock.now())
        if user is None:
            # Give back what was typed, except the password and the SMS code.
            values = {
                "mobile": registration.mobile,
                "nickname": registration.nickname,
                "user_type": registration.user_type,
            }
            return register_form(request, values, errors)
        response = RedirectResponse(APP_LOGIN_PATH, status_code=303)
        ctx.store.push_flash(ensure_session(ctx, request, response), accounts.MSG_REGISTERED)
        return response

    @router.post("/sms", summary="获取验证码 (JSON, called by the 注册 page's script)")
    async def send_code(request: Request) -> Response:
        form = await request.form()
        result = app_accounts.request_registration_code(ctx.store, ctx.sms, form_text(form, "mobile"))
        if isinstance(result, CodeRefused):
            body = {"field": result.field, "message": result.message, "resend_after": result.resend_after}
            return _no_store(JSONResponse(body, status_code=_REFUSAL_STATUS[result.reason]))
        return _no_store(JSONResponse({"sent": True, "resend_after": result.resend_after}))

    @router.get("/sms/cooldown", summary="Seconds until 获取验证码 works again for a number (the countdown)")
    def code_cooldown(request: Request) -> Response:
        resend_after = app_accounts.resend_after(ctx.sms, request.query_params.get("mobile", ""))
        return _no_store(JSONResponse({"resend_after": resend_after}))

    # --- 登录 / 退出登录 ------------------------------------------------------------------------

    @router.get("/login", summary="登录 (app)")
    def login_page(request: Request) -> Response:
        next_path = local_path_or_none(request.query_params.get("next"))
        return page(request, "app/login.html", {"values": {}, "errors": {}, "next": next_path, "back": HOME_PATH})

    @router.post("/login")
    async def login_submit(request: Request) -> Response:
        form = await request.form()
        mobile = form_text(form, "mobile")
        next_path = local_path_or_none(form_text(form, "next") or request.query_params.get("next"))
        user, errors = app_accounts.log_in(ctx.store, mobile, form_text(form, "password"))
        if user is None:
            context = {"values": {"mobile": mobile}, "errors": errors, "next": next_path, "back": HOME_PATH}
            return page(request, "app/login.html", context)
        # 常见问题 Q1a: the phone remembers the accounts used on it.
        app_devices.remember_login(ctx, request, user)
        # A fresh session id at login, as on the website (no fixation; half-done requests dropped).
        end_session(ctx, request)
        response = RedirectResponse(next_path or HOME_PATH, status_code=303)
        set_session_cookie(ctx, response, ctx.store.create_session(user.username))
        return response

    @router.post("/logout", summary="退出登录 (app)")
    def logout(request: Request) -> Response:
        end_session(ctx, request)
        response = RedirectResponse(HOME_PATH, status_code=303)
        clear_session_cookie(ctx, response)
        return response

    # --- 企业认证 ---------------------------------------------------------------------------

    @router.get("/certification", summary="企业认证 (app): choose 北京市企业认证")
    def certification(request: Request) -> Response:
        user = user_for(request)
        binding = ctx.store.binding_for_user(user.username)
        context = {"binding": binding, "start_path": APP_START_PATH, "note": CERTIFICATION_NOTE, "back": APP_ME_PATH}
        return page(request, "app/certification.html", context)

    # Plain ``def``: it talks to the IdP with a blocking client (see the website's twin).
    @router.get("/auth/yzt/start", summary="北京市企业认证 (app): go to the IdP")
    def certification_start(request: Request) -> Response:
        require_user(ctx, request, APP_LOGIN_PATH)
        sid = session_id(ctx, request)
        if sid is None:  # the session vanished since require_user (a reset in between)
            return RedirectResponse(login_url_for(APP_START_PATH, APP_LOGIN_PATH), status_code=303)
        try:
            url = ctx.certification.begin(sid, return_to=APP_ME_PATH, channel="app")
        except IdpUnavailableError as error:
            return render_outcome(ctx, request, ProviderUnavailable(detail=str(error), channel="app"))
        return RedirectResponse(url, status_code=303)

    return router


def _no_store(response: Response) -> Response:
    # The countdown polls the same URL every second: a cached answer would freeze it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _came_from(request: Request) -> str:
    """The app page that linked here (注册 or 登录), for the back button; 首页 otherwise."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and is_app_path(referer.path):
        return local_path_or_none(referer.path) or HOME_PATH
    return HOME_PATH
