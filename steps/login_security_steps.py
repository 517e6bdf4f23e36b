"""Steps for R5 登录安全 on the 一证通 口令登录 page (features/yzt_login_security.feature).

A refused login must not say whether the account exists, five wrong passwords in a
row lock the account for 30 minutes (moved on the mocks' shared clock, never waited
for), and every attempt needs a fresh captcha.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from fixtures.mocks import SharedClock
from fixtures.test_data import TestDataBuilder, YztAccount
from mock_servers import IdpControl, MockServers
from pages.idp.login import IdpLoginPage
from steps.idp_steps import solve


@pytest.fixture
def stranger(test_data: TestDataBuilder) -> YztAccount:
    """A 一证通 account that nobody registered; its password is wrong for every account that exists."""
    return test_data.yzt_account()


def wrong_captcha_answer(right: str) -> str:
    """An answer the captcha's image does not show: its first character changed."""
    first = "A" if right[0].upper() != "A" else "C"
    return first + right[1:]


# --- 登录页面 ------------------------------------------------------------------------------------


@given("我打开北京市统一身份认证平台的登录页面")
def open_idp_login(page: Page, mock_servers: MockServers) -> None:
    # The guide's Q&A sends people straight to this address on a PC, without the platform.
    IdpLoginPage(page).open(mock_servers.idp_url)


# --- 登录失败 ------------------------------------------------------------------------------------


@when(
    parsers.re(r"我用(?P<credentials>我的一证通账号和错误的密码|不存在的一证通账号和密码)登录"),
    target_fixture="entered_account",
)
def log_in_with_bad_credentials(
    page: Page, idp_control: IdpControl, yzt_account: YztAccount, stranger: YztAccount, credentials: str
) -> str:
    account = yzt_account.account if credentials.startswith("我的") else stranger.account
    login = IdpLoginPage(page)
    login.log_in_with_password(account, stranger.password, solve(login.captcha, idp_control))
    return account


@when(
    parsers.re(r'我输入一证通账号和正确的密码，(?P<captcha>不填验证码|填错验证码)后点击"登录"'),
    target_fixture="entered_account",
)
def log_in_without_right_captcha(page: Page, idp_control: IdpControl, yzt_account: YztAccount, captcha: str) -> str:
    login = IdpLoginPage(page)
    answer = "" if captcha == "不填验证码" else wrong_captcha_answer(solve(login.captcha, idp_control))
    login.log_in_with_password(yzt_account.account, yzt_account.password, answer)
    return yzt_account.account


@when("我刷新页面，浏览器用同一个验证码把表单再提交一次")
def resubmit_same_form(page: Page) -> None:
    IdpLoginPage(page).resubmit()


@when(
    parsers.re(r"我连续(?P<times>\d+)次输错一证通密码"),
    target_fixture="last_failure_at",
)
def wrong_passwords_in_a_row(
    page: Page,
    idp_control: IdpControl,
    mock_clock: SharedClock,
    yzt_account: YztAccount,
    stranger: YztAccount,
    times: str,
) -> datetime:
    login = IdpLoginPage(page)
    for _ in range(int(times)):
        # Each refused login comes back with a new captcha (the click waits for that page).
        login.log_in_with_password(yzt_account.account, stranger.password, solve(login.captcha, idp_control))
    return mock_clock.now()


@when(parsers.re(r"最后一次输错密码后过了(?P<minutes>\d+)分钟"))
def time_since_last_failure(mock_clock: SharedClock, last_failure_at: datetime, minutes: str) -> None:
    mock_clock.advance(last_failure_at + timedelta(minutes=int(minutes)) - mock_clock.now())


# --- 登录页面的提示 --------------------------------------------------------------------------------


@then(parsers.re(r'登录页提示"(?P<message>[^"]+)"'))
def login_refused_with(page: Page, message: str) -> None:
    # Exactly one message: a second one (e.g. under the account field) could tell more than this one.
    expect(IdpLoginPage(page).errors, f"登录页应只提示“{message}”").to_have_text([message])


@then("一证通账号仍是我输入的账号，一证通密码和验证码已清空")
def entered_account_kept(page: Page, entered_account: str) -> None:
    login = IdpLoginPage(page)
    expect(login.username, "被拒绝后应保留输入的一证通账号").to_have_value(entered_account)
    expect(login.password, "被拒绝后一证通密码应清空").to_have_value("")
    expect(login.captcha.input, "被拒绝后验证码应清空").to_have_value("")
