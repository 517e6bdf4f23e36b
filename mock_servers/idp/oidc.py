"""The IdP's OAuth 2.0 / OpenID Connect endpoints: discovery, authorize, token, JWKS, userinfo.

Authorization code flow with PKCE (S256 only) and RS256 ID tokens.  The
protocol pieces that are cryptography come from libraries: joserfc signs the
ID token and publishes the key, authlib computes the S256 challenge, and
``secrets`` makes every code and token.  The rules that decide *who* gets a
code (sessions, accounts) live in the store and the login page.
"""

from __future__ import annotations

import base64
import hmac
import re
import threading
from collections.abc import Iterable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, Final
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urlsplit, urlunsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from authlib.oidc.core.grants.util import validate_request_prompt
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.datastructures import FormData
from starlette.templating import Jinja2Templates

from mock_servers.idp.pages import SESSION_COOKIE, error_page, form_text, login_url
from mock_servers.idp.state import Account, AuthorizationCode, IdpStore, InvalidGrantError, OidcClient

OIDC_PREFIX: Final = "/am/oauth2"
AUTHORIZE_PATH: Final = f"{OIDC_PREFIX}/authorize"
TOKEN_PATH: Final = f"{OIDC_PREFIX}/access_token"
JWKS_PATH: Final = f"{OIDC_PREFIX}/connect/jwk_uri"
USERINFO_PATH: Final = f"{OIDC_PREFIX}/userinfo"
DISCOVERY_SUFFIX: Final = "/.well-known/openid-configuration"

SUPPORTED_SCOPES: Final = ("openid", "profile", "enterprise")
ID_TOKEN_TTL_S: Final = 600
ACCESS_TOKEN_TTL_S: Final = 3600
ENTERPRISE_CLAIMS: Final = ("name", "preferred_username", "enterprise_name", "credit_code")
CLAIMS_SUPPORTED: Final = ("iss", "sub", "aud", "iat", "exp", "auth_time", "nonce", *ENTERPRISE_CLAIMS)

# OpenID Connect Core 3.1.2.1: the prompt values defined there (consent is answered consent_required).
PROMPT_VALUES: Final = ("none", "login", "consent", "select_account")
# The ticket an authorize request that asked for a fresh login carries through the login page.
REAUTH_PARAM: Final = "yzt_reauth"
_WHOLE_SECONDS: Final = re.compile(r"[0-9]+", re.ASCII)
# Any max_age past a session's 120 minutes asks nothing more; capped so that timedelta cannot overflow.
_MAX_AGE_CAP_S: Final = 10**9
_PROMPT_ERRORS: Final = {
    LoginRequiredError.error: "the user is not logged in, or not recently enough for max_age",
    InvalidRequestError.error: "invalid prompt parameter",
}

# RFC 7636 section 4.1/4.2: 43-128 characters of the unreserved set.
_PKCE_VALUE: Final = re.compile(r"[A-Za-z0-9\-._~]{43,128}", re.ASCII)
_NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class SigningKey:
    """The IdP's RS256 key pair, one per app; only the public half is ever published.

    Made when first needed (JWKS, or the first ID token), not at start-up: generating a 2048-bit
    key takes 100-500 ms of CPU with the GIL held, which most of the mocks' own tests never need
    and which would otherwise delay every start of the IdP.
    """

    def __init__(self) -> None:
        self._made: RSAKey | None = None
        self._lock = threading.Lock()

    @property
    def _key(self) -> RSAKey:
        with self._lock:  # two first requests at once must not make (and publish) two keys
            if self._made is None:
                # auto_kid: the RFC 7638 thumbprint, so a relying party can pick the key by kid.
                self._made = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
            return self._made

    @property
    def kid(self) -> str:
        kid = self._key.kid
        assert kid is not None, "generate_key(auto_kid=True) always sets a kid"
        return kid

    def jwks(self) -> dict[str, Any]:
        return {"keys": [dict(self._key.as_dict(private=False))]}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self._key, algorithms=["RS256"])


def issuer_for(base_url: str) -> str:
    return base_url.rstrip("/") + OIDC_PREFIX


def discovery_document(base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "issuer": issuer_for(base_url),
        "authorization_endpoint": base + AUTHORIZE_PATH,
        "token_endpoint": base + TOKEN_PATH,
        "jwks_uri": base + JWKS_PATH,
        "userinfo_endpoint": base + USERINFO_PATH,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": list(SUPPORTED_SCOPES),
        "claims_supported": list(CLAIMS_SUPPORTED),
    }


def user_claims(account: Account) -> dict[str, str]:
    """The claims that describe the account and its enterprise (ID token and userinfo alike)."""
    return {
        "sub": account.subject,
        "name": account.legal_person_name,
        "preferred_username": account.account,
        "enterprise_name": account.enterprise_name,
        "credit_code": account.credit_code,
    }


def oidc_router(*, store: IdpStore, templates: Jinja2Templates, signing_key: SigningKey, base_url: str) -> APIRouter:
    router = APIRouter()
    issuer = issuer_for(base_url)

    def discovery() -> JSONResponse:
        return JSONResponse(discovery_document(base_url))

    # Served both where the issuer implies (issuer + /.well-known/…) and at the
    # host root, where some clients look first.
    router.add_api_route(OIDC_PREFIX + DISCOVERY_SUFFIX, discovery, methods=["GET"])
    router.add_api_route(DISCOVERY_SUFFIX, discovery, methods=["GET"])

    @router.get(JWKS_PATH)
    def jwks() -> JSONResponse:
        return JSONResponse(signing_key.jwks())

    @router.api_route(AUTHORIZE_PATH, methods=["GET", "POST"])
    async def authorize(request: Request) -> Response:
        # OpenID Connect Core 3.1.2.1: the endpoint takes GET and form POST alike.
        params: list[tuple[str, str]]
        if request.method == "POST":
            form = await request.form()
            params = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
        else:
            params = list(request.query_params.multi_items())
        values, repeated = _read_parameters(params)

        def single(name: str) -> str | None:
            return values.get(name)

        def bad_request_page(detail: str) -> Response:
            # Without a trustworthy client and redirect_uri there is nowhere
            # safe to send the browser: answer here (RFC 6749 section 4.1.2.1).
            return error_page(templates, request, status_code=400, heading="认证请求无效", detail=detail)

        # A repeated client_id or redirect_uri is no trustworthy one, even twice the same value.
        for name in ("client_id", "redirect_uri"):
            if name in repeated:
                return bad_request_page(f"认证请求中的 {name} 重复（参数只能出现一次），请联系业务系统管理员。")
        client_id = single("client_id")
        client = store.get_client(client_id) if client_id else None
        if client is None:
            return bad_request_page("该应用未在北京市统一身份认证平台注册（client_id 无效），请联系业务系统管理员。")
        redirect_uri = single("redirect_uri")
        if redirect_uri is None or redirect_uri not in client.redirect_uris:
            return bad_request_page("回调地址与该应用登记的地址不一致（redirect_uri 无效），请联系业务系统管理员。")

        # A repeated state is no state: which one would the client recognise?
        state = None if "state" in repeated else single("state")

        def error_redirect(error: str, description: str) -> Response:
            return RedirectResponse(
                _add_query(redirect_uri, error=error, error_description=description, state=state), status_code=302
            )

        # RFC 6749 section 3.1: no parameter may be included more than once, whichever it is.
        if repeated:
            return error_redirect("invalid_request", _repeated_description(repeated))
        response_type = single("response_type")
        if not response_type:
            return error_redirect("invalid_request", "response_type is required")
        if response_type != "code":
            return error_redirect("unsupported_response_type", "only response_type=code is supported")
        requested_scopes = (single("scope") or "").split()
        if "openid" not in requested_scopes:
            return error_redirect("invalid_scope", "scope must include openid")
        code_challenge = single("code_challenge")
        if not code_challenge:
            return error_redirect("invalid_request", "code_challenge is required (PKCE)")
        if single("code_challenge_method") != "S256":
            return error_redirect("invalid_request", "code_challenge_method must be S256")
        if not _PKCE_VALUE.fullmatch(code_challenge):
            return error_redirect("invalid_request", "code_challenge is malformed")

        # OpenID Connect Core 3.1.2.1: prompt and max_age.
        prompts = (single("prompt") or "").split()
        unknown_prompts = [value for value in prompts if value not in PROMPT_VALUES]
        if unknown_prompts:
            return error_redirect("invalid_request", f"prompt value {unknown_prompts[0]} is not supported")
        max_age_text = single("max_age")
        if max_age_text is not None and not _WHOLE_SECONDS.fullmatch(max_age_text):
            return error_redirect("invalid_request", "max_age must be a whole number of seconds, 0 or more")
        max_age = None if max_age_text is None else timedelta(seconds=min(int(max_age_text), _MAX_AGE_CAP_S))
        # max_age=0 is a fresh login every time: prompt=login by another name (OIDC issue #993).
        wants_login = "login" in prompts or max_age == timedelta(0)

        def to_login_page() -> Response:
            # Come back to this very request after logging in: its own query string, or the
            # posted form re-encoded as one (a goto is a GET).  A request that asked for a fresh
            # login carries a ticket, so that the login it gets answers it and no older one does.
            if wants_login or max_age is not None:
                ticket = store.request_reauth(client.client_id).ticket
                kept = [(key, value) for key, value in params if key != REAUTH_PARAM]
                query = urlencode([*kept, (REAUTH_PARAM, ticket)])
            else:
                query = request.url.query if request.method == "GET" else urlencode(params)
            return RedirectResponse(login_url(AUTHORIZE_PATH + "?" + query), status_code=302)

        # Who may answer without the login page: the session's account, when its login is
        # recent enough for max_age and, for prompt=login, made after this request asked.
        session_id = request.cookies.get(SESSION_COOKIE)
        signed_in = store.session_account(session_id)
        end_user: Account | None = None
        logged_in_for_this = False
        if signed_in is not None:
            session, account = signed_in
            logged_in_for_this = store.reauth_done(single(REAUTH_PARAM), client.client_id, session)
            age = store.clock.now() - session.auth_time
            if logged_in_for_this or (not wants_login and (max_age is None or age <= max_age)):
                end_user = account
        try:
            # Authlib's rules: none without a user is login_required, none with another value is
            # invalid_request, and "login" comes back when there is no user (or login was asked).
            wanted = " ".join(value for value in prompts if not (logged_in_for_this and value == "login"))
            interaction = _prompt_interaction(wanted, end_user, redirect_uri)
        except OAuth2Error as error:
            description = error.description or _PROMPT_ERRORS.get(str(error.error), "prompt cannot be honoured")
            return error_redirect(str(error.error), description)
        if "consent" in prompts:
            # No consent screen here: relying parties are registered by the city, their consent is not asked.
            return error_redirect(ConsentRequiredError.error, "this identity provider cannot ask for consent")
        if interaction == "login":
            return to_login_page()
        # select_account: a session holds one account, which is the one selected.

        # Answering from the session is a use of it: it restarts the session's 30 idle minutes.
        # An ended session (idle too long, or 120 minutes after login) is none: log in again.
        signed_in = store.session_account(session_id, use=True)
        if signed_in is None:
            return to_login_page()
        session, _account = signed_in
        # Unknown scopes are dropped rather than refused (RFC 6749 section 3.3).
        granted = " ".join(scope for scope in SUPPORTED_SCOPES if scope in requested_scopes)
        code = store.issue_code(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            scope=granted,
            code_challenge=code_challenge,
            nonce=single("nonce"),
            session=session,
        )
        return RedirectResponse(_add_query(redirect_uri, code=code.code, state=state), status_code=302)

    @router.post(TOKEN_PATH)
    async def token(request: Request) -> JSONResponse:
        form = await request.form()
        # RFC 6749 sections 3.2 and 5.2: a repeated parameter is invalid_request, before anything
        # reads one of its values (last-wins would let a second code or secret slip in).
        _values, repeated = _read_parameters(form.multi_items())
        if repeated:
            return _token_error("invalid_request", _repeated_description(repeated))
        if "Authorization" in request.headers and form_text(form, "client_secret"):
            # RFC 6749 section 2.3: one authentication method a request (5.2: "multiple credentials").
            return _token_error("invalid_request", "client_secret in the body and the Authorization header both given")
        client = _authenticate_client(store, request, form)
        if client is None:
            return JSONResponse(
                {"error": "invalid_client", "error_description": "client authentication failed"},
                status_code=401,
                headers={**_NO_STORE, "WWW-Authenticate": 'Basic realm="yzt"'},
            )
        grant_type = form_text(form, "grant_type")
        if not grant_type:
            return _token_error("invalid_request", "grant_type is required")
        if grant_type != "authorization_code":
            return _token_error("unsupported_grant_type", "only grant_type=authorization_code is supported")
        code_value = form_text(form, "code")
        redirect_uri = form_text(form, "redirect_uri")
        code_verifier = form_text(form, "code_verifier")
        missing = [name for name, value in (("code", code_value), ("redirect_uri", redirect_uri)) if not value]
        if not code_verifier:
            missing.append("code_verifier")
        if missing:
            return _token_error("invalid_request", f"{', '.join(missing)} required")
        try:
            code, account = store.take_code(code_value, client.client_id)
        except InvalidGrantError as error:
            return _token_error("invalid_grant", str(error))
        if redirect_uri != code.redirect_uri:
            return _token_error("invalid_grant", "redirect_uri does not match the authorization request")
        if not _verifier_matches(code_verifier, code):
            return _token_error("invalid_grant", "code_verifier does not match the code_challenge")

        access_token = store.issue_access_token(code)
        now = store.clock.timestamp()
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + ID_TOKEN_TTL_S,
            "auth_time": int(code.auth_time.timestamp()),
            **user_claims(account),
        }
        if code.nonce is not None:
            claims["nonce"] = code.nonce
        return JSONResponse(
            {
                "access_token": access_token.token,
                "token_type": "Bearer",
                "expires_in": ACCESS_TOKEN_TTL_S,
                "scope": code.scope,
                "id_token": signing_key.sign(claims),
            },
            headers=_NO_STORE,
        )

    @router.api_route(USERINFO_PATH, methods=["GET", "POST"])
    def userinfo(request: Request) -> JSONResponse:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        found = store.access_token_account(value.strip()) if scheme.lower() == "bearer" and value.strip() else None
        if found is None:
            return JSONResponse(
                {"error": "invalid_token", "error_description": "the access token is missing, unknown or expired"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        _token, account = found
        return JSONResponse(user_claims(account), headers=_NO_STORE)

    return router


def _read_parameters(pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """A request's text parameters, one value a name, and the names given more than once, in order.

    RFC 6749 section 3.1: a parameter sent without a value is treated as omitted, and request
    parameters must not be included more than once (section 3.2 says the same of the token endpoint).
    """
    values: dict[str, str] = {}
    repeated: list[str] = []
    for name, value in pairs:
        if not isinstance(value, str) or value == "":
            continue
        if name in values and name not in repeated:
            repeated.append(name)
        values[name] = value
    return values, repeated


def _repeated_description(repeated: list[str]) -> str:
    names = ", ".join(repeated)
    return (
        f"parameter {names} was given more than once"
        if len(repeated) == 1
        else f"parameters {names} were given more than once"
    )


class _PromptCheck:
    """The little of an Authlib grant that ``validate_request_prompt`` reads (``request.payload.data``,
    ``request.user``) and writes (``prompt``): this IdP runs its own endpoints, not Authlib's server."""

    def __init__(self, prompt: str, user: Account | None) -> None:
        self.request = SimpleNamespace(payload=BasicOAuth2Payload({"prompt": prompt} if prompt else {}), user=user)
        self.prompt: str | None = None


def _prompt_interaction(prompt: str, user: Account | None, redirect_uri: str) -> str | None:
    """What the prompt asks of the IdP: "login", "consent", "select_account" or None (answer from the session).

    Raises Authlib's LoginRequiredError (prompt=none, no user) or InvalidRequestError (none with another value).
    """
    check = _PromptCheck(prompt, user)
    validate_request_prompt(check, redirect_uri)
    interaction: str | None = check.prompt
    return interaction


def _token_error(error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=400, headers=_NO_STORE)


def _authenticate_client(store: IdpStore, request: Request, form: FormData) -> OidcClient | None:
    """client_secret_basic (the Authorization header) or client_secret_post (form fields)."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except ValueError:  # not base64 (binascii.Error), not ASCII at all, or not UTF-8 (UnicodeDecodeError)
            return None
        raw_id, separator, raw_secret = decoded.partition(":")
        if not separator:
            return None
        # RFC 6749 section 2.3.1: both halves are form-urlencoded before base64.
        client_id, client_secret = unquote_plus(raw_id), unquote_plus(raw_secret)
    else:
        client_id, client_secret = form_text(form, "client_id"), form_text(form, "client_secret")
    client = store.get_client(client_id) if client_id else None
    if client is None or not hmac.compare_digest(client.client_secret.encode(), client_secret.encode()):
        return None
    return client


def _verifier_matches(code_verifier: str, code: AuthorizationCode) -> bool:
    if not _PKCE_VALUE.fullmatch(code_verifier):
        return False
    challenge: str = create_s256_code_challenge(code_verifier)
    return hmac.compare_digest(challenge.encode(), code.code_challenge.encode())


def _add_query(url: str, **params: str | None) -> str:
    """``url`` with ``params`` (None values left out) added to whatever query it already has."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((key, value) for key, value in params.items() if value is not None)
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
