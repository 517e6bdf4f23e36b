"""The platform mock and the 一证通 IdP mock together, over real loopback HTTP (W2 → W4 → W5, R6).

No browser: an ``httpx.Client`` with a cookie jar plays it, following redirects like a
browser would, and fills in the IdP's 口令登录 form.  Like the harness, it learns the captcha
answer only through the IdP's control interface, from the ``captcha_id`` on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from fixtures.backstage import Backstage
from fixtures.form_client import FormClient
from fixtures.test_data import Enterprise, PlatformAccount, YztAccount
from mock_servers.common.server import RunningServer
from mock_servers.idp.client import IdpControl
from mock_servers.idp.server import start_idp
from mock_servers.platform.client import PlatformControl
from mock_servers.platform.server import start_platform

CLIENT_ID = "smebj-platform"
CLIENT_SECRET = "integration-secret"


@dataclass
class Mocks:
    platform: RunningServer
    platform_control: PlatformControl
    idp_control: IdpControl


@pytest.fixture(scope="module")
def servers() -> Iterator[Mocks]:
    idp = start_idp()
    platform = start_platform(idp_url=idp.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    idp_control = IdpControl(idp.url)
    platform_control = PlatformControl(platform.url)
    idp_control.register_client(CLIENT_ID, CLIENT_SECRET, [platform.extras["redirect_uri"]])
    yield Mocks(platform=platform, platform_control=platform_control, idp_control=idp_control)
    platform_control.close()
    idp_control.close()
    platform.stop()
    idp.stop()


@pytest.fixture
def mocks(servers: Mocks, yzt_account: YztAccount, enterprise: Enterprise, platform_account: PlatformAccount) -> Mocks:
    """Both mocks reset; the enterprise's 一证通 account at the IdP, the test's account on the platform."""
    servers.idp_control.reset()
    servers.platform_control.reset()
    Backstage(platform=servers.platform_control, idp=servers.idp_control).open_yzt_account(enterprise, yzt_account)
    account = platform_account
    servers.platform_control.create_user(account.username, account.mobile, account.password)
    return servers


@pytest.fixture
def browser(mocks: Mocks, platform_account: PlatformAccount) -> Iterator[httpx.Client]:
    """A browser logged in on the platform."""
    with FormClient(token_page="/login", follow_redirects=True, timeout=10) as client:
        login = {"login_id": platform_account.username, "password": platform_account.password}
        response = client.post(mocks.platform.url + "/login", data=login)
        assert response.url.path == "/"
        yield client


def open_idp_login(mocks: Mocks, browser: httpx.Client) -> httpx.Response:
    """个人主页 → 北京市企业认证: the browser ends on the IdP's login page."""
    page = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert page.url.path == "/am/UI/Login", page.text
    assert "请您登录" in page.text
    return page


def password_login(
    mocks: Mocks, browser: httpx.Client, login_page: httpx.Response, yzt_account: YztAccount
) -> httpx.Response:
    """口令登录 with the seeded 一证通 account; returns wherever the redirects end."""
    match = re.search(r'name="captcha_id" value="([^"]+)"', login_page.text)
    assert match, "the login page carries no captcha_id"
    captcha_id = match.group(1)
    return browser.post(
        str(login_page.url),
        data={
            "username": yzt_account.account,
            "password": yzt_account.password,
            "captcha": mocks.idp_control.captcha_answer(captcha_id),
            "captcha_id": captcha_id,
        },
    )


def test_certification_round_trip_with_the_idp_mock(
    mocks: Mocks,
    browser: httpx.Client,
    yzt_account: YztAccount,
    platform_account: PlatformAccount,
    enterprise: Enterprise,
) -> None:
    profile = password_login(mocks, browser, open_idp_login(mocks, browser), yzt_account)
    assert str(profile.url) == mocks.platform.url + "/user/home/profile"
    assert '<p role="status" class="flash">企业认证成功</p>' in profile.text
    assert '<span class="tag tag-certified">已认证</span>' in profile.text
    assert f"企业名称：{enterprise.name}" in profile.text
    certified = mocks.platform_control.get_user(platform_account.username).enterprise
    assert certified is not None
    assert certified.credit_code == enterprise.credit_code


def test_second_certification_reuses_the_idp_session(
    mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount
) -> None:
    password_login(mocks, browser, open_idp_login(mocks, browser), yzt_account)
    # Single sign-on: the IdP remembers the login, so the round trip needs no form this time.
    again = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert str(again.url) == mocks.platform.url + "/user/home/profile"
    assert len(mocks.platform_control.list_bindings()) == 1


def test_enterprise_of_another_account_is_refused(
    mocks: Mocks,
    browser: httpx.Client,
    yzt_account: YztAccount,
    colleague: PlatformAccount,
    enterprise: Enterprise,
) -> None:
    mocks.platform_control.create_user(colleague.username, colleague.mobile, colleague.password)
    mocks.platform_control.create_binding(enterprise.credit_code, enterprise.name, colleague.username)
    page = password_login(mocks, browser, open_idp_login(mocks, browser), yzt_account)
    assert page.status_code == 409
    assert '<p role="alert" class="result-message">该企业已被其他用户绑定</p>' in page.text
    assert [b.username for b in mocks.platform_control.list_bindings()] == [colleague.username]


def test_idp_going_down_mid_flight_gives_the_retry_page(
    mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount
) -> None:
    login_page = open_idp_login(mocks, browser)
    browser.follow_redirects = False
    answer = password_login(mocks, browser, login_page, yzt_account)
    # Follow the IdP's redirects by hand up to the platform's callback, then take the IdP down.
    while answer.is_redirect and not answer.headers["location"].startswith(mocks.platform.url):
        answer = browser.get(answer.url.join(answer.headers["location"]))
    callback = str(answer.headers["location"])
    assert callback.startswith(mocks.platform.url + "/auth/yzt/callback?code=")
    mocks.idp_control.set_faults(down=True)
    page = browser.get(callback)
    assert page.status_code == 502
    assert '<p role="alert" class="result-message">统一身份认证平台暂时无法访问，请稍后重试</p>' in page.text
    assert mocks.platform_control.list_bindings() == []


def test_a_failed_token_exchange_gives_the_retry_page_and_certifying_again_works(
    mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount, enterprise: Enterprise
) -> None:
    # The IdP's "fail the next token request": the browser's hop works, the platform's own call does not.
    mocks.idp_control.fail_next_token_request()
    assert mocks.idp_control.get_faults().pending_token_failures == 1
    page = password_login(mocks, browser, open_idp_login(mocks, browser), yzt_account)
    assert page.url.path == "/auth/yzt/callback"
    assert page.status_code == 502
    assert '<p role="alert" class="result-message">统一身份认证平台暂时无法访问，请稍后重试</p>' in page.text
    assert mocks.platform_control.list_bindings() == []
    # The platform's exchange is what used the failure up.
    assert mocks.idp_control.get_faults().pending_token_failures == 0
    # 重新认证: the IdP remembers the login, the next exchange works.
    again = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert str(again.url) == mocks.platform.url + "/user/home/profile"
    assert '<span class="tag tag-certified">已认证</span>' in again.text
    assert [binding.credit_code for binding in mocks.platform_control.list_bindings()] == [enterprise.credit_code]


def test_a_slow_idp_gives_the_retry_page_after_the_platforms_timeout(mocks: Mocks, browser: httpx.Client) -> None:
    # The platform's wait is shortened through the control interface so that the test needs
    # no five-second pause; the IdP answers later than that wait.
    assert mocks.platform_control.set_faults(idp_timeout_seconds=0.2).idp_timeout_seconds == 0.2
    mocks.idp_control.set_faults(delay_seconds=0.6)
    page = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert page.status_code == 502
    assert "统一身份认证平台暂时无法访问，请稍后重试" in page.text
    mocks.idp_control.set_faults(delay_seconds=0)
    assert browser.get(mocks.platform.url + "/auth/yzt/start").url.path == "/am/UI/Login"


def test_reset_restores_the_platforms_idp_timeout(mocks: Mocks) -> None:
    mocks.platform_control.set_faults(idp_timeout_seconds=0.2)
    mocks.platform_control.reset()
    assert mocks.platform_control.get_faults().idp_timeout_seconds == 5.0
