"""The OpenAPI document of the platform's endpoints that no person reads: the SSO callback and 获取验证码.

The site has no public API and its pages are HTML for people; what other parties call is described
here, so that schemathesis (``tests/schema``) and a tester's own tools can fuzz it: the redirect URI the
一证通 IdP sends the browser back to (``/auth/yzt/callback``, OAuth 2.0's authorization response), and the
two JSON endpoints the app's 注册 page script calls.  The control interface serves it at
``/_control/protocol-openapi.json``.

A callback is answered with a redirect (certified) or a result page in the layout the round trip started
from: 400 when it cannot be trusted or the IdP said no, 409 when the enterprise is bound elsewhere, 502
when the IdP cannot be reached.  It is never a JSON API: whatever comes back, a person is looking.
"""

from __future__ import annotations

from typing import Any, Final

from mock_servers.common.csrf import FIELD_NAME
from mock_servers.platform.sso import CALLBACK_PATH
from mock_servers.platform.web import SESSION_COOKIE

PROTOCOL_SCHEMA_PATH: Final = "/protocol-openapi.json"  # under the control interface's /_control

_PAGE: Final = {"text/html": {"schema": {"type": "string", "minLength": 1}}}
_REFUSAL: Final = {
    "type": "object",
    "required": ["field", "message", "resend_after"],
    "properties": {
        "field": {"type": "string"},
        "message": {"type": "string", "minLength": 1, "description": "What the page shows under the field."},
        "resend_after": {"type": "integer", "minimum": 0},
    },
}
_SESSION: Final = {"name": SESSION_COOKIE, "in": "cookie", "schema": {"type": "string"}}


def _refusal(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _REFUSAL}}}


def protocol_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the SSO callback and the app's SMS code endpoints."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "北京市中小企业公共服务平台 mock: SSO callback and 获取验证码",
            "version": "1",
            "description": "What the 一证通 IdP and the app's page script call on the platform mock.",
        },
        "servers": [{"url": "/"}],
        "paths": {
            CALLBACK_PATH: {
                "get": {
                    "summary": "Redirect URI of the 一证通 IdP (the authorization response, RFC 6749 4.1.2)",
                    "description": (
                        "Nothing in it is trusted until state matches the pending request of this browser's "
                        "session; then error (with error_description) or code, which the platform exchanges."
                    ),
                    "parameters": [
                        {"name": "state", "in": "query", "schema": {"type": "string"}},
                        {"name": "code", "in": "query", "schema": {"type": "string"}},
                        {"name": "error", "in": "query", "schema": {"type": "string"}},
                        {"name": "error_description", "in": "query", "schema": {"type": "string"}},
                        _SESSION,
                    ],
                    "responses": {
                        "303": {
                            "description": "Certified: back to where the round trip started.",
                            "headers": {"Location": {"required": True, "schema": {"type": "string", "minLength": 1}}},
                        },
                        "400": {
                            "description": "认证请求已失效 (no matching request) or the IdP said no.",
                            "content": _PAGE,
                        },
                        "409": {"description": "The enterprise or the account is bound elsewhere.", "content": _PAGE},
                        "502": {
                            "description": "The IdP could not be reached, or its ID token failed validation.",
                            "content": _PAGE,
                        },
                    },
                }
            },
            "/m/sms": {
                "post": {
                    "summary": "获取验证码 (the app's 注册 page script)",
                    "parameters": [_SESSION],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "required": ["mobile", FIELD_NAME],
                                    "properties": {
                                        "mobile": {"type": "string"},
                                        FIELD_NAME: {
                                            "type": "string",
                                            "description": "The 注册 page's token, bound to the session.",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Sent.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["sent", "resend_after"],
                                        "properties": {
                                            "sent": {"const": True},
                                            "resend_after": {"type": "integer", "minimum": 0},
                                        },
                                    }
                                }
                            },
                        },
                        "403": {
                            "description": "页面已过期: no token of this session. JSON to the script, else a page.",
                            "content": {"application/json": {"schema": _REFUSAL}, **_PAGE},
                        },
                        "409": _refusal("The number has an account already."),
                        "422": _refusal("No mainland mobile number."),
                        "429": _refusal("Too many codes for this number: wait resend_after seconds."),
                    },
                }
            },
            "/m/sms/cooldown": {
                "get": {
                    "summary": "Seconds until 获取验证码 works again for a number (the countdown)",
                    "parameters": [{"name": "mobile", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "0: a code can be sent now.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["resend_after"],
                                        "properties": {"resend_after": {"type": "integer", "minimum": 0}},
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
    }
