"""Cross-site request forgery and session fixation at the IdP: 口令登录, the wizard, 找回密码.

A page on another site can make the victim's browser post any of the IdP's forms.  Each must be
refused (403, a page saying the page expired, no cookie, nothing used up) unless it comes from
the IdP's own page: its hidden ``csrf_token``, bound to the browser's id (the ``yzt_browser``
cookie), and no ``Origin`` / ``Sec-Fetch-Site`` naming another site.  A captcha counts only in
the browser whose page showed it, so an answer read elsewhere (the attacker's own page) proves
nothing.  Posts under test go through a plain client that sends exactly what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_servers.idp.messages import CAPTCHA_WRONG
from mock_servers.idp.pages import login_url, with_goto
from tests.idp.driver import BASE_URL, GOTO, NO_FILE, PASSWORD, HtmlPage, IdpDriver, page_of

PHISHING: Final = {"Origin": "https://phishing.example", "Sec-Fetch-Site": "cross-site"}
EXPIRED: Final = "页面已过期"
BAD_CREDENTIALS: Final = "用户名或密码错误"
# Where the test client's cookie jar files the IdP's cookies (http.cookiejar adds ".local" to a dotless host).
COOKIE_DOMAIN: Final = "testserver.local"
SESSION: Final = "iPlanetDirectoryPro"
BROWSER: Final = "yzt_browser"
_HIDDEN_PER_RENDER: Final = re.compile(r'<input type="hidden" name="(csrf_token|captcha_id)" value="[^"]*">')
_CAPTCHA_IMAGE: Final = re.compile(r"/am/captcha/[^\"]+\.png")


@pytest.fixture
def raw(idp: IdpDriver) -> Iterator[TestClient]:
    """A browser of its own that posts exactly what it is given (no token fetched for it)."""
    with TestClient(idp.app, base_url=BASE_URL, follow_redirects=False) as client:
        yield client


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text[:300]
    page = page_of(response)
    assert page.headings(2) == [EXPIRED]
    assert "请刷新页面后重新提交" in page.root.text()
    assert "set-cookie" not in response.headers, response.headers["set-cookie"]


def captcha_of(idp: IdpDriver, url: str) -> dict[str, str]:
    """A captcha shown to the driver's browser, with its answer: what an attacker reads off their own page."""
    page = idp.open(url)
    return {"captcha_id": page.captcha_id, "captcha": idp.captcha_answer(page)}


def login_form(idp: IdpDriver, seeded: dict[str, Any]) -> dict[str, str]:
    return {"username": seeded["account"], "password": PASSWORD, **captcha_of(idp, login_url())}


def test_cross_site_login_without_token_is_refused(idp: IdpDriver, seeded: dict[str, Any], raw: TestClient) -> None:
    """Login CSRF: before the defence, another site's page logged the victim in as the attacker."""
    assert_refused(raw.post(login_url(GOTO), data=login_form(idp, seeded), headers=PHISHING))
    assert idp.account(seeded["account"])["failed_logins"] == 0


def test_cross_site_registration_step_one_is_refused(idp: IdpDriver, raw: TestClient) -> None:
    data = {**idp.identity(), "goto": GOTO, **captcha_of(idp, with_goto("/am/register", GOTO))}
    response = raw.post(with_goto("/am/register", GOTO), data=data, files={"document": NO_FILE}, headers=PHISHING)
    assert_refused(response)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/am/register/account", {"account": "someone_new", "password": PASSWORD, "password_confirm": PASSWORD}),
        ("/am/password/reset", {"sms_code": "123456", "new_password": PASSWORD, "new_password_confirm": PASSWORD}),
        ("/am/password/reset/sms", {}),
    ],
    ids=["register-account", "reset", "reset-sms"],
)
def test_cross_site_posts_to_the_later_steps_are_refused(raw: TestClient, path: str, data: dict[str, str]) -> None:
    assert_refused(raw.post(with_goto(path, GOTO), data={**data, "goto": GOTO}, headers=PHISHING))


def test_cross_site_password_recovery_is_refused(idp: IdpDriver, seeded: dict[str, Any], raw: TestClient) -> None:
    data = {
        "account": seeded["account"],
        "legal_person_id_number": seeded["legal_person_id_number"],
        "goto": GOTO,
        **captcha_of(idp, with_goto("/am/password/forgot", GOTO)),
    }
    assert_refused(raw.post(with_goto("/am/password/forgot", GOTO), data=data, headers=PHISHING))


def test_login_csrf_with_the_attackers_own_token_and_captcha_fails(
    idp: IdpDriver, seeded: dict[str, Any], raw: TestClient
) -> None:
    """Everything the attacker can get from their own browser is worthless in the victim's."""
    attacker_page = idp.open(login_url())
    forged = {
        "username": seeded["account"],
        "password": PASSWORD,
        "captcha_id": attacker_page.captcha_id,
        "captcha": idp.captcha_answer(attacker_page),
        "csrf_token": attacker_page.hidden("csrf_token"),
    }
    victim = raw
    victim.get(login_url())  # the victim has been to the IdP: a browser id of their own
    # An old browser sends neither Origin nor Sec-Fetch-Site: the token alone decides.
    assert_refused(victim.post(login_url(), data=forged))
    assert victim.get("/am/UI/Welcome").status_code == 302


def test_a_captcha_counts_only_in_the_browser_that_was_shown_it(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    shown_here = idp.open(login_url())
    answer = idp.captcha_answer(shown_here)
    elsewhere = idp.new_browser()
    elsewhere.open(login_url())  # its own page: its own token, and a captcha of its own it ignores
    stolen = {"username": seeded["account"], "password": PASSWORD, "captcha_id": shown_here.captcha_id}
    response = elsewhere.post_form(login_url(), {**stolen, "captcha": answer})
    assert response.status_code == 200
    assert page_of(response).error_of("验证码") == CAPTCHA_WRONG
    # Nor did the other browser use it up: where it was shown, it still works.
    assert idp.post_form(login_url(), {**stolen, "captcha": answer}).status_code == 302


@pytest.mark.parametrize(
    "headers",
    [PHISHING, {"Sec-Fetch-Site": "same-site"}, {"Origin": "http://127.0.0.1:1"}, {"Origin": "null"}],
    ids=["cross-site", "same-site", "other-origin", "null-origin"],
)
def test_a_post_from_another_site_is_refused_even_with_its_token(
    idp: IdpDriver, seeded: dict[str, Any], headers: dict[str, str]
) -> None:
    page = idp.open(login_url())
    data = {
        "username": seeded["account"],
        "password": PASSWORD,
        "captcha_id": page.captcha_id,
        "captcha": idp.captcha_answer(page),
        "csrf_token": page.hidden("csrf_token"),
    }
    assert_refused(idp.http.post(login_url(), data=data, headers=headers))
    # Nothing was used up: the same form from the IdP's own page still logs in.
    own = {"Origin": BASE_URL, "Sec-Fetch-Site": "same-origin"}
    assert idp.http.post(login_url(), data=data, headers=own).status_code == 302


def test_a_post_with_another_browsers_token_is_refused(idp: IdpDriver, raw: TestClient) -> None:
    other = idp.open(login_url()).hidden("csrf_token")
    raw.get(login_url())
    assert_refused(raw.post(login_url(), data={"username": "x", "password": "y", "csrf_token": other}))
    assert_refused(raw.post(login_url(), data={"username": "x", "password": "y"}))


def test_the_oauth_endpoints_and_the_control_interface_need_no_form_token(idp: IdpDriver, raw: TestClient) -> None:
    # The token endpoint answers the client's authentication, not a CSRF refusal.
    assert raw.post("/am/oauth2/access_token", data={"grant_type": "authorization_code"}).status_code == 401
    assert raw.post("/_control/clock/advance", json={"seconds": 1}).status_code == 200


def test_the_control_interface_refuses_a_post_from_another_sites_page(raw: TestClient) -> None:
    assert raw.post("/_control/reset", headers=PHISHING).status_code == 403


# --- sessions ---------------------------------------------------------------------------------


def test_login_gives_a_new_session_and_a_new_browser_id(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    idp.open(login_url())
    browser_before = idp.http.cookies.get(BROWSER)
    assert browser_before
    idp.http.cookies.set(SESSION, "a-session-id-the-attacker-chose", domain=COOKIE_DOMAIN)
    assert idp.login(seeded["account"], PASSWORD).status_code == 302
    first = idp.http.cookies.get(SESSION)
    assert first
    assert first != "a-session-id-the-attacker-chose"
    assert idp.http.cookies.get(BROWSER) not in (None, browser_before)
    # A second login in the same browser replaces the session, and the first is dead.
    assert idp.login(seeded["account"], PASSWORD).status_code == 302
    second = idp.http.cookies.get(SESSION)
    assert second
    assert second != first
    idp.http.cookies.set(SESSION, first, domain=COOKIE_DOMAIN)
    assert idp.get("/am/UI/Welcome").status_code == 302


def test_logout_ends_the_session_and_the_browser_id(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    idp.login(seeded["account"], PASSWORD)
    session, browser = idp.http.cookies.get(SESSION), idp.http.cookies.get(BROWSER)
    assert session
    assert browser
    assert idp.get("/am/UI/Logout").status_code == 302
    assert idp.http.cookies.get(SESSION) is None
    assert idp.http.cookies.get(BROWSER) is None
    idp.open(login_url())
    assert idp.http.cookies.get(BROWSER) not in (None, browser)
    # The old session id is dead on the server, not just forgotten by the browser.
    idp.http.cookies.set(SESSION, session, domain=COOKIE_DOMAIN)
    assert idp.get("/am/UI/Welcome").status_code == 302


def test_every_cookie_is_httponly_and_samesite_lax(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    set_cookies = [idp.get(login_url()).headers.get_list("set-cookie")]
    set_cookies.append(idp.login(seeded["account"], PASSWORD).headers.get_list("set-cookie"))
    recovery = idp.new_browser()
    page = recovery.open("/am/password/forgot")
    step_one = {
        "account": seeded["account"],
        "legal_person_id_number": seeded["legal_person_id_number"],
        "captcha_id": page.captcha_id,
        "captcha": recovery.captcha_answer(page),
    }
    set_cookies.append(recovery.post_form("/am/password/forgot", step_one).headers.get_list("set-cookie"))
    names = {cookie.split("=", 1)[0] for cookies in set_cookies for cookie in cookies}
    assert {SESSION, BROWSER, "yzt_recovery"} <= names
    for cookie in (cookie for cookies in set_cookies for cookie in cookies):
        assert "HttpOnly" in cookie, cookie
        assert "samesite=lax" in cookie.lower(), cookie


def test_a_failed_login_reads_the_same_for_an_unknown_account_and_a_wrong_password(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    """No enumeration: the whole page is the same, apart from the typed name and what each render draws anew."""

    def refused_page(username: str, password: str) -> str:
        page = idp.open(login_url())
        data = {"username": username, "password": password, "captcha_id": page.captcha_id}
        response = idp.post_form(login_url(), {**data, "captcha": idp.captcha_answer(page)})
        assert response.status_code == 200
        assert HtmlPage(response.text).alerts() == [BAD_CREDENTIALS]
        html = _HIDDEN_PER_RENDER.sub("", response.text)
        return _CAPTCHA_IMAGE.sub("", html).replace(username, "<typed>")

    assert refused_page("nobody_here", PASSWORD) == refused_page(seeded["account"], "Wrong0000")


@pytest.mark.parametrize("path", ["/am/UI/Logout", "/am/captcha/x.png"])
def test_a_post_to_an_address_that_takes_none_is_405_not_an_expired_page(raw: TestClient, path: str) -> None:
    # Found by schemathesis (tests/schema): the token check ran before routing and answered 页面已过期.
    response = raw.post(path, data={"a": "b"}, headers=PHISHING)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
