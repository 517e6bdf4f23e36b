"""The app's devices (常见问题 Q1a 一部手机多个账号): an id per phone, and the accounts that used it.

The guide: "一部手机登录多个账号进行操作，如此操作会影响认证平台对企业认证绑定的判断和返回结果，
也会影响已经完成认证的账号，企业认证仅支持一部手机一个账号，请谨慎操作。"  To say so when it
applies, the platform has to know that two accounts were used on one phone, the way a real app
knows its install id.  So:

- every answer of the app's pages (``/m/…``) to a request without a valid device cookie issues
  a random id in a long-lived cookie (:data:`DEVICE_COOKIE`): httponly, and SameSite=Lax so that it
  comes back with the IdP's redirect to the platform's 企业认证 callback;
- only ids this platform issued count (the store keeps them): a cookie with any other value,
  forged or left from before a reset, is replaced by a new id, so that nobody can claim to be
  on someone else's phone;
- the app's 登录 records the account under the device (the last few, see ``state``).

:func:`logged_in_here` is the one question the result page asks (``results``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI, Request, Response

from mock_servers.platform.context import PlatformContext
from mock_servers.platform.state import User
from mock_servers.platform.web import is_app_path

DEVICE_COOKIE = "smebj_device"
# As long as browsers keep any cookie (they cap lifetimes at 400 days, RFC 6265bis): an
# install id outlives every session.
DEVICE_COOKIE_MAX_AGE = int(timedelta(days=400).total_seconds())
# Where the middleware leaves the request's device id for the route (``request.state``).
_STATE_KEY = "app_device_id"


def install_device_cookie(app: FastAPI, ctx: PlatformContext) -> None:
    """Give every app page's answer a device id: the request's own if the platform issued it, else a new one."""

    @app.middleware("http")
    async def device_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not is_app_path(request.url.path):
            return await call_next(request)
        known = _issued_id(ctx, request.cookies.get(DEVICE_COOKIE))
        device_id = known or ctx.store.issue_device()
        # Set before the route runs: a phone's very first request may be its 登录.
        setattr(request.state, _STATE_KEY, device_id)
        response = await call_next(request)
        if known is None:
            response.set_cookie(
                DEVICE_COOKIE,
                device_id,
                max_age=DEVICE_COOKIE_MAX_AGE,
                httponly=True,
                samesite="lax",
                secure=ctx.secure_cookies,
                path="/",
            )
        return response


def device_id(ctx: PlatformContext, request: Request) -> str | None:
    """The request's device id, if the platform issued it (None for a browser the app never answered)."""
    issued_now: str | None = getattr(request.state, _STATE_KEY, None)
    return issued_now or _issued_id(ctx, request.cookies.get(DEVICE_COOKIE))


def remember_login(ctx: PlatformContext, request: Request, user: User) -> None:
    """``user`` logged in to the app on the request's device."""
    device = device_id(ctx, request)
    if device is not None:
        ctx.store.remember_device_login(device, user.username)


def logged_in_here(ctx: PlatformContext, request: Request, username: str) -> bool:
    """Whether ``username`` logged in to the app on the device this request comes from."""
    device = device_id(ctx, request)
    return device is not None and ctx.store.logged_in_on_device(device, username)


def _issued_id(ctx: PlatformContext, value: str | None) -> str | None:
    return value if value and ctx.store.device_known(value) else None
