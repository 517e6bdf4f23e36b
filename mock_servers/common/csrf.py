"""Cross-site request forgery defence, shared by both mocks: no form post from another site.

Two checks, both made before a route sees the request (:class:`CsrfMiddleware`), so a refused
post changes nothing: no login, no used-up captcha, no new cookie.

- **Where it comes from.**  A browser says so: ``Sec-Fetch-Site`` (``cross-site`` and
  ``same-site`` are refused; the other mock on the same host is a different origin but the
  same site, and posts nothing here) and ``Origin`` (refused unless it is the server's own).
  A request without either header (an old browser, a test's HTTP client) is judged by the
  token alone.
- **The token.**  Every form carries a hidden ``csrf_token``: an HMAC of the browser's session
  id (the platform's session, the IdP's browser cookie) under a secret that each server
  instance draws at start.  Another site cannot read it, and a token of the attacker's own
  session is worthless in the victim's browser, whose session id differs; so an attacker can
  neither post as the victim nor log the victim in as the attacker (login CSRF).  It needs no
  storage, stays the same for all of a session's pages (several tabs work) and changes with
  the session id, which both mocks renew at login and logout.

Hand-written rather than a library: the packages for Starlette bind the token to a cookie of
their own (not to the session the mocks renew at login) or check only headers; this is
``secrets``, ``hmac.compare_digest`` and a form read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from typing import Final

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FIELD_NAME: Final = "csrf_token"
# What a refused post is told (a 403 page in each mock's own layout).
EXPIRED_TITLE: Final = "页面已过期"
EXPIRED_MESSAGE: Final = "页面已过期或来源不明，请刷新页面后重新提交。"

# A form can only GET or POST; another site's script cannot send PUT, PATCH or DELETE without a
# CORS preflight, which the mocks never grant.  So POST is what is checked.
CHECKED_METHODS: Final = frozenset({"POST"})
# Sec-Fetch-Site values of a request that another site's page made.
_FOREIGN_SITES: Final = frozenset({"cross-site", "same-site"})


class CsrfTokens:
    """Tokens bound to a session id: ``token(id)`` for the page, ``verify(id, submitted)`` for the post."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def token(self, session_id: str) -> str:
        digest = hmac.new(self._secret, session_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify(self, session_id: str | None, submitted: str) -> bool:
        if not session_id or not submitted:
            return False
        return hmac.compare_digest(self.token(session_id).encode(), submitted.encode())


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as a browser writes it in ``Origin``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.lower()}://{rest.split('/', 1)[0].lower()}"


def own_origin(request: Request) -> str:
    """The origin the request was sent to (its Host header), as the browser names it."""
    return origin_of(f"{request.url.scheme}://{request.url.netloc}")


def comes_from_another_site(headers: Headers, allowed_origins: Sequence[str]) -> bool:
    """Whether the browser says another site's page made this request (either header is enough)."""
    if headers.get("sec-fetch-site", "").lower() in _FOREIGN_SITES:
        return True
    origin = headers.get("origin")
    # "null" (a sandboxed frame, a data: URL) is nobody's own origin either.
    return origin is not None and origin.lower() not in allowed_origins


class CsrfMiddleware:
    """Refuses every POST that comes from another site or lacks its session's token.

    ``session_id`` reads the id the token is bound to from the request (None: the browser has
    none); ``refuse`` makes the 403 answer.  Given the app's ``routes``, a POST that none of them
    takes is handed on unchecked: nothing runs for it, and the router answers 405 (or 404), which is
    the truth about it, where a 403 would say the page had expired.  Paths under ``exempt`` (the OAuth endpoints that
    other servers and sites post to by design) are not checked; under ``headers_only`` (the
    control interface: a JSON API for tests, no forms) only where the post comes from, so that
    a page elsewhere cannot reset a mock by posting at it.  The body is read once here and
    handed on unchanged, so the route reads the same form.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        tokens: CsrfTokens,
        session_id: Callable[[Request], str | None],
        refuse: Callable[[Request], Response],
        exempt: Sequence[str] = (),
        headers_only: Sequence[str] = (),
        origins: Sequence[str] = (),
        routes: Sequence[BaseRoute] | None = None,
    ) -> None:
        self.app = app
        self.routes = routes
        self.tokens = tokens
        self.session_id = session_id
        self.refuse = refuse
        self.exempt = tuple(exempt)
        self.headers_only = tuple(headers_only)
        self.origins = tuple(origin_of(origin) for origin in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            scope["type"] != "http"
            or scope["method"] not in CHECKED_METHODS
            or _under(path, self.exempt)
            or not self._routed(scope)
        ):
            await self.app(scope, receive, send)
            return
        if _under(path, self.headers_only):
            request = Request(scope, receive)
            if self._from_another_site(request):
                await self.refuse(request)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        request = Request(scope, _replay(body, receive))
        if not await self._allowed(request):
            await self.refuse(request)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _routed(self, scope: Scope) -> bool:
        """Whether a route takes this request (its path and method); without the routes, assume one does."""
        return self.routes is None or any(route.matches(scope)[0] is Match.FULL for route in self.routes)

    def _from_another_site(self, request: Request) -> bool:
        return comes_from_another_site(request.headers, (own_origin(request), *self.origins))

    async def _allowed(self, request: Request) -> bool:
        if self._from_another_site(request):
            return False
        try:
            async with request.form() as form:
                submitted = form.get(FIELD_NAME)
        except Exception:  # a body that is no form at all carries no token either
            return False
        return isinstance(submitted, str) and self.tokens.verify(self.session_id(request), submitted)


def _under(path: str, prefixes: Sequence[str]) -> bool:
    return any(path == prefix or path.startswith(prefix.rstrip("/") + "/") for prefix in prefixes)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client went away: hand on what came, the app will see the disconnect too.
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then hands on the connection's own messages (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
