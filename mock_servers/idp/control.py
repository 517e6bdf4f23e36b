"""The IdP mock's control interface: what tests and QA do that a person cannot.

A FastAPI sub-application mounted at ``/_control`` (OpenAPI at
``/_control/openapi.json``): seed and inspect accounts, read a captcha's
answer and the SMS outbox, register OIDC clients, make the IdP down or slow or
fail the next token request, move the clock, reset.  Seeds take identifiers in
any spelling a person could type and store them in the same canonical form as the
pages (``mock_servers.common.identifiers``).
Errors are JSON ``{"detail": …}`` sentences that say what to do next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_servers.common import identifiers
from mock_servers.common.control import (
    InvalidRequest,
    JsonInteger,
    clock_router,
    complete_control_app,
    documented,
    server_errors_router,
    sms_router,
)
from mock_servers.idp.protocol_schema import PROTOCOL_SCHEMA_PATH, protocol_document
from mock_servers.idp.state import (
    Account,
    AccountExistsError,
    Captcha,
    Faults,
    IdpStore,
    LegalIdentity,
    OidcClient,
)
from mock_servers.idp.validation import credit_code_error, legal_person_id_error, mobile_error

_T = TypeVar("_T")


class SeedAccount(BaseModel):
    """An account to create directly, as if registered and (by default) already reviewed."""

    model_config = ConfigDict(extra="forbid")

    account: str = Field(min_length=1, max_length=64, description="一证通账号 (unique regardless of case).")
    password: str | None = Field(
        default=None, min_length=1, description="None: the account was opened another way and has no password."
    )
    mobile: str = Field(description="Mainland mobile number (11 digits, 13x-19x): where 找回密码 sends its SMS code.")
    enterprise_name: str = Field(min_length=1)
    credit_code: str = Field(description="统一社会信用代码 (18) or 组织机构代码 (9), with a right check character.")
    legal_person_name: str = Field(min_length=1)
    legal_person_id_type: Literal["resident_id", "passport"] = "resident_id"
    legal_person_id_number: str
    reviewed: bool = Field(
        default=True, strict=True, description="False: under review until one working day has passed."
    )

    @field_validator("enterprise_name", "legal_person_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("account")
    @classmethod
    def _canonical_account(cls, value: str) -> str:
        # The same canonical form as the registration form's, so the seed logs in as typed.
        name = identifiers.account_name(value)
        if not name:
            raise ValueError("must not be blank")
        return name

    @field_validator("mobile")
    @classmethod
    def _valid_mobile(cls, value: str) -> str:
        number = identifiers.mobile(value)
        message = mobile_error(number)
        if message:
            raise ValueError(f"mobile {value!r}: {message} (11 digits, 13x-19x)")
        return number

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str) -> str:
        # Seeds obey the same rules as the registration form, so a test can
        # never depend on data that a real user could not have registered.
        code = identifiers.credit_code(value)
        message = credit_code_error(code)
        if message:
            raise ValueError(
                f"{value!r}: {message}; expected a valid 统一社会信用代码 (18 characters, GB 32100 check character, "
                "a valid organization code inside) or 组织机构代码 (9 characters, GB 11714 check character)"
            )
        return code

    @model_validator(mode="after")
    def _valid_id_number(self) -> SeedAccount:
        number = identifiers.id_number(self.legal_person_id_number)
        message = legal_person_id_error(self.legal_person_id_type, number)
        if message:
            expected = (
                "an 18-character 居民身份证号 with a right GB 11643 check digit, birth date and region"
                if self.legal_person_id_type == "resident_id"
                else "5-20 letters or digits"
            )
            raise ValueError(f"legal_person_id_number {self.legal_person_id_number!r} is not {expected}: {message}")
        self.legal_person_id_number = number
        return self

    def legal_identity(self) -> LegalIdentity:
        """The enterprise and legal representative, as the registration wizard's step 1 records them."""
        return LegalIdentity(
            enterprise_name=self.enterprise_name,
            credit_code=self.credit_code,
            legal_person_name=self.legal_person_name,
            legal_person_id_type=self.legal_person_id_type,
            legal_person_id_number=self.legal_person_id_number,
        )


class AccountView(BaseModel):
    account: str
    subject: str = Field(description="The ID token's sub claim for this account.")
    enterprise_name: str
    credit_code: str
    legal_person_name: str
    legal_person_id_type: Literal["resident_id", "passport"]
    legal_person_id_number: str
    mobile: str
    status: Literal["pending_review", "active"]
    registered_at: datetime
    review_due: datetime | None
    has_password: bool
    failed_logins: int
    locked_until: datetime | None

    @classmethod
    def of(cls, account: Account, now: datetime) -> AccountView:
        return cls(
            account=account.account,
            subject=account.subject,
            enterprise_name=account.enterprise_name,
            credit_code=account.credit_code,
            legal_person_name=account.legal_person_name,
            legal_person_id_type=account.legal_person_id_type,
            legal_person_id_number=account.legal_person_id_number,
            mobile=account.mobile,
            status="active" if account.is_reviewed(now) else "pending_review",
            registered_at=account.registered_at,
            review_due=account.review_due,
            has_password=account.password_hash is not None,
            failed_logins=account.failed_logins,
            locked_until=account.locked_until,
        )


class CaptchaView(BaseModel):
    captcha_id: str
    answer: str
    expires_at: datetime
    used: bool

    @classmethod
    def of(cls, captcha: Captcha) -> CaptchaView:
        return cls(
            captcha_id=captcha.captcha_id, answer=captcha.answer, expires_at=captcha.expires_at, used=captcha.used
        )


class ClientRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)
    redirect_uris: list[str] = Field(min_length=1, description="Matched exactly, character for character.")

    @field_validator("redirect_uris")
    @classmethod
    def _absolute_uris(cls, values: list[str]) -> list[str]:
        for value in values:
            parts = urlsplit(value)
            # RFC 6749 section 3.1.2: absolute, and no fragment.
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
                raise ValueError(f"{value!r} must be an absolute http(s) URL without a fragment")
        return values


class ClientView(BaseModel):
    client_id: str
    redirect_uris: list[str]


class FaultSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Booleans and numbers as JSON writes them, never 0/1 or numeric strings.
    down: bool = Field(default=False, strict=True, description="Every page answers 503 统一身份认证平台暂时无法访问.")
    delay_seconds: float = Field(
        default=0, ge=0, le=30, strict=True, description="Every response waits this long first."
    )
    pending_token_failures: JsonInteger = Field(
        default=0,
        ge=0,
        description=(
            "How many of the next token requests answer 503 temporarily_unavailable "
            "(POST /faults/fail-next-token-request adds one). "
            "PUT replaces all settings, so a body without it clears them."
        ),
    )

    @classmethod
    def of(cls, faults: Faults) -> FaultSettings:
        return cls(
            down=faults.down, delay_seconds=faults.delay_seconds, pending_token_failures=faults.pending_token_failures
        )


def control_app(store: IdpStore) -> FastAPI:
    app = FastAPI(
        title="一证通 identity provider mock: control interface",
        description=(
            "Seed accounts, read captcha answers and the SMS outbox, register OIDC clients, inject faults, "
            "move the clock."
        ),
    )
    app.include_router(clock_router(store.clock))
    app.include_router(sms_router(store.sms))
    app.include_router(server_errors_router(store.server_errors))
    complete_control_app(app)
    malformed = documented("The body is malformed, or a value breaks the registration rules.", InvalidRequest)

    # The protocol endpoints' own document (they are no part of this interface, so not in its document).
    @app.get(PROTOCOL_SCHEMA_PATH, include_in_schema=False)
    def protocol_openapi() -> dict[str, Any]:
        return protocol_document()

    @app.post(
        "/reset",
        status_code=204,
        summary="Forget accounts, sessions, captchas, codes, recoveries, the SMS outbox, faults; clock to real time",
    )
    def reset() -> Response:
        store.reset()
        return Response(status_code=204)

    @app.post(
        "/accounts",
        status_code=201,
        response_model=AccountView,
        summary="Create an account directly",
        responses={409: documented("An account of this name exists already."), 422: malformed},
    )
    def seed_account(body: SeedAccount) -> AccountView:
        try:
            created = store.add_account(
                account=body.account,
                password=body.password,
                mobile=body.mobile,
                identity=body.legal_identity(),
                reviewed=body.reviewed,
            )
        except AccountExistsError as error:
            raise HTTPException(
                status_code=409, detail=f"{error}; choose another name, or POST /_control/reset first"
            ) from error
        return AccountView.of(created, store.clock.now())

    @app.get(
        "/accounts/{account}",
        response_model=AccountView,
        summary="Read an account's state",
        responses={404: documented("No account of this name.")},
    )
    def get_account(account: str) -> AccountView:
        found = _found(
            store.get_account(account),
            f"no 一证通 account named {account!r}; "
            "register one through the pages or create one with POST /_control/accounts",
        )
        return AccountView.of(found, store.clock.now())

    @app.get(
        "/captchas/{captcha_id}",
        response_model=CaptchaView,
        summary="Read a captcha's answer",
        responses={404: documented("No captcha with this id (reset forgets them all).")},
    )
    def get_captcha(captcha_id: str) -> CaptchaView:
        found = _found(
            store.get_captcha(captcha_id),
            f"no captcha with id {captcha_id!r}; read the id from the page's hidden captcha_id input "
            "(each page render issues a new one; reset forgets them all)",
        )
        return CaptchaView.of(found)

    @app.post("/clients", status_code=201, response_model=ClientView, summary="Register (or replace) an OIDC client")
    def register_client(body: ClientRegistration) -> ClientView:
        store.register_client(
            OidcClient(
                client_id=body.client_id, client_secret=body.client_secret, redirect_uris=tuple(body.redirect_uris)
            )
        )
        return ClientView(client_id=body.client_id, redirect_uris=body.redirect_uris)

    @app.get("/faults", response_model=FaultSettings, summary="Read the injected faults")
    def get_faults() -> FaultSettings:
        return FaultSettings.of(store.get_faults())

    @app.put("/faults", response_model=FaultSettings, summary="Make the IdP down or slow (all non-control routes)")
    def set_faults(body: FaultSettings) -> FaultSettings:
        store.set_faults(
            Faults(down=body.down, delay_seconds=body.delay_seconds, pending_token_failures=body.pending_token_failures)
        )
        return body

    # An intent verb in the style of navikt/mock-oauth2-server: shape only the next
    # exchange, so a test checks the relying party's error page and then its recovery
    # without switching anything off again.
    @app.post(
        "/faults/fail-next-token-request",
        response_model=FaultSettings,
        summary="Make the next token request answer 503 temporarily_unavailable (each call adds one)",
    )
    def fail_next_token_request() -> FaultSettings:
        return FaultSettings.of(store.add_token_failure())

    return app


def _found(record: _T | None, detail: str) -> _T:
    """``record``, or a 404 whose ``detail`` says what to do instead."""
    if record is None:
        raise HTTPException(status_code=404, detail=detail)
    return record
