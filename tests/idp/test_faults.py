"""The intent-verb fault "fail the next token request" (``POST /_control/faults/fail-next-token-request``).

In the style of navikt/mock-oauth2-server: a test shapes only the next exchange, so it
sees the relying party's error page and then its recovery without switching anything
off.  Here over HTTP; ``tests/platform/test_idp_token_fault.py`` drives it through the
real platform.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from mock_servers.idp.pages import login_url
from tests.idp.driver import PASSWORD, IdpDriver, page_of

CLIENT_ID: Final = "smebj-platform"
CLIENT_SECRET: Final = "platform-secret"
REDIRECT_URI: Final = "http://platform.test/auth/yzt/callback"
FAIL_NEXT: Final = "/faults/fail-next-token-request"
NO_FAULTS: Final = {"down": False, "delay_seconds": 0.0, "pending_token_failures": 0}


@pytest.fixture
def idp(idp: IdpDriver) -> IdpDriver:
    """The shared driver, with the relying party registered (registrations survive its reset)."""
    idp.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
    return idp


def new_code(idp: IdpDriver, account: str) -> tuple[str, str]:
    """A fresh authorization code for ``account`` and its PKCE verifier (log in, authorize)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    first = idp.http.get("/am/oauth2/authorize", params=params)
    if first.headers["location"].startswith("/am/UI/Login"):
        goto = parse_qs(urlsplit(first.headers["location"]).query)["goto"][0]
        assert idp.login(account, PASSWORD, goto=goto).status_code == 302
        first = idp.get(goto)
    location = first.headers["location"]
    assert location.startswith(REDIRECT_URI), location
    return parse_qs(urlsplit(location).query)["code"][0], verifier


def redeem(idp: IdpDriver, code: str, verifier: str) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    response: httpx.Response = idp.http.post("/am/oauth2/access_token", data=data, auth=(CLIENT_ID, CLIENT_SECRET))
    return response


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.json() == {"error": "temporarily_unavailable", "error_description": "统一身份认证平台暂时无法访问"}
    assert response.headers["retry-after"] == "1"
    assert response.headers["cache-control"] == "no-store"


def test_the_next_token_request_fails_and_the_one_after_works(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    code, verifier = new_code(idp, seeded["account"])
    queued = idp.control("POST", FAIL_NEXT)
    assert queued == {**NO_FAULTS, "pending_token_failures": 1}
    assert idp.control("GET", "/faults") == queued

    assert_unavailable(redeem(idp, code, verifier))
    assert idp.control("GET", "/faults") == NO_FAULTS
    # Like a gateway's 503, the failed request never reached the endpoint: the code is still good.
    redeemed = redeem(idp, code, verifier)
    assert redeemed.status_code == 200, redeemed.text
    assert redeemed.json()["id_token"]


def test_each_call_adds_one_failure(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    code, verifier = new_code(idp, seeded["account"])
    idp.control("POST", FAIL_NEXT)
    assert idp.control("POST", FAIL_NEXT)["pending_token_failures"] == 2
    assert_unavailable(redeem(idp, code, verifier))
    assert idp.control("GET", "/faults")["pending_token_failures"] == 1
    assert_unavailable(redeem(idp, code, verifier))
    assert redeem(idp, code, verifier).status_code == 200


def test_a_bad_token_request_fails_the_same_way_and_uses_the_failure_up(idp: IdpDriver) -> None:
    # The fault answers before the endpoint looks at the request, whatever it holds.
    idp.control("POST", FAIL_NEXT)
    assert_unavailable(idp.http.post("/am/oauth2/access_token", data={}))
    assert idp.http.post("/am/oauth2/access_token", data={}).status_code == 401


def test_other_endpoints_neither_fail_nor_use_the_failure_up(idp: IdpDriver) -> None:
    idp.control("POST", FAIL_NEXT)
    for path in (
        login_url(),
        "/am/oauth2/.well-known/openid-configuration",
        "/.well-known/openid-configuration",
        "/am/oauth2/connect/jwk_uri",
    ):
        assert idp.get(path).status_code == 200, path
    assert idp.get("/am/oauth2/userinfo").status_code == 401
    assert idp.control("GET", "/faults")["pending_token_failures"] == 1


def test_an_outage_answers_first_and_leaves_the_failure_pending(idp: IdpDriver) -> None:
    idp.control("POST", FAIL_NEXT)
    idp.control("PUT", "/faults", json={"down": True, "pending_token_failures": 1})
    token = idp.http.post("/am/oauth2/access_token", data={})
    assert token.status_code == 503
    assert token.headers["retry-after"] == "60"
    assert idp.control("GET", "/faults") == {"down": True, "delay_seconds": 0.0, "pending_token_failures": 1}


def test_put_keeps_its_old_documents_and_replaces_everything(idp: IdpDriver) -> None:
    idp.control("POST", FAIL_NEXT)
    # A body written before this fault existed reads back exactly as before, and clears it.
    assert idp.control("PUT", "/faults", json={"down": False}) == NO_FAULTS
    assert idp.control("GET", "/faults") == NO_FAULTS
    assert idp.control("PUT", "/faults", json={"pending_token_failures": 2}) == {
        **NO_FAULTS,
        "pending_token_failures": 2,
    }
    assert idp.control("GET", "/faults")["pending_token_failures"] == 2


@pytest.mark.parametrize("value", [-1, "two", 1.5])
def test_a_bad_failure_count_is_refused(idp: IdpDriver, value: object) -> None:
    assert idp.http.put("/_control/faults", json={"pending_token_failures": value}).status_code == 422


def test_reset_clears_pending_failures(idp: IdpDriver) -> None:
    idp.control("POST", FAIL_NEXT)
    idp.control("POST", "/reset", expect=204)
    assert idp.control("GET", "/faults") == NO_FAULTS
    code, verifier = new_code(idp, idp.seed_account()["account"])
    assert redeem(idp, code, verifier).status_code == 200


def test_the_verb_is_in_the_control_interfaces_openapi(idp: IdpDriver) -> None:
    schema = idp.control("GET", "/openapi.json")
    assert "post" in schema["paths"][FAIL_NEXT]
    assert "pending_token_failures" in schema["components"]["schemas"]["FaultSettings"]["properties"]


def test_a_failed_login_page_is_unaffected(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    # Pages never touch the token endpoint: a queued failure changes nothing for the person logging in.
    idp.control("POST", FAIL_NEXT)
    assert page_of(idp.login(seeded["account"], "Wrong0000")).alerts() == ["用户名或密码错误"]
    assert idp.login(seeded["account"], PASSWORD).status_code == 302
    assert idp.control("GET", "/faults")["pending_token_failures"] == 1
