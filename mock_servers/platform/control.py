"""The platform mock's control interface: what tests and QA do that a person cannot.

A FastAPI sub-application mounted at ``/_control`` (OpenAPI at ``/_control/openapi.json``,
docs at ``/_control/docs``): seed accounts (website- or app-style), bind and unbind
enterprises (解绑 stands in for the call center), read accounts and bindings, read the SMS
outbox and send codes, break the site (``faults``), move the clock, and reset.  Seeded
accounts obey the registration rules, so test data is always data a person could have typed.

Identifiers are read as the pages read them (``mock_servers.common.identifiers``): a username,
mobile number or credit code may come in any spelling a person would type ("138 1234 5678",
full-width digits, a lower-case or hyphenated code), and what is stored and answered is the
canonical form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel, Field

from mock_servers.common import identifiers
from mock_servers.common.control import (
    InvalidRequest,
    SmsView,
    ValidationIssue,
    clock_router,
    complete_control_app,
    documented,
    server_errors_router,
    sms_router,
)
from mock_servers.platform import accounts, app_accounts, state
from mock_servers.platform.app_accounts import CodeRefused
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.protocol_schema import PROTOCOL_SCHEMA_PATH, protocol_document
from mock_servers.platform.sso import IDP_TIMEOUT_S
from mock_servers.platform.state import UserType

# The purposes the platform sends SMS codes for (the IdP will have its own).
SMS_PURPOSES = (app_accounts.PURPOSE_REGISTER,)


class SeedUser(BaseModel):
    """A platform account to create, as if registered on the website (用户注册) or in the app (注册)."""

    username: str | None = Field(
        default=None,
        description="4-20 letters, digits or underscores, starting with a letter (a website account). "
        "Leave it out for an app account: its username is its mobile number, and nickname and user_type are required.",
    )
    mobile: str = Field(
        description="Mainland mobile number, 11 digits starting 13-19 (spaces, hyphens, +86 and full-width digits "
        "are read as on the forms; stored as 11 digits)."
    )
    password: str = Field(description="6-20 letters and digits, both present.")
    nickname: str | None = Field(
        default=None, description="昵称, 1-20 characters; required for an app account, optional otherwise."
    )
    user_type: UserType | None = Field(
        default=None, description="个人用户 (personal) or 企业用户 (enterprise); required for an app account."
    )


class EnterpriseView(BaseModel):
    name: str
    credit_code: str
    certified_at: datetime


class UserView(BaseModel):
    username: str = Field(description="An app account's username is its mobile number.")
    mobile: str
    nickname: str | None = Field(default=None, description="昵称 (app accounts), shown instead of the username.")
    user_type: UserType | None = Field(default=None, description="个人用户 / 企业用户 (app accounts).")
    enterprise: EnterpriseView | None = Field(description="The bound enterprise (已认证), or null (未认证).")


class SmsRequest(BaseModel):
    """Send a code as 获取验证码 would (same rules and rate limits)."""

    mobile: str = Field(description="Mainland mobile number, 11 digits starting 13-19; for 'register', not registered.")
    purpose: str = Field(default=app_accounts.PURPOSE_REGISTER, description="Only 'register' on the platform.")


class Binding(BaseModel):
    """An enterprise bound to a platform account."""

    credit_code: str
    enterprise_name: str
    username: str
    bound_at: datetime


class NewBinding(BaseModel):
    credit_code: str = Field(
        min_length=1,
        description="统一社会信用代码/组织机构代码, in any spelling a person types (full-width, lower case, "
        "spaces or hyphens); stored canonical: digits and capital letters only.",
    )
    enterprise_name: str = Field(min_length=1)
    username: str = Field(min_length=1, description="An existing platform account.")


class FaultsView(BaseModel):
    # Strict: a boolean and a number as JSON writes them, never 0/1 or a numeric string.
    down: bool = Field(
        default=False, strict=True, description="Every page answers 503 平台维护中 (the control interface stays up)."
    )
    idp_timeout_seconds: float = Field(
        default=IDP_TIMEOUT_S,
        ge=0.1,
        le=30,
        strict=True,
        description="How long the platform waits for the IdP before its friendly error; shorten it to test a slow IdP.",
    )


class FieldErrors(BaseModel):
    """What the registration rules say of the seed, field by field, as the form would show it."""

    errors: dict[str, str] = Field(description="Field name: the form's message for it.")
    hint: str | None = Field(default=None, description="What an app account (no username) needs.")


class SeedRefused(BaseModel):
    detail: FieldErrors | list[ValidationIssue]


class SmsRefusal(BaseModel):
    """获取验证码 refused, in the page script's words, with what the caller can do."""

    field: str
    message: str = Field(description="What the page would show.")
    resend_after: int = Field(description="Seconds until a code can be sent again (0: not a rate limit).")
    hint: str


class SmsRefused(BaseModel):
    detail: SmsRefusal | list[ValidationIssue] | str


def _faults_view(faults: state.Faults) -> FaultsView:
    return FaultsView(down=faults.down, idp_timeout_seconds=faults.idp_timeout_seconds)


def binding_view(binding: state.Binding) -> Binding:
    return Binding(
        credit_code=binding.credit_code,
        enterprise_name=binding.enterprise_name,
        username=binding.username,
        bound_at=binding.bound_at,
    )


def user_view(ctx: PlatformContext, user: state.User) -> UserView:
    binding = ctx.store.binding_for_user(user.username)
    enterprise = (
        EnterpriseView(name=binding.enterprise_name, credit_code=binding.credit_code, certified_at=binding.bound_at)
        if binding
        else None
    )
    return UserView(
        username=user.username,
        mobile=user.mobile,
        nickname=user.nickname,
        user_type=user.user_type,
        enterprise=enterprise,
    )


def control_app(ctx: PlatformContext) -> FastAPI:
    app = FastAPI(
        title="北京市中小企业公共服务平台 mock: control interface",
        description="Test-facing API of the platform mock. Loopback only; not part of the real site.",
        version="1",
    )
    app.include_router(clock_router(ctx.clock))
    app.include_router(sms_router(ctx.sms))
    app.include_router(server_errors_router(ctx.server_errors))
    complete_control_app(app)
    no_account = documented("No platform account has this username.")
    no_binding = documented("No enterprise with this credit code is bound.")

    # The SSO callback's and 获取验证码's own document (no part of this interface, so not in its document).
    @app.get(PROTOCOL_SCHEMA_PATH, include_in_schema=False)
    def protocol_openapi() -> dict[str, Any]:
        return protocol_document()

    @app.post(
        "/reset", status_code=204, summary="Forget accounts, sessions, bindings, SMS codes, faults; clock to real time"
    )
    def reset() -> Response:
        ctx.store.reset()
        ctx.sms.reset()
        ctx.server_errors.clear()
        ctx.clock.reset()
        # A fresh start also re-reads the IdP's discovery document and keys (it may have restarted).
        ctx.oidc.clear_cache()
        return Response(status_code=204)

    @app.post(
        "/users",
        status_code=201,
        response_model=UserView,
        summary="Seed a platform account",
        responses={
            409: documented("The username or the mobile number has an account already.", SeedRefused),
            422: documented("The body is malformed, or a value breaks the registration rules.", SeedRefused),
        },
    )
    def create_user(body: SeedUser) -> UserView:
        user = _create_app_user(body) if body.username is None else _create_web_user(body, body.username)
        return user_view(ctx, user)

    def _create_web_user(body: SeedUser, username: str) -> state.User:
        registration = accounts.Registration(
            username=username,
            mobile=body.mobile,
            password=body.password,
            password_confirm=body.password,
            agreed=True,
        )
        errors = accounts.check_registration(ctx.store, registration)
        taken = {accounts.MSG_USERNAME_TAKEN, accounts.MSG_MOBILE_TAKEN}
        invalid = {name: message for name, message in errors.items() if message not in taken}
        nickname = body.nickname.strip() if body.nickname is not None else None
        if nickname is not None and (nickname_error := app_accounts.nickname_error(nickname)):
            invalid["nickname"] = nickname_error
        if invalid:
            raise HTTPException(status_code=422, detail={"errors": invalid})
        user, errors = accounts.register(
            ctx.store, registration, ctx.clock.now(), nickname=nickname, user_type=body.user_type
        )
        if user is None:
            raise HTTPException(status_code=409, detail={"errors": errors})
        return user

    def _create_app_user(body: SeedUser) -> state.User:
        # Trimmed like the form's field, so a seeded nickname is one the form would have stored.
        nickname = (body.nickname or "").strip()
        errors = app_accounts.check_profile(body.mobile, body.password, nickname, body.user_type)
        if errors:
            raise HTTPException(status_code=422, detail={"errors": errors, "hint": _APP_ACCOUNT_HINT})
        user, errors = app_accounts.create_user(
            ctx.store, body.mobile, body.password, nickname, body.user_type, ctx.clock.now()
        )
        if user is None:
            raise HTTPException(status_code=409, detail={"errors": errors})
        return user

    @app.get(
        "/users/{username}", response_model=UserView, summary="Read a platform account", responses={404: no_account}
    )
    def get_user(username: str) -> UserView:
        user = ctx.store.get_user(username)
        if user is None:
            raise HTTPException(status_code=404, detail=f"no platform account named {username!r}")
        return user_view(ctx, user)

    @app.get("/bindings", response_model=list[Binding], summary="All enterprise bindings")
    def list_bindings() -> list[Binding]:
        return [binding_view(b) for b in ctx.store.bindings()]

    @app.get(
        "/bindings/{credit_code}",
        response_model=Binding,
        summary="The binding of one enterprise",
        responses={404: no_binding},
    )
    def get_binding(credit_code: str) -> Binding:
        binding = ctx.store.get_binding(credit_code)
        if binding is None:
            raise HTTPException(status_code=404, detail=f"no binding for credit code {credit_code!r}")
        return binding_view(binding)

    @app.post(
        "/bindings",
        status_code=201,
        response_model=Binding,
        summary="Bind an enterprise to an account",
        responses={
            404: no_account,
            409: documented("The enterprise is bound to another account, or the account to another enterprise."),
            422: documented("The body is malformed, or credit_code has no code in it.", InvalidRequest),
        },
    )
    def create_binding(body: NewBinding) -> Binding:
        if not identifiers.credit_code(body.credit_code):
            # Only invisible characters or separators: no code at all once read like the pages read one.
            raise HTTPException(status_code=422, detail=f"credit_code {body.credit_code!r} has no code in it")
        try:
            result = ctx.store.bind(body.credit_code, body.enterprise_name.strip(), body.username, ctx.clock.now())
        except state.UnknownUserError as error:
            raise HTTPException(status_code=404, detail=f"no platform account named {body.username!r}") from error
        if result.outcome is state.BindOutcome.TAKEN_BY_OTHER:
            raise HTTPException(
                status_code=409,
                detail=f"enterprise {result.binding.credit_code} is bound to account {result.binding.username!r}",
            )
        if result.outcome is state.BindOutcome.USER_HAS_OTHER_ENTERPRISE:
            raise HTTPException(
                status_code=409,
                detail=f"account {body.username!r} is bound to enterprise {result.binding.credit_code}",
            )
        return binding_view(result.binding)

    @app.delete(
        "/bindings/{credit_code}",
        status_code=204,
        summary="解绑 (what the call center does)",
        responses={404: no_binding},
    )
    def delete_binding(credit_code: str) -> Response:
        if not ctx.store.unbind(credit_code):
            raise HTTPException(status_code=404, detail=f"no binding for credit code {credit_code!r}")
        return Response(status_code=204)

    @app.post(
        "/sms",
        status_code=201,
        response_model=SmsView,
        summary="Send a code, as 获取验证码 would",
        responses={
            409: documented("The number has an account already: register codes go only to new numbers.", SmsRefused),
            422: documented("The body is malformed, the purpose unknown or the number no mobile number.", SmsRefused),
            429: documented("Too many codes for this number: the rate limits follow the mock's clock.", SmsRefused),
        },
    )
    def send_sms(body: SmsRequest) -> SmsView:
        if body.purpose not in SMS_PURPOSES:
            raise HTTPException(
                status_code=422, detail=f"unknown purpose {body.purpose!r}: the platform sends codes for {SMS_PURPOSES}"
            )
        result = app_accounts.request_registration_code(ctx.store, ctx.sms, body.mobile)
        if isinstance(result, CodeRefused):
            status, hint = _SMS_REFUSALS[result.reason]
            detail = {"field": result.field, "message": result.message, "resend_after": result.resend_after}
            raise HTTPException(status_code=status, detail={**detail, "hint": hint})
        return SmsView.of(result.sms)

    @app.get("/faults", response_model=FaultsView, summary="Injected faults")
    def get_faults() -> FaultsView:
        return _faults_view(ctx.store.faults)

    @app.put(
        "/faults",
        response_model=FaultsView,
        summary="Inject faults",
        responses={422: documented("The body is malformed.", InvalidRequest)},
    )
    def set_faults(body: FaultsView) -> FaultsView:
        faults = ctx.store.set_faults(state.Faults(down=body.down, idp_timeout_seconds=body.idp_timeout_seconds))
        return _faults_view(faults)

    return app


_APP_ACCOUNT_HINT = (
    "without a username this is an app account (its username is its mobile number): give nickname "
    "(1-20 characters) and user_type ('personal' or 'enterprise'), or give a username for a website account"
)

# 获取验证码's refusals: the status a control call answers with, and what the caller can do.
_SMS_REFUSALS: dict[str, tuple[int, str]] = {
    "invalid": (422, "give an 11-digit mainland mobile number starting 13-19"),
    "taken": (409, "this number has an account already; register codes go only to new numbers"),
    "rate_limited": (
        429,
        "the limits follow the mock's clock: move it (POST /_control/clock/advance) instead of waiting, or reset",
    ),
}
