"""Steps on the platform website: 平台账户, 个人中心, 认证信息.

Thin by design: each step is one to three page-object calls, and the ``那么``
steps assert with Playwright's web-first ``expect``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from fixtures.browser import DESKTOP_USER_AGENTS
from fixtures.mocks import seed_platform_account
from fixtures.test_data import Enterprise, PlatformAccount
from mock_servers import MockServers, PlatformControl
from pages.idp.login import IdpLoginPage
from pages.platform.account import LoginPage, RegisterPage
from pages.platform.home import HomePage
from pages.platform.layout import PlatformHeader
from pages.platform.user_center import MyHomePage, PersonalCenterPage, ProfilePage

# --- 平台账户 -------------------------------------------------------------------------------------


@given('我在平台首页点击右上角"注册"，根据提示完成账户注册，并成功登录')
def register_and_log_in(page: Page, mock_servers: MockServers, platform_account: PlatformAccount) -> None:
    home = HomePage(page, mock_servers.platform_url)
    home.open()
    home.header.go_to_register()
    RegisterPage(page).register(platform_account.username, platform_account.mobile, platform_account.password)
    login = LoginPage(page)
    expect(login.status, "注册后应回到登录页并提示注册成功").to_have_text("注册成功，请登录")
    login.log_in(platform_account.username, platform_account.password)
    expect(home.header.user_menu_button(platform_account.username), "登录后右上角应显示用户名").to_be_visible()


@given("我已有平台账户，但尚未登录")
def existing_platform_account(platform_control: PlatformControl, platform_account: PlatformAccount) -> None:
    seed_platform_account(platform_control, platform_account)


@given(parsers.re(r"我用(?P<browser>.+)打开平台首页"), target_fixture="page")
def open_home_with_browser(browser: str, new_context: Callable[..., BrowserContext], mock_servers: MockServers) -> Page:
    # This scenario's page is a browser that says it is another one: it replaces the default page.
    page = new_context(user_agent=DESKTOP_USER_AGENTS[browser]).new_page()
    HomePage(page, mock_servers.platform_url).open()
    return page


@when("我用平台账户登录")
def log_in(page: Page, platform_account: PlatformAccount) -> None:
    LoginPage(page).log_in(platform_account.username, platform_account.password)


@when('我点击右上角用户名，选择"退出登录"')
def log_out(page: Page, platform_account: PlatformAccount) -> None:
    PlatformHeader(page).log_out(platform_account.username)


@then("页面底部建议使用谷歌浏览器或者360安全浏览器极速模式访问")
def browser_recommendation_shown(page: Page, mock_servers: MockServers) -> None:
    expect(HomePage(page, mock_servers.platform_url).browser_recommendation).to_be_visible()


@then(parsers.re(r"页面(?P<shown>提示|不提示)浏览器不在推荐范围内"))
def browser_hint(page: Page, mock_servers: MockServers, shown: str) -> None:
    hint = HomePage(page, mock_servers.platform_url).browser_hint
    if shown == "提示":
        expect(hint, "非推荐浏览器应看到浏览器提示").to_be_visible()
    else:
        expect(hint, "推荐的浏览器不应看到浏览器提示").to_have_count(0)


@then("页面右上角显示我的用户名")
def user_name_shown(page: Page, platform_account: PlatformAccount) -> None:
    expect(PlatformHeader(page).user_menu_button(platform_account.username)).to_be_visible()


@then('页面右上角重新显示"注册"和"登录"')
def logged_out_header(page: Page, platform_account: PlatformAccount) -> None:
    header = PlatformHeader(page)
    expect(header.register_link, "退出登录后右上角应重新显示注册").to_be_visible()
    expect(header.login_link, "退出登录后右上角应重新显示登录").to_be_visible()
    expect(header.user_menu_button(platform_account.username), "退出登录后不应再显示用户名").to_have_count(0)


# --- 个人中心 → 我的主页 → 个人主页 → 认证信息 ---------------------------------------------------


@given('我已登录平台，并从"认证信息"选择"北京市企业认证"来到一证通登录页面')
def logged_in_at_idp_login(
    page: Page, mock_servers: MockServers, platform_control: PlatformControl, platform_account: PlatformAccount
) -> None:
    seed_platform_account(platform_control, platform_account)
    profile_url = mock_servers.platform_url + "/user/home/profile"
    page.goto(profile_url)
    LoginPage(page).log_in(platform_account.username, platform_account.password)
    ProfilePage(page).choose_beijing_certification()
    expect(IdpLoginPage(page).login_heading, "选择北京市企业认证后应来到一证通登录页面").to_be_visible()


@when('我点击右上角用户名进入"个人中心"，依次进入"我的主页"、"个人主页"')
def go_to_profile(page: Page, platform_account: PlatformAccount) -> None:
    PlatformHeader(page).go_to_personal_center(platform_account.username)
    PersonalCenterPage(page).go_to_my_home()
    MyHomePage(page).go_to_profile()


@when('我直接打开"个人中心"')
def open_personal_center(page: Page, mock_servers: MockServers) -> None:
    PersonalCenterPage(page).open(mock_servers.platform_url)


@when('我在"认证信息"中选择"北京市企业认证"')
def choose_beijing_certification(page: Page) -> None:
    ProfilePage(page).choose_beijing_certification()


@then('我再打开"个人中心"时会被要求先登录')
def personal_center_needs_login(page: Page, mock_servers: MockServers) -> None:
    PersonalCenterPage(page).open(mock_servers.platform_url)
    expect(LoginPage(page).heading, "退出登录后打开个人中心应先要求登录").to_be_visible()


@then('页面跳转至"用户登录"')
def on_login_page(page: Page, mock_servers: MockServers) -> None:
    expect(page, "未登录打开个人中心应跳转至登录页").to_have_url(
        re.compile(re.escape(mock_servers.platform_url + "/login?"))
    )
    expect(LoginPage(page).heading).to_be_visible()


@then('页面回到"个人中心"')
def back_at_personal_center(page: Page, mock_servers: MockServers) -> None:
    center = PersonalCenterPage(page)
    expect(page, "登录后应回到登录前要去的个人中心").to_have_url(center.url(mock_servers.platform_url))
    expect(center.heading).to_be_visible()


@then(parsers.re(r'"认证信息"卡片显示"(?P<status>未认证)"'))
def certification_status(page: Page, status: str) -> None:
    expect(ProfilePage(page).certification_status, f"认证信息卡片应显示{status}").to_have_text(status)


@then('页面跳转回平台网站的"个人主页"')
def back_at_profile(page: Page, mock_servers: MockServers) -> None:
    expect(page, "一证通登录后应回到平台网站的个人主页").to_have_url(mock_servers.platform_url + "/user/home/profile")
    expect(ProfilePage(page).heading).to_be_visible()


@then('"认证信息"卡片显示"已认证"标签和我的企业名称')
def certified_with_enterprise(page: Page, enterprise: Enterprise) -> None:
    profile = ProfilePage(page)
    expect(profile.certification_status, "认证信息卡片应显示已认证标签").to_have_text("已认证")
    expect(profile.certification_card, f"认证信息卡片应显示企业名称{enterprise.name}").to_contain_text(enterprise.name)
