"""The racers' browsers: one :class:`FormClient` each (own cookies, own connection), doing what a person does.

Every helper is one thing a person does on a page, over plain HTTP: open the form, fill it in,
submit it.  Redirects are not followed unless a helper says so, so that a test sees each answer
(a 303 to the next step, or the form back with its message).  Captcha answers and SMS codes come
from the mocks' control interfaces, as they do for the harness.  The pages' own paths and
messages are imported from the mocks, so a changed wording fails here as it fails in the features.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final

import httpx

from fixtures.backstage import USER_TYPES
from fixtures.form_client import FormClient
from fixtures.test_data import AppAccount, Enterprise, PlatformAccount, YztAccount
from mock_servers import ControlError, IdpControl, PlatformControl
from mock_servers.idp.control import AccountView
from mock_servers.idp.oidc import OIDC_PREFIX
from mock_servers.idp.pages import LOGIN_PATH, REGISTER_ACCOUNT_PATH, REGISTER_PATH, login_url
from mock_servers.platform.control import UserView
from mock_servers.platform.routes_app import REGISTER_PATH as APP_REGISTER_PATH
from mock_servers.platform.sso import CALLBACK_PATH
from mock_servers.platform.web import APP_LOGIN_PATH, WEB_LOGIN_PATH, WEB_START_PATH
from tests.concurrency.race import Finish, most_in_flight
from tests.idp.driver import NO_FILE, HtmlPage

# Long enough for a loaded 2-core machine in the heavy variant; a request never waits this long
# unless a server is stuck.
HTTP_TIMEOUT_S: Final = 30.0

# 获取验证码: the app's 注册 page's script posts the number here.
APP_SMS_PATH: Final = "/m/sms"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # The mocks speak plain HTTP, but every new httpx client would load the CA bundle (~50 ms):
    # built once, so that a round's dozens of browsers start in no time.
    return httpx.create_ssl_context()


def idp_browser(idp_url: str) -> FormClient:
    """A desktop browser at 一证通 (its PC pages: the wizard is refused on a phone)."""
    return FormClient(
        base_url=idp_url,
        token_page=login_url(),
        no_forms=(OIDC_PREFIX,),
        follow_redirects=False,
        timeout=HTTP_TIMEOUT_S,
        verify=_tls_context(),
    )


def platform_browser(platform_url: str, *, token_page: str) -> FormClient:
    """A browser at the platform; ``token_page`` is the form page of the front end it is on (website or app)."""
    return FormClient(
        base_url=platform_url,
        token_page=token_page,
        follow_redirects=False,
        timeout=HTTP_TIMEOUT_S,
        verify=_tls_context(),
    )


@contextmanager
def several(new_browser: Callable[[], FormClient], count: int) -> Iterator[list[FormClient]]:
    """``count`` browsers, each with its own cookies and connection; closed afterwards."""
    browsers = [new_browser() for _ in range(count)]
    try:
        yield browsers
    finally:
        for browser in browsers:
            browser.close()


def page(response: httpx.Response) -> HtmlPage:
    return HtmlPage(response.text)


def said(response: httpx.Response) -> str:
    """What an answer told the user, in a line: where it redirects, or the page's messages."""
    if response.is_redirect:
        return f"{response.status_code} → {response.headers['location']}"
    return f"{response.status_code} {page(response).alerts()}"


def describe(finishes: Sequence[Finish[httpx.Response]]) -> str:
    """How much the shots overlapped and what each runner was answered, for a failure message."""
    lines = [f"{most_in_flight(finishes)} of {len(finishes)} requests were in flight at once"]
    lines += [f"  runner {finish.runner}: {said(finish.result)}" for finish in finishes]
    return "\n".join(lines)


def opened(browser: httpx.Client, url: str) -> HtmlPage:
    """GET a page that must be there."""
    response = browser.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return page(response)


# --- 一证通: 注册 (法人身份鉴证 → 创建账号) and 口令登录 -------------------------------------------


def pass_identity_step(browser: httpx.Client, idp: IdpControl, enterprise: Enterprise) -> None:
    """法人身份鉴证 for the enterprise's 法人代表, which must pass; the browser is then on 创建账号."""
    form = opened(browser, REGISTER_PATH)
    data = {
        "goto": "",
        "enterprise_name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "legal_person_name": enterprise.legal_person.name,
        "legal_person_id_type": "resident_id",
        "legal_person_id_number": enterprise.legal_person.id_number,
        **answered_captcha(idp, form),
    }
    # The form is multipart (it has a file input); no file chosen is an empty part, as a browser sends it.
    response = browser.post(REGISTER_PATH, data=data, files={"document": NO_FILE})
    assert response.status_code == 303, f"法人身份鉴证 refused: {page(response).alerts()}"
    assert response.headers["location"] == REGISTER_ACCOUNT_PATH
    # The browser shows 创建账号, whose form carries the token the submit will send.
    opened(browser, REGISTER_ACCOUNT_PATH)


def create_account(browser: httpx.Client, account: YztAccount) -> httpx.Response:
    """创建账号: submit the form already on show."""
    data = {
        "goto": "",
        "account": account.account,
        "password": account.password,
        "password_confirm": account.password,
        "mobile": account.mobile,
    }
    return browser.post(REGISTER_ACCOUNT_PATH, data=data)


def answered_captcha(idp: IdpControl, form: HtmlPage) -> dict[str, str]:
    """The form's captcha fields, filled in with the answer (read through the control interface)."""
    return {"captcha_id": form.captcha_id, "captcha": idp.captcha_answer(form.captcha_id)}


def yzt_login(browser: httpx.Client, url: str, captcha: dict[str, str], account: str, password: str) -> httpx.Response:
    """Submit 口令登录, shown at ``url`` with ``captcha`` (see :func:`answered_captcha`)."""
    return browser.post(url, data={"username": account, "password": password, **captcha})


def yzt_account_or_none(idp: IdpControl, name: str) -> AccountView | None:
    try:
        return idp.get_account(name)
    except ControlError as error:
        if error.status == 404:
            return None
        raise


# --- the app (北京通企服版): 获取验证码, 注册, 登录 ------------------------------------------------


def request_sms_code(browser: httpx.Client, platform: PlatformControl, mobile: str) -> str:
    """On the app's 注册 page, 获取验证码 for ``mobile``: the code that phone received."""
    opened(browser, APP_REGISTER_PATH)
    response = browser.post(APP_SMS_PATH, data={"mobile": mobile})
    assert response.status_code == 200, f"获取验证码 refused: {response.status_code} {response.text}"
    return platform.sms_outbox(mobile)[0].code


def app_registration(account: AppAccount, sms_code: str) -> dict[str, str]:
    """The app's 注册 form as the account's owner fills it in."""
    return {
        "mobile": account.mobile,
        "sms_code": sms_code,
        "password": account.password,
        "nickname": account.nickname,
        "user_type": USER_TYPES[account.user_type],
    }


def app_login(browser: httpx.Client, mobile: str, password: str) -> httpx.Response:
    return browser.post(APP_LOGIN_PATH, data={"mobile": mobile, "password": password})


def platform_user_or_none(platform: PlatformControl, username: str) -> UserView | None:
    try:
        return platform.get_user(username)
    except ControlError as error:
        if error.status == 404:
            return None
        raise


# --- the website: 登录 and 北京市企业认证 ---------------------------------------------------------


def web_login(browser: httpx.Client, account: PlatformAccount) -> None:
    response = browser.post(WEB_LOGIN_PATH, data={"login_id": account.username, "password": account.password})
    assert response.status_code == 303, f"登录 refused: {page(response).alerts()}"


def certify_up_to_callback(browser: httpx.Client, idp: IdpControl, platform_url: str, yzt: YztAccount) -> str:
    """北京市企业认证 → 口令登录 at 一证通 → the IdP's redirects, up to (not into) the platform's callback.

    Returns the callback URL, code and state in it, which the browser has yet to open.
    """
    login_page = browser.get(WEB_START_PATH, follow_redirects=True)
    assert login_page.url.path == LOGIN_PATH, f"北京市企业认证 did not reach 一证通's login: {login_page.url}"
    captcha = answered_captcha(idp, page(login_page))
    answer = yzt_login(browser, str(login_page.url), captcha, yzt.account, yzt.password)
    while answer.is_redirect and not answer.headers["location"].startswith(platform_url):
        answer = browser.get(answer.url.join(answer.headers["location"]))
    location = str(answer.headers.get("location", ""))
    assert location.startswith(platform_url + CALLBACK_PATH + "?"), f"no way back to the platform: {answer.status_code}"
    return location
