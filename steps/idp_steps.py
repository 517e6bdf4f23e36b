"""Steps at 北京市统一身份认证平台 (一证通): 注册, 口令登录, the login page's offer.

The captcha is the one thing read through the mock's control interface rather
than off the screen: the page carries the captcha's id, the mock says its answer.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from fixtures.mocks import SharedClock, next_working_day, seed_yzt_account
from fixtures.test_data import Enterprise, YztAccount
from mock_servers import IdpControl, MockServers
from pages.idp.captcha import CaptchaField
from pages.idp.login import LOGIN_TABS, IdpLoginPage
from pages.idp.registration import (
    CreateAccountStep,
    IdentityVerificationStep,
    RegistrationDoneStep,
    RegistrationWizard,
)
from steps.quoted import quoted_list


def solve(captcha: CaptchaField, idp_control: IdpControl) -> str:
    """The answer to the captcha on show, from the mock's control interface."""
    return idp_control.captcha_answer(captcha.captcha_id())


# --- 一证通账户 ----------------------------------------------------------------------------------


@given("我的企业已有审核通过的一证通账号")
def reviewed_yzt_account(idp_control: IdpControl, enterprise: Enterprise, yzt_account: YztAccount) -> None:
    seed_yzt_account(idp_control, enterprise, yzt_account)


# --- 注册 ----------------------------------------------------------------------------------------


@when('我点击"注册"')
def go_to_registration(page: Page) -> None:
    IdpLoginPage(page).go_to_register()


def pass_identity_verification(page: Page, idp_control: IdpControl, enterprise: Enterprise) -> None:
    """Fill 法人身份鉴证 (on show) rightly for the enterprise and go on to 创建账号."""
    step = IdentityVerificationStep(page)
    step.verify_legal_person(
        enterprise_name=enterprise.name,
        credit_code=enterprise.credit_code,
        legal_person_name=enterprise.legal_person.name,
        id_number=enterprise.legal_person.id_number,
        captcha_answer=solve(step.captcha, idp_control),
    )


@when('我点击"注册"，为我的企业完成"法人身份鉴证"')
def verify_legal_person(page: Page, idp_control: IdpControl, enterprise: Enterprise) -> None:
    IdpLoginPage(page).go_to_register()
    pass_identity_verification(page, idp_control, enterprise)


@when('我在"创建账号"中设置一证通账号、密码和手机号码')
def create_yzt_account(page: Page, yzt_account: YztAccount) -> None:
    CreateAccountStep(page).create_account(yzt_account.account, yzt_account.password, yzt_account.mobile)


@when("一个工作日后审核通过")
def review_period_passes(mock_clock: SharedClock) -> None:
    now = mock_clock.now()
    mock_clock.advance(next_working_day(now) - now)


@then(parsers.re(r'注册向导依次为(?P<steps>.+)，当前为"(?P<current>[^"]+)"'))
def wizard_steps(page: Page, steps: str, current: str) -> None:
    wizard = RegistrationWizard(page)
    expect(wizard.steps, "注册向导的步骤").to_have_text(quoted_list(steps))
    expect(wizard.current_step, "注册向导的当前步骤").to_have_text(current)


@then('"法人身份鉴证"表单有以下必填项:')
def required_fields(page: Page, datatable: list[list[str]]) -> None:
    step = IdentityVerificationStep(page)
    for (name,) in datatable[1:]:
        expect(step.required_field(name), f"{name}应为必填项").to_have_attribute("aria-required", "true")


@then(parsers.re(r'"法人代表证件类型"可选(?P<options>.+)，默认为"(?P<default>[^"]+)"'))
def id_type_options(page: Page, options: str, default: str) -> None:
    step = IdentityVerificationStep(page)
    expected = quoted_list(options)
    expect(step.id_type_options).to_have_count(len(expected))
    for option in expected:
        expect(step.id_type_option(option)).to_be_visible()
    expect(step.id_type_option(default)).to_be_checked()


@then('"提示"依次说明:')
def tips(page: Page, datatable: list[list[str]]) -> None:
    expect(IdentityVerificationStep(page).tip_items, "提示框的内容").to_have_text([row[0] for row in datatable[1:]])


@then(parsers.re(r'页面显示技术咨询电话"(?P<phone>[^"]+)"'))
def help_phone(page: Page, phone: str) -> None:
    expect(IdentityVerificationStep(page).help_line).to_contain_text(phone)


@then('页面显示"注册完成"，并说明系统需要一个工作日进行身份证件的审核')
def registration_done(page: Page, yzt_account: YztAccount) -> None:
    done = RegistrationDoneStep(page)
    expect(done.heading, "应来到注册完成页").to_be_visible()
    expect(done.content, "注册完成页应显示新的一证通账号").to_contain_text(yzt_account.account)
    expect(done.content, "注册完成页应说明审核需要一个工作日").to_contain_text("系统需要一个工作日进行身份证件的审核")


# --- 登录 ----------------------------------------------------------------------------------------


@when('我返回登录界面，选择"口令登录"，输入一证通账号、密码和验证码登录')
def back_to_login_and_log_in(page: Page, idp_control: IdpControl, yzt_account: YztAccount) -> None:
    RegistrationDoneStep(page).back_to_login()
    log_in_with_password(page, idp_control, yzt_account)


@when('我选择"口令登录"，输入一证通账号、密码和验证码登录')
def log_in_with_password(page: Page, idp_control: IdpControl, yzt_account: YztAccount) -> None:
    login = IdpLoginPage(page)
    # Choosing the tab reloads the page with a new captcha: solve the one on show after it.
    login.choose_tab("口令登录")
    login.log_in_with_password(yzt_account.account, yzt_account.password, solve(login.captcha, idp_control))


@when(parsers.re(r'我选择"(?P<method>[^"]+)"'))
def choose_login_method(page: Page, method: str) -> None:
    login = IdpLoginPage(page)
    if method in LOGIN_TABS:
        login.choose_tab(method)
    else:
        login.choose_other_login(method)


@then('页面跳转至"北京市统一身份认证平台"的"请您登录"页面')
def on_idp_login_page(page: Page, mock_servers: MockServers) -> None:
    login_url = mock_servers.idp_url + "/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto="
    expect(page, "应跳转至一证通登录页（/am/UI/Login?module=BjzwLDAP…&goto=…）").to_have_url(
        re.compile("^" + re.escape(login_url))
    )
    login = IdpLoginPage(page)
    expect(login.title_heading).to_be_visible()
    expect(login.login_heading).to_be_visible()


@then(parsers.re(r'登录方式依次为(?P<tabs>.+)，当前为"(?P<current>[^"]+)"'))
def login_tabs(page: Page, tabs: str, current: str) -> None:
    login = IdpLoginPage(page)
    expect(login.tabs, "登录方式及其顺序").to_have_text(quoted_list(tabs))
    expect(login.tab(current), f"默认的登录方式应为{current}").to_have_attribute("aria-selected", "true")


@then('"口令登录"需要输入"一证通账号"、"一证通密码"和验证码')
def password_login_fields(page: Page) -> None:
    login = IdpLoginPage(page)
    expect(login.username).to_have_attribute("placeholder", "一证通账号")
    expect(login.password).to_have_attribute("placeholder", "一证通密码")
    expect(login.captcha.input).to_be_visible()
    expect(login.captcha.image).to_be_visible()
    expect(login.login_button).to_be_visible()


@then(parsers.re(r"页面提供(?P<links>.+)"))
def login_links(page: Page, links: str) -> None:
    login = IdpLoginPage(page)
    for name in quoted_list(links):
        expect(login.link(name)).to_be_visible()


@then(parsers.re(r'"其他登录方式"包括(?P<providers>.+)'))
def other_logins(page: Page, providers: str) -> None:
    login = IdpLoginPage(page)
    for name in quoted_list(providers):
        expect(login.other_login(name)).to_be_visible()


@then(parsers.re(r'页面提示"(?P<message>[^"]+)"'))
def panel_notice(page: Page, message: str) -> None:
    expect(IdpLoginPage(page).panel_status, "所选登录方式下的提示").to_have_text(message)


@then("页面不提供一证通账号和密码的输入框")
def no_password_form(page: Page) -> None:
    login = IdpLoginPage(page)
    expect(login.username, "该登录方式下不应有一证通账号输入框").to_have_count(0)
    expect(login.password, "该登录方式下不应有一证通密码输入框").to_have_count(0)
