"""The OpenAPI document of the IdP's machine-facing endpoints: OAuth 2.0 and OpenID Connect, logout, captcha images.

The site itself has no OpenAPI document (a real government login site publishes none) and its
pages are HTML for people; what relying parties and browsers call without a person reading it is
described here, so that schemathesis (``tests/schema``) and a tester's own tools can fuzz it.  The
control interface serves it at ``/_control/protocol-openapi.json``.

Every value is written from the constants the endpoints themselves use (paths, scopes, prompt
values, the PKCE grammar), so the document cannot drift from them.  Errors are RFC 6749's: JSON
``{"error", "error_description"}`` from the token and userinfo endpoints (section 5.2, RFC 6750
section 3.1), and from the authorization endpoint a redirect back to the client carrying them
(section 4.1.2.1), or a page when the client or its redirect URI cannot be trusted.
"""

from __future__ import annotations

from typing import Any, Final

from mock_servers.idp.oidc import (
    AUTHORIZE_PATH,
    DISCOVERY_SUFFIX,
    ENTERPRISE_CLAIMS,
    JWKS_PATH,
    OIDC_PREFIX,
    PROMPT_VALUES,
    REAUTH_PARAM,
    TOKEN_PATH,
    USERINFO_PATH,
)
from mock_servers.idp.pages import LOGOUT_PATH, SESSION_COOKIE
from mock_servers.idp.routes import CAPTCHA_IMAGE_PATH

PROTOCOL_SCHEMA_PATH: Final = "/protocol-openapi.json"  # under the control interface's /_control

# The client that the document's examples name; tests/schema registers it before each example.
EXAMPLE_CLIENT_ID: Final = "schema-example-rp"
EXAMPLE_CLIENT_SECRET: Final = "schema-example-secret"
EXAMPLE_REDIRECT_URI: Final = "http://rp.test/callback"
EXAMPLE_CODE_VERIFIER: Final = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
EXAMPLE_CODE_CHALLENGE: Final = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 appendix B

# RFC 7636 section 4.1: 43-128 characters of the unreserved set.
_PKCE: Final = r"^[A-Za-z0-9\-._~]{43,128}$"
# What the token endpoint's 400 may say (RFC 6749 section 5.2; the 503 of an injected fault too).
_TOKEN_ERROR_CODES: Final = (
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unsupported_grant_type",
    "temporarily_unavailable",
)


def _json(schema: dict[str, Any], description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _oauth_error(codes: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error", "error_description"],
        "properties": {
            "error": {"type": "string", "enum": list(codes)},
            "error_description": {"type": "string", "minLength": 1},
        },
    }


def _authorization(scheme: str) -> dict[str, Any]:
    """The Authorization header with ``scheme`` credentials (RFC 9110 11.4: the scheme in any case, token68).

    The security schemes below say the same the standard way; OpenAPI tools ignore a header parameter
    named Authorization, but fuzzers vary it, which is what finds a header the endpoint cannot read.
    """
    letters = "".join(f"[{char.upper()}{char.lower()}]" for char in scheme)
    return {
        "name": "Authorization",
        "in": "header",
        "schema": {"type": "string", "pattern": f"^{letters} +[A-Za-z0-9\\-._~+/]+=*$"},
    }


_HTML_PAGE: Final = {"text/html": {"schema": {"type": "string"}}}
_LOCATION: Final = {"Location": {"required": True, "schema": {"type": "string", "minLength": 1}}}
_NO_STORE: Final = {"Cache-Control": {"required": True, "schema": {"type": "string", "const": "no-store"}}}


def _authorization_parameters() -> dict[str, Any]:
    """The authorization request's parameters (RFC 6749 section 4.1.1, RFC 7636 section 4.3, OIDC Core 3.1.2.1)."""
    return {
        "type": "object",
        "required": ["client_id", "redirect_uri", "response_type", "scope", "code_challenge", "code_challenge_method"],
        "properties": {
            "client_id": {"type": "string", "minLength": 1, "examples": [EXAMPLE_CLIENT_ID]},
            "redirect_uri": {
                "type": "string",
                "minLength": 1,
                "description": "Exactly one of the client's registered redirect URIs.",
                "examples": [EXAMPLE_REDIRECT_URI],
            },
            "response_type": {"type": "string", "enum": ["code"]},
            "scope": {
                "type": "string",
                "pattern": r"(^| )openid( |$)",
                "description": "Space-separated; must include openid. Unknown scopes are dropped (RFC 6749 3.3).",
                "examples": ["openid profile enterprise"],
            },
            "state": {"type": "string", "minLength": 1},
            "nonce": {"type": "string", "minLength": 1},
            "code_challenge": {"type": "string", "pattern": _PKCE, "examples": [EXAMPLE_CODE_CHALLENGE]},
            "code_challenge_method": {"type": "string", "enum": ["S256"]},
            "prompt": {
                "type": "string",
                "pattern": "^(" + "|".join(PROMPT_VALUES) + ")( (" + "|".join(PROMPT_VALUES) + "))*$",
                "description": "consent is refused with consent_required; none without a session with login_required.",
            },
            "max_age": {"type": "string", "pattern": "^[0-9]+$", "description": "Whole seconds, 0 or more."},
            REAUTH_PARAM: {
                "type": "string",
                "description": "The ticket the login page carries back for a request that asked for a fresh login.",
            },
        },
    }


def _authorize_operation(method: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": f"Authorization endpoint ({method})",
        "description": (
            "Answers with a redirect: to the client's redirect URI with code and state, or with error and "
            "error_description (RFC 6749 4.1.2.1); or to the login page when the user must log in. A request "
            "whose client_id or redirect_uri is unknown, missing or repeated gets a page (400): there is nowhere "
            "safe to send the browser."
        ),
        "parameters": [{"name": SESSION_COOKIE, "in": "cookie", "schema": {"type": "string"}}],
        "responses": {
            "302": {"description": "Back to the client, or to the login page.", "headers": _LOCATION},
            "400": {"description": "No trustworthy client_id and redirect_uri.", "content": _HTML_PAGE},
        },
    }
    parameters = _authorization_parameters()
    if method == "GET":
        required = set(parameters["required"])
        operation["parameters"] += [
            {"name": name, "in": "query", "required": name in required, "schema": schema}
            for name, schema in parameters["properties"].items()
        ]
    else:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": parameters}},
        }
    return operation


def protocol_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the IdP's OAuth 2.0 / OpenID Connect endpoints, logout and captcha images."""
    discovery = {
        "summary": "OpenID Connect discovery document",
        "responses": {"200": _json(_ref("Discovery"), "The provider's metadata (OpenID Connect Discovery 1.0).")},
    }
    userinfo_responses = {
        "200": _json(_ref("UserInfo"), "The account's claims.", _NO_STORE),
        "401": _json(
            _oauth_error(("invalid_token",)),
            "No bearer token, or one that is unknown or expired (RFC 6750 3.1).",
            {"WWW-Authenticate": {"required": True, "schema": {"type": "string", "pattern": "^Bearer "}}},
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "一证通 identity provider mock: OAuth 2.0 / OpenID Connect endpoints",
            "version": "1",
            "description": (
                "The machine-facing endpoints of the IdP mock: discovery, keys, authorization, token, userinfo, "
                "logout and captcha images. Authorization code flow with PKCE (S256) only."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            OIDC_PREFIX + DISCOVERY_SUFFIX: {"get": discovery},
            DISCOVERY_SUFFIX: {"get": discovery},
            JWKS_PATH: {
                "get": {
                    "summary": "The public signing keys (RFC 7517 JWK Set)",
                    "responses": {"200": _json(_ref("Jwks"), "The keys ID tokens are signed with.")},
                }
            },
            AUTHORIZE_PATH: {"get": _authorize_operation("GET"), "post": _authorize_operation("POST")},
            TOKEN_PATH: {
                "post": {
                    "summary": "Token endpoint: a code for tokens (RFC 6749 4.1.3, RFC 7636 4.5)",
                    "security": [{}, {"clientSecretBasic": []}],
                    "parameters": [_authorization("Basic")],
                    "requestBody": {
                        "required": True,
                        "content": {"application/x-www-form-urlencoded": {"schema": _ref("TokenRequest")}},
                    },
                    "responses": {
                        "200": _json(_ref("TokenResponse"), "The tokens.", _NO_STORE),
                        "400": _json(_oauth_error(_TOKEN_ERROR_CODES), "RFC 6749 5.2.", _NO_STORE),
                        "401": _json(
                            _oauth_error(("invalid_client",)),
                            "Client authentication failed (RFC 6749 5.2).",
                            {
                                "WWW-Authenticate": {
                                    "required": True,
                                    "schema": {"type": "string", "pattern": "^Basic "},
                                }
                            },
                        ),
                        "503": _json(
                            _oauth_error(("temporarily_unavailable",)),
                            "An injected fault (the control interface's faults): try again after Retry-After.",
                        ),
                    },
                }
            },
            USERINFO_PATH: {
                "get": {
                    "summary": "UserInfo endpoint",
                    "security": [{}, {"bearer": []}],
                    "parameters": [_authorization("Bearer")],
                    "responses": userinfo_responses,
                },
                "post": {
                    "summary": "UserInfo endpoint (POST)",
                    "security": [{}, {"bearer": []}],
                    "parameters": [_authorization("Bearer")],
                    "responses": userinfo_responses,
                },
            },
            LOGOUT_PATH: {
                "get": {
                    "summary": "Log out, then go to goto if it stays on the IdP, else to the login page",
                    "parameters": [
                        {"name": "goto", "in": "query", "schema": {"type": "string"}},
                        {"name": SESSION_COOKIE, "in": "cookie", "schema": {"type": "string"}},
                    ],
                    "responses": {"302": {"description": "Where to go next.", "headers": _LOCATION}},
                }
            },
            CAPTCHA_IMAGE_PATH: {
                "get": {
                    "summary": "A captcha's image",
                    "parameters": [
                        {"name": "captcha_id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {"description": "The image.", "content": {"image/png": {"schema": {"type": "string"}}}},
                        "404": {
                            "description": "No such captcha.",
                            "content": {"text/plain": {"schema": {"type": "string", "minLength": 1}}},
                        },
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "clientSecretBasic": {"type": "http", "scheme": "basic", "description": "client_secret_basic"},
                "bearer": {"type": "http", "scheme": "bearer", "description": "The access token (RFC 6750 2.1)."},
            },
            "schemas": {
                "Discovery": {
                    "type": "object",
                    "required": [
                        "issuer",
                        "authorization_endpoint",
                        "token_endpoint",
                        "jwks_uri",
                        "response_types_supported",
                        "subject_types_supported",
                        "id_token_signing_alg_values_supported",
                    ],
                    "properties": {
                        "issuer": {"type": "string", "format": "uri"},
                        "authorization_endpoint": {"type": "string", "format": "uri"},
                        "token_endpoint": {"type": "string", "format": "uri"},
                        "jwks_uri": {"type": "string", "format": "uri"},
                        "userinfo_endpoint": {"type": "string", "format": "uri"},
                        "response_types_supported": {"type": "array", "items": {"type": "string"}},
                        "subject_types_supported": {"type": "array", "items": {"type": "string"}},
                        "id_token_signing_alg_values_supported": {"type": "array", "contains": {"const": "RS256"}},
                        "code_challenge_methods_supported": {"type": "array", "items": {"const": "S256"}},
                        "scopes_supported": {"type": "array", "contains": {"const": "openid"}},
                        "claims_supported": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "Jwks": {
                    "type": "object",
                    "required": ["keys"],
                    "properties": {
                        "keys": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["kty", "kid", "n", "e"],
                                "not": {"anyOf": [{"required": ["d"]}, {"required": ["p"]}, {"required": ["q"]}]},
                                "properties": {
                                    "kty": {"const": "RSA"},
                                    "kid": {"type": "string", "minLength": 1},
                                    "use": {"const": "sig"},
                                    "alg": {"const": "RS256"},
                                    "n": {"type": "string"},
                                    "e": {"type": "string"},
                                },
                            },
                        }
                    },
                },
                "TokenRequest": {
                    "type": "object",
                    "required": ["grant_type", "code", "redirect_uri", "code_verifier"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["authorization_code"]},
                        "code": {"type": "string", "minLength": 1},
                        "redirect_uri": {"type": "string", "minLength": 1, "examples": [EXAMPLE_REDIRECT_URI]},
                        "code_verifier": {"type": "string", "pattern": _PKCE, "examples": [EXAMPLE_CODE_VERIFIER]},
                        "client_id": {
                            "type": "string",
                            "minLength": 1,
                            "description": "client_secret_post; leave out with client_secret_basic.",
                            "examples": [EXAMPLE_CLIENT_ID],
                        },
                        "client_secret": {"type": "string", "minLength": 1, "examples": [EXAMPLE_CLIENT_SECRET]},
                    },
                },
                "TokenResponse": {
                    "type": "object",
                    "required": ["access_token", "token_type", "expires_in", "id_token"],
                    "properties": {
                        "access_token": {"type": "string", "minLength": 1},
                        "token_type": {"const": "Bearer"},
                        "expires_in": {"type": "integer", "minimum": 1},
                        "scope": {"type": "string"},
                        "id_token": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"},
                    },
                },
                "UserInfo": {
                    "type": "object",
                    "required": ["sub", *ENTERPRISE_CLAIMS],
                    "additionalProperties": False,
                    "properties": {name: {"type": "string", "minLength": 1} for name in ("sub", *ENTERPRISE_CLAIMS)},
                },
            },
        },
    }
