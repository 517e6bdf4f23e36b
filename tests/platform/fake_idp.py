"""A fake 一证通 IdP for the platform mock's tests: just enough OpenID Connect, served by an ``httpx.MockTransport``.

Discovery, JWKS and a token endpoint with client_secret_basic and PKCE S256; the test plays
the browser and the IdP's login page by calling :meth:`FakeIdp.authorize` on the URL the
platform redirected to.  Faults (refused connection, timeout, 5xx) are raised by the
transport, so nothing waits or sleeps.  Used by the website's (``test_sso``) and the app's
(``test_app``) 企业认证 tests.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey

from fixtures.test_data import Enterprise
from tests.platform.support import BASE, CLIENT_ID, CLIENT_SECRET, IDP

ISSUER = IDP + "/am/oauth2"
REDIRECT_URI = BASE + "/auth/yzt/callback"


@dataclass
class Grant:
    code_challenge: str
    code_challenge_method: str
    nonce: str
    redirect_uri: str
    used: bool = False


@dataclass
class FakeIdp:
    """A tiny OIDC provider: just what the platform's client touches."""

    signing_key: RSAKey
    published_keys: list[RSAKey]
    enterprise: Enterprise
    claims: dict[str, Any] = field(default_factory=dict)
    id_token_override: str | None = None
    # path suffix -> "refused" | "timeout" | "503"
    outages: dict[str, str] = field(default_factory=dict)
    token_error: tuple[int, dict[str, str]] | None = None
    grants: dict[str, Grant] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    token_forms: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.claims = {
            "sub": "yzt-000123",
            "name": self.enterprise.legal_person.name,
            "preferred_username": "zhangsan_yzt",
            "enterprise_name": self.enterprise.name,
            "credit_code": self.enterprise.credit_code,
        }

    def vouch_for(self, enterprise: Enterprise) -> None:
        """From now on the 一证通 login is for ``enterprise``."""
        self.claims.update({"credit_code": enterprise.credit_code, "enterprise_name": enterprise.name})

    def change_key(self, key: RSAKey) -> None:
        """Sign with ``key`` and publish only it (the IdP rotated its key, or restarted with a new one)."""
        self.signing_key = key
        self.published_keys = [key]

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]

    # --- the browser's visit to /authorize (login assumed done) ---------------------------

    def authorize(self, authorization_url: str) -> dict[str, str]:
        """Issue a code for the request in ``authorization_url``; the callback's query parameters."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(authorization_url).query).items()}
        code = f"code-{len(self.grants) + 1}"
        self.grants[code] = Grant(
            code_challenge=query["code_challenge"],
            code_challenge_method=query["code_challenge_method"],
            nonce=query["nonce"],
            redirect_uri=query["redirect_uri"],
        )
        return {"code": code, "state": query["state"]}

    # --- HTTP -----------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        for suffix, kind in self.outages.items():
            if path.endswith(suffix):
                if kind == "refused":
                    raise httpx.ConnectError("Connection refused", request=request)
                if kind == "timeout":
                    raise httpx.ReadTimeout("timed out", request=request)
                return httpx.Response(503, text="<h1>统一身份认证平台暂时无法访问</h1>")
        if path == "/am/oauth2/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": ISSUER + "/authorize",
                    "token_endpoint": ISSUER + "/access_token",
                    "jwks_uri": ISSUER + "/connect/jwk_uri",
                    "response_types_supported": ["code"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        if path == "/am/oauth2/connect/jwk_uri":
            return httpx.Response(200, json={"keys": [key.as_dict(private=False) for key in self.published_keys]})
        if path == "/am/oauth2/access_token" and request.method == "POST":
            return self._token(request)
        return httpx.Response(404, json={"error": "not_found"})

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {name: values[0] for name, values in parse_qs(request.content.decode()).items()}
        self.token_forms.append(form)
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return httpx.Response(401, json={"error": "invalid_client"})
        if self.token_error is not None:
            status, body = self.token_error
            return httpx.Response(status, json=body)
        grant = self.grants.get(form.get("code", ""))
        if (
            grant is None
            or grant.used
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant.redirect_uri
            or create_s256_code_challenge(form.get("code_verifier", "")) != grant.code_challenge
        ):
            return httpx.Response(400, json={"error": "invalid_grant"})
        grant.used = True
        return httpx.Response(
            200,
            json={
                "access_token": "at-" + form["code"],
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "openid profile enterprise",
                "id_token": self.id_token_override or self.id_token(grant.nonce),
            },
        )

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 600, "auth_time": now, "nonce": nonce}
        claims.update(self.claims)
        return jwt.encode({"alg": "RS256", "kid": self.signing_key.kid}, claims, self.signing_key)
