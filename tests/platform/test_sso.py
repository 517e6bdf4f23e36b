"""The platform's side of 北京市企业认证 (W2, W5, Q1, R6), against a fake IdP (``fake_idp``).

The fake speaks just enough OpenID Connect (discovery, JWKS, token endpoint with
client_secret_basic and PKCE S256) through an ``httpx.MockTransport`` handed to
``create_app``; the test plays the browser and the IdP's login page by calling
:meth:`FakeIdp.authorize` on the URL the platform redirected to.  Faults (refused
connection, timeout, 5xx) are raised by the transport, so nothing here waits or sleeps.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from fixtures.test_data import Enterprise, PlatformAccount
from tests.platform.fake_idp import ISSUER, REDIRECT_URI, FakeIdp
from tests.platform.support import (
    CLIENT_ID,
    CLIENT_SECRET,
    alerts,
    bind,
    full_width,
    new_app,
    new_client,
    seed_and_log_in,
    seed_user,
    statuses,
)

ADVICE = (
    "请咨询贵公司相关人员是否有过绑定，获取已被绑定的平台账号和密码，并用该账号重新登录平台网站或者APP，"
    "进行后续相关操作。若找不到已被绑定的平台账号和密码，需要申请解绑处理，"
    "请咨询北京市中小企业公共服务平台呼叫中心（010-82176966/010-82176996）。"
)


@pytest.fixture(scope="module")
def keys() -> list[RSAKey]:
    # RSA key generation is the slow part of this module: three keys, made once.
    return [RSAKey.generate_key(2048, parameters={"kid": kid}) for kid in ("key-1", "key-2", "key-1")]


@pytest.fixture
def idp(keys: list[RSAKey], enterprise: Enterprise) -> FakeIdp:
    return FakeIdp(signing_key=keys[0], published_keys=[keys[0]], enterprise=enterprise)


@pytest.fixture
def app(idp: FakeIdp) -> FastAPI:
    return new_app(httpx.MockTransport(idp))


@pytest.fixture
def client(client: TestClient, platform_account: PlatformAccount) -> TestClient:
    """The conftest's browser, logged in as the test's platform account."""
    seed_and_log_in(client, platform_account)
    return client


def start(client: TestClient) -> str:
    response = client.get("/auth/yzt/start")
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def callback(client: TestClient, params: dict[str, str]) -> httpx.Response:
    response: httpx.Response = client.get("/auth/yzt/callback", params=params)
    return response


def certify(client: TestClient, idp: FakeIdp) -> httpx.Response:
    """The whole round trip: 北京市企业认证 → (IdP login) → callback."""
    return callback(client, idp.authorize(start(client)))


def bindings(client: TestClient) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = client.get("/_control/bindings").json()
    return result


def assert_retry_page(response: httpx.Response, status: int, message: str) -> None:
    assert response.status_code == status
    assert re.search(r"<h1[^>]*>企业认证未完成</h1>", response.text)
    assert alerts(response.text) == [message]
    assert '<a class="button button-primary" href="/auth/yzt/start">重新认证</a>' in response.text


# --- the authorization request ---------------------------------------------------------------


def test_start_needs_a_logged_in_user(app: FastAPI) -> None:
    with new_client(app) as anonymous:
        response = anonymous.get("/auth/yzt/start")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fauth%2Fyzt%2Fstart"


def test_start_redirects_to_the_idp_with_pkce_state_and_nonce(client: TestClient) -> None:
    first = urlsplit(start(client))
    assert f"{first.scheme}://{first.netloc}{first.path}" == ISSUER + "/authorize"
    query = {name: values[0] for name, values in parse_qs(first.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["scope"] == "openid profile enterprise"
    assert query["code_challenge_method"] == "S256"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", query["code_challenge"])
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32
    second = {name: values[0] for name, values in parse_qs(urlsplit(start(client)).query).items()}
    for name in ("state", "nonce", "code_challenge"):
        assert second[name] != query[name]


# --- success ----------------------------------------------------------------------------------


def test_certification_binds_the_enterprise_and_shows_it(
    client: TestClient, idp: FakeIdp, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    response = certify(client, idp)
    assert response.status_code == 303
    assert response.headers["location"] == "/user/home/profile"
    profile = client.get("/user/home/profile").text
    assert statuses(profile) == ["企业认证成功"]
    assert '<span class="tag tag-certified">已认证</span>' in profile
    assert f"企业名称：{enterprise.name}" in profile
    assert f"统一社会信用代码：{enterprise.credit_code}" in profile
    assert statuses(client.get("/user/home/profile").text) == []
    [binding] = bindings(client)
    assert binding["credit_code"] == enterprise.credit_code
    assert binding["enterprise_name"] == enterprise.name
    assert binding["username"] == platform_account.username


def test_token_request_authenticates_the_client_and_proves_pkce(client: TestClient, idp: FakeIdp) -> None:
    authorization_url = start(client)
    challenge = parse_qs(urlsplit(authorization_url).query)["code_challenge"][0]
    params = idp.authorize(authorization_url)
    assert callback(client, params).status_code == 303
    [form] = idp.token_forms
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == params["code"]
    assert form["redirect_uri"] == REDIRECT_URI
    assert 43 <= len(form["code_verifier"]) <= 128
    assert create_s256_code_challenge(form["code_verifier"]) == challenge
    assert "client_secret" not in form  # client_secret_basic: the secret travels in the header only
    [token_request] = [r for r in idp.requests if r.url.path.endswith("/access_token")]
    assert token_request.headers["authorization"].startswith("Basic ")


def test_the_platform_waits_at_most_five_seconds_for_the_idp(client: TestClient, idp: FakeIdp) -> None:
    certify(client, idp)
    for request in idp.requests:
        assert request.extensions["timeout"] == {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}


def test_certifying_again_for_the_same_enterprise_is_harmless(client: TestClient, idp: FakeIdp) -> None:
    certify(client, idp)
    [before] = bindings(client)
    response = certify(client, idp)
    assert response.status_code == 303
    assert bindings(client) == [before]


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(str.lower, id="lower-case"),
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda code: f"{code[:6]} {code[6:]}", id="spaced"),
        pytest.param(lambda code: code[:9] + "\u200b" + code[9:], id="zero-width-space"),
        pytest.param(lambda code: "\ufeff" + code, id="byte-order-mark"),
    ],
)
def test_the_id_tokens_credit_code_is_read_canonical(
    client: TestClient, idp: FakeIdp, enterprise: Enterprise, spell: Callable[[str], str]
) -> None:
    # The IdP passes on the code as its user typed it; the platform binds the canonical code.
    idp.claims["credit_code"] = spell(enterprise.credit_code)
    assert certify(client, idp).status_code == 303
    assert bindings(client)[0]["credit_code"] == enterprise.credit_code
    assert f"统一社会信用代码：{enterprise.credit_code}</li>" in client.get("/user/home/profile").text


def test_another_spelling_of_a_bound_credit_code_is_the_same_enterprise(
    client: TestClient, idp: FakeIdp, colleague: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_user(client, colleague)
    seeded = bind(client, enterprise, colleague)
    idp.claims["credit_code"] = full_width(enterprise.credit_code.lower())
    response = certify(client, idp)
    assert response.status_code == 409
    assert alerts(response.text) == ["该企业已被其他用户绑定"]
    assert f"（统一社会信用代码：{enterprise.credit_code}）" in response.text
    assert bindings(client) == [seeded]


def test_discovery_and_keys_are_cached(
    app: FastAPI, client: TestClient, idp: FakeIdp, colleague: PlatformAccount, other_enterprise: Enterprise
) -> None:
    certify(client, idp)
    with new_client(app) as other:
        seed_and_log_in(other, colleague)
        idp.vouch_for(other_enterprise)
        assert certify(other, idp).status_code == 303
    assert idp.paths().count("/am/oauth2/.well-known/openid-configuration") == 1
    assert idp.paths().count("/am/oauth2/connect/jwk_uri") == 1


@pytest.mark.parametrize(
    "new_key",
    [
        pytest.param(1, id="rotated-to-a-new-kid"),
        # A restarted IdP: same kid "key-1", different key, so the cached one says "bad signature".
        pytest.param(2, id="restarted-with-a-new-key-under-the-old-kid"),
    ],
)
def test_keys_are_fetched_again_when_the_idp_changes_its_key(
    client: TestClient, idp: FakeIdp, keys: list[RSAKey], enterprise: Enterprise, new_key: int
) -> None:
    certify(client, idp)
    client.delete(f"/_control/bindings/{enterprise.credit_code}")
    idp.change_key(keys[new_key])
    assert certify(client, idp).status_code == 303
    assert idp.paths().count("/am/oauth2/connect/jwk_uri") == 2


# --- state ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"code": "code-1", "state": "forged-state"}, id="unknown-state"),
        pytest.param({"code": "code-1"}, id="no-state"),
        pytest.param({"code": "code-1", "state": ""}, id="empty-state"),
        pytest.param({}, id="nothing"),
    ],
)
def test_callback_with_a_state_we_did_not_issue(client: TestClient, idp: FakeIdp, params: dict[str, str]) -> None:
    idp.authorize(start(client))
    response = callback(client, params)
    assert_retry_page(response, 400, "认证请求已失效，请重新认证")
    assert idp.token_forms == []
    assert bindings(client) == []


def test_a_state_is_good_for_one_callback(client: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(start(client))
    assert callback(client, params).status_code == 303
    assert_retry_page(callback(client, params), 400, "认证请求已失效，请重新认证")


def test_a_state_belongs_to_its_browser_session(
    app: FastAPI, client: TestClient, idp: FakeIdp, colleague: PlatformAccount
) -> None:
    params = idp.authorize(start(client))
    with new_client(app) as attacker:
        seed_and_log_in(attacker, colleague)
        assert_retry_page(callback(attacker, params), 400, "认证请求已失效，请重新认证")
    assert bindings(client) == []


def test_logging_in_as_someone_else_midway_voids_the_request(
    client: TestClient, idp: FakeIdp, colleague: PlatformAccount
) -> None:
    params = idp.authorize(start(client))
    seed_and_log_in(client, colleague)
    assert_retry_page(callback(client, params), 400, "认证请求已失效，请重新认证")
    assert bindings(client) == []


def test_callback_after_logout_is_void(client: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(start(client))
    client.post("/logout")
    response = callback(client, params)
    assert response.status_code == 400
    assert alerts(response.text) == ["认证请求已失效，请重新认证"]


# --- answers from the IdP ---------------------------------------------------------------------


def test_an_error_from_the_idp_is_shown_with_a_retry(client: TestClient, idp: FakeIdp) -> None:
    state = idp.authorize(start(client))["state"]
    response = callback(client, {"error": "access_denied", "error_description": "用户取消登录", "state": state})
    assert_retry_page(response, 400, "统一身份认证平台未完成认证，请重新认证")
    assert "错误代码：access_denied（用户取消登录）" in response.text
    assert idp.token_forms == []


def test_an_error_with_a_forged_state_is_still_a_state_error(client: TestClient) -> None:
    response = callback(client, {"error": "access_denied", "state": "forged"})
    assert_retry_page(response, 400, "认证请求已失效，请重新认证")


def test_a_rejected_code_is_shown_with_a_retry(client: TestClient, idp: FakeIdp) -> None:
    idp.token_error = (400, {"error": "invalid_grant", "error_description": "code expired"})
    response = certify(client, idp)
    assert_retry_page(response, 400, "统一身份认证平台未完成认证，请重新认证")
    assert "错误代码：invalid_grant（code expired）" in response.text
    assert bindings(client) == []


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        pytest.param({"nonce": "not-the-nonce-we-sent"}, "nonce", id="wrong-nonce"),
        pytest.param({"aud": "another-client"}, "aud", id="wrong-aud"),
        pytest.param({"aud": [CLIENT_ID, "another-client"]}, "azp", id="several-aud-no-azp"),
        pytest.param({"iss": "http://evil.example/am/oauth2"}, "iss", id="wrong-iss"),
        pytest.param({"iat": int(time.time()) + 3600}, "iat", id="issued-in-the-future"),
        pytest.param({"sub": None}, "sub", id="no-sub"),
        pytest.param({"credit_code": None}, "credit_code", id="no-credit-code"),
        pytest.param({"exp": int(time.time()) - 3600}, "已过期", id="expired"),
    ],
)
def test_id_token_that_fails_a_check_is_refused(
    client: TestClient, idp: FakeIdp, claims: dict[str, Any], reason: str
) -> None:
    idp.claims.update(claims)
    for name in [name for name, value in claims.items() if value is None]:
        del idp.claims[name]
    response = certify(client, idp)
    assert_retry_page(response, 502, "统一身份认证平台返回的认证结果未通过校验，请重新认证")
    assert reason in response.text
    assert bindings(client) == []
    assert '<span class="tag">未认证</span>' in client.get("/user/home/profile").text


def test_id_token_expiry_is_judged_by_the_platform_clock(client: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(start(client))
    # The token lives 600 s and the platform allows 60 s of skew: 11 minutes later it is stale.
    client.post("/_control/clock/advance", json={"minutes": 11})
    response = callback(client, params)
    assert_retry_page(response, 502, "统一身份认证平台返回的认证结果未通过校验，请重新认证")
    assert "身份令牌已过期" in response.text


def test_id_token_within_the_leeway_is_accepted(client: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(start(client))
    client.post("/_control/clock/advance", json={"minutes": 10, "seconds": 30})
    assert callback(client, params).status_code == 303


def test_id_token_signed_by_a_stranger_is_refused(client: TestClient, idp: FakeIdp, keys: list[RSAKey]) -> None:
    idp.signing_key = keys[2]  # kid "key-1" like the published key, but not that key
    response = certify(client, idp)
    assert_retry_page(response, 502, "统一身份认证平台返回的认证结果未通过校验，请重新认证")
    assert "身份令牌签名无效" in response.text
    assert bindings(client) == []


def test_id_token_with_an_unknown_kid_is_refused(client: TestClient, idp: FakeIdp, keys: list[RSAKey]) -> None:
    idp.signing_key = keys[1]  # "key-2", never published
    response = certify(client, idp)
    assert response.status_code == 502
    assert "密钥" in response.text
    assert idp.paths().count("/am/oauth2/connect/jwk_uri") == 2  # looked again before refusing


@pytest.mark.parametrize("algorithm", ["HS256", "none"])
def test_id_token_not_signed_with_rs256_is_refused(client: TestClient, idp: FakeIdp, algorithm: str) -> None:
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "x", "iat": int(time.time()), "exp": int(time.time()) + 600}
    if algorithm == "HS256":
        token = jwt.encode({"alg": "HS256", "kid": "key-1"}, claims, OctKey.import_key(CLIENT_SECRET * 2))
    else:
        header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
        payload = base64.urlsafe_b64encode(str(claims).replace("'", '"').encode()).rstrip(b"=").decode()
        token = f"{header}.{payload}."
    idp.id_token_override = token
    response = certify(client, idp)
    assert response.status_code == 502
    assert bindings(client) == []


def test_token_response_without_id_token_is_refused(client: TestClient, idp: FakeIdp) -> None:
    idp.id_token_override = ""
    original = idp._token

    def without_id_token(request: httpx.Request) -> httpx.Response:
        response = original(request)
        body = response.json()
        body.pop("id_token", None)
        return httpx.Response(response.status_code, json=body)

    idp._token = without_id_token  # type: ignore[method-assign]
    response = certify(client, idp)
    assert response.status_code == 502
    assert "id_token" in response.text


# --- the IdP down or slow ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["refused", "timeout", "503"])
def test_idp_trouble_at_the_token_endpoint_gives_a_friendly_retry_page(
    client: TestClient, idp: FakeIdp, kind: str
) -> None:
    params = idp.authorize(start(client))
    idp.outages["/access_token"] = kind
    response = callback(client, params)
    assert_retry_page(response, 502, "统一身份认证平台暂时无法访问，请稍后重试")
    assert bindings(client) == []
    # Back up: the user's retry goes through.
    idp.outages.clear()
    assert certify(client, idp).status_code == 303


@pytest.mark.parametrize("kind", ["refused", "timeout", "503"])
def test_idp_trouble_before_leaving_the_platform_gives_the_same_page(
    client: TestClient, idp: FakeIdp, kind: str
) -> None:
    idp.outages["/openid-configuration"] = kind
    response = client.get("/auth/yzt/start")
    assert_retry_page(response, 502, "统一身份认证平台暂时无法访问，请稍后重试")
    idp.outages.clear()
    assert certify(client, idp).status_code == 303


def test_idp_trouble_fetching_keys_gives_the_same_page(client: TestClient, idp: FakeIdp) -> None:
    idp.outages["/jwk_uri"] = "503"
    assert_retry_page(certify(client, idp), 502, "统一身份认证平台暂时无法访问，请稍后重试")


def test_a_discovery_document_for_another_issuer_is_not_trusted(
    client: TestClient, idp: FakeIdp, colleague: PlatformAccount
) -> None:
    original = idp.__call__

    def wrong_issuer(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path.endswith("/openid-configuration"):
            return httpx.Response(200, json={**response.json(), "issuer": "http://evil.example/am/oauth2"})
        return response

    with new_client(new_app(httpx.MockTransport(wrong_issuer))) as other:
        seed_and_log_in(other, colleague)
        assert other.get("/auth/yzt/start").status_code == 502


# --- the binding rule (Q1) --------------------------------------------------------------------


def test_enterprise_bound_to_another_account_is_refused_and_left_alone(
    client: TestClient, idp: FakeIdp, colleague: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_user(client, colleague)
    seeded = bind(client, enterprise, colleague)
    response = certify(client, idp)
    assert response.status_code == 409
    assert alerts(response.text) == ["该企业已被其他用户绑定"]
    assert f'<p class="result-advice">{ADVICE}</p>' in response.text
    assert colleague.username not in response.text  # never reveal who holds it
    assert bindings(client) == [seeded]
    assert '<span class="tag">未认证</span>' in client.get("/user/home/profile").text
    colleague_view = client.get(f"/_control/users/{colleague.username}").json()
    assert colleague_view["enterprise"]["credit_code"] == enterprise.credit_code


def test_after_the_call_center_unbinds_the_new_account_can_certify(
    client: TestClient,
    idp: FakeIdp,
    platform_account: PlatformAccount,
    colleague: PlatformAccount,
    enterprise: Enterprise,
) -> None:
    seed_user(client, colleague)
    bind(client, enterprise, colleague)
    assert certify(client, idp).status_code == 409
    assert client.delete(f"/_control/bindings/{enterprise.credit_code}").status_code == 204
    assert certify(client, idp).status_code == 303
    assert [b["username"] for b in bindings(client)] == [platform_account.username]
    assert client.get(f"/_control/users/{colleague.username}").json()["enterprise"] is None


def test_an_account_certified_for_one_enterprise_cannot_take_a_second(
    client: TestClient, idp: FakeIdp, other_enterprise: Enterprise
) -> None:
    certify(client, idp)
    [first] = bindings(client)
    idp.vouch_for(other_enterprise)
    response = certify(client, idp)
    assert response.status_code == 409
    assert alerts(response.text) == ["您的平台账号已认证其他企业，一个平台账号只能认证一家企业"]
    assert bindings(client) == [first]
