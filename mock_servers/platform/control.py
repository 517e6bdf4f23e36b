"""The platform mock's control interface: what tests and QA do that a person cannot.

A FastAPI sub-application mounted at ``/_control`` (OpenAPI at ``/_control/openapi.json``,
docs at ``/_control/docs``): seed accounts, bind and unbind enterprises (解绑 stands in for
the call center), read accounts and bindings, break the site (``faults``), move the clock,
and reset.  Seeded accounts obey the registration rules, so test data is always data a
person could have typed.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel, Field

from mock_servers.common.control import clock_router
from mock_servers.platform import accounts, state
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.sso import IDP_TIMEOUT_S


class SeedUser(BaseModel):
    """A platform account to create, as if registered through 用户注册."""

    username: str = Field(description="4-20 letters, digits or underscores, starting with a letter.")
    mobile: str = Field(description="Mainland mobile number, 11 digits starting 13-19.")
    password: str = Field(description="6-20 letters and digits, both present.")


class EnterpriseView(BaseModel):
    name: str
    credit_code: str
    certified_at: datetime


class UserView(BaseModel):
    username: str
    mobile: str
    enterprise: EnterpriseView | None = Field(description="The bound enterprise (已认证), or null (未认证).")


class Binding(BaseModel):
    """An enterprise bound to a platform account."""

    credit_code: str
    enterprise_name: str
    username: str
    bound_at: datetime


class NewBinding(BaseModel):
    credit_code: str = Field(min_length=1, description="统一社会信用代码/组织机构代码 (stored upper case).")
    enterprise_name: str = Field(min_length=1)
    username: str = Field(min_length=1, description="An existing platform account.")


class FaultsView(BaseModel):
    down: bool = Field(default=False, description="Every page answers 503 平台维护中 (the control interface stays up).")
    idp_timeout_seconds: float = Field(
        default=IDP_TIMEOUT_S,
        ge=0.1,
        le=30,
        description="How long the platform waits for the IdP before its friendly error; shorten it to test a slow IdP.",
    )


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
    return UserView(username=user.username, mobile=user.mobile, enterprise=enterprise)


def control_app(ctx: PlatformContext) -> FastAPI:
    app = FastAPI(
        title="北京市中小企业公共服务平台 mock: control interface",
        description="Test-facing API of the platform mock. Loopback only; not part of the real site.",
        version="1",
    )
    app.include_router(clock_router(ctx.clock))

    @app.post("/reset", status_code=204, summary="Forget accounts, sessions, bindings, faults; clock to real time")
    def reset() -> Response:
        ctx.store.reset()
        ctx.clock.reset()
        # A fresh start also re-reads the IdP's discovery document and keys (it may have restarted).
        ctx.oidc.clear_cache()
        return Response(status_code=204)

    @app.post("/users", status_code=201, response_model=UserView, summary="Seed a platform account")
    def create_user(body: SeedUser) -> UserView:
        registration = accounts.Registration(
            username=body.username,
            mobile=body.mobile,
            password=body.password,
            password_confirm=body.password,
            agreed=True,
        )
        errors = accounts.check_registration(ctx.store, registration)
        taken = {accounts.MSG_USERNAME_TAKEN, accounts.MSG_MOBILE_TAKEN}
        invalid = {name: message for name, message in errors.items() if message not in taken}
        if invalid:
            raise HTTPException(status_code=422, detail={"errors": invalid})
        user, errors = accounts.register(ctx.store, registration, ctx.clock.now())
        if user is None:
            raise HTTPException(status_code=409, detail={"errors": errors})
        return user_view(ctx, user)

    @app.get("/users/{username}", response_model=UserView, summary="Read a platform account")
    def get_user(username: str) -> UserView:
        user = ctx.store.get_user(username)
        if user is None:
            raise HTTPException(status_code=404, detail=f"no platform account named {username!r}")
        return user_view(ctx, user)

    @app.get("/bindings", response_model=list[Binding], summary="All enterprise bindings")
    def list_bindings() -> list[Binding]:
        return [binding_view(b) for b in ctx.store.bindings()]

    @app.get("/bindings/{credit_code}", response_model=Binding, summary="The binding of one enterprise")
    def get_binding(credit_code: str) -> Binding:
        binding = ctx.store.get_binding(credit_code)
        if binding is None:
            raise HTTPException(status_code=404, detail=f"no binding for credit code {credit_code!r}")
        return binding_view(binding)

    @app.post("/bindings", status_code=201, response_model=Binding, summary="Bind an enterprise to an account")
    def create_binding(body: NewBinding) -> Binding:
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

    @app.delete("/bindings/{credit_code}", status_code=204, summary="解绑 (what the call center does)")
    def delete_binding(credit_code: str) -> Response:
        if not ctx.store.unbind(credit_code):
            raise HTTPException(status_code=404, detail=f"no binding for credit code {credit_code!r}")
        return Response(status_code=204)

    @app.get("/faults", response_model=FaultsView, summary="Injected faults")
    def get_faults() -> FaultsView:
        return _faults_view(ctx.store.faults)

    @app.put("/faults", response_model=FaultsView, summary="Inject faults")
    def set_faults(body: FaultsView) -> FaultsView:
        faults = ctx.store.set_faults(state.Faults(down=body.down, idp_timeout_seconds=body.idp_timeout_seconds))
        return _faults_view(faults)

    return app
