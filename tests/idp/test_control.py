"""The IdP mock's control interface, its faults, its answers to bad input, and its real-socket start-up."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from fixtures.form_client import FormClient
from mock_servers.common.control import ControlError
from mock_servers.idp import IdpControl, SeedAccount, SmsView, start_idp
from mock_servers.idp.pages import login_url
from tests.idp.driver import PASSWORD, HtmlPage, IdpDriver, page_of

# --- clear errors ---------------------------------------------------------------


def test_unknown_account_and_captcha_are_clear_404s(idp: IdpDriver) -> None:
    account = idp.http.get("/_control/accounts/nobody")
    assert account.status_code == 404
    assert "no 一证通 account named 'nobody'" in account.json()["detail"]
    captcha = idp.http.get("/_control/captchas/nope")
    assert captcha.status_code == 404
    assert "captcha_id" in captcha.json()["detail"]


def test_a_second_account_with_the_same_name_is_a_clear_409(idp: IdpDriver) -> None:
    first = idp.seed_account(account="same_name")
    response = idp.http.post("/_control/accounts", json={**first, "account": "SAME_NAME"})
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"credit_code": "91110108MA01ABCDE0"}, "统一社会信用代码"),
        ({"legal_person_id_number": "110101198001011230"}, "居民身份证号"),
        ({"legal_person_id_type": "passport", "legal_person_id_number": "E1"}, "5-20 letters or digits"),
        ({"account": "  "}, "blank"),
        ({"password": ""}, "password"),
        ({"unexpected": "field"}, "unexpected"),
    ],
)
def test_seeds_obey_the_same_rules_as_the_forms(idp: IdpDriver, overrides: dict[str, str], complaint: str) -> None:
    body = {
        "account": "seeded",
        "password": PASSWORD,
        "mobile": "13800138000",
        **idp.identity(),
        **overrides,
    }
    response = idp.http.post("/_control/accounts", json=body)
    assert response.status_code == 422
    assert complaint in response.text


def test_the_account_view(idp: IdpDriver) -> None:
    seeded = idp.seed_account(password=None, reviewed=False)
    view = idp.account(seeded["account"])
    assert view["has_password"] is False
    assert view["status"] == "pending_review"
    assert view["review_due"] is not None
    assert view["credit_code"] == seeded["credit_code"]
    assert view["failed_logins"] == 0
    assert view["locked_until"] is None
    assert "password" not in view
    assert "password_hash" not in view


def test_client_registration_is_validated_and_replaces_the_previous_one(idp: IdpDriver) -> None:
    bad = idp.http.post(
        "/_control/clients", json={"client_id": "c", "client_secret": "s", "redirect_uris": ["/relative"]}
    )
    assert bad.status_code == 422
    idp.register_client("c", "s", ["http://one.test/cb"])
    idp.register_client("c", "s", ["http://two.test/cb"])
    params = {
        "client_id": "c",
        "redirect_uri": "http://one.test/cb",
        "response_type": "code",
        "scope": "openid",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    assert idp.http.get("/am/oauth2/authorize", params=params).status_code == 400
    params["redirect_uri"] = "http://two.test/cb"
    assert idp.http.get("/am/oauth2/authorize", params=params).status_code == 302


def test_reset_forgets_accounts_sessions_faults_and_clock_but_keeps_clients(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    idp.register_client("kept", "s", ["http://kept.test/cb"])
    idp.login(seeded["account"], PASSWORD)
    idp.control("PUT", "/faults", json={"delay_seconds": 0.01})
    idp.advance(days=10)

    idp.control("POST", "/reset", expect=204)
    assert idp.http.get(f"/_control/accounts/{seeded['account']}").status_code == 404
    assert idp.control("GET", "/faults") == {"down": False, "delay_seconds": 0.0, "pending_token_failures": 0}
    assert idp.get("/am/UI/Welcome").status_code == 302  # the session is gone, cookie or not
    now = idp.control("GET", "/clock")["now"]
    assert abs(time.time() - _timestamp(now)) < 60
    params = {"client_id": "kept", "redirect_uri": "http://kept.test/cb", "response_type": "code", "scope": "x"}
    assert idp.http.get("/am/oauth2/authorize", params=params).status_code == 302


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def test_control_openapi_is_served_under_the_prefix(idp: IdpDriver) -> None:
    schema = idp.control("GET", "/openapi.json")
    assert {
        "/reset",
        "/accounts",
        "/accounts/{account}",
        "/captchas/{captcha_id}",
        "/clients",
        "/faults",
        "/sms",
    } <= set(schema["paths"])
    assert "/clock/advance" in schema["paths"]


# --- faults -----------------------------------------------------------------------


def test_down_makes_pages_503_and_protocol_endpoints_json_while_control_still_answers(idp: IdpDriver) -> None:
    idp.control("PUT", "/faults", json={"down": True})
    page = idp.get(login_url())
    assert page.status_code == 503
    assert page_of(page).headings(2) == ["统一身份认证平台暂时无法访问"]
    authorize = idp.get("/am/oauth2/authorize?client_id=x")
    assert authorize.status_code == 503
    assert authorize.headers["content-type"].startswith("text/html")
    for path in ("/am/oauth2/.well-known/openid-configuration", "/am/oauth2/connect/jwk_uri"):
        response = idp.get(path)
        assert response.status_code == 503
        assert response.json()["error"] == "temporarily_unavailable"
    token = idp.http.post("/am/oauth2/access_token", data={})
    assert token.status_code == 503
    assert idp.control("GET", "/faults") == {"down": True, "delay_seconds": 0.0, "pending_token_failures": 0}

    idp.control("PUT", "/faults", json={"down": False})
    assert idp.get(login_url()).status_code == 200


def test_delay_slows_every_non_control_response(idp: IdpDriver) -> None:
    idp.control("PUT", "/faults", json={"delay_seconds": 0.2})
    started = time.monotonic()
    assert idp.get(login_url()).status_code == 200
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 5

    started = time.monotonic()
    idp.control("GET", "/faults")
    assert time.monotonic() - started < 0.2


@pytest.mark.parametrize("body", [{"delay_seconds": 31}, {"delay_seconds": -1}, {"down": "maybe"}])
def test_fault_settings_are_validated(idp: IdpDriver, body: dict[str, object]) -> None:
    assert idp.http.put("/_control/faults", json=body).status_code == 422


# --- bad input never gives a 500 ----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status", "kind"),
    [
        ("GET", "/no/such/page", 404, "html"),
        ("GET", "/am/oauth2/no-such-endpoint", 404, "json"),
        ("PUT", "/am/UI/Login?module=BjzwLDAP", 405, "html"),
        ("GET", "/am/oauth2/access_token", 405, "json"),
        ("GET", "/am/oauth2/authorize", 400, "html"),
        ("GET", "/am/oauth2/authorize?client_id=%ZZ&redirect_uri=%%", 400, "html"),
        ("GET", "/am/UI/Login?module=BjzwLDAP&goto=%E4%B8&tab=%00", 200, "html"),
        ("GET", "/am/captcha/..%2F..%2Fetc.png", 404, "text"),
        ("GET", "/am/register?goto=%ZZ", 200, "html"),
        ("GET", "/am/register/done", 303, "none"),
        ("POST", "/am/oauth2/access_token", 401, "json"),
        ("POST", "/am/oauth2/userinfo", 401, "json"),
        ("GET", "/am/static/nope.css", 404, "html"),
    ],
)
def test_bad_requests_get_a_clear_answer(idp: IdpDriver, method: str, url: str, status: int, kind: str) -> None:
    response = idp.http.request(method, url)
    assert response.status_code == status
    content_type = response.headers.get("content-type", "")
    if kind == "html":
        assert content_type.startswith("text/html")
        assert HtmlPage(response.text).headings(1) == ["北京市统一身份认证平台"]
    elif kind == "json":
        assert response.json()["error"]


def test_forms_survive_garbage(idp: IdpDriver) -> None:
    garbled = idp.http.post(
        "/am/register", content=b"--x\r\nnot really multipart", headers={"content-type": "multipart/form-data"}
    )
    # A body that is no form carries no CSRF token either: refused with a page, before any route.
    assert garbled.status_code == 403
    assert garbled.headers["content-type"].startswith("text/html")
    as_json = idp.http.post(login_url(), json={"username": "u"})
    assert as_json.status_code == 403
    assert page_of(as_json).headings(2) == ["页面已过期"]
    file_for_text = idp.http.post(login_url(), files={"username": ("a.txt", b"x", "text/plain")})
    assert page_of(file_for_text).alerts() == ["请输入一证通账号"]
    tampered = idp.http.post(
        "/am/register", data={"legal_person_id_type": "alien", "captcha_id": "nope"}, files={"document": ("", b"")}
    )
    assert page_of(tampered).field("中国居民身份证").attrs.get("checked") == ""
    token = idp.http.post("/am/oauth2/access_token", headers={"Authorization": "Basic !!!notbase64"})
    assert token.status_code == 401


def test_the_bare_host_goes_to_the_login_page(idp: IdpDriver) -> None:
    response = idp.get("/")
    assert response.status_code == 302
    assert response.headers["location"] == login_url()


# --- a real server and the typed client ---------------------------------------------


@pytest.fixture(scope="module")
def running() -> Iterator[str]:
    server = start_idp()
    try:
        yield server.url
    finally:
        server.stop()


def test_start_idp_and_the_typed_control_client(running: str) -> None:
    control = IdpControl(running)
    try:
        control.reset()
        control.register_client("platform", "secret", [running + "/cb"])
        seed = SeedAccount(
            account="typed_user",
            password=PASSWORD,
            mobile="13800138000",
            enterprise_name="北京类型科技有限公司",
            credit_code="91110000600037341L",
            legal_person_name="李四",
            legal_person_id_number="11010519491231002x",
        )
        view = control.seed_account(**seed.model_dump())
        assert view.legal_person_id_number == "11010519491231002X"
        assert control.get_account("typed_user").status == "active"

        page = HtmlPage(httpx.get(running + login_url()).text)
        captcha = control.get_captcha(page.captcha_id)
        assert control.captcha_answer(page.captcha_id) == captcha.answer
        assert not captcha.used

        before = control.now()
        after = control.advance_clock(timedelta(hours=2))
        assert after - before >= timedelta(hours=2)

        assert control.set_faults(down=True).down is True
        assert httpx.get(running + login_url()).status_code == 503
        assert control.get_faults().down is True

        with pytest.raises(ControlError, match="409"):
            control.create_account(seed)
        with pytest.raises(ValidationError, match="统一社会信用代码"):
            control.seed_account(**{**seed.model_dump(), "account": "other", "credit_code": "91110000600037341X"})
        with pytest.raises(ControlError, match="no 一证通 account named 'nobody'"):
            control.get_account("nobody")

        # 找回密码 through the pages, as a browser would: the code lands in the IdP's outbox.
        control.set_faults()
        assert control.sms_outbox() == []
        with FormClient(token_page=login_url(), base_url=running) as browser:
            page = HtmlPage(browser.get("/am/password/forgot").text)
            step_one = {
                "account": "typed_user",
                "legal_person_id_number": "11010519491231002X",
                "captcha_id": page.captcha_id,
                "captcha": control.captcha_answer(page.captcha_id),
            }
            assert browser.post("/am/password/forgot", data=step_one).status_code == 303
            assert browser.post("/am/password/reset/sms").status_code == 200
        [sent] = control.sms_outbox("138 0013 8000")
        assert isinstance(sent, SmsView)
        assert (sent.mobile, sent.purpose) == ("13800138000", "reset_password")
        assert sent.text.startswith("【北京市统一身份认证平台】您的验证码为" + sent.code)
        assert control.sms_outbox() == [sent]
        assert control.sms_outbox("13900000000") == []
        control.reset()
        assert control.sms_outbox() == []
    finally:
        control.reset()
        control.close()
