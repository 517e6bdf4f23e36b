"""Pieces of the control interface that both mocks share.

Each mock serves its control interface as a FastAPI sub-application mounted at
``/_control`` (own OpenAPI schema at ``/_control/openapi.json``, docs at
``/_control/docs``).  This module holds the clock endpoints and the base of the
typed Python clients that the harness's fixtures use.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any, Final

import httpx
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from mock_servers.common import http, identifiers
from mock_servers.common.clock import MockClock
from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.common.server_errors import ServerError, ServerErrors
from mock_servers.common.sms import SentSms, SmsService

# The most each part of a clock move may be: far more than any rule's deadline, and four of them from
# today stay well inside the moments the clock can show (mock_servers.common.clock).
_CENTURY_S: Final = 100 * 365 * 86_400
# RFC 3339's date-time (JSON Schema's "date-time"): a date, a time and an offset, nothing else.
_RFC3339_DATE_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})", re.ASCII
)


def _json_integer(value: object) -> object:
    """A whole number as JSON has it: 3 or 3.0, never true, "3" or 3.5 (lax pydantic takes some; strict, not 3.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("must be a whole number")


# An integer field of a control request: what JSON Schema's "integer" means, no more, no less.
JsonInteger = Annotated[int, BeforeValidator(_json_integer)]


class Problem(BaseModel):
    """A refused control call: ``detail`` says what was wrong and what to do instead."""

    detail: str


class ValidationIssue(BaseModel):
    """One thing wrong with a request, as FastAPI's request validation reports it."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int] = Field(description="Where: body, query or path, then the field.")
    msg: str
    type: str


class InvalidRequest(BaseModel):
    """A request the control interface cannot carry out as given (422)."""

    detail: list[ValidationIssue] | str = Field(
        description="The request's validation errors, or a sentence saying what is wrong with the values."
    )


def documented(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    """An entry of a route's ``responses``: an error answer in the control interface's OpenAPI document."""
    return {"model": model, "description": description}


def complete_control_app(app: FastAPI) -> None:
    """What FastAPI leaves out of a control interface, in its answers and in its OpenAPI document.

    - A 405 names every method the resource takes in ``Allow`` (RFC 9110 section 15.5.6).  Starlette's
      router names only those of the first route whose path matches, so ``PUT /sms`` would be answered
      ``Allow: GET`` on a mock that also has ``POST /sms``.  The methods come from the app's own OpenAPI
      document: what it documents is what it takes.
    - A body that cannot be read at all (bytes that are no UTF-8) is answered 400 by FastAPI before
      validation: the document says so for every operation that takes a body.
    """
    make_document = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = make_document()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    if "requestBody" in operation:
                        operation["responses"].setdefault("400", _UNREADABLE_BODY)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 405:
            path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
            allowed = sorted(
                method.upper()
                for template, operations in app.openapi()["paths"].items()
                if re.fullmatch(re.sub(r"\{[^}/]+\}", "[^/]+", template), path)
                for method in operations
            )
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed)}
        return await http_exception_handler(request, exc)

    app.add_exception_handler(StarletteHTTPException, method_not_allowed)


_UNREADABLE_BODY: Final = {
    "description": "The body could not be read (not UTF-8).",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
        }
    },
}


def mount_control(app: FastAPI, control: FastAPI) -> None:
    """Serve ``control`` at ``CONTROL_PREFIX``, for every path under it.

    Starlette's pattern for the rest of a mount's path is ``.*``, which stops at a line break: a path
    with ``%0A`` in it (a fuzzed account name, say) would miss the control interface and get the site's
    HTML 404 page instead of the interface's JSON answer.
    """
    app.mount(CONTROL_PREFIX, control, name="control")
    mount = next(route for route in app.routes if isinstance(route, Mount) and route.path == CONTROL_PREFIX)
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)


class ClockState(BaseModel):
    now: datetime = Field(description="The mock's current time (Beijing time).")


class ClockAdvance(BaseModel):
    """How far to move the clock: each part a number (never a boolean or a numeric string), at most a century."""

    days: float = Field(default=0, ge=0, le=_CENTURY_S / 86_400, strict=True)
    hours: float = Field(default=0, ge=0, le=_CENTURY_S / 3_600, strict=True)
    minutes: float = Field(default=0, ge=0, le=_CENTURY_S / 60, strict=True)
    seconds: float = Field(default=0, ge=0, le=_CENTURY_S, strict=True)

    def as_timedelta(self) -> timedelta:
        return timedelta(days=self.days, hours=self.hours, minutes=self.minutes, seconds=self.seconds)


class ClockSet(BaseModel):
    now: datetime = Field(description="The moment to jump to, with a timezone, e.g. 2026-11-27T10:00:00+08:00.")

    @field_validator("now", mode="before")
    @classmethod
    def _rfc3339(cls, value: object) -> object:
        # Not whatever pydantic can read as a moment (a number of seconds, a date alone): the schema's date-time.
        if isinstance(value, datetime) or (isinstance(value, str) and _RFC3339_DATE_TIME.fullmatch(value)):
            return value
        raise ValueError("give the moment as an RFC 3339 date-time with a timezone, e.g. 2026-11-27T10:00:00+08:00")


def clock_router(clock: MockClock) -> APIRouter:
    """``GET /clock``, ``POST /clock/advance``, ``POST /clock/set`` for one mock's clock."""
    router = APIRouter(prefix="/clock", tags=["clock"])

    @router.get("", response_model=ClockState, summary="Read the mock's clock")
    def read_clock() -> ClockState:
        return ClockState(now=clock.now())

    refused: dict[int | str, dict[str, Any]] = {
        422: documented("The body is malformed, or the moment is one the clock cannot show.", InvalidRequest)
    }

    @router.post("/advance", response_model=ClockState, summary="Move the clock forward", responses=refused)
    def advance_clock(body: ClockAdvance) -> ClockState:
        try:
            return ClockState(now=clock.advance(body.as_timedelta()))
        except ValueError as error:
            raise HTTPException(status_code=422, detail=f"cannot move the clock that far: {error}") from error

    @router.post("/set", response_model=ClockState, summary="Jump to a moment", responses=refused)
    def set_clock(body: ClockSet) -> ClockState:
        try:
            return ClockState(now=clock.set(body.now))
        except ValueError as error:
            raise HTTPException(status_code=422, detail=str(error)) from error

    return router


class SmsView(BaseModel):
    """One text message a mock "sent" (nothing leaves the machine)."""

    mobile: str
    purpose: str = Field(description="What the code is for: 'register' (the app's 注册), 'reset_password' (找回密码).")
    text: str = Field(description="The message as a phone would show it: 【sender】您的验证码为…")
    code: str = Field(description="The six-digit code in the text.")
    sent_at: datetime

    @classmethod
    def of(cls, sms: SentSms) -> SmsView:
        return cls(mobile=sms.mobile, purpose=sms.purpose, text=sms.text, code=sms.code, sent_at=sms.sent_at)


def sms_router(sms: SmsService) -> APIRouter:
    """``GET /sms``: a mock's SMS outbox, newest first (the same on every mock that sends codes)."""
    router = APIRouter(tags=["sms"])

    @router.get(
        "/sms",
        response_model=list[SmsView],
        summary="The SMS outbox, newest first",
        responses={422: documented("The query is malformed.", InvalidRequest)},
    )
    def sms_outbox(
        mobile: str | None = Query(
            default=None, description="Only this number's messages, in any spelling of it; all when left out."
        ),
    ) -> list[SmsView]:
        # The outbox is keyed by the canonical number, as the codes and the rate limits are.
        number = identifiers.mobile(mobile) if mobile is not None else None
        return [SmsView.of(sent) for sent in sms.outbox(number)]

    return router


class ServerErrorView(BaseModel):
    at: datetime = Field(description="When, on the mock's clock.")
    method: str
    path: str
    error: str = Field(description="The exception's type and message, e.g. \"NameError: name 'x' is not defined\".")
    traceback: str

    @classmethod
    def of(cls, error: ServerError) -> ServerErrorView:
        return cls(at=error.at, method=error.method, path=error.path, error=error.error, traceback=error.traceback)


def server_errors_router(errors: ServerErrors) -> APIRouter:
    """``GET /server-errors``: the unexpected exceptions the mock's requests raised since its last reset."""
    router = APIRouter(tags=["server errors"])

    @router.get(
        "/server-errors",
        response_model=list[ServerErrorView],
        summary="Requests that failed inside the mock (answered 500), oldest first, since the last reset",
    )
    def server_errors() -> list[ServerErrorView]:
        return [ServerErrorView.of(error) for error in errors.all()]

    return router


class ControlError(RuntimeError):
    """A control call failed; the message names the call and what the mock answered.

    ``status`` is the mock's HTTP status (404: no such record, 409: conflict, 429: rate limit …),
    or None when the mock did not answer at all: callers decide on it, never on the text.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ControlClientBase:
    """Typed HTTP client for one mock's control interface."""

    mock_name = "mock"

    def __init__(self, base_url: str, *, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        # Scenarios make several control calls each: no per-client TLS set-up, no Nagle delay per POST.
        self._http = httpx.Client(
            base_url=self.base_url + CONTROL_PREFIX, timeout=timeout_s, transport=http.transport()
        )

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        try:
            response = self._http.request(method, path, json=json, params=params)
        except httpx.HTTPError as error:
            raise ControlError(
                f"{self.mock_name} control {method} {path}: no answer from {self.base_url} ({error}). "
                "Is the mock running?"
            ) from error
        if response.status_code >= 400:
            raise ControlError(
                f"{self.mock_name} control {method} {path} answered {response.status_code}: {response.text}",
                status=response.status_code,
            )
        if not response.content:
            return None
        return response.json()

    # The clock endpoints are the same on every mock.
    def now(self) -> datetime:
        return ClockState.model_validate(self._call("GET", "/clock")).now

    def advance_clock(self, delta: timedelta) -> datetime:
        body = ClockAdvance(seconds=delta.total_seconds())
        return ClockState.model_validate(self._call("POST", "/clock/advance", json=body.model_dump())).now

    def set_clock(self, moment: datetime) -> datetime:
        body = ClockSet(now=moment)
        return ClockState.model_validate(self._call("POST", "/clock/set", json=body.model_dump(mode="json"))).now

    def reset(self) -> None:
        self._call("POST", "/reset")

    def server_errors(self) -> list[ServerErrorView]:
        """The requests that failed inside the mock since its last reset (each answered a 500 page), oldest first."""
        return [ServerErrorView.model_validate(item) for item in self._call("GET", "/server-errors")]

    def sms_outbox(self, mobile: str | None = None) -> list[SmsView]:
        """The text messages the mock sent, newest first: all of them, or only ``mobile``'s (any spelling)."""
        params = {"mobile": mobile} if mobile is not None else None
        return [SmsView.model_validate(item) for item in self._call("GET", "/sms", params=params)]
