"""Steps on the platform website (北京市中小企业公共服务平台): 平台账户, 个人中心, 认证信息, and the end of the
certification round trip as the browser meets it.

Thin by design: each step is one to three page-object calls on ``website``, and the ``那么`` steps
assert with Playwright's web-first ``expect``.
"""

from __future__ import annotations

import secrets

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

import flows.website
import flows.yzt
from fixtures.backstage import Backstage
from fixtures.step_text import quoted_list
from fixtures.test_data import Enterprise, PlatformAccount, YztAccount
from pages.idp.site import Yzt
from pages.platform.certification_result import CertificationCallback
from pages.platform.site import Website

# --- 平台账户 -------------------------------------------------------------------------------------


@given('我在平台首页点击右上角"注册"，根据提示完成账户注册，并成功登录')
def register_and_log_in(website: Website, platform_account: PlatformAccount) -> None:
    flows.website.register(website, platform_account)
    expect(website.login.status, "注册后应回到登录页并提示注册成功").to_have_text("注册成功，请登录")
    flows.website.log_in(website, platform_account)
    expect(website.header.user_menu_button(platform_account.username), "登录后右上角应显示用户名").to_be_visible()


@given(parsers.re(r"我用(?P<browser>.+)打开平台首页"))
def open_home_with_browser(website: Website, browser: str) -> None:
    # The browser itself (its User-Agent) is the scenario's device, chosen from its 浏览器 column.
    website.home.open()


@when("我用平台账户登录")
def log_in(website: Website, platform_account: PlatformAccount) -> None:
    website.login.log_in(platform_account.username, platform_account.password)


@when('我点击右上角用户名，选择"退出登录"')
def log_out(website: Website, platform_account: PlatformAccount) -> None:
    website.header.log_out(platform_account.username)


@then("页面底部建议使用谷歌浏览器或者360安全浏览器极速模式访问")
def browser_recommendation_shown(website: Website) -> None:
    expect(website.home.browser_recommendation).to_be_visible()


@then(parsers.re(r"页面(?P<shown>提示|不提示)浏览器不在推荐范围内"))
def browser_hint(website: Website, shown: str) -> None:
    if shown == "提示":
        expect(website.home.browser_hint, "非推荐浏览器应看到浏览器提示").to_be_visible()
    else:
        expect(website.home.browser_hint, "推荐的浏览器不应看到浏览器提示").to_have_count(0)


@then("页面右上角显示我的用户名")
def user_name_shown(website: Website, platform_account: PlatformAccount) -> None:
    expect(website.header.user_menu_button(platform_account.username)).to_be_visible()


@then('页面右上角重新显示"注册"和"登录"')
def logged_out_header(website: Website, platform_account: PlatformAccount) -> None:
    header = website.header
    expect(header.register_link, "退出登录后右上角应重新显示注册").to_be_visible()
    expect(header.login_link, "退出登录后右上角应重新显示登录").to_be_visible()
    expect(header.user_menu_button(platform_account.username), "退出登录后不应再显示用户名").to_have_count(0)


# --- 个人中心 → 我的主页 → 个人主页 → 认证信息 ---------------------------------------------------


def log_in_at_profile(website: Website, backstage: Backstage, platform_account: PlatformAccount) -> None:
    """An existing platform account, logged in on the website, looking at 个人主页's 认证信息.

    For a "假如": the login is a precondition, so it is made over HTTP (the W1/W2 scenarios type it).
    """
    backstage.open_platform_account(platform_account)
    flows.website.start_logged_in_at_profile(website, platform_account.username, platform_account.password)
    expect(website.profile.certification_card, "登录后应回到个人主页的认证信息").to_be_visible()


@given('我已登录平台，正在查看"个人主页"的"认证信息"')
def logged_in_at_profile(website: Website, backstage: Backstage, platform_account: PlatformAccount) -> None:
    log_in_at_profile(website, backstage, platform_account)


@given('我已登录平台，并从"认证信息"选择"北京市企业认证"来到一证通登录页面')
def logged_in_at_idp_login(website: Website, yzt: Yzt, backstage: Backstage, platform_account: PlatformAccount) -> None:
    log_in_at_profile(website, backstage, platform_account)
    flows.website.choose_beijing_certification(website)
    expect(yzt.login.login_heading, "选择北京市企业认证后应来到一证通登录页面").to_be_visible()


@when('我点击右上角用户名进入"个人中心"，依次进入"我的主页"、"个人主页"')
def go_to_profile(website: Website, platform_account: PlatformAccount) -> None:
    website.header.go_to_personal_center(platform_account.username)
    website.personal_center.go_to_my_home()
    website.my_home.go_to_profile()


@when('我直接打开"个人中心"')
def open_personal_center(website: Website) -> None:
    website.personal_center.open()


@when('我在"认证信息"中选择"北京市企业认证"')
def choose_beijing_certification(website: Website) -> None:
    website.profile.choose_beijing_certification()


@then('我再打开"个人中心"时会被要求先登录')
def personal_center_needs_login(website: Website) -> None:
    website.personal_center.open()
    expect(website.login.heading, "退出登录后打开个人中心应先要求登录").to_be_visible()


@then('页面跳转至"用户登录"')
def on_login_page(website: Website) -> None:
    expect(website.page, "未登录打开个人中心应跳转至登录页").to_have_url(website.login.url_pattern)
    expect(website.login.heading).to_be_visible()


@then('页面回到"个人中心"')
def back_at_personal_center(website: Website) -> None:
    expect(website.page, "登录后应回到登录前要去的个人中心").to_have_url(website.personal_center.url)
    expect(website.personal_center.heading).to_be_visible()


@then(parsers.re(r'"认证信息"卡片显示"(?P<status>未认证)"'))
def certification_status(website: Website, status: str) -> None:
    expect(website.profile.certification_status, f"认证信息卡片应显示{status}").to_have_text(status)


@then('页面跳转回平台网站的"个人主页"')
def back_at_profile(website: Website) -> None:
    expect(website.page, "一证通登录后应回到平台网站的个人主页").to_have_url(website.profile.url)
    expect(website.profile.heading).to_be_visible()


@then('"认证信息"卡片显示"已认证"标签和我的企业名称')
def certified_with_enterprise(website: Website, enterprise: Enterprise) -> None:
    profile = website.profile
    expect(profile.certification_status, "认证信息卡片应显示已认证标签").to_have_text("已认证")
    expect(profile.certification_card, f"认证信息卡片应显示企业名称{enterprise.name}").to_contain_text(enterprise.name)


# --- 企业认证未完成 -------------------------------------------------------------------------------


@when('我点击"重新认证"')
def retry_certification(website: Website) -> None:
    website.certification_result.retry()


@then(parsers.re(r'平台提示"(?P<message>[^"]+)"，并可以"重新认证"'))
def certification_not_completed(website: Website, message: str) -> None:
    result = website.certification_result
    expect(result.heading, "平台应显示“企业认证未完成”页面").to_be_visible()
    expect(result.message, f"平台应提示“{message}”").to_have_text(message)
    expect(result.retry_link, "平台应提供“重新认证”").to_be_visible()


@then(parsers.re(r'平台提示"(?P<message>[^"]+)"，不能重新认证'))
def certification_refused(website: Website, message: str) -> None:
    result = website.certification_result
    expect(result.heading, "平台应显示“企业认证未完成”页面").to_be_visible()
    expect(result.message, f"平台应提示“{message}”").to_have_text(message)
    # Trying again would only be refused again: the way out is in the advice.
    expect(result.retry_link, "企业已被绑定时不应提供“重新认证”").to_have_count(0)


@then('"处理建议"请我咨询公司同事，获取已绑定的平台账号和密码，用该账号重新登录')
def advice_ask_colleagues(website: Website) -> None:
    expect(website.certification_result.advice, "处理建议应说明向同事获取已绑定的账号").to_contain_text(
        "请咨询贵公司相关人员是否有过绑定，获取已被绑定的平台账号和密码，并用该账号重新登录平台网站或者APP"
    )


@then(
    parsers.re(r'"处理建议"说明找不到已绑定的账号时，请咨询呼叫中心(?P<numbers>.+)申请解绑'),
    converters={"numbers": quoted_list},
)
def advice_call_center(website: Website, numbers: list[str]) -> None:
    advice = website.certification_result.advice
    expect(advice, "处理建议应说明可以申请解绑").to_contain_text("若找不到已被绑定的平台账号和密码，需要申请解绑处理")
    for number in numbers:
        expect(advice, f"处理建议应给出呼叫中心电话{number}").to_contain_text(number)


@when('我点击"返回个人主页"')
def back_to_profile(website: Website) -> None:
    website.certification_result.back_to_profile()


@when('我点击"返回个人主页"，重新选择"北京市企业认证"')
def back_and_certify_again(website: Website) -> None:
    website.certification_result.back_to_profile()
    website.profile.choose_beijing_certification()


@given(parsers.re(r'我用自己的平台账户认证时，平台提示"(?P<message>[^"]+)"'))
def certification_refused_before(
    website: Website,
    yzt: Yzt,
    backstage: Backstage,
    platform_account: PlatformAccount,
    yzt_account: YztAccount,
    message: str,
) -> None:
    log_in_at_profile(website, backstage, platform_account)
    flows.website.choose_beijing_certification(website)
    flows.yzt.log_in_with_password(yzt, backstage, yzt_account.account, yzt_account.password)
    expect(website.certification_result.message, f"平台应提示“{message}”").to_have_text(message)


@when('我退出登录，用同事已绑定的平台账户登录平台网站，打开"个人主页"')
def colleague_logs_in(website: Website, platform_account: PlatformAccount, colleague_account: PlatformAccount) -> None:
    website.header.log_out(platform_account.username)
    flows.website.log_in_at_profile(website, colleague_account.username, colleague_account.password)
    expect(website.profile.heading, "登录后应来到个人主页").to_be_visible()


# --- 认证回调 (the platform's redirect URI, as the browser meets it) ------------------------------


@given("有人记下了一证通把我送回平台时的认证回调地址", target_fixture="callback")
def callback_recorded(website: Website) -> CertificationCallback:
    website.certification_callback.remember_visits()
    return website.certification_callback


@given("一证通把我送回平台时，认证回调中的 state 被人篡改")
def callback_state_tampered(website: Website) -> None:
    website.certification_callback.change_next_state(secrets.token_urlsafe(32))


@when("我再次打开同一个认证回调地址")
def replay_callback(callback: CertificationCallback) -> None:
    assert len(callback.visits) == 1, f"应已记下一次认证回调，实际为 {callback.visits}"
    callback.revisit(callback.visits[0])
