"""Cross-site request forgery on the platform's forms: the website's and the app's (/m/) alike.

A page on another site can make the victim's browser post any of these forms.  Each must be
refused (403, a page saying the page expired, no cookie, nothing changed) unless it comes from
the platform's own page: the form's hidden ``csrf_token``, bound to the browser's session, and
no ``Origin`` / ``Sec-Fetch-Site`` naming another site.

The posts here are made with a plain client (:func:`plain_client`), which sends exactly what
it is given; the fixtures' ``client`` fetches tokens like a browser and is used to set up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.test_data import PlatformAccount
from tests.platform.support import (
    AppAccount,
    alerts,
    log_in,
    plain_client,
    seed_and_log_in,
    seed_app_user,
    seed_user,
)

PHISHING = {"Origin": "https://phishing.example", "Sec-Fetch-Site": "cross-site"}
SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
EXPIRED = "页面已过期"
EXPIRED_MESSAGE = "页面已过期或来源不明，请刷新页面后重新提交。"
TOKEN = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


@pytest.fixture
def raw(app: FastAPI) -> Iterator[TestClient]:
    """A client that posts exactly what it is given (no token fetched for it)."""
    with plain_client(app) as test_client:
        yield test_client


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "the page has no form with a csrf_token"
    return match.group(1)


def assert_refused(response_status: int, text: str, set_cookie: str | None) -> None:
    assert response_status == 403, text[:300]
    assert EXPIRED in text
    assert set_cookie is None, f"a refused post set a cookie: {set_cookie}"


# Each form with what its owner would type: before the defence, every one of them worked from another site.
FormFiller = Callable[[PlatformAccount], dict[str, str]]
FORMS: list[tuple[str, FormFiller]] = [
    ("/login", lambda account: {"login_id": account.username, "password": account.password}),
    (
        "/register",
        lambda account: {
            "username": account.username,
            "mobile": account.mobile,
            "password": account.password,
            "password_confirm": account.password,
            "agree": "yes",
        },
    ),
    ("/logout", lambda account: {}),
    ("/m/login", lambda account: {"mobile": account.mobile, "password": account.password}),
    (
        "/m/register",
        lambda account: {
            "mobile": account.mobile,
            "sms_code": "123456",
            "password": account.password,
            "nickname": "小王",
            "user_type": "personal",
        },
    ),
    ("/m/logout", lambda account: {}),
    ("/m/sms", lambda account: {"mobile": "13912345678"}),
]


@pytest.mark.parametrize(("path", "fill"), FORMS, ids=[path for path, _ in FORMS])
def test_a_cross_site_post_without_token_is_refused(
    raw: TestClient, colleague: PlatformAccount, platform_account: PlatformAccount, path: str, fill: FormFiller
) -> None:
    # The account the login forms name exists: before the defence, the attacker's login worked.
    seed_user(raw, colleague)
    account = colleague if path.endswith("login") else platform_account
    response = raw.post(path, data=fill(account), headers=PHISHING)
    assert_refused(response.status_code, response.text, response.headers.get("set-cookie"))
    assert response.headers["content-type"].startswith("text/html")


def test_the_refusal_page_is_the_apps_own_in_the_app(raw: TestClient) -> None:
    response = raw.post("/m/login", data={"mobile": "13912345678", "password": "x"}, headers=PHISHING)
    assert response.status_code == 403
    assert '<div class="app-shell">' in response.text
    assert EXPIRED_MESSAGE in response.text


def test_the_sms_button_gets_its_refusal_as_json(raw: TestClient) -> None:
    """获取验证码 is posted by the page's script, which shows the message beside the code field."""
    response = raw.post("/m/sms", data={"mobile": "13912345678"}, headers={**PHISHING, "Accept": "application/json"})
    assert response.status_code == 403
    assert response.json() == {
        "field": "sms_code",
        "message": "页面已过期或来源不明，请刷新页面后重新提交。",
        "resend_after": 0,
    }
    assert raw.get("/_control/sms", params={"mobile": "13912345678"}).json() == []


def test_login_csrf_with_the_attackers_own_token_fails(
    app: FastAPI, raw: TestClient, platform_account: PlatformAccount, colleague: PlatformAccount
) -> None:
    """The attacker's token belongs to the attacker's session: in the victim's browser it is worth nothing."""
    seed_user(raw, colleague)  # the attacker's account
    with plain_client(app) as attacker:
        attackers_token = token_of(attacker.get("/login").text)
    victim = raw
    victim.get("/login")  # the victim has a session of their own
    login = {"login_id": colleague.username, "password": colleague.password, "csrf_token": attackers_token}
    # An old browser sends neither Origin nor Sec-Fetch-Site: the token alone decides.
    response = victim.post("/login", data=login)
    assert_refused(response.status_code, response.text, response.headers.get("set-cookie"))
    assert colleague.username not in victim.get("/user/center", follow_redirects=True).text


@pytest.mark.parametrize("headers", [{}, SAME_ORIGIN], ids=["no-headers", "same-origin"])
def test_a_post_without_its_token_is_refused_even_from_the_site(raw: TestClient, headers: dict[str, str]) -> None:
    raw.get("/login")
    response = raw.post("/login", data={"login_id": "someone", "password": "abc12345"}, headers=headers)
    assert_refused(response.status_code, response.text, response.headers.get("set-cookie"))


@pytest.mark.parametrize(
    "headers",
    [
        PHISHING,
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://phishing.example"},
        {"Origin": "null"},
    ],
    ids=["both", "sec-fetch-site", "same-site", "origin", "null-origin"],
)
def test_a_post_from_another_site_is_refused_even_with_a_token(
    raw: TestClient, platform_account: PlatformAccount, headers: dict[str, str]
) -> None:
    seed_user(raw, platform_account)
    token = token_of(raw.get("/login").text)
    login = {"login_id": platform_account.username, "password": platform_account.password, "csrf_token": token}
    response = raw.post("/login", data=login, headers=headers)
    assert_refused(response.status_code, response.text, response.headers.get("set-cookie"))


@pytest.mark.parametrize("headers", [{}, SAME_ORIGIN, {"Sec-Fetch-Site": "none"}], ids=["none", "same-origin", "typed"])
def test_the_sites_own_form_with_its_token_logs_in(
    raw: TestClient, platform_account: PlatformAccount, headers: dict[str, str]
) -> None:
    seed_user(raw, platform_account)
    token = token_of(raw.get("/login").text)
    login = {"login_id": platform_account.username, "password": platform_account.password, "csrf_token": token}
    response = raw.post("/login", data=login, headers=headers)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_refused_logout_leaves_the_user_logged_in(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_and_log_in(client, platform_account)
    response = client.post("/logout", data={"csrf_token": "forged"}, headers=PHISHING)
    assert response.status_code == 403
    assert platform_account.username in client.get("/user/center").text


def test_a_refused_app_login_changes_nothing(
    raw: TestClient, app_account: AppAccount, platform_account: PlatformAccount
) -> None:
    seed_app_user(raw, app_account)
    raw.get("/m/login")
    session_before = raw.cookies.get("smebj_session")
    response = raw.post("/m/login", data={"mobile": app_account.mobile, "password": app_account.password})
    assert response.status_code == 403
    assert raw.cookies.get("smebj_session") == session_before
    assert raw.get("/m/me").status_code == 303  # still not logged in


def test_the_token_changes_with_the_session_at_login(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(client, platform_account)
    before = token_of(client.get("/login").text)
    log_in(client, platform_account.username, platform_account.password)
    after = token_of(client.get("/").text)  # the logout form in the layout carries one
    assert after != before
    # The anonymous session's token is dead with its session.
    assert client.post("/logout", data={"csrf_token": before}).status_code == 403
    assert client.post("/logout", data={"csrf_token": after}).status_code == 303


def test_a_page_without_a_form_starts_no_session(raw: TestClient) -> None:
    assert "set-cookie" not in raw.get("/").headers
    assert "smebj_session" in raw.get("/login").headers["set-cookie"]


def test_a_refused_post_keeps_the_flash_for_the_next_page(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    register = {
        "username": platform_account.username,
        "mobile": platform_account.mobile,
        "password": platform_account.password,
        "password_confirm": platform_account.password,
        "agree": "yes",
    }
    assert client.post("/register", data=register).status_code == 303
    assert client.post("/login", data={"csrf_token": "forged"}).status_code == 403
    assert "注册成功，请登录" in client.get("/login").text


def test_the_control_interface_takes_json_without_a_token(raw: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(raw, platform_account)
    assert raw.post("/_control/reset").status_code in (200, 204)


def test_the_control_interface_refuses_a_browser_post_from_another_site(raw: TestClient) -> None:
    """A page elsewhere cannot reset the platform (a bodiless POST needs no JSON) by posting a form at it."""
    response = raw.post("/_control/reset", headers=PHISHING)
    assert response.status_code == 403


def test_failed_login_alerts_do_not_depend_on_the_account(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    """No enumeration: an unknown name and a wrong password give the same page, the typed name aside."""
    seed_user(client, platform_account)

    def page(login_id: str, password: str) -> str:
        html = client.post("/login", data={"login_id": login_id, "password": password}).text
        return TOKEN.sub("", html).replace(login_id, "<typed>")

    wrong_password = page(platform_account.username, "wrong1234")
    unknown = page("nobody9999", platform_account.password)
    assert alerts(wrong_password) == ["用户名或密码错误"]
    assert unknown == wrong_password
