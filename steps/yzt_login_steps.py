"""Steps on 北京市统一身份认证平台 (一证通)'s login page: its offer (tabs, links, other logins), 口令登录,
and the rules of R5 登录安全.

The captcha is the one thing read backstage rather than off the screen: the page carries the
captcha's id, the mock says its answer. A refused login must not say whether the account exists;
five wrong passwords in a row lock the account for 30 minutes (moved on the mocks' clock, never
waited for); every attempt needs a fresh captcha.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Route, expect
from pytest_bdd import given, parsers, then, when

import flows.yzt
from fixtures.backstage import Backstage, SharedClock
from fixtures.forms import wrong_captcha_answer
from fixtures.step_text import quoted_list
from fixtures.test_data import TestDataBuilder, YztAccount
from pages.idp.login import LOGIN_TABS
from pages.idp.site import Yzt
from pages.platform.site import Website

# Stands in for whatever site a forged goto points at, should the IdP ever follow one.
FOREIGN_SITE_PAGE = "<!DOCTYPE html><title>外部网站</title><h1>这里不是北京市统一身份认证平台</h1>"


@pytest.fixture
def stranger(test_data: TestDataBuilder) -> YztAccount:
    """A 一证通 account that nobody registered; its password is wrong for every account that exists."""
    return test_data.yzt_account()


def log_in_with_password(yzt: Yzt, backstage: Backstage, account: str, password: str) -> None:
    """口令登录 on the tab on show, the captcha answered rightly (R5's attempts keep the page they are on)."""
    yzt.login.log_in_with_password(account, password, backstage.captcha_answer(yzt.login.captcha))


# --- 登录页面 ------------------------------------------------------------------------------------


@given("我打开北京市统一身份认证平台的登录页面")
@given("我在PC端打开一证通网址")
def open_idp_login(yzt: Yzt) -> None:
    # The guide's Q&A sends people straight to this address on a PC, without the platform.
    yzt.login.open()


@given(parsers.re(r'我打开的一证通登录页面带有指向外部网站的 goto "(?P<goto>[^"]+)"'))
def login_page_with_foreign_goto(yzt: Yzt, website: Website, goto: str) -> None:
    own_origins = (yzt.base_url, website.base_url)

    def stand_in(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=FOREIGN_SITE_PAGE)

    # No request may leave the machine: any other site is answered by a stand-in page.
    yzt.page.context.route(lambda url: not url.startswith(own_origins), stand_in)
    yzt.login.open_with_goto(goto)


@then('页面跳转至"北京市统一身份认证平台"的"请您登录"页面')
def on_idp_login_page(yzt: Yzt) -> None:
    expect(yzt.page, "应跳转至一证通登录页（/am/UI/Login?module=BjzwLDAP…&goto=…）").to_have_url(
        yzt.login.url_pattern_with_goto
    )
    expect(yzt.login.title_heading).to_be_visible()
    expect(yzt.login.login_heading).to_be_visible()


@then(parsers.re(r'登录方式依次为(?P<tabs>.+)，当前为"(?P<current>[^"]+)"'), converters={"tabs": quoted_list})
def login_tabs(yzt: Yzt, tabs: list[str], current: str) -> None:
    expect(yzt.login.tabs, "登录方式及其顺序").to_have_text(tabs)
    expect(yzt.login.tab(current), f"默认的登录方式应为{current}").to_have_attribute("aria-selected", "true")


@then('"口令登录"需要输入"一证通账号"、"一证通密码"和验证码')
def password_login_fields(yzt: Yzt) -> None:
    login = yzt.login
    expect(login.username).to_have_attribute("placeholder", "一证通账号")
    expect(login.password).to_have_attribute("placeholder", "一证通密码")
    expect(login.captcha.input).to_be_visible()
    expect(login.captcha.image).to_be_visible()
    expect(login.login_button).to_be_visible()


@then(parsers.re(r"页面提供(?P<links>.+)"), converters={"links": quoted_list})
def login_links(yzt: Yzt, links: list[str]) -> None:
    for name in links:
        expect(yzt.login.link(name)).to_be_visible()


@then(parsers.re(r'"其他登录方式"包括(?P<providers>.+)'), converters={"providers": quoted_list})
def other_logins(yzt: Yzt, providers: list[str]) -> None:
    for name in providers:
        expect(yzt.login.other_login(name)).to_be_visible()


@when(parsers.re(r'我选择"(?P<method>[^"]+)"'))
def choose_login_method(yzt: Yzt, method: str) -> None:
    if method in LOGIN_TABS:
        yzt.login.choose_tab(method)
    else:
        yzt.login.choose_other_login(method)


@then(parsers.re(r'页面提示"(?P<message>[^"]+)"'))
def panel_notice(yzt: Yzt, message: str) -> None:
    expect(yzt.login.panel_status, f"所选登录方式下应提示“{message}”").to_have_text(message)


@then("页面不提供一证通账号和密码的输入框")
def no_password_form(yzt: Yzt) -> None:
    expect(yzt.login.username, "该登录方式下不应有一证通账号输入框").to_have_count(0)
    expect(yzt.login.password, "该登录方式下不应有一证通密码输入框").to_have_count(0)


# --- 口令登录 ------------------------------------------------------------------------------------


@when('我选择"口令登录"，输入一证通账号、密码和验证码登录')
def log_in_to_yzt(yzt: Yzt, backstage: Backstage, yzt_account: YztAccount) -> None:
    flows.yzt.log_in_with_password(yzt, backstage, yzt_account.account, yzt_account.password)


@when("我用另一位办事人的一证通账号口令登录")
def log_in_as_other_handler(yzt: Yzt, backstage: Backstage, other_handler_yzt_account: YztAccount) -> None:
    account = other_handler_yzt_account
    flows.yzt.log_in_with_password(yzt, backstage, account.account, account.password)


@when('我返回登录界面，选择"口令登录"，输入一证通账号、密码和验证码登录')
def back_to_login_and_log_in(yzt: Yzt, backstage: Backstage, yzt_account: YztAccount) -> None:
    yzt.done_step.back_to_login()
    log_in_to_yzt(yzt, backstage, yzt_account)


@then("登录后页面停留在北京市统一身份认证平台自己的页面，没有跳转至外部网站")
def stayed_at_idp(yzt: Yzt) -> None:
    expect(yzt.page, "登录后不应跟随 goto 跳转至外部网站").to_have_url(yzt.welcome.url)
    expect(yzt.welcome.heading, "应显示一证通自己的已登录页面").to_be_visible()


# --- 登录失败 (R5) -------------------------------------------------------------------------------


@when(
    parsers.re(r"我用(?P<credentials>我的一证通账号和错误的密码|不存在的一证通账号和密码)登录"),
    target_fixture="entered_account",
)
def log_in_with_bad_credentials(
    yzt: Yzt, backstage: Backstage, yzt_account: YztAccount, stranger: YztAccount, credentials: str
) -> str:
    account = yzt_account.account if credentials.startswith("我的") else stranger.account
    log_in_with_password(yzt, backstage, account, stranger.password)
    return account


@when("我用没有口令密码的一证通账号和随便一个密码登录", target_fixture="entered_account")
def log_in_without_password(
    yzt: Yzt, backstage: Backstage, yzt_account_without_password: YztAccount, stranger: YztAccount
) -> str:
    log_in_with_password(yzt, backstage, yzt_account_without_password.account, stranger.password)
    return yzt_account_without_password.account


@when(
    parsers.re(r'我输入一证通账号和正确的密码，(?P<captcha>不填验证码|填错验证码)后点击"登录"'),
    target_fixture="entered_account",
)
def log_in_without_right_captcha(yzt: Yzt, backstage: Backstage, yzt_account: YztAccount, captcha: str) -> str:
    answer = "" if captcha == "不填验证码" else wrong_captcha_answer(backstage.captcha_answer(yzt.login.captcha))
    yzt.login.log_in_with_password(yzt_account.account, yzt_account.password, answer)
    return yzt_account.account


@when("我刷新页面，浏览器用同一个验证码把表单再提交一次")
def resubmit_same_form(yzt: Yzt) -> None:
    yzt.login.resubmit()


@when(parsers.re(r"我连续(?P<times>\d+)次输错一证通密码"), target_fixture="last_failure_at", converters={"times": int})
def wrong_passwords_in_a_row(
    yzt: Yzt, backstage: Backstage, mock_clock: SharedClock, yzt_account: YztAccount, stranger: YztAccount, times: int
) -> datetime:
    for _ in range(times):
        # Each refused login comes back with a new captcha (the click waits for that page).
        log_in_with_password(yzt, backstage, yzt_account.account, stranger.password)
    return mock_clock.now()


@when(
    parsers.re(r"我用不存在的一证通账号连续(?P<times>\d+)次登录"),
    target_fixture="entered_account",
    converters={"times": int},
)
def unknown_account_in_a_row(yzt: Yzt, backstage: Backstage, stranger: YztAccount, times: int) -> str:
    for _ in range(times):
        log_in_with_password(yzt, backstage, stranger.account, stranger.password)
    return stranger.account


@then(parsers.re(r'登录页提示"(?P<message>[^"]+)"'))
def login_refused_with(yzt: Yzt, message: str) -> None:
    # Exactly one message: a second one (e.g. under the account field) could tell more than this one.
    expect(yzt.login.errors, f"登录页应只提示“{message}”").to_have_text([message])


@then(parsers.re(r'一证通拒绝登录，提示"(?P<message>[^"]+)"'))
def login_refused(yzt: Yzt, message: str) -> None:
    expect(yzt.login.login_heading, "应仍在一证通登录页面").to_be_visible()
    expect(yzt.login.errors, f"一证通应提示“{message}”").to_have_text([message])


@then("一证通账号仍是我输入的账号，一证通密码和验证码已清空")
def entered_account_kept(yzt: Yzt, entered_account: str) -> None:
    login = yzt.login
    expect(login.username, "被拒绝后应保留输入的一证通账号").to_have_value(entered_account)
    expect(login.password, "被拒绝后一证通密码应清空").to_have_value("")
    expect(login.captcha.input, "被拒绝后验证码应清空").to_have_value("")


# --- on a phone: 注册 and 找回密码 only on a PC (Q3, Q4, A2) -----------------------------------------


@when(parsers.re(r'我在一证通登录页面点击"(?P<link>[^"]+)"'))
def follow_login_page_link(yzt: Yzt, link: str) -> None:
    yzt.login.follow_link(link)


@then(parsers.re(r'手机上的一证通页面标题是"(?P<title>[^"]+)"'))
def pc_only_heading(yzt: Yzt, title: str) -> None:
    expect(yzt.pc_only.heading, f"页面标题应为“{title}”").to_have_text(title)


@then(parsers.re(r'页面说明"(?P<text>[^"]+)"'))
def pc_only_explained(yzt: Yzt, text: str) -> None:
    expect(yzt.pc_only.content, f"页面应说明“{text}”").to_contain_text(text)


@then("页面给出在PC端打开的认证平台地址")
def pc_address_given(yzt: Yzt) -> None:
    # The address the guide gives: this 一证通's own login page, to type into a PC's browser.
    expect(yzt.pc_only.pc_address, "应给出认证平台地址").to_have_text(yzt.login.url)


@then(parsers.re(r'页面给出技术咨询电话"(?P<number>[^"]+)"，点击即可拨打'))
def phone_number_callable(yzt: Yzt, number: str) -> None:
    expect(yzt.pc_only.phone_link(number), f"电话{number}应可以点击拨打").to_have_attribute("href", f"tel:{number}")


@when('我点击"返回登录"')
def back_to_login(yzt: Yzt) -> None:
    yzt.pc_only.back_to_login()


@then(parsers.re(r'页面给出(?P<kind>技术咨询电话|邮箱)"(?P<contact>[^"]+)"'))
def contact_given(yzt: Yzt, kind: str, contact: str) -> None:
    expect(yzt.content, f"页面应给出{kind}{contact}").to_contain_text(contact)


@then("一证通登录页面说明没有一证通账号要先在电脑上注册，并给出认证平台地址")
def no_account_note(yzt: Yzt) -> None:
    expect(yzt.login.no_account_note, "手机上的一证通登录页应说明要先在PC端注册").to_contain_text(
        "还没有一证通账号？目前只能在PC端注册，请在电脑上打开认证平台地址完成注册。"
    )
    expect(yzt.login.no_account_pc_address, "应给出认证平台地址").to_have_text(yzt.login.url)
