"""常见问题 Q1a 一部手机多个账号, over HTTP: the app remembers which accounts a phone used.

A phone here is a TestClient with its own cookie jar and a phone's User-Agent.  Accounts A
and B are app accounts; A is certified (by the round trip through the fake IdP of
``fake_idp``, or by a binding seeded through the control interface).  When B's certification
on the phone A used ends in 该企业已被其他用户绑定, the app's result page adds the guide's
note "企业认证仅支持一部手机一个账号" before the 处理建议; on another phone, or for a
colleague's account that never used this phone, it does not.  Either way A stays bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import Morsel, SimpleCookie

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.test_data import Enterprise, PlatformAccount, TestDataBuilder
from tests.platform.fake_idp import FakeIdp
from tests.platform.support import (
    PHONE_UA,
    AppAccount,
    alerts,
    app_log_in,
    app_start,
    bind,
    callback,
    log_in,
    new_app,
    new_client,
    seed_app_user,
    seed_user,
)

DEVICE_COOKIE = "smebj_device"
# Where TestClient's cookie jar files the cookies of http://testserver: a cookie planted there
# replaces the platform's, as a browser's would.
COOKIE_DOMAIN = "testserver.local"
NOTE_REGION = '<section class="card one-phone-note" aria-labelledby="one-phone-heading">'
NOTE_HEADING = '<h2 id="one-phone-heading">企业认证仅支持一部手机一个账号</h2>'
NOTE_TEXT = (
    '<p class="one-phone-note__text">'
    "一部手机登录多个账号进行操作，如此操作会影响认证平台对企业认证绑定的判断和返回结果，"
    "也会影响已经完成认证的账号，企业认证仅支持一部手机一个账号，请谨慎操作。</p>"
)
ADVICE_REGION = '<section class="card advice" aria-labelledby="advice-heading">'
ADVICE_LINKS = (
    '<a class="tel" href="tel:010-82176966">010-82176966</a>/<a class="tel" href="tel:010-82176996">010-82176996</a>'
)


@pytest.fixture
def app(idp: FakeIdp) -> FastAPI:
    return new_app(httpx.MockTransport(idp))


def new_phone(app: FastAPI) -> TestClient:
    """A phone of its own: its own cookie jar (so its own device cookie), a phone's browser."""
    phone = new_client(app)
    phone.headers["User-Agent"] = PHONE_UA
    return phone


@pytest.fixture
def phone(app: FastAPI) -> Iterator[TestClient]:
    with new_phone(app) as client:
        yield client


@pytest.fixture
def other_phone(app: FastAPI) -> Iterator[TestClient]:
    with new_phone(app) as client:
        yield client


@pytest.fixture
def account_a(app_account: AppAccount) -> AppAccount:
    """Account A: the first account used on the phone, the one that certifies."""
    return app_account


@pytest.fixture
def account_b(colleague: PlatformAccount, test_data: TestDataBuilder) -> AppAccount:
    """Account B: a second app account of the same person."""
    return AppAccount(colleague.mobile, colleague.password, test_data.faker.name(), "personal")


@pytest.fixture
def accounts(phone: TestClient, account_a: AppAccount, account_b: AppAccount) -> None:
    """A and B exist (seeded through the control interface)."""
    seed_app_user(phone, account_a)
    seed_app_user(phone, account_b)


def switch_to(phone: TestClient, account: AppAccount) -> None:
    """退出登录, then 登录 as ``account`` on the same phone."""
    assert phone.post("/m/logout").status_code == 303
    assert app_log_in(phone, account.mobile, account.password) == "/m/"


def certify(phone: TestClient, idp: FakeIdp) -> httpx.Response:
    """我的 → 去认证 → 北京市企业认证 → (一证通 login) → back to the platform."""
    return callback(phone, idp.authorize(app_start(phone)))


def bind_to(client: TestClient, enterprise: Enterprise, account: AppAccount) -> None:
    """The enterprise certified earlier by ``account`` (an app account is named by its number)."""
    body = {"credit_code": enterprise.credit_code, "enterprise_name": enterprise.name, "username": account.mobile}
    response = client.post("/_control/bindings", json=body)
    assert response.status_code == 201, response.text


def assert_bound_to_other(response: httpx.Response) -> str:
    """The app's 企业认证未完成 page for 该企业已被其他用户绑定, with its 处理建议 (both Q1a and Q1b)."""
    assert response.status_code == 409
    html = response.text
    assert "/static/app.css" in html
    assert alerts(html) == ["该企业已被其他用户绑定"]
    assert ADVICE_REGION in html
    assert '<h2 id="advice-heading">处理建议</h2>' in html
    assert ADVICE_LINKS in html
    return html


def assert_still_bound_to(client: TestClient, enterprise: Enterprise, account: AppAccount) -> None:
    [binding] = client.get("/_control/bindings").json()
    assert (binding["credit_code"], binding["username"]) == (enterprise.credit_code, account.mobile)
    assert client.get(f"/_control/users/{account.mobile}").json()["enterprise"]["credit_code"] == enterprise.credit_code


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    """Each cookie the response sets, by name, with its attributes."""
    found: dict[str, Morsel[str]] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        found.update(cookie)
    return found


def issued_device_id(response: httpx.Response) -> str:
    return set_cookies(response)[DEVICE_COOKIE].value


def plant_device_cookie(phone: TestClient, value: str) -> None:
    """The phone sends ``value`` as its device id (made up, or copied from elsewhere)."""
    phone.cookies.set(DEVICE_COOKIE, value, domain=COOKIE_DOMAIN, path="/")


# --- the note: A certified on this phone, then B -------------------------------------------------


@pytest.mark.usefixtures("accounts")
def test_second_account_on_the_phone_is_told_one_phone_one_account(
    phone: TestClient, idp: FakeIdp, account_a: AppAccount, account_b: AppAccount, enterprise: Enterprise
) -> None:
    app_log_in(phone, account_a.mobile, account_a.password)
    assert certify(phone, idp).headers["location"] == "/m/me"
    switch_to(phone, account_b)
    html = assert_bound_to_other(certify(phone, idp))
    assert NOTE_REGION in html
    assert NOTE_HEADING in html
    assert NOTE_TEXT in html
    # Before the 处理建议, which stays: the note explains, the advice says what to do.
    assert html.index(NOTE_REGION) < html.index(ADVICE_REGION)
    assert account_a.mobile not in html
    assert "重新认证" not in html
    # A's binding is untouched; B is not certified; A, back on the phone, still is.
    assert_still_bound_to(phone, enterprise, account_a)
    assert '<span class="tag">未认证</span>' in phone.get("/m/me").text
    switch_to(phone, account_a)
    assert '<span class="tag tag--certified">已认证</span>' in phone.get("/m/me").text


@pytest.mark.usefixtures("accounts")
def test_a_seeded_binding_of_an_account_used_on_the_phone_gets_the_note(
    phone: TestClient, idp: FakeIdp, account_a: AppAccount, account_b: AppAccount, enterprise: Enterprise
) -> None:
    bind_to(phone, enterprise, account_a)
    app_log_in(phone, account_a.mobile, account_a.password)
    switch_to(phone, account_b)
    html = assert_bound_to_other(certify(phone, idp))
    assert NOTE_HEADING in html
    assert_still_bound_to(phone, enterprise, account_a)


@pytest.mark.usefixtures("accounts")
def test_the_note_stays_as_long_as_the_account_is_among_the_last_ten(
    app: FastAPI,
    phone: TestClient,
    idp: FakeIdp,
    account_a: AppAccount,
    account_b: AppAccount,
    enterprise: Enterprise,
    test_data: TestDataBuilder,
) -> None:
    bind_to(phone, enterprise, account_a)
    app_log_in(phone, account_a.mobile, account_a.password)
    others = [test_data.platform_account() for _ in range(9)]
    for other in others:
        seed_user(phone, other)
    for other in others[:8]:
        app_log_in(phone, other.mobile, other.password)
    # A, eight others, B: A is still among the last ten accounts of this phone.
    switch_to(phone, account_b)
    assert NOTE_HEADING in assert_bound_to_other(certify(phone, idp))
    # A ninth other pushes A out: the phone no longer remembers it.
    app_log_in(phone, others[8].mobile, others[8].password)
    switch_to(phone, account_b)
    assert NOTE_HEADING not in assert_bound_to_other(certify(phone, idp))


# --- no note: another phone, a colleague, the website ---------------------------------------------


@pytest.mark.usefixtures("accounts")
def test_b_on_another_phone_gets_the_advice_only(
    phone: TestClient,
    other_phone: TestClient,
    idp: FakeIdp,
    account_a: AppAccount,
    account_b: AppAccount,
    enterprise: Enterprise,
) -> None:
    app_log_in(phone, account_a.mobile, account_a.password)
    assert certify(phone, idp).status_code == 303
    app_log_in(other_phone, account_b.mobile, account_b.password)
    html = assert_bound_to_other(certify(other_phone, idp))
    assert "企业认证仅支持一部手机一个账号" not in html
    assert "one-phone-note" not in html
    assert_still_bound_to(other_phone, enterprise, account_a)


@pytest.mark.usefixtures("accounts")
def test_a_colleagues_binding_gets_the_advice_only(
    phone: TestClient,
    idp: FakeIdp,
    account_a: AppAccount,
    account_b: AppAccount,
    enterprise: Enterprise,
    test_data: TestDataBuilder,
) -> None:
    # A used this phone but holds nothing; the enterprise is a colleague's, who never used it.
    colleague = test_data.platform_account()
    seed_user(phone, colleague)
    bind(phone, enterprise, colleague)
    app_log_in(phone, account_a.mobile, account_a.password)
    switch_to(phone, account_b)
    html = assert_bound_to_other(certify(phone, idp))
    assert "企业认证仅支持一部手机一个账号" not in html
    [binding] = phone.get("/_control/bindings").json()
    assert binding["username"] == colleague.username


@pytest.mark.usefixtures("accounts")
def test_the_holder_logged_in_on_the_phone_website_is_not_an_app_login(
    phone: TestClient, idp: FakeIdp, account_a: AppAccount, account_b: AppAccount, enterprise: Enterprise
) -> None:
    bind_to(phone, enterprise, account_a)
    assert phone.get("/m/").status_code == 200  # the phone has its device id already
    # A on the platform website in the phone's browser: that is not the app remembering A.
    log_in(phone, account_a.mobile, account_a.password)
    assert phone.post("/logout").status_code == 303
    app_log_in(phone, account_b.mobile, account_b.password)
    html = assert_bound_to_other(certify(phone, idp))
    assert "企业认证仅支持一部手机一个账号" not in html


@pytest.mark.usefixtures("accounts")
def test_a_certification_started_on_the_website_gets_the_websites_page_without_the_note(
    phone: TestClient, idp: FakeIdp, account_a: AppAccount, account_b: AppAccount, enterprise: Enterprise
) -> None:
    bind_to(phone, enterprise, account_a)
    app_log_in(phone, account_a.mobile, account_a.password)
    switch_to(phone, account_b)
    # Same phone, same device cookie, but B starts from the website's 个人主页.
    response = callback(phone, idp.authorize(phone.get("/auth/yzt/start").headers["location"]))
    assert response.status_code == 409
    assert "/static/platform.css" in response.text
    assert '<h2 id="advice-heading">处理建议</h2>' in response.text
    assert "企业认证仅支持一部手机一个账号" not in response.text


# --- the device cookie ---------------------------------------------------------------------


def test_the_first_app_page_issues_a_long_lived_device_cookie(phone: TestClient) -> None:
    response = phone.get("/m/")
    cookie = set_cookies(response)[DEVICE_COOKIE]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie.value)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert not cookie["secure"]  # loopback is plain http
    # Once the phone has it, no page sets it again.
    for path in ("/m/", "/m/login", "/m/register", "/m/nothing-here"):
        assert DEVICE_COOKIE not in set_cookies(phone.get(path))
    assert phone.cookies.get(DEVICE_COOKIE) == cookie.value


def test_the_website_sets_no_device_cookie(client: TestClient) -> None:
    for path in ("/", "/login", "/register"):
        assert DEVICE_COOKIE not in set_cookies(client.get(path))


def test_a_phone_whose_first_app_request_is_the_login_is_remembered(
    phone: TestClient, idp: FakeIdp, account_a: AppAccount, account_b: AppAccount, enterprise: Enterprise
) -> None:
    seed_app_user(phone, account_a)
    seed_app_user(phone, account_b)
    bind_to(phone, enterprise, account_a)
    # A form needs its page's token; the website's page gives one and no device id (no /m/ page
    # does that), so the login below is still the phone's first request of the app's pages.
    phone.get("/login")
    response = phone.post("/m/login", data={"mobile": account_a.mobile, "password": account_a.password})
    assert response.status_code == 303
    assert DEVICE_COOKIE in set_cookies(response)
    switch_to(phone, account_b)
    assert NOTE_HEADING in assert_bound_to_other(certify(phone, idp))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("forged-device-id", id="made-up"),
        pytest.param("A" * 43, id="well-shaped-but-never-issued"),
    ],
)
def test_an_id_the_platform_did_not_issue_is_replaced(phone: TestClient, value: str) -> None:
    plant_device_cookie(phone, value)
    issued = issued_device_id(phone.get("/m/"))
    assert issued != value
    assert phone.cookies.get(DEVICE_COOKIE) == issued


@pytest.mark.usefixtures("accounts")
def test_two_phones_sending_the_same_made_up_id_are_two_phones(
    phone: TestClient,
    other_phone: TestClient,
    idp: FakeIdp,
    account_a: AppAccount,
    account_b: AppAccount,
    enterprise: Enterprise,
) -> None:
    bind_to(phone, enterprise, account_a)
    for device in (phone, other_phone):
        plant_device_cookie(device, "shared-device-id")
    app_log_in(phone, account_a.mobile, account_a.password)
    app_log_in(other_phone, account_b.mobile, account_b.password)
    html = assert_bound_to_other(certify(other_phone, idp))
    assert "企业认证仅支持一部手机一个账号" not in html


def test_after_a_reset_an_old_device_id_is_replaced(phone: TestClient) -> None:
    old = issued_device_id(phone.get("/m/"))
    assert phone.post("/_control/reset").status_code == 204
    assert issued_device_id(phone.get("/m/")) != old
