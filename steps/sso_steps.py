"""Steps for R6 SSO 完整性 as a user sees it (features/sso_integrity.feature).

The IdP going down is a fault switched through its control interface; the callback
being replayed or tampered with is done in the browser, on the way back from 一证通,
as an attacker between the two sites would do it. Whether the enterprise got bound is
read through the platform's control interface: the pages show only the user's own side.
"""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, Route, expect
from pytest_bdd import given, parsers, then, when

from fixtures.mocks import seed_platform_account
from fixtures.test_data import Enterprise, PlatformAccount
from mock_servers import IdpControl, MockServers, PlatformControl
from pages.idp.login import IdpLoginPage, IdpWelcomePage
from pages.platform.account import LoginPage
from pages.platform.certification_result import CertificationCallback, CertificationResultPage
from pages.platform.user_center import ProfilePage

# Stands in for whatever site a forged goto points at, should the IdP ever follow one.
FOREIGN_SITE_PAGE = "<!DOCTYPE html><title>外部网站</title><h1>这里不是北京市统一身份认证平台</h1>"
# A slow IdP: it answers after SLOW_IDP_DELAY_S, while the platform waits SLOW_IDP_PLATFORM_WAIT_S.
SLOW_IDP_PLATFORM_WAIT_S = 0.3
SLOW_IDP_DELAY_S = 1.0

# --- 平台 ----------------------------------------------------------------------------------------


@given('我已登录平台，正在查看"个人主页"的"认证信息"')
def logged_in_at_profile(
    page: Page, mock_servers: MockServers, platform_control: PlatformControl, platform_account: PlatformAccount
) -> None:
    seed_platform_account(platform_control, platform_account)
    page.goto(mock_servers.platform_url + "/user/home/profile")
    LoginPage(page).log_in(platform_account.username, platform_account.password)
    expect(ProfilePage(page).certification_card, "登录后应回到个人主页的认证信息").to_be_visible()


@when('我点击"重新认证"')
def retry_certification(page: Page) -> None:
    CertificationResultPage(page).retry()


@then(parsers.re(r'平台提示"(?P<message>[^"]+)"，并可以"重新认证"'))
def certification_not_completed(page: Page, message: str) -> None:
    result = CertificationResultPage(page)
    expect(result.heading, "平台应显示“企业认证未完成”页面").to_be_visible()
    expect(result.message, f"平台应提示“{message}”").to_have_text(message)
    expect(result.retry_link, "平台应提供“重新认证”").to_be_visible()


@then("我的企业没有绑定到任何平台账户")
def enterprise_not_bound(platform_control: PlatformControl, enterprise: Enterprise) -> None:
    bound = [b.username for b in platform_control.list_bindings() if b.credit_code == enterprise.credit_code]
    assert bound == [], f"企业不应被绑定，实际绑定到了平台账户 {bound}"


@then("我的企业仍然只绑定在我的平台账户上")
def enterprise_still_mine(
    platform_control: PlatformControl, enterprise: Enterprise, platform_account: PlatformAccount
) -> None:
    bound = [b.username for b in platform_control.list_bindings() if b.credit_code == enterprise.credit_code]
    assert bound == [platform_account.username], f"企业应仍只绑定在 {platform_account.username} 上，实际为 {bound}"


# --- 统一身份认证平台的故障 ----------------------------------------------------------------------


@given("统一身份认证平台暂时无法访问")
def idp_down(idp_control: IdpControl) -> None:
    idp_control.set_faults(down=True)


@given("统一身份认证平台响应缓慢，超过了平台愿意等待的时间")
def idp_slow(idp_control: IdpControl, platform_control: PlatformControl) -> None:
    # The platform's wait is shortened (5 s on the real site) so that the scenario need not sit
    # through it; the IdP answers later than that wait, which is what "slow" means to the user.
    platform_control.set_faults(idp_timeout_seconds=SLOW_IDP_PLATFORM_WAIT_S)
    idp_control.set_faults(delay_seconds=SLOW_IDP_DELAY_S)


@given("统一身份认证平台会在平台换取认证结果之前变得无法访问")
def idp_down_before_exchange(page: Page, mock_servers: MockServers, idp_control: IdpControl) -> None:
    # The browser is already on its way back with the code: only the platform's call to the IdP meets the fault.
    CertificationCallback(page, mock_servers.platform_url).before_next_visit(lambda: idp_control.set_faults(down=True))


@when("统一身份认证平台恢复访问")
def idp_back(idp_control: IdpControl) -> None:
    idp_control.set_faults(down=False, delay_seconds=0)


# --- 认证回调 ------------------------------------------------------------------------------------


@given("有人记下了一证通把我送回平台时的认证回调地址", target_fixture="callback")
def callback_recorded(page: Page, mock_servers: MockServers) -> CertificationCallback:
    callback = CertificationCallback(page, mock_servers.platform_url)
    callback.remember_visits()
    return callback


@given("一证通把我送回平台时，认证回调中的 state 被人篡改")
def callback_state_tampered(page: Page, mock_servers: MockServers) -> None:
    CertificationCallback(page, mock_servers.platform_url).change_next_state(secrets.token_urlsafe(32))


@when("我再次打开同一个认证回调地址")
def replay_callback(callback: CertificationCallback) -> None:
    assert len(callback.visits) == 1, f"应已记下一次认证回调，实际为 {callback.visits}"
    callback.open(callback.visits[0])


# --- 一证通登录后的 goto -------------------------------------------------------------------------


@given(parsers.re(r'我打开的一证通登录页面带有指向外部网站的 goto "(?P<goto>[^"]+)"'))
def login_page_with_foreign_goto(page: Page, mock_servers: MockServers, goto: str) -> None:
    own_origins = (mock_servers.idp_url, mock_servers.platform_url)

    def stand_in(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=FOREIGN_SITE_PAGE)

    # No request may leave the machine: any other site is answered by a stand-in page.
    page.context.route(lambda url: not url.startswith(own_origins), stand_in)
    IdpLoginPage(page).open(mock_servers.idp_url, goto=goto)


@then("登录后页面停留在北京市统一身份认证平台自己的页面，没有跳转至外部网站")
def stayed_at_idp(page: Page, mock_servers: MockServers) -> None:
    welcome = IdpWelcomePage(page)
    expect(page, "登录后不应跟随 goto 跳转至外部网站").to_have_url(welcome.url(mock_servers.idp_url))
    expect(welcome.heading, "应显示一证通自己的已登录页面").to_be_visible()
