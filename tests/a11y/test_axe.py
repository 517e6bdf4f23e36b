"""Accessibility: an axe-core scan of every page of the journeys finds no serious or critical violation.

Each page is its own test (``tests/a11y/test_axe.py::test_page_is_accessible[chromium-idp-pc/login-口令登录]``),
reached the way the scenarios reach it: the page objects, the flows, and the backstage for state
(accounts that exist already, an enterprise bound to a colleague, 一证通 down). The website and
一证通's PC pages are scanned on the desktop profile; the app's pages (``/m/``) and 一证通's phone
pages on a phone (Pixel 7, whose engine is Chromium). One browser serves the whole file.

A failure lists each violation: rule id, impact, help text and link, and the CSS selector of every
failing element with axe's summary of what would fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

import flows.app
import flows.website
import flows.yzt
from fixtures.backstage import Backstage
from fixtures.devices import DeviceProfile
from fixtures.mocks import SiteUrls
from fixtures.test_data import AppAccount, Enterprise, PlatformAccount, YztAccount
from pages.app.site import App
from pages.idp.login import LOGIN_TABS
from pages.idp.site import Yzt
from pages.platform.site import Website
from tests.a11y.axe import report, run_axe

DESKTOP = "desktop"
PHONE = "android"


@dataclass(frozen=True)
class Visit:
    """What a page case may use to get its page on show, all in the one browser page under test.

    A case on the desktop uses ``website`` and ``yzt`` (一证通's PC pages); a case on the phone uses
    ``app`` and ``yzt`` (一证通's phone pages): no second browser is opened.
    """

    page: Page
    website: Website
    yzt: Yzt
    app: App
    backstage: Backstage
    enterprise: Enterprise
    me: PlatformAccount
    colleague: PlatformAccount
    yzt_account: YztAccount
    app_account: AppAccount


# Gets a page on show and returns what proves it is the page meant (visible before the scan).
Reach = Callable[[Visit], Locator]


@dataclass(frozen=True)
class PageCase:
    id: str
    device: str
    reach: Reach


# --- the platform website ---------------------------------------------------------------------------


def _home(v: Visit) -> Locator:
    v.website.home.open()
    return v.website.home.site_heading


def _logged_in(v: Visit) -> None:
    v.backstage.open_platform_account(v.me)
    v.website.login.open()
    flows.website.log_in(v.website, v.me)


def _home_user_menu(v: Visit) -> Locator:
    _logged_in(v)
    v.website.home.open()
    v.website.header.open_user_menu(v.me.username)
    return v.website.header.personal_center_item


def _register(v: Visit) -> Locator:
    v.website.register.open()
    return v.website.register.heading


def _register_refused(v: Visit) -> Locator:
    v.website.register.open()
    v.website.register.submit_button.click()
    return v.website.register.errors.first


def _agreement(v: Visit) -> Locator:
    """用户服务协议, linked from 用户注册."""
    v.website.register.open()
    v.page.get_by_role("main").get_by_role("link", name="用户服务协议", exact=True).click()
    return v.page.get_by_role("heading", level=1, name="用户服务协议")


def _login(v: Visit) -> Locator:
    v.website.login.open()
    return v.website.login.heading


def _login_refused(v: Visit) -> Locator:
    v.website.login.open()
    v.website.login.log_in(v.me.username, v.me.password)  # no such account
    return v.website.login.errors.first


def _personal_center(v: Visit) -> Locator:
    _logged_in(v)
    v.website.personal_center.open()
    return v.website.personal_center.heading


def _my_home(v: Visit) -> Locator:
    _logged_in(v)
    v.website.my_home.open()
    return v.website.my_home.heading


def _profile_uncertified(v: Visit) -> Locator:
    v.backstage.open_platform_account(v.me)
    flows.website.log_in_at_profile(v.website, v.me.username, v.me.password)
    return v.website.profile.certification_card.get_by_text("未认证", exact=True)


def _profile_certified(v: Visit) -> Locator:
    v.backstage.open_platform_account(v.me)
    v.backstage.bind(v.enterprise, v.me)
    flows.website.log_in_at_profile(v.website, v.me.username, v.me.password)
    return v.website.profile.certification_card.get_by_text("已认证", exact=True)


def _result_bound_to_other(v: Visit) -> Locator:
    """常见问题 Q1b: a colleague's account certified the enterprise; mine is refused."""
    v.backstage.open_yzt_account(v.enterprise, v.yzt_account)
    v.backstage.open_platform_account(v.colleague)
    v.backstage.bind(v.enterprise, v.colleague)
    v.backstage.open_platform_account(v.me)
    flows.website.log_in_at_profile(v.website, v.me.username, v.me.password)
    flows.website.choose_beijing_certification(v.website)
    flows.yzt.log_in_with_password(v.yzt, v.backstage, v.yzt_account.account, v.yzt_account.password)
    return v.website.certification_result.advice


def _result_idp_down(v: Visit) -> Locator:
    """一证通 cannot be reached when certification starts: the message and 重新认证."""
    v.backstage.open_platform_account(v.me)
    flows.website.log_in_at_profile(v.website, v.me.username, v.me.password)
    v.backstage.idp_down()
    flows.website.choose_beijing_certification(v.website)
    return v.website.certification_result.retry_link


# --- the app (the platform's /m/ pages), on a phone ----------------------------------------------------


def _app_logged_in(v: Visit) -> None:
    v.backstage.open_app_account(v.app_account)
    flows.app.log_in(v.app, v.app_account.mobile, v.app_account.password)


def _app_home(v: Visit) -> Locator:
    _app_logged_in(v)
    return v.app.tab_bar.bar


def _app_tab(name: str) -> Reach:
    """A main screen of the app other than 我的 (首页, 服务, 消息), from the tab bar."""

    def reach(v: Visit) -> Locator:
        _app_logged_in(v)
        v.app.tab_bar.go_to(name)
        return v.page.get_by_role("heading", level=1, name=name, exact=True)

    return reach


def _app_download(v: Visit) -> Locator:
    v.app.download.open()
    return v.app.download.heading


def _app_download_store(v: Visit) -> Locator:
    v.app.download.open()
    v.app.download.choose_store("Android版")
    return v.app.download.store_instructions


def _app_register(v: Visit) -> Locator:
    v.app.register.open()
    return v.app.register.heading


def _app_register_refused(v: Visit) -> Locator:
    v.app.register.open()
    v.app.register.submit()
    return v.app.register.errors.first


def _app_register_code_sent(v: Visit) -> Locator:
    v.app.register.open()
    v.app.register.request_sms_code(v.app_account.mobile)
    return v.app.register.sms_status


def _app_agreement(v: Visit) -> Locator:
    v.app.register.open()
    v.app.register.agreement.open("用户服务协议")
    return v.app.agreement.heading("用户服务协议")


def _app_login(v: Visit) -> Locator:
    v.app.login.open()
    return v.app.login.heading


def _app_login_refused(v: Visit) -> Locator:
    v.app.login.open()
    v.app.login.log_in(v.app_account.mobile, v.app_account.password)  # not registered
    return v.app.login.errors.first


def _app_me_uncertified(v: Visit) -> Locator:
    _app_logged_in(v)
    v.app.me.open()
    return v.app.me.certify_link


def _app_me_certified(v: Visit) -> Locator:
    _app_logged_in(v)
    v.backstage.bind(v.enterprise, v.app_account)
    v.app.me.open()
    return v.app.me.certification_card.get_by_text("已认证", exact=True)


def _app_certification(v: Visit) -> Locator:
    _app_logged_in(v)
    v.app.me.open()
    v.app.me.go_to_certification()
    return v.app.certification.beijing_certification_link


def _app_result_bound_to_other(v: Visit) -> Locator:
    v.backstage.open_yzt_account(v.enterprise, v.yzt_account)
    v.backstage.open_platform_account(v.colleague)
    v.backstage.bind(v.enterprise, v.colleague)
    _app_logged_in(v)
    flows.app.choose_beijing_certification(v.app)
    flows.yzt.log_in_with_password(v.yzt, v.backstage, v.yzt_account.account, v.yzt_account.password)
    return v.app.certification_result.advice


# --- 一证通, on a PC -----------------------------------------------------------------------------------


def _idp_login_tab(name: str) -> Reach:
    def reach(v: Visit) -> Locator:
        v.yzt.login.open()
        v.yzt.login.choose_tab(name)
        tab = v.yzt.login.tab(name)
        expect(tab).to_have_attribute("aria-selected", "true")
        return v.yzt.login.tab_panel

    return reach


def _idp_login_other(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.choose_other_login("支付宝")
    return v.yzt.login.tab_panel


def _idp_login_refused(v: Visit) -> Locator:
    v.yzt.login.open()
    flows.yzt.log_in_with_password(v.yzt, v.backstage, v.yzt_account.account, v.yzt_account.password)
    return v.yzt.login.errors.first


def _idp_welcome(v: Visit) -> Locator:
    v.backstage.open_yzt_account(v.enterprise, v.yzt_account)
    v.yzt.login.open()
    flows.yzt.log_in_with_password(v.yzt, v.backstage, v.yzt_account.account, v.yzt_account.password)
    return v.yzt.welcome.heading


def _idp_agreement(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.agreement_link.click()
    return v.page.get_by_role("heading", name="统一认证平台登录服务协议")


def _idp_identity_step(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.go_to_register()
    return v.yzt.identity_step.heading


def _idp_identity_refused(v: Visit) -> Locator:
    v.yzt.identity_step.open()
    v.yzt.identity_step.go_next()
    return v.yzt.identity_step.errors.first


def _idp_account_step(v: Visit) -> Locator:
    v.yzt.login.open()
    flows.yzt.pass_identity_verification(v.yzt, v.backstage, v.enterprise)
    return v.yzt.account_step.heading


def _idp_account_refused(v: Visit) -> Locator:
    _idp_account_step(v)
    v.yzt.account_step.submit()
    return v.yzt.account_step.errors.first


def _idp_done_step(v: Visit) -> Locator:
    _idp_account_step(v)
    flows.yzt.create_account(v.yzt, v.yzt_account)
    return v.yzt.done_step.back_to_login_link


def _idp_forgot_verify(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.follow_link("忘记密码?")
    return v.yzt.verify_identity_step.heading


def _idp_forgot_reset(v: Visit) -> Locator:
    v.backstage.open_yzt_account(v.enterprise, v.yzt_account)
    v.yzt.recovery.open()
    step = v.yzt.verify_identity_step
    step.verify(v.yzt_account.account, v.enterprise.legal_person.id_number, v.backstage.captcha_answer(step.captcha))
    v.yzt.new_password_step.request_sms_code()
    return v.yzt.recovery.status


def _idp_forgot_done(v: Visit) -> Locator:
    _idp_forgot_reset(v)
    code = v.backstage.latest_sms_code(v.yzt_account.mobile)
    v.yzt.new_password_step.set_password(code, v.yzt_account.password + "x")
    return v.yzt.recovery.status.filter(has_text="密码")


# --- 一证通, on a phone ---------------------------------------------------------------------------------


def _idp_mobile_login(v: Visit) -> Locator:
    v.yzt.login.open()
    return v.yzt.login.no_account_pc_address


def _idp_mobile_register(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.go_to_register()
    return v.yzt.pc_only.pc_address


def _idp_mobile_forgot(v: Visit) -> Locator:
    v.yzt.login.open()
    v.yzt.login.follow_link("忘记密码?")
    return v.yzt.pc_only.pc_address


CASES = [
    PageCase("platform/home", DESKTOP, _home),
    PageCase("platform/home-user-menu", DESKTOP, _home_user_menu),
    PageCase("platform/register", DESKTOP, _register),
    PageCase("platform/register-refused", DESKTOP, _register_refused),
    PageCase("platform/agreement", DESKTOP, _agreement),
    PageCase("platform/login", DESKTOP, _login),
    PageCase("platform/login-refused", DESKTOP, _login_refused),
    PageCase("platform/personal-center", DESKTOP, _personal_center),
    PageCase("platform/my-home", DESKTOP, _my_home),
    PageCase("platform/profile-未认证", DESKTOP, _profile_uncertified),
    PageCase("platform/profile-已认证", DESKTOP, _profile_certified),
    PageCase("platform/result-该企业已被其他用户绑定", DESKTOP, _result_bound_to_other),
    PageCase("platform/result-一证通无法访问", DESKTOP, _result_idp_down),
    PageCase("app/home", PHONE, _app_home),
    PageCase("app/服务", PHONE, _app_tab("服务")),
    PageCase("app/消息", PHONE, _app_tab("消息")),
    PageCase("app/download", PHONE, _app_download),
    PageCase("app/download-store", PHONE, _app_download_store),
    PageCase("app/register", PHONE, _app_register),
    PageCase("app/register-refused", PHONE, _app_register_refused),
    PageCase("app/register-code-sent", PHONE, _app_register_code_sent),
    PageCase("app/agreement", PHONE, _app_agreement),
    PageCase("app/login", PHONE, _app_login),
    PageCase("app/login-refused", PHONE, _app_login_refused),
    PageCase("app/me-未认证", PHONE, _app_me_uncertified),
    PageCase("app/me-已认证", PHONE, _app_me_certified),
    PageCase("app/企业认证", PHONE, _app_certification),
    PageCase("app/result-该企业已被其他用户绑定", PHONE, _app_result_bound_to_other),
    *(PageCase(f"idp-pc/login-{name}", DESKTOP, _idp_login_tab(name)) for name in LOGIN_TABS),
    PageCase("idp-pc/login-支付宝", DESKTOP, _idp_login_other),
    PageCase("idp-pc/login-refused", DESKTOP, _idp_login_refused),
    PageCase("idp-pc/welcome", DESKTOP, _idp_welcome),
    PageCase("idp-pc/agreement", DESKTOP, _idp_agreement),
    PageCase("idp-pc/register-法人身份鉴证", DESKTOP, _idp_identity_step),
    PageCase("idp-pc/register-法人身份鉴证-refused", DESKTOP, _idp_identity_refused),
    PageCase("idp-pc/register-创建账号", DESKTOP, _idp_account_step),
    PageCase("idp-pc/register-创建账号-refused", DESKTOP, _idp_account_refused),
    PageCase("idp-pc/register-注册完成", DESKTOP, _idp_done_step),
    PageCase("idp-pc/找回密码-验证身份", DESKTOP, _idp_forgot_verify),
    PageCase("idp-pc/找回密码-设置新密码", DESKTOP, _idp_forgot_reset),
    PageCase("idp-pc/找回密码-重置完成", DESKTOP, _idp_forgot_done),
    PageCase("idp-mobile/login", PHONE, _idp_mobile_login),
    PageCase("idp-mobile/login-证书登录", PHONE, _idp_login_tab("证书登录")),
    PageCase("idp-mobile/注册-请在PC端办理", PHONE, _idp_mobile_register),
    PageCase("idp-mobile/找回密码-请在PC端办理", PHONE, _idp_mobile_forgot),
]


@pytest.fixture
def visit(
    page: Page,
    device_profile: DeviceProfile,
    site_urls: SiteUrls,
    backstage: Backstage,
    enterprise: Enterprise,
    platform_account: PlatformAccount,
    colleague_account: PlatformAccount,
    yzt_account: YztAccount,
    app_account: AppAccount,
) -> Visit:
    return Visit(
        page=page,
        website=Website(page, site_urls.platform),
        yzt=Yzt(page, site_urls.idp, touch=device_profile.is_phone),
        app=App(page, site_urls.platform),
        backstage=backstage,
        enterprise=enterprise,
        me=platform_account,
        colleague=colleague_account,
        yzt_account=yzt_account,
        app_account=app_account,
    )


@pytest.mark.parametrize(
    ("case", "device_profile"),
    [pytest.param(case, case.device, id=case.id) for case in CASES],
    indirect=["device_profile"],
)
def test_page_is_accessible(case: PageCase, visit: Visit) -> None:
    shown = case.reach(visit)
    expect(shown, f"{case.id}: the page to scan should be on show").to_be_visible()
    blocking = [v for v in run_axe(visit.page) if v.blocking]
    if blocking:
        pytest.fail(report(f"{case.id} ({visit.page.url})", blocking), pytrace=False)


@pytest.mark.parametrize("device_profile", [DESKTOP], indirect=True)
def test_a_missing_label_fails_the_check(visit: Visit) -> None:
    """The check is not blind: take the label off 用户注册's agreement checkbox and the scan names it."""
    visit.website.register.open()
    expect(visit.website.register.agreement).to_be_visible()
    visit.page.locator("label[for=agree]").evaluate("label => label.remove()")

    blocking = [v for v in run_axe(visit.page) if v.blocking]

    assert [(v.rule, v.impact, v.targets) for v in blocking] == [("label", "critical", ("#agree",))]
    message = report("platform/register", blocking)
    assert "- label (critical): Form elements must have labels" in message
    assert "    #agree" in message
