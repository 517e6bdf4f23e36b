"""The IdP mock speaks OAuth 2.0 authorization code + PKCE (S256) with OpenID Connect ID tokens (rule R6)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry

from mock_servers.idp import create_app
from mock_servers.idp.pages import login_url
from tests.idp.driver import BASE_URL, PASSWORD, IdpDriver, page_of

ISSUER = BASE_URL + "/am/oauth2"
CLIENT_ID = "smebj-platform"
CLIENT_SECRET = "platform-secret"
REDIRECT_URI = "http://platform.test/auth/yzt/callback"


@pytest.fixture
def idp(idp: IdpDriver) -> IdpDriver:
    """The shared driver, with the relying party registered (registrations survive its reset)."""
    idp.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
    return idp


def s256(verifier: str) -> str:
    # Computed independently of the mock (which uses authlib), so the test checks it rather than repeats it.
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


class Flow:
    """One relying-party login: its PKCE pair, state and nonce."""

    def __init__(self) -> None:
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(12)
        self.nonce = secrets.token_urlsafe(12)

    def params(self, **overrides: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile enterprise",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}


def authorize(idp: IdpDriver, params: dict[str, str]) -> httpx.Response:
    response: httpx.Response = idp.http.get("/am/oauth2/authorize", params=params)
    return response


def redirect_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def sign_in_and_get_code(idp: IdpDriver, flow: Flow, account: str) -> str:
    """The browser's part: authorize → login page → login → authorize again → code."""
    first = authorize(idp, flow.params())
    assert first.status_code == 302
    goto = parse_qs(urlsplit(first.headers["location"]).query)["goto"][0]
    logged_in = idp.login(account, PASSWORD, goto=goto)
    assert logged_in.status_code == 302, page_of(logged_in).alerts()
    assert logged_in.headers["location"] == goto
    query = redirect_query(idp.get(goto))
    assert query["state"] == flow.state
    return query["code"]


def redeem(idp: IdpDriver, code: str, verifier: str, **overrides: str) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    data.update(overrides)
    response: httpx.Response = idp.http.post("/am/oauth2/access_token", data=data, auth=(CLIENT_ID, CLIENT_SECRET))
    return response


def post_pairs(
    idp: IdpDriver, path: str, pairs: list[tuple[str, str]], auth: tuple[str, str] | None = None
) -> httpx.Response:
    """A form POST whose body may repeat a field (httpx's ``data=`` takes a dict: one value a name)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response: httpx.Response = idp.http.post(path, content=urlencode(pairs), headers=headers, auth=auth)
    return response


def verified_claims(idp: IdpDriver, id_token: str, nonce: str) -> dict[str, Any]:
    """Validate an ID token the way a relying party must: signature by the JWKS, then iss/aud/exp/nonce."""
    jwks = idp.get("/am/oauth2/connect/jwk_uri").json()
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] == jwks["keys"][0]["kid"]
    # exp and iat are checked against the IdP's MOCK clock (the relying party's clock runs alongside it).
    registry = JWTClaimsRegistry(
        now=lambda: int(_mock_timestamp(idp)),
        leeway=5,
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        iat={"essential": True},
    )
    registry.validate(token.claims)
    return token.claims


def _mock_timestamp(idp: IdpDriver) -> float:
    return datetime.fromisoformat(idp.control("GET", "/clock")["now"]).timestamp()


# --- discovery and keys -------------------------------------------------------


@pytest.mark.parametrize("path", ["/am/oauth2/.well-known/openid-configuration", "/.well-known/openid-configuration"])
def test_discovery_document_names_the_endpoints_and_what_they_support(idp: IdpDriver, path: str) -> None:
    document = idp.get(path).json()
    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == BASE_URL + "/am/oauth2/authorize"
    assert document["token_endpoint"] == BASE_URL + "/am/oauth2/access_token"
    assert document["jwks_uri"] == BASE_URL + "/am/oauth2/connect/jwk_uri"
    assert document["userinfo_endpoint"] == BASE_URL + "/am/oauth2/userinfo"
    assert document["response_types_supported"] == ["code"]
    assert document["grant_types_supported"] == ["authorization_code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["subject_types_supported"] == ["public"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"]
    assert document["scopes_supported"] == ["openid", "profile", "enterprise"]
    assert {"name", "preferred_username", "enterprise_name", "credit_code"} <= set(document["claims_supported"])


def test_jwks_publishes_one_public_rsa_signing_key(idp: IdpDriver) -> None:
    keys = idp.get("/am/oauth2/connect/jwk_uri").json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert (key["kty"], key["use"], key["alg"]) == ("RSA", "sig", "RS256")
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "the JWKS must not leak the private key"


# --- authorize: errors ----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"client_id": "unknown-client"}, id="unknown client_id"),
        pytest.param({"client_id": None}, id="no client_id"),
        pytest.param({"redirect_uri": "https://evil.example/callback"}, id="foreign redirect_uri"),
        pytest.param({"redirect_uri": REDIRECT_URI + "/"}, id="trailing slash"),
        pytest.param({"redirect_uri": REDIRECT_URI + "?next=/"}, id="extra query"),
        pytest.param({"redirect_uri": REDIRECT_URI.upper()}, id="different case"),
        pytest.param({"redirect_uri": None}, id="no redirect_uri"),
    ],
)
def test_authorize_with_untrusted_client_or_redirect_uri_answers_a_page_not_a_redirect(
    idp: IdpDriver, overrides: dict[str, str | None]
) -> None:
    response = authorize(idp, Flow().params(**overrides))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert page_of(response).headings(2) == ["认证请求无效"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        pytest.param({"code_challenge": None}, "invalid_request", id="no code_challenge"),
        pytest.param({"code_challenge_method": None}, "invalid_request", id="no method (plain by default)"),
        pytest.param({"code_challenge_method": "plain"}, "invalid_request", id="plain"),
        pytest.param({"code_challenge": "too-short"}, "invalid_request", id="malformed challenge"),
        pytest.param({"scope": "profile enterprise"}, "invalid_scope", id="no openid scope"),
        pytest.param({"response_type": "token"}, "unsupported_response_type", id="implicit flow"),
        pytest.param({"response_type": None}, "invalid_request", id="no response_type"),
    ],
)
def test_authorize_errors_go_back_to_the_registered_redirect_uri_with_state(
    idp: IdpDriver, overrides: dict[str, str | None], error: str
) -> None:
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(**overrides)))
    assert query["error"] == error
    assert query["state"] == flow.state
    assert "code" not in query


def test_authorize_refuses_a_repeated_parameter(idp: IdpDriver) -> None:
    flow = Flow()
    params = [*flow.params().items(), ("scope", "openid")]
    response = idp.http.get("/am/oauth2/authorize", params=params)
    assert redirect_query(response)["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # RFC 6749 section 3.1: no parameter may come twice, not only the ones this IdP acts on.
        pytest.param("state", "other-state", id="state"),
        pytest.param("nonce", "other-nonce", id="nonce"),
        pytest.param("code_challenge_method", "S256", id="code_challenge_method, same value twice"),
        pytest.param("prompt", "login", id="prompt"),
        pytest.param("max_age", "60", id="max_age"),
        pytest.param("login_hint", "corp_admin", id="an optional OIDC parameter"),
        pytest.param("response_mode", "query", id="response_mode"),
    ],
)
def test_authorize_with_any_parameter_repeated_redirects_invalid_request_naming_it(
    idp: IdpDriver, seeded: dict[str, Any], name: str, value: str
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])  # with a session a code would be issued
    flow = Flow()
    params = flow.params()
    params.setdefault(name, value)
    query = redirect_query(idp.http.get("/am/oauth2/authorize", params=[*params.items(), (name, value)]))
    assert "code" not in query
    assert query["error"] == "invalid_request"
    assert name in query["error_description"]
    if name != "state":
        assert query["state"] == flow.state


@pytest.mark.parametrize("name", ["client_id", "redirect_uri"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_authorize_with_client_id_or_redirect_uri_repeated_answers_a_page_naming_it(
    idp: IdpDriver, seeded: dict[str, Any], name: str, method: str
) -> None:
    # Even the same valid value twice: RFC 6749 section 4.1.2.1 sends nothing to a redirect_uri
    # that is not established beyond doubt.
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    params = Flow().params()
    repeated = [*params.items(), (name, params[name])]
    if method == "GET":
        response: httpx.Response = idp.http.get("/am/oauth2/authorize", params=repeated)
    else:
        response = post_pairs(idp, "/am/oauth2/authorize", repeated)
    assert response.status_code == 400
    assert "location" not in response.headers
    page = page_of(response)
    assert page.headings(2) == ["认证请求无效"]
    assert f"{name} 重复" in page.root.text()


def test_authorize_without_a_session_sends_the_browser_to_the_login_page_with_goto(idp: IdpDriver) -> None:
    flow = Flow()
    response = authorize(idp, flow.params())
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert location.path == "/am/UI/Login"
    query = parse_qs(location.query)
    assert query["module"] == ["BjzwLDAP"]
    assert query["gx_charset"] == ["UTF-8"]
    goto = urlsplit(query["goto"][0])
    assert goto.path == "/am/oauth2/authorize"
    assert {k: v[0] for k, v in parse_qs(goto.query).items()} == flow.params()
    assert response.headers["location"].startswith("/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=%2Fam%2Foauth2")


# --- the whole code flow --------------------------------------------------------


def test_code_flow_issues_a_verifiable_id_token_with_the_enterprise_claims(idp: IdpDriver) -> None:
    # A registration on the IdP stores the code as typed, in upper case: here a lower-case organization code.
    org_code = idp.data.enterprise().organization_code
    seeded = idp.seed_account(credit_code=org_code.lower())
    idp.advance(days=3)  # ID token times come from the MOCK clock
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])

    response = redeem(idp, code, flow.verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid profile enterprise"
    assert body["access_token"]

    claims = verified_claims(idp, body["id_token"], flow.nonce)
    account = idp.account(seeded["account"])
    assert claims["sub"] == account["subject"]
    assert claims["name"] == seeded["legal_person_name"]
    assert claims["preferred_username"] == seeded["account"]
    assert claims["enterprise_name"] == seeded["enterprise_name"]
    assert claims["credit_code"] == org_code.upper()
    assert claims["exp"] - claims["iat"] == 600
    assert claims["auth_time"] <= claims["iat"]
    assert abs(claims["iat"] - _mock_timestamp(idp)) < 5

    userinfo = idp.http.get("/am/oauth2/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert userinfo.status_code == 200
    assert userinfo.json() == {key: claims[key] for key in userinfo.json()}
    assert set(userinfo.json()) == {"sub", "name", "preferred_username", "enterprise_name", "credit_code"}


def test_id_token_signed_by_another_key_does_not_verify(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    body = redeem(idp, sign_in_and_get_code(idp, flow, seeded["account"]), flow.verifier).json()
    other_key = IdpDriver(create_app(BASE_URL), idp.data).get("/am/oauth2/connect/jwk_uri").json()["keys"][0]
    with pytest.raises(BadSignatureError):
        jwt.decode(body["id_token"], RSAKey.import_key(other_key), algorithms=["RS256"])


def test_the_rfc_7636_example_verifier_redeems_its_challenge(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    flow.verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256(flow.verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    assert redeem(idp, code, flow.verifier).status_code == 200


def test_with_a_session_authorize_issues_a_code_straight_away(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    second = Flow()
    query = redirect_query(authorize(idp, second.params()))
    assert query["state"] == second.state
    assert redeem(idp, query["code"], second.verifier).status_code == 200


def test_authorize_accepts_form_post_too(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    response = idp.http.post("/am/oauth2/authorize", data=flow.params())
    assert "code" in redirect_query(response)


# --- 一证通 sessions end (OpenAM's defaults, by the mock clock) ----------------


def answered_from_the_session(idp: IdpDriver) -> bool:
    """One authorize request: True if the session answered it with a code, False if it sent the browser to log in."""
    response = authorize(idp, Flow().params())
    assert response.status_code == 302
    location = response.headers["location"]
    if location.startswith(REDIRECT_URI + "?"):
        assert "code" in redirect_query(response)
        return True
    assert location.startswith("/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=%2Fam%2Foauth2%2Fauthorize")
    return False


@pytest.mark.parametrize(("idle_minutes", "alive"), [(29, True), (31, False)])
def test_an_unused_session_ends_30_minutes_after_login(
    idp: IdpDriver, seeded: dict[str, Any], idle_minutes: int, alive: bool
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    idp.advance(minutes=idle_minutes)
    assert answered_from_the_session(idp) is alive


def test_each_authorize_answered_from_the_session_restarts_its_30_idle_minutes(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    for _ in range(3):  # 87 minutes in all, never 30 without use
        idp.advance(minutes=29)
        assert answered_from_the_session(idp)
    idp.advance(minutes=31)
    assert not answered_from_the_session(idp)


def test_a_session_ends_120_minutes_after_login_however_often_it_is_used(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    for minutes in (25, 25, 25, 25, 19):  # in use at 25, 50, 75, 100 and 119 minutes
        idp.advance(minutes=minutes)
        assert answered_from_the_session(idp), minutes
    idp.advance(minutes=2)  # 121 minutes after login, 2 minutes after the last use
    assert not answered_from_the_session(idp)


def test_an_ended_session_is_forgotten_and_a_new_login_starts_a_new_one(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    logged_in_at = datetime.fromisoformat(idp.control("GET", "/clock")["now"])
    ended = idp.http.cookies["iPlanetDirectoryPro"]
    idp.advance(minutes=31)
    assert not answered_from_the_session(idp)
    assert idp.get("/am/UI/Welcome").headers["location"] == login_url()
    # Forgotten, not merely asleep: with the clock set back to a minute after the login, it stays gone.
    idp.set_clock((logged_in_at + timedelta(minutes=1)).isoformat())
    assert not answered_from_the_session(idp)

    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    claims = verified_claims(idp, redeem(idp, code, flow.verifier).json()["id_token"], flow.nonce)
    assert abs(claims["auth_time"] - _mock_timestamp(idp)) < 5  # the new login, not the ended one
    assert idp.http.cookies["iPlanetDirectoryPro"] != ended


def test_the_welcome_page_is_no_use_of_the_session(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    # Only an authorize request answered from the session counts as a use.
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    idp.advance(minutes=20)
    assert idp.get("/am/UI/Welcome").status_code == 200
    idp.advance(minutes=11)
    assert idp.get("/am/UI/Welcome").headers["location"] == login_url()


# --- prompt and max_age (OpenID Connect Core 3.1.2.1) -------------------------


def login_goto(response: httpx.Response) -> str:
    """The goto of a redirect to the login page (failing if the response is anything else)."""
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/am/UI/Login", response.headers["location"]
    goto: str = parse_qs(location.query)["goto"][0]
    assert goto.startswith("/am/oauth2/authorize?"), goto
    return goto


def log_in_again(idp: IdpDriver, goto: str, account: str) -> dict[str, str]:
    """Type the password on the login page the IdP sent the browser to, then follow goto: the client's query."""
    logged_in = idp.login(account, PASSWORD, goto=goto)
    assert logged_in.status_code == 302, page_of(logged_in).alerts()
    return redirect_query(idp.get(logged_in.headers["location"]))


def auth_time_of(idp: IdpDriver, flow: Flow, code: str) -> int:
    response = redeem(idp, code, flow.verifier)
    assert response.status_code == 200, response.text
    auth_time: int = verified_claims(idp, response.json()["id_token"], flow.nonce)["auth_time"]
    return auth_time


@pytest.mark.parametrize("minutes_later", [None, 31], ids=["never logged in", "session ended"])
def test_prompt_none_without_a_session_goes_back_login_required_with_state(
    idp: IdpDriver, seeded: dict[str, Any], minutes_later: int | None
) -> None:
    if minutes_later is not None:
        sign_in_and_get_code(idp, Flow(), seeded["account"])
        idp.advance(minutes=minutes_later)
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(prompt="none")))
    assert query["error"] == "login_required"
    assert query["state"] == flow.state
    assert "code" not in query


def test_prompt_none_with_a_session_issues_a_code_straight_away(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(prompt="none")))
    assert query["state"] == flow.state
    assert redeem(idp, query["code"], flow.verifier).status_code == 200


def test_prompt_login_asks_for_the_password_again_even_with_a_session(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    idp.advance(minutes=5)
    flow = Flow()
    goto = login_goto(authorize(idp, flow.params(prompt="login")))
    # The way back does not skip the password: the session from before the request is not enough.
    login_goto(idp.get(goto))
    query = log_in_again(idp, goto, seeded["account"])
    assert query["state"] == flow.state
    assert abs(auth_time_of(idp, flow, query["code"]) - _mock_timestamp(idp)) < 5  # the new login


def test_a_fresh_login_answers_only_the_request_that_asked_for_it(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    goto = login_goto(authorize(idp, Flow().params(prompt="login")))
    log_in_again(idp, goto, seeded["account"])
    # The same way back once more (a reload, a copied address) asks for the password again.
    login_goto(idp.get(goto))


def test_a_max_age_beyond_any_session_is_always_met(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    idp.advance(minutes=29)
    assert "code" in redirect_query(authorize(idp, Flow().params(max_age="9" * 30)))


def test_prompt_login_without_a_session_asks_for_the_password_once(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    goto = login_goto(authorize(idp, flow.params(prompt="login")))
    query = log_in_again(idp, goto, seeded["account"])
    assert query["state"] == flow.state
    assert redeem(idp, query["code"], flow.verifier).status_code == 200


@pytest.mark.parametrize(("minutes_later", "asks_again"), [(9, False), (11, True)])
def test_max_age_asks_for_the_password_again_once_the_login_is_older(
    idp: IdpDriver, seeded: dict[str, Any], minutes_later: int, asks_again: bool
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    logged_in_at = _mock_timestamp(idp)
    idp.advance(minutes=minutes_later)
    flow = Flow()
    response = authorize(idp, flow.params(max_age="600"))
    if asks_again:
        query = log_in_again(idp, login_goto(response), seeded["account"])
        assert abs(auth_time_of(idp, flow, query["code"]) - _mock_timestamp(idp)) < 5
    else:
        # auth_time tells the client how old the login is, so it can check max_age itself.
        assert abs(auth_time_of(idp, flow, redirect_query(response)["code"]) - logged_in_at) < 5


def test_max_age_0_asks_for_the_password_every_time(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    goto = login_goto(authorize(idp, flow.params(max_age="0")))
    idp.advance(seconds=3)  # however long typing the password takes, that login answers this request
    query = log_in_again(idp, goto, seeded["account"])
    assert redeem(idp, query["code"], flow.verifier).status_code == 200
    login_goto(authorize(idp, Flow().params(max_age="0")))


def test_prompt_none_with_max_age_exceeded_is_login_required(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    idp.advance(minutes=2)
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(prompt="none", max_age="60")))
    assert query["error"] == "login_required"
    assert query["state"] == flow.state


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"prompt": "none login"}, id="none with another value"),
        pytest.param({"prompt": "none select_account"}, id="none with select_account"),
        pytest.param({"prompt": "create"}, id="an unknown prompt value"),
        pytest.param({"max_age": "-1"}, id="negative max_age"),
        pytest.param({"max_age": "ten"}, id="max_age not a number"),
        pytest.param({"max_age": "1.5"}, id="max_age not whole seconds"),
    ],
)
def test_malformed_prompt_or_max_age_is_invalid_request(
    idp: IdpDriver, seeded: dict[str, Any], overrides: dict[str, str]
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(**overrides)))
    assert query["error"] == "invalid_request"
    assert next(iter(overrides)) in query["error_description"]
    assert query["state"] == flow.state


@pytest.mark.parametrize("signed_in", [True, False])
def test_prompt_consent_is_consent_required_the_idp_has_no_consent_screen(
    idp: IdpDriver, seeded: dict[str, Any], signed_in: bool
) -> None:
    if signed_in:
        sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(prompt="consent")))
    assert query["error"] == "consent_required"
    assert query["state"] == flow.state


def test_prompt_select_account_is_answered_from_the_one_account_of_the_session(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    sign_in_and_get_code(idp, Flow(), seeded["account"])
    flow = Flow()
    query = redirect_query(authorize(idp, flow.params(prompt="select_account")))
    assert redeem(idp, query["code"], flow.verifier).status_code == 200


# --- codes: single use, 60 s, bound to the verifier and the redirect_uri -----


def test_a_code_works_once(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    assert redeem(idp, code, flow.verifier).status_code == 200
    again = redeem(idp, code, flow.verifier)
    assert again.status_code == 400
    assert again.json() == {"error": "invalid_grant", "error_description": "authorization code has already been used"}


def test_a_replayed_code_revokes_the_tokens_issued_for_it(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    # RFC 6749 section 4.1.2: a code used twice may have been stolen.
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    bearer = {"Authorization": f"Bearer {redeem(idp, code, flow.verifier).json()['access_token']}"}
    assert idp.http.get("/am/oauth2/userinfo", headers=bearer).status_code == 200
    assert redeem(idp, code, flow.verifier).status_code == 400
    assert idp.http.get("/am/oauth2/userinfo", headers=bearer).status_code == 401


@pytest.mark.parametrize(("wait_s", "status"), [(59, 200), (61, 400)])
def test_a_code_is_valid_for_60_seconds_by_the_mock_clock(
    idp: IdpDriver, seeded: dict[str, Any], wait_s: int, status: int
) -> None:
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    idp.advance(seconds=wait_s)
    response = redeem(idp, code, flow.verifier)
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["error"] == "invalid_grant"
        assert "expired" in response.json()["error_description"]


def test_a_wrong_verifier_is_invalid_grant_and_uses_the_code_up(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    wrong = redeem(idp, code, secrets.token_urlsafe(48))
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert redeem(idp, code, flow.verifier).json()["error"] == "invalid_grant"


def test_a_different_redirect_uri_at_the_token_endpoint_is_invalid_grant(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    idp.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI, "http://platform.test/other"])
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    response = redeem(idp, code, flow.verifier, redirect_uri="http://platform.test/other")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_unknown_code_and_missing_verifier(idp: IdpDriver) -> None:
    assert redeem(idp, "no-such-code", Flow().verifier).json()["error"] == "invalid_grant"
    assert redeem(idp, "no-such-code", "").json()["error"] == "invalid_request"


# --- client authentication at the token endpoint -----------------------------


def test_client_secret_post_is_accepted(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": flow.verifier,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    assert idp.http.post("/am/oauth2/access_token", data=data).status_code == 200


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param((CLIENT_ID, "wrong-secret"), id="wrong secret"),
        pytest.param(("someone-else", CLIENT_SECRET), id="unknown client"),
        pytest.param(None, id="no credentials"),
    ],
)
def test_bad_client_credentials_are_401_invalid_client(idp: IdpDriver, auth: tuple[str, str] | None) -> None:
    data = {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT_URI, "code_verifier": "y"}
    response = idp.http.post("/am/oauth2/access_token", data=data, auth=auth)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Basic é".encode("latin-1"), id="not ASCII"),
        pytest.param(b"Basic \xff\xfe", id="not text"),
        pytest.param(b"Basic //79", id="base64 of bytes that are no UTF-8"),
        pytest.param(b"Basic !!!", id="not base64"),
    ],
)
def test_an_unreadable_basic_authorization_is_401_invalid_client(idp: IdpDriver, header: bytes) -> None:
    # A non-ASCII header used to be a 500: base64 raised a ValueError that is no binascii.Error.
    data = {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT_URI, "code_verifier": "y"}
    response = idp.http.post("/am/oauth2/access_token", data=data, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("code", "attacker-code", id="code"),
        pytest.param("code_verifier", "A" * 43, id="code_verifier"),
        pytest.param("redirect_uri", REDIRECT_URI, id="redirect_uri, same value twice"),
        pytest.param("grant_type", "authorization_code", id="grant_type, same value twice"),
        pytest.param("client_id", CLIENT_ID, id="client_id"),
    ],
)
def test_a_token_request_with_a_parameter_repeated_is_invalid_request_naming_it(
    idp: IdpDriver, seeded: dict[str, Any], name: str, value: str
) -> None:
    # RFC 6749 sections 3.2 and 5.2: a request that repeats a parameter is invalid_request,
    # whichever copy would have been read (here the right one comes last: last-wins would pass).
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    right = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": flow.verifier,
        "client_id": CLIENT_ID,
    }
    body = [(key, value) if key == name else (key, right[key]) for key in right]
    body.append((name, right[name]))
    response = post_pairs(idp, "/am/oauth2/access_token", body, auth=(CLIENT_ID, CLIENT_SECRET))
    assert response.status_code == 400, response.text
    assert response.headers["cache-control"] == "no-store"
    error = response.json()
    assert error["error"] == "invalid_request"
    assert name in error["error_description"]
    assert "access_token" not in error


def test_a_token_request_with_two_client_secrets_is_refused(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    body = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", flow.verifier),
        ("client_id", CLIENT_ID),
        ("client_secret", "guess"),
        ("client_secret", CLIENT_SECRET),
    ]
    response = post_pairs(idp, "/am/oauth2/access_token", body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert "client_secret" in response.json()["error_description"]


def test_a_token_request_authenticating_the_client_two_ways_is_refused(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    # RFC 6749 sections 2.3 and 5.2: one authentication method a request ("multiple credentials").
    flow = Flow()
    code = sign_in_and_get_code(idp, flow, seeded["account"])
    response = redeem(idp, code, flow.verifier, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert "client_secret" in response.json()["error_description"]


def test_other_grant_types_are_unsupported(idp: IdpDriver) -> None:
    response = idp.http.post(
        "/am/oauth2/access_token", data={"grant_type": "password"}, auth=(CLIENT_ID, CLIENT_SECRET)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_userinfo_without_a_valid_token_is_401(idp: IdpDriver) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = idp.http.get("/am/oauth2/userinfo", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_token"


def test_login_url_matches_the_real_sites_shape() -> None:
    assert login_url("/am/x?y=1") == "/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=%2Fam%2Fx%3Fy%3D1"
