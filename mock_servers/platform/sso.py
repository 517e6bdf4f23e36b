"""The platform's OpenID Connect client of the 一证通 identity provider (北京市统一身份认证平台).

Authorization code flow with PKCE (S256), as a confidential client (client_secret_basic):

- :meth:`OidcClient.begin` makes state, nonce and code_verifier and the authorization URL
  (authlib builds it, including the S256 code_challenge);
- :meth:`OidcClient.exchange` trades the code for tokens (authlib, sending the
  code_verifier) and validates the ID token with joserfc: RS256 signature against the
  IdP's JWKS, then iss, aud, exp/iat by the platform's own :class:`MockClock`, and nonce.

The discovery document and the JWKS are fetched lazily and cached; the JWKS is fetched
again when a token names a key we do not have (the IdP rotated its key or was restarted).
Network trouble, 5xx answers and answers slower than :data:`IDP_TIMEOUT_S` become
:class:`IdpUnavailableError`, which the pages turn into a friendly "try again" page.

No web framework in here: the website and the app pages both use this module.
"""

from __future__ import annotations

import importlib
import secrets
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import authlib.deprecate
import httpx
from authlib.integrations.base_client import OAuthError
from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from mock_servers.common import http, identifiers
from mock_servers.common.clock import MockClock

SCOPE = "openid profile enterprise"
CALLBACK_PATH = "/auth/yzt/callback"
ISSUER_PATH = "/am/oauth2"
# The contract's limit for a slow IdP: past it the user sees the retry page instead of a spinner.
IDP_TIMEOUT_S = 5.0
# Tolerated clock skew when checking exp/iat (seconds).
LEEWAY_S = 60
ID_TOKEN_ALGORITHMS = ["RS256"]


def _load_authlib_httpx_client() -> Any:
    # authlib 1.9 prefers the "httpx2" package and warns when it falls back to httpx, which is
    # what this project pins.  The warning is about authlib's future, not ours: keep it out of
    # test output.  authlib.deprecate is imported first (above) because importing it installs an
    # "always" filter that would otherwise override ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
        return importlib.import_module("authlib.integrations.httpx_client")


_OAuth2Client: Any = _load_authlib_httpx_client().OAuth2Client


class IdpUnavailableError(Exception):
    """The IdP could not be reached, answered 5xx or garbage, or took too long."""


class IdpRejectedError(Exception):
    """The IdP answered with an OAuth error (at the callback or the token endpoint)."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description


class InvalidIdTokenError(Exception):
    """The ID token failed validation; the message says which check, in words a tester can read."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class AuthorizationRequest:
    """The URL to send the browser to, and the secrets to keep for the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class EnterpriseIdentity:
    """Who the IdP says logged in: the enterprise claims of a validated ID token."""

    subject: str
    credit_code: str
    enterprise_name: str
    legal_person_name: str
    yzt_account: str


class OidcClient:
    """OIDC relying party for one IdP and one client registration."""

    def __init__(
        self,
        *,
        idp_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        clock: MockClock,
        transport: httpx.BaseTransport | None = None,
        timeout_s: Callable[[], float] = lambda: IDP_TIMEOUT_S,
    ) -> None:
        self.issuer = idp_url.rstrip("/") + ISSUER_PATH
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self._client_secret = client_secret
        self._clock = clock
        self._transport = transport
        # Read at every call: the control interface can shorten it while the mock runs.
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._metadata: ProviderMetadata | None = None
        self._keys: KeySet | None = None

    def clear_cache(self) -> None:
        """Forget the discovery document and the JWKS (they are fetched again when needed)."""
        with self._lock:
            self._metadata = None
            self._keys = None

    # --- the two steps of the flow --------------------------------------------------------

    def begin(self) -> AuthorizationRequest:
        metadata = self.metadata()
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        # 64 characters from the unreserved set: inside RFC 7636's 43..128.
        code_verifier = secrets.token_urlsafe(48)
        with self._oauth_client() as oauth:
            url, _ = oauth.create_authorization_url(
                metadata.authorization_endpoint, state=state, code_verifier=code_verifier, nonce=nonce
            )
        return AuthorizationRequest(url=str(url), state=state, nonce=nonce, code_verifier=code_verifier)

    def exchange(self, *, code: str, code_verifier: str, nonce: str) -> EnterpriseIdentity:
        metadata = self.metadata()
        try:
            with self._oauth_client() as oauth:
                token = oauth.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
        except OAuthError as error:
            raise IdpRejectedError(str(error.error), str(error.description or "")) from error
        except (httpx.HTTPError, ValueError) as error:
            # ValueError: a 4xx whose body is not a JSON object (authlib's words for it).
            raise IdpUnavailableError(f"token endpoint: {error!r}") from error
        id_token = token.get("id_token") if isinstance(token, dict) else None
        if not isinstance(id_token, str) or not id_token:
            raise InvalidIdTokenError("令牌响应中没有 id_token")
        return _identity_from_claims(self._validate(id_token, nonce))

    # --- discovery and keys ---------------------------------------------------------------

    def metadata(self) -> ProviderMetadata:
        with self._lock:
            cached = self._metadata
        if cached is not None:
            return cached
        document = self._get_json(self.issuer + "/.well-known/openid-configuration")
        metadata = _metadata_from(document, self.issuer)
        with self._lock:
            self._metadata = metadata
        return metadata

    def _key_set(self, *, refresh: bool) -> KeySet:
        with self._lock:
            cached = None if refresh else self._keys
        if cached is not None:
            return cached
        document = self._get_json(self.metadata().jwks_uri)
        try:
            keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError) as error:
            raise IdpUnavailableError(f"unusable JWKS: {error!r}") from error
        with self._lock:
            self._keys = keys
        return keys

    def _validate(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            decoded = self._decode(id_token, self._key_set(refresh=False))
        except (InvalidKeyIdError, BadSignatureError):
            # A key we do not know, or a signature our cached key rejects: the IdP may have a new
            # key since we fetched its JWKS.  Fetch it once more before calling the token forged.
            try:
                decoded = self._decode(id_token, self._key_set(refresh=True))
            except InvalidKeyIdError as error:
                raise InvalidIdTokenError("身份令牌的签名密钥不在统一身份认证平台公布的密钥中") from error
            except BadSignatureError as error:
                raise InvalidIdTokenError("身份令牌签名无效") from error
        claims = decoded.claims
        registry = jwt.JWTClaimsRegistry(
            now=self._clock.timestamp,
            leeway=LEEWAY_S,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
            credit_code={"essential": True},
            enterprise_name={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError as error:
            raise InvalidIdTokenError("身份令牌已过期") from error
        except ClaimError as error:
            raise InvalidIdTokenError(f"身份令牌的 {error.claim} 声明无效或缺失") from error
        audience = claims["aud"]
        # OIDC Core 3.1.3.7: with several audiences, azp must name us.
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.client_id:
            raise InvalidIdTokenError("身份令牌的 azp 声明无效或缺失")
        return claims

    @staticmethod
    def _decode(id_token: str, keys: KeySet) -> jwt.Token:
        try:
            return jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
        except (InvalidKeyIdError, BadSignatureError):
            raise
        except (JoseError, ValueError, KeyError, TypeError) as error:
            # Malformed token, "alg": "none" or HS256 (refused: only RS256 is accepted), bad payload.
            raise InvalidIdTokenError(f"身份令牌格式无效（{type(error).__name__}）") from error

    # --- HTTP -----------------------------------------------------------------------------

    def _oauth_client(self) -> Any:
        return _OAuth2Client(
            client_id=self.client_id,
            client_secret=self._client_secret,
            token_endpoint_auth_method="client_secret_basic",
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            timeout=self._timeout(),
            transport=self._http_transport(),
        )

    def _timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self._timeout_s())

    def _http_transport(self) -> httpx.BaseTransport:
        if self._transport is not None:
            return self._transport
        # A fresh client per call (the IdP's address may change under a fault), without the per-client
        # costs of TLS set-up and Nagle's delay (see mock_servers.common.http).
        return http.transport()

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            with httpx.Client(transport=self._http_transport(), timeout=self._timeout()) as http:
                response = http.get(url, headers={"Accept": "application/json"})
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise IdpUnavailableError(f"GET {url}: {error!r}") from error
        if not isinstance(document, dict):
            raise IdpUnavailableError(f"GET {url}: not a JSON object")
        return document


def _metadata_from(document: dict[str, Any], expected_issuer: str) -> ProviderMetadata:
    # OIDC Discovery 4.3: the issuer in the document must be the one we asked; anything else
    # means we are talking to the wrong server (or a misconfigured one).
    if document.get("issuer") != expected_issuer:
        raise IdpUnavailableError(f"discovery issuer {document.get('issuer')!r} is not {expected_issuer!r}")
    values: dict[str, str] = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not value:
            raise IdpUnavailableError(f"discovery document lacks {name}")
        values[name] = value
    return ProviderMetadata(issuer=expected_issuer, **values)


def _identity_from_claims(claims: dict[str, Any]) -> EnterpriseIdentity:
    def text(name: str) -> str:
        value = claims.get(name)
        return value.strip() if isinstance(value, str) else ""

    identity = EnterpriseIdentity(
        # ``sub`` is opaque and compared exactly (OpenID Connect Core 2): never rewritten.
        subject=text("sub"),
        # The IdP passes on the code as its user typed it at registration; the platform binds
        # and compares the canonical code, so a full-width or hyphenated spelling is the same enterprise.
        credit_code=identifiers.credit_code(text("credit_code")),
        enterprise_name=text("enterprise_name"),
        legal_person_name=text("name"),
        yzt_account=identifiers.account_name(text("preferred_username")),
    )
    if not identity.credit_code or not identity.enterprise_name:
        raise InvalidIdTokenError("身份令牌缺少企业信息")
    return identity
