"""Steps in the 北京通企服版 APP (the platform's mobile pages, on an emulated phone): 下载, 注册 with an SMS code,
登录, 我的 → 去认证 → 北京市企业认证, the 企业认证 card, and the rules of R7 APP 注册校验.

The SMS code is read backstage, from the platform's outbox, as a person would read it off their phone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

import flows.app
import flows.yzt
from fixtures.backstage import Backstage, SharedClock
from fixtures.forms import AppRegistrationForm, app_registration_with
from fixtures.step_text import quoted_list
from fixtures.test_data import AppAccount, Enterprise, YztAccount
from pages.app.account import COUNTDOWN
from pages.app.site import App
from pages.idp.site import Yzt
from pages.platform.site import Website

SMS_TEXT = re.compile(r"^【北京通企服版】您的验证码为\d{6}，5分钟内有效。")
TOO_SOON = re.compile(r"^验证码发送过于频繁，请([1-9]|[1-5]\d|60)秒后再试$")
# Codes sent "earlier today" this far apart, so that no hour holds more than the hourly five.
SPREAD_OVER_THE_DAY = timedelta(minutes=13)
A_MINUTE = timedelta(seconds=60)


def request_sms_code(app: App, mobile: str) -> None:
    """Type the number, tap 获取验证码, and wait for the platform's answer (sent, or why not)."""
    register = app.register
    register.request_sms_code(mobile)
    expect(register.sms_status.or_(register.errors).first, "获取验证码应有回应").to_be_visible()


def fill_registration(app: App, form: AppRegistrationForm) -> None:
    app.register.fill(
        mobile=form.mobile,
        sms_code=form.sms_code,
        password=form.password,
        nickname=form.nickname,
        user_type=form.user_type,
    )
    app.register.submit()


# --- 下载, 注册, 登录 (A1) -----------------------------------------------------------------------


@given("我在手机上打开北京通企服版APP的下载页面")
def open_download_page(app: App) -> None:
    app.download.open()


@then(parsers.re(r"下载页面提供(?P<stores>.+)两个下载入口"), converters={"stores": quoted_list})
def download_links(app: App, stores: list[str]) -> None:
    expect(app.download.heading).to_be_visible()
    for name in stores:
        expect(app.download.store_link(name), f"下载页面应提供{name}").to_be_visible()


@when(parsers.re(r'我在下载页面点击"(?P<store>[^"]+)"'))
def choose_store(app: App, store: str) -> None:
    app.download.choose_store(store)


@then(parsers.re(r'页面说明到"(?P<store>[^"]+)"下载北京通企服版'))
def store_instructions(app: App, store: str) -> None:
    expect(app.download.store_instructions, f"应说明到{store}下载").to_contain_text(store)
    expect(app.download.store_instructions).to_contain_text("北京通企服版")


@given('我打开北京通企服版APP，在登录页面点击"注册"')
def open_registration_from_login(app: App) -> None:
    app.login.open()
    app.login.go_to_register()


@given("我打开北京通企服版APP的注册页面")
def open_registration(app: App) -> None:
    app.register.open()


@then("APP注册页面要求填写:")
def registration_fields(app: App, datatable: list[list[str]]) -> None:
    for label, placeholder in datatable[1:]:
        expect(app.register.field(label), f"注册页面应有“{label}”").to_have_attribute("placeholder", placeholder)


@then(parsers.re(r'"请选择用户类型"可选(?P<types>.+)，默认都不选'), converters={"types": quoted_list})
def user_type_options(app: App, types: list[str]) -> None:
    expect(app.register.user_types).to_have_count(len(types))
    for name in types:
        expect(app.register.user_type(name), f"用户类型“{name}”默认不应选中").not_to_be_checked()


@then(parsers.re(r'注册页面"验证码"旁有"获取验证码"按钮'))
def sms_button_shown(app: App) -> None:
    expect(app.register.sms_button).to_have_text("获取验证码")
    expect(app.register.sms_button).to_be_enabled()


@then(
    parsers.re(r'页面说明"(?P<line>[^"]+)"，其中(?P<links>.+)可以点开阅读'),
    converters={"links": quoted_list},
)
def agreement_line(app: App, line: str, links: list[str]) -> None:
    agreement = app.register.agreement
    expect(agreement.line).to_have_text(line)
    for name in links:
        agreement.open(name)
        expect(app.agreement.heading(name), f"点开“{name}”应看到{name}").to_be_visible()
        expect(app.agreement.text(name), f"{name}应有正文").not_to_be_empty()
        app.agreement.back()
        expect(app.register.heading, f"从{name}返回应回到注册页面").to_be_visible()


@then(parsers.re(r'登录页面也说明"(?P<line>[^"]+)"'))
def agreement_line_on_login(app: App, line: str) -> None:
    expect(app.login.agreement.line, "登录页面应有同样的说明").to_have_text(line)
    expect(app.login.agreement.service_link).to_be_visible()
    expect(app.login.agreement.privacy_link).to_be_visible()


@when('我输入手机号码，点击"获取验证码"')
def get_sms_code(app: App, app_account: AppAccount) -> None:
    request_sms_code(app, app_account.mobile)


@when('我刷新页面，马上用同一个手机号码再次点击"获取验证码"')
@when('我刷新页面，用同一个手机号码再次点击"获取验证码"')
def get_sms_code_after_refresh(app: App, app_account: AppAccount) -> None:
    # After a refresh the page has forgotten the countdown: only the platform still knows it.
    app.page.reload()
    request_sms_code(app, app_account.mobile)


@when('60秒后我再次点击"获取验证码"')
def get_sms_code_again(app: App, mock_clock: SharedClock) -> None:
    mock_clock.advance(A_MINUTE)
    # The countdown follows the platform's clock: the button comes back by itself.
    expect(app.register.sms_button, "倒计时结束后“获取验证码”应可以再点").to_be_enabled()
    app.register.sms_button.tap()
    expect(app.register.sms_button, "再次获取后应重新倒计时").to_have_text(COUNTDOWN)


@then('"获取验证码"按钮开始60秒倒计时')
def countdown_started(app: App) -> None:
    expect(app.register.sms_status).to_have_text("验证码已发送")
    expect(app.register.sms_button, "倒计时中不能再次获取").to_be_disabled()
    # The count starts at 60 and may have ticked once or twice by now.
    expect(app.register.sms_button, "按钮应显示倒计时").to_have_text(re.compile(r"^(60|59|58)s后重新获取$"))


@then('"获取验证码"按钮仍在倒计时，还剩30秒左右')
def countdown_half_way(app: App) -> None:
    # The page asks the platform every second: within a second it shows the platform's count.
    expect(app.register.sms_button, "倒计时未结束不能再次获取").to_have_text(re.compile(r"^(30|29|28)s后重新获取$"))
    expect(app.register.sms_button).to_be_disabled()


@then(parsers.re(r"我的手机(?:只)?收到(?P<count>一|两)条短信验证码"), converters={"count": "一两".index})
def sms_received(backstage: Backstage, app_account: AppAccount, count: int) -> None:
    received = backstage.text_messages(app_account.mobile)
    assert len(received) == count + 1, f"手机应收到{count + 1}条短信，实际收到{len(received)}条: {received}"
    assert all(SMS_TEXT.match(text) for text in received), f"短信应说明6位验证码和5分钟有效期: {received}"


@then("我的手机又收到一条短信验证码")
def one_more_sms(backstage: Backstage, app_account: AppAccount, sms_before: int) -> None:
    received = backstage.text_messages(app_account.mobile)
    assert len(received) == sms_before + 1, f"应再收到一条短信验证码，之前{sms_before}条，现在{len(received)}条"


@then("我的手机没有收到短信验证码")
def no_sms(backstage: Backstage, app_account: AppAccount) -> None:
    received = backstage.text_messages(app_account.mobile)
    assert received == [], f"不应发送短信验证码，实际收到: {received}"


@then("我的手机没有收到新的短信验证码")
def no_new_sms(backstage: Backstage, app_account: AppAccount, sms_before: int) -> None:
    received = backstage.text_messages(app_account.mobile)
    assert len(received) == sms_before, f"不应再发送短信验证码，之前{sms_before}条，现在{len(received)}条"


@when(
    parsers.re(r'我填写收到的短信验证码、密码和昵称，选择"(?P<user_type>个人用户|企业用户)"，点击"注册"'),
    target_fixture="typed_registration",
)
def register_with_received_code(
    app: App, backstage: Backstage, app_account: AppAccount, user_type: str
) -> AppRegistrationForm:
    form = replace(
        AppRegistrationForm.of(app_account, backstage.latest_sms_code(app_account.mobile)), user_type=user_type
    )
    fill_registration(app, form)
    return form


@then(parsers.re(r'APP提示"(?P<message>[^"]+)"'))
def app_status(app: App, message: str) -> None:
    expect(app.login.status, f"APP应提示“{message}”").to_have_text(message)


@given("我打开北京通企服版APP的登录页面")
def open_app_login(app: App) -> None:
    app.login.open()


@when(
    parsers.re(r"我用(?P<credentials>我的手机号码和错误的密码|没有注册的手机号码和密码)登录APP"),
    target_fixture="entered_mobile",
)
def log_in_with_bad_credentials(
    app: App, app_account: AppAccount, second_app_account: AppAccount, credentials: str
) -> str:
    # A password that is wrong for every account: another generated account's.
    mobile = app_account.mobile if credentials.startswith("我的") else second_app_account.mobile
    app.login.log_in(mobile, second_app_account.password)
    return mobile


@then(parsers.re(r'APP登录页面提示"(?P<message>[^"]+)"'))
def app_login_refused(app: App, message: str) -> None:
    expect(app.login.heading, "应仍在APP登录页面").to_be_visible()
    expect(app.login.errors, f"APP登录页面应只提示“{message}”").to_have_text([message])


@then("登录页面的手机号码仍是我输入的号码，密码已清空")
def app_login_kept(app: App, entered_mobile: str) -> None:
    expect(app.login.mobile, "手机号码应保留").to_have_value(entered_mobile)
    expect(app.login.password, "密码不应回填").to_have_value("")


@when("我用手机号码和密码登录APP")
def log_in_with_mobile(app: App, app_account: AppAccount) -> None:
    app.login.log_in(app_account.mobile, app_account.password)
    # Where a typed login lands is the login's outcome: a refused one fails here, in these words.
    expect(app.tab_bar.bar, "登录APP后应回到APP首页").to_be_visible()


@given("我已注册并登录北京通企服版APP")
def registered_and_logged_in(app: App, backstage: Backstage, app_account: AppAccount) -> None:
    # A precondition: logged in over HTTP (A1's scenarios type the login).
    backstage.open_app_account(app_account)
    flows.app.start_logged_in(app, app_account.mobile, app_account.password)


@given('我已注册并登录北京通企服版APP，从"我的"点击"去认证"，选择"北京市企业认证"来到一证通登录页面')
def at_idp_from_app(app: App, backstage: Backstage, app_account: AppAccount) -> None:
    registered_and_logged_in(app, backstage, app_account)
    flows.app.choose_beijing_certification(app)


# --- 我的 → 去认证 → 北京市企业认证 (A2) ---------------------------------------------------------


@when('我点击APP右下角"我的"')
def go_to_me(app: App) -> None:
    app.tab_bar.go_to("我的")


@then(parsers.re(r'APP的"我的"页面显示我的昵称和用户类型"(?P<user_type>个人用户|企业用户)"'))
def nickname_and_user_type_shown(app: App, app_account: AppAccount, user_type: str) -> None:
    expect(app.me.display_name(app_account.nickname), f"“我的”页面应显示昵称{app_account.nickname}").to_be_visible()
    expect(app.me.profile, f"“我的”页面应显示用户类型{user_type}").to_contain_text(user_type)


@then('"我的"在APP屏幕底部导航的最右边')
def me_tab_at_bottom_right(app: App) -> None:
    me_tab_rightmost(app)
    right, bottom = app.tab_bar.position_of("我的")
    assert right == max(app.tab_bar.right_edges()), "“我的”应画在底部导航的最右边"
    assert abs(bottom - app.tab_bar.screen_height()) <= 1, f"底部导航应在屏幕最下方，实际下边缘在{bottom}"


@then('"我的"在APP底部导航的最右边')
def me_tab_rightmost(app: App) -> None:
    expect(app.tab_bar.tabs.last, "“我的”应在底部导航的最右边").to_have_text("我的")
    expect(app.tab_bar.tab("我的"), "应在“我的”页面").to_have_attribute("aria-current", "page")


@then('APP的"我的"页面显示我的昵称')
def nickname_shown(app: App, app_account: AppAccount) -> None:
    expect(app.me.heading).to_be_visible()
    expect(app.me.display_name(app_account.nickname), f"“我的”页面应显示昵称{app_account.nickname}").to_be_visible()


@when('我点击"去认证"')
def go_to_certification(app: App) -> None:
    app.me.go_to_certification()


@when('我在APP中选择"北京市企业认证"')
def choose_beijing_certification(app: App) -> None:
    app.certification.choose_beijing_certification()


@when('我回到APP的"我的"，点击"去认证"，选择"北京市企业认证"')
def back_to_app_and_certify(app: App) -> None:
    flows.app.choose_beijing_certification(app)


@when('我点击"去认证"，选择"北京市企业认证"')
def certify_from_me(app: App) -> None:
    app.me.go_to_certification()
    app.certification.choose_beijing_certification()


@then("APP说明没有一证通账号需要先在PC端完成注册")
def register_on_pc_first(app: App) -> None:
    expect(app.certification.note, "APP应说明没有一证通账号时先在PC端注册，已有账号时选择口令登录").to_have_text(
        "如果没有一证通账号，请先在电脑上完成一证通注册（目前只能在PC端注册）；"
        "如果已有一证通账号，请选择“口令登录”，输入一证通账号和密码进行登录。"
    )


@then(parsers.re(r'APP的"企业认证"卡片显示"(?P<status>未认证)"'))
def app_not_certified(app: App, status: str) -> None:
    expect(app.me.certification_status, f"企业认证卡片应显示{status}").to_have_text(status)
    expect(app.me.certify_link, "未认证时应可以去认证").to_be_visible()


@then('APP的"企业认证"卡片显示"已认证"标签和我的企业名称')
def app_certified(app: App, enterprise: Enterprise) -> None:
    card = app.me.certification_card
    expect(app.me.certification_status, "企业认证卡片应显示已认证标签").to_have_text("已认证")
    expect(card, f"企业认证卡片应显示企业名称{enterprise.name}").to_contain_text(enterprise.name)
    expect(app.me.certify_link, "已认证后不应再显示“去认证”").to_have_count(0)


@then('页面回到APP的"我的"页面')
def back_at_me(app: App) -> None:
    expect(app.page, "一证通登录后应回到APP的“我的”页面").to_have_url(app.me.url)
    expect(app.me.heading).to_be_visible()


@when('我在电脑上用同一个账户登录平台网站，打开"个人主页"')
def same_account_on_website(website: Website, app_account: AppAccount) -> None:
    website.profile.open()
    website.login.log_in(app_account.mobile, app_account.password)
    expect(website.profile.heading, "登录后应来到个人主页").to_be_visible()


# --- 常见问题 Q1: 该企业已被其他用户绑定, in the app ------------------------------------------------


@given("我在这部手机上用APP账号A登录，完成了企业认证")
def certified_with_account_a(
    app: App, yzt: Yzt, backstage: Backstage, app_account: AppAccount, yzt_account: YztAccount
) -> None:
    registered_and_logged_in(app, backstage, app_account)
    flows.app.choose_beijing_certification(app)
    flows.yzt.log_in_with_password(yzt, backstage, yzt_account.account, yzt_account.password)
    expect(app.me.certification_status, "账号A应已完成企业认证").to_have_text("已认证")


@when("我在APP中退出登录，用APP账号B登录")
def switch_to_account_b(app: App, backstage: Backstage, second_app_account: AppAccount) -> None:
    app.me.open()
    app.me.log_out()
    backstage.open_app_account(second_app_account)
    flows.app.log_in(app, second_app_account.mobile, second_app_account.password)


@when('我在APP中退出登录，用APP账号A登录，打开"我的"')
def back_to_account_a(app: App, app_account: AppAccount) -> None:
    app.me.open()
    app.me.log_out()
    flows.app.log_in(app, app_account.mobile, app_account.password)
    app.me.open()


@then(parsers.re(r'(?:一证通没有要求我再次登录，)?APP(?:直接)?显示企业认证未完成，提示"(?P<message>[^"]+)"'))
def app_certification_refused(app: App, message: str) -> None:
    result = app.certification_result
    expect(result.heading, "APP应显示“企业认证未完成”").to_be_visible()
    expect(result.message, f"APP应提示“{message}”").to_have_text(message)


@then(parsers.re(r'APP(?P<shown>说明|没有说明)"(?P<note>企业认证仅支持一部手机一个账号)"'))
def one_phone_note(app: App, shown: str, note: str) -> None:
    if shown == "说明":
        expect(app.certification_result.one_phone_note, f"APP应说明“{note}”").to_contain_text(
            "一部手机登录多个账号进行操作，如此操作会影响认证平台对企业认证绑定的判断和返回结果，"
            "也会影响已经完成认证的账号，企业认证仅支持一部手机一个账号，请谨慎操作。"
        )
    else:
        expect(app.certification_result.one_phone_note, "同事的账号没在这部手机上登录过，不应这样说明").to_have_count(0)


@then(parsers.re(r'APP的"处理建议"给出呼叫中心电话(?P<numbers>.+)，点击即可拨打'), converters={"numbers": quoted_list})
def app_call_center_numbers(app: App, numbers: list[str]) -> None:
    result = app.certification_result
    expect(result.advice, "处理建议应说明向同事获取已绑定的账号").to_contain_text("获取已被绑定的平台账号和密码")
    for number in numbers:
        expect(result.phone_link(number), f"呼叫中心电话{number}应可以点击拨打").to_have_attribute(
            "href", f"tel:{number}"
        )


@when('我点击"返回我的"')
def back_to_me(app: App) -> None:
    app.certification_result.back_to_me()


@when('我点击"返回我的"，再点击"去认证"，选择"北京市企业认证"')
def back_to_me_and_certify_again(app: App) -> None:
    app.certification_result.back_to_me()
    app.me.go_to_certification()
    app.certification.choose_beijing_certification()


# --- R7 注册校验 ----------------------------------------------------------------------------------


@when(
    parsers.re(r'我按提示获取短信验证码、填写注册表单，但"(?P<label>[^"]+)"(?P<entry>留空|不选|填[^，]+)，点击"注册"'),
    target_fixture="typed_registration",
)
def register_with(
    app: App, backstage: Backstage, app_account: AppAccount, label: str, entry: str
) -> AppRegistrationForm:
    request_sms_code(app, app_account.mobile)
    valid = AppRegistrationForm.of(app_account, backstage.latest_sms_code(app_account.mobile))
    form = app_registration_with(label, entry, valid)
    fill_registration(app, form)
    return form


@when(
    parsers.re(r'我过了(?P<minutes>\d+)分钟才填写收到的短信验证码和其余各项，点击"注册"'),
    target_fixture="typed_registration",
    converters={"minutes": int},
)
def register_minutes_later(
    app: App, backstage: Backstage, mock_clock: SharedClock, app_account: AppAccount, minutes: int
) -> AppRegistrationForm:
    form = AppRegistrationForm.of(app_account, backstage.latest_sms_code(app_account.mobile))
    mock_clock.advance(timedelta(minutes=minutes))
    fill_registration(app, form)
    return form


@when('我填写收到的短信验证码和其余各项，点击"注册"', target_fixture="typed_registration")
def register_with_code(app: App, backstage: Backstage, app_account: AppAccount) -> AppRegistrationForm:
    form = AppRegistrationForm.of(app_account, backstage.latest_sms_code(app_account.mobile))
    fill_registration(app, form)
    return form


@when('我填写先收到的那条短信验证码和其余各项，点击"注册"', target_fixture="typed_registration")
def register_with_first_code(app: App, backstage: Backstage, app_account: AppAccount) -> AppRegistrationForm:
    first = backstage.sms_codes(app_account.mobile)[-1]
    form = AppRegistrationForm.of(app_account, first)
    fill_registration(app, form)
    return form


@when("我再次打开APP注册页面，用同一个手机号码和验证码再注册一次")
def register_again_with_same_code(app: App, typed_registration: AppRegistrationForm) -> None:
    app.register.open()
    fill_registration(app, typed_registration)


@then(parsers.re(r'APP注册页面只有"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def only_registration_error(app: App, label: str, message: str) -> None:
    expect(app.register.field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(message)
    expect(app.register.errors, f"页面上应只有“{label}”一处提示").to_have_text([message])


@then('APP注册页面只有"验证码"下提示"验证码发送过于频繁，请N秒后再试"（N是倒计时剩下的秒数）')
def too_soon_error(app: App) -> None:
    expect(app.register.field("验证码"), "“验证码”下应提示发送过于频繁").to_have_accessible_description(TOO_SOON)
    expect(app.register.errors, "页面上应只有“验证码”一处提示").to_have_text([TOO_SOON])


@then("手机号码、昵称和用户类型保留着我填写的内容，密码和验证码已清空")
def registration_kept(app: App, typed_registration: AppRegistrationForm) -> None:
    register = app.register
    expect(register.mobile, "手机号码应保留").to_have_value(typed_registration.mobile)
    expect(register.nickname, "昵称应保留").to_have_value(typed_registration.nickname)
    if typed_registration.user_type is None:
        for radio in register.user_types.all():
            expect(radio, "没选的用户类型仍应不选").not_to_be_checked()
    else:
        expect(register.user_type(typed_registration.user_type), "用户类型应保留").to_be_checked()
    expect(register.password, "密码不应回填").to_have_value("")
    expect(register.sms_code, "验证码不应回填").to_have_value("")


@when("我在密码框中输入21位字母和数字", target_fixture="typed_password")
def type_long_password(app: App, app_account: AppAccount) -> str:
    typed = (app_account.password * 3)[:21]
    # Typed key by key, as a person does: a field's length limit stops keys, not a pasted value.
    app.register.password.press_sequentially(typed)
    return typed


@then("密码框中只有前20位")
def password_cut_at_twenty(app: App, typed_password: str) -> None:
    expect(app.register.password, "密码框最多只能输入20位").to_have_value(typed_password[:20])


@then("平台上没有用我的手机号码注册的账户")
def no_app_account(backstage: Backstage, app_account: AppAccount) -> None:
    assert not backstage.platform_account_exists(app_account.mobile), f"被拒绝的注册不应开设账户{app_account.mobile}"


@given("我的手机号码已经注册过APP账户")
def mobile_registered(backstage: Backstage, app_account: AppAccount) -> None:
    backstage.open_app_account(app_account)


@given(
    parsers.re(r"我的手机号码在过去一小时内已获取过(?P<times>\d+)次验证码"),
    target_fixture="sms_before",
    converters={"times": int},
)
def codes_this_hour(backstage: Backstage, app_account: AppAccount, times: int) -> int:
    backstage.sms_codes_requested_earlier(app_account.mobile, times, gap=A_MINUTE)
    return times


@given(
    parsers.re(r"今天我的手机号码已获取过(?P<times>\d+)次验证码"),
    target_fixture="sms_before",
    converters={"times": int},
)
def codes_today(backstage: Backstage, app_account: AppAccount, times: int) -> int:
    backstage.sms_codes_requested_earlier(app_account.mobile, times, gap=SPREAD_OVER_THE_DAY)
    return times
