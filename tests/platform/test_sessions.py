"""The platform's session cookie: HttpOnly and SameSite=Lax wherever it is set, and never fixed.

(New session id at login and a dead one after logout are also checked in ``test_web`` and
``test_app``; here: every cookie-setting answer, and an id an attacker chose beforehand.)
"""

from __future__ import annotations

from http.cookies import Morsel, SimpleCookie

import httpx
from fastapi.testclient import TestClient

from fixtures.test_data import PlatformAccount
from tests.platform.support import PHONE_UA, AppAccount, app_log_in, log_in, seed_app_user, seed_user

SESSION = "smebj_session"
DEVICE = "smebj_device"
# Where the test client's cookie jar files the platform's cookies (http.cookiejar adds ".local" to a dotless host).
COOKIE_DOMAIN = "testserver.local"


def set_cookies(response: httpx.Response) -> list[Morsel[str]]:
    found: list[Morsel[str]] = []
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        found.extend(cookie.values())
    return found


def test_every_cookie_the_platform_sets_is_httponly_and_samesite_lax(
    client: TestClient, platform_account: PlatformAccount, app_account: AppAccount, colleague: PlatformAccount
) -> None:
    seed_user(client, platform_account)
    responses = [client.get("/login")]  # the form's page starts the anonymous session
    responses.append(
        client.post("/login", data={"login_id": platform_account.username, "password": platform_account.password})
    )
    responses.append(client.post("/logout"))
    seed_app_user(client, AppAccount(colleague.mobile, colleague.password, "小王", "personal"))
    client.headers["User-Agent"] = PHONE_UA
    responses.append(client.get("/m/login"))  # the app's first page: the device cookie
    responses.append(client.post("/m/login", data={"mobile": colleague.mobile, "password": colleague.password}))
    responses.append(client.post("/m/logout"))
    cookies = [cookie for response in responses for cookie in set_cookies(response)]
    assert {SESSION, DEVICE} <= {cookie.key for cookie in cookies}
    for cookie in cookies:
        assert cookie["httponly"] is True, cookie.OutputString()
        assert str(cookie["samesite"]).lower() == "lax", cookie.OutputString()


def test_an_id_chosen_before_login_is_not_the_session_after_it(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    """Session fixation: whatever id the browser brings (planted, or a live anonymous one), login makes a new one."""
    seed_user(client, platform_account)
    client.get("/login")
    planted = client.cookies.get(SESSION)
    assert planted
    log_in(client, platform_account.username, platform_account.password)
    after = client.cookies.get(SESSION)
    assert after
    assert after != planted
    # The planted id did not become a logged-in session either.
    with TestClient(client.app, base_url=str(client.base_url), follow_redirects=False) as attacker:
        attacker.cookies.set(SESSION, planted, domain=COOKIE_DOMAIN)
        assert attacker.get("/user/center").status_code == 303


def test_a_made_up_id_is_never_adopted(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(client, platform_account)
    client.cookies.set(SESSION, "made-up-by-the-attacker", domain=COOKIE_DOMAIN)
    client.get("/login")
    assert client.cookies.get(SESSION) != "made-up-by-the-attacker"
    log_in(client, platform_account.username, platform_account.password)
    assert client.cookies.get(SESSION) != "made-up-by-the-attacker"


def test_logout_gives_the_next_page_a_new_session(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    app_log_in(client, app_account.mobile, app_account.password)
    logged_in = client.cookies.get(SESSION)
    assert client.post("/m/logout").status_code == 303
    assert client.cookies.get(SESSION) is None
    client.get("/m/login")
    fresh = client.cookies.get(SESSION)
    assert fresh
    assert fresh != logged_in
