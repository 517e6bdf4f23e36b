"""Steps in 一证通's 找回密码 on a PC (常见问题 Q2 没有口令密码): 验证身份 → 设置新密码 with an SMS code sent to
the account's own mobile → 重置完成, and the 口令登录 that follows.

The SMS code is read backstage, from 一证通's outbox, as the person would read it off their phone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_bdd import parsers, then, when

import flows.yzt
from fixtures.backstage import Backstage
from fixtures.forms import with_last_character_changed
from fixtures.test_data import Enterprise, LegalPerson, TestDataBuilder, YztAccount
from pages.idp.site import Yzt


@pytest.fixture
def someone_else(test_data: TestDataBuilder) -> LegalPerson:
    """A person who is not the enterprise's 法人代表."""
    return test_data.legal_person()


def masked(mobile: str) -> str:
    """138****5678, as pages show a phone number they send a code to."""
    return f"{mobile[:3]}****{mobile[-4:]}"


@when('我输入一证通账号、法人代表身份证号和验证码，点击"下一步"')
def verify_identity(
    yzt: Yzt, backstage: Backstage, enterprise: Enterprise, yzt_account_without_password: YztAccount
) -> None:
    step = yzt.verify_identity_step
    step.verify(
        yzt_account_without_password.account, enterprise.legal_person.id_number, backstage.captcha_answer(step.captcha)
    )
    expect(yzt.new_password_step.heading, "验证身份后应来到“设置新密码”").to_be_visible()


@when(
    parsers.re(
        r"我输入(?P<account>我的一证通账号|不存在的一证通账号)和(?P<person>我的法人代表身份证号|另一个人的法人代表身份证号)"
        r'以及验证码，点击"下一步"'
    )
)
def verify_identity_with(
    yzt: Yzt,
    backstage: Backstage,
    enterprise: Enterprise,
    yzt_account_without_password: YztAccount,
    test_data: TestDataBuilder,
    someone_else: LegalPerson,
    account: str,
    person: str,
) -> None:
    name = yzt_account_without_password.account if account == "我的一证通账号" else test_data.yzt_account().account
    id_number = enterprise.legal_person.id_number if person == "我的法人代表身份证号" else someone_else.id_number
    step = yzt.verify_identity_step
    step.verify(name, id_number, backstage.captcha_answer(step.captcha))


@when('我点击"获取短信验证码"')
def request_sms_code(yzt: Yzt) -> None:
    yzt.new_password_step.request_sms_code()


@then("找回密码页面说明短信验证码已发送至一证通账号的手机")
def sms_code_sent(yzt: Yzt, yzt_account_without_password: YztAccount) -> None:
    text = f"短信验证码已发送至{masked(yzt_account_without_password.mobile)}"
    expect(yzt.recovery.status, "应说明短信验证码已发送至一证通账号登记的手机").to_have_text(text)


@when('我填写手机收到的短信验证码，设置新密码，点击"确定"')
def set_new_password(yzt: Yzt, backstage: Backstage, yzt_account_without_password: YztAccount) -> None:
    code = backstage.latest_sms_code(yzt_account_without_password.mobile)
    yzt.new_password_step.set_password(code, yzt_account_without_password.password)


@when('我填写错误的短信验证码，设置新密码，点击"确定"')
def set_new_password_with_wrong_code(yzt: Yzt, backstage: Backstage, yzt_account_without_password: YztAccount) -> None:
    expect(yzt.recovery.status, "应已发送短信验证码").to_be_visible()
    code = backstage.latest_sms_code(yzt_account_without_password.mobile)
    yzt.new_password_step.set_password(with_last_character_changed(code), yzt_account_without_password.password)


@then(parsers.re(r'找回密码页面提示"(?P<message>[^"]+)"'))
def recovery_says(yzt: Yzt, message: str) -> None:
    shown = yzt.recovery.errors.or_(yzt.recovery.status)
    expect(shown, f"找回密码页面应只提示“{message}”").to_have_text([message])


@then(parsers.re(r'找回密码页面在"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def recovery_field_error(yzt: Yzt, label: str, message: str) -> None:
    expect(yzt.recovery.field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(message)


@then(parsers.re(r'找回密码页面给出技术咨询电话"(?P<number>[^"]+)"'))
def recovery_help_line(yzt: Yzt, number: str) -> None:
    expect(yzt.recovery.help_line, f"找回密码页面应给出技术咨询电话{number}").to_contain_text(number)


@when('我点击"返回登录"，选择"口令登录"，用新密码登录')
def log_in_with_new_password(yzt: Yzt, backstage: Backstage, yzt_account_without_password: YztAccount) -> None:
    yzt.recovery.back_to_login()
    account = yzt_account_without_password
    flows.yzt.log_in_with_password(yzt, backstage, account.account, account.password)
