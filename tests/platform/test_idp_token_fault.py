"""The platform when the IdP fails one token exchange (R6), through the IdP's "fail the next token request".

Both mocks over real loopback HTTP, as in ``test_idp_integration.py``: an ``httpx.Client``
plays the browser, logs in on the platform, goes to 一证通, logs in there, and comes
back.  The IdP's control interface makes its token endpoint answer the platform's code
exchange with 503 ``temporarily_unavailable`` once: the platform shows its friendly
page and binds nothing; 重新认证 right after works, with nothing switched off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import httpx
import pytest

from fixtures.backstage import Backstage
from fixtures.test_data import Enterprise, PlatformAccount, YztAccount
from mock_servers.common.server import RunningServer
from mock_servers.idp.client import IdpControl
from mock_servers.idp.server import start_idp
from mock_servers.platform.client import PlatformControl
from mock_servers.platform.server import start_platform

CLIENT_ID: Final = "smebj-platform"
CLIENT_SECRET: Final = "token-fault-secret"
UNAVAILABLE: Final = '<p role="alert" class="result-message">统一身份认证平台暂时无法访问，请稍后重试</p>'
CERTIFIED: Final = '<span class="tag tag-certified">已认证</span>'


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
    backstage = Backstage(platform=servers.platform_control, idp=servers.idp_control)
    backstage.open_yzt_account(enterprise, yzt_account)
    backstage.open_platform_account(platform_account)
    return servers


@pytest.fixture
def browser(mocks: Mocks, platform_account: PlatformAccount) -> Iterator[httpx.Client]:
    """A browser logged in on the platform."""
    with httpx.Client(follow_redirects=True, timeout=10) as client:
        login = {"login_id": platform_account.username, "password": platform_account.password}
        assert client.post(mocks.platform.url + "/login", data=login).url.path == "/"
        yield client


def certify(mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount) -> httpx.Response:
    """个人主页 → 北京市企业认证 → 口令登录 on 一证通; wherever the redirects end."""
    login_page = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert login_page.url.path == "/am/UI/Login", login_page.text
    match = re.search(r'name="captcha_id" value="([^"]+)"', login_page.text)
    assert match, "the login page carries no captcha_id"
    return browser.post(
        str(login_page.url),
        data={
            "username": yzt_account.account,
            "password": yzt_account.password,
            "captcha": mocks.idp_control.captcha_answer(match.group(1)),
            "captcha_id": match.group(1),
        },
    )


def test_a_failed_token_exchange_gives_the_retry_page_and_certifying_again_works(
    mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount, enterprise: Enterprise
) -> None:
    mocks.idp_control.fail_next_token_request()
    assert mocks.idp_control.get_faults().pending_token_failures == 1

    page = certify(mocks, browser, yzt_account)
    assert page.url.path == "/auth/yzt/callback"
    assert page.status_code == 502
    assert UNAVAILABLE in page.text
    assert mocks.platform_control.list_bindings() == []
    # The platform's exchange is what used the failure up.
    assert mocks.idp_control.get_faults().pending_token_failures == 0

    # 重新认证: the IdP remembers the login, the next exchange works.
    again = browser.get(mocks.platform.url + "/auth/yzt/start")
    assert str(again.url) == mocks.platform.url + "/user/home/profile"
    assert CERTIFIED in again.text
    assert f"企业名称：{enterprise.name}" in again.text
    assert [binding.credit_code for binding in mocks.platform_control.list_bindings()] == [enterprise.credit_code]


def test_without_the_fault_the_same_round_trip_certifies(
    mocks: Mocks, browser: httpx.Client, yzt_account: YztAccount
) -> None:
    # The control for the test above: nothing but the queued failure made it fail.
    page = certify(mocks, browser, yzt_account)
    assert str(page.url) == mocks.platform.url + "/user/home/profile"
    assert CERTIFIED in page.text
