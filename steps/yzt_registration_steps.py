"""Steps in 一证通's registration wizard (法人身份鉴证 → 创建账号 → 注册完成) and its rules: R1 表单校验,
R2 境外法人, R3 一个工作日审核, R4 一个办事人一个账号.

What a scenario typed into a refused form is handed to the ``那么`` steps as a fixture
(``typed_identity``, ``typed_account``); wrong values are made from valid data (``fixtures.forms``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

import flows.yzt
from fixtures.backstage import Backstage, SharedClock
from fixtures.forms import PASSPORT, AccountForm, IdentityForm, account_form_with, identity_form_with, make_document
from fixtures.sites import Computer
from fixtures.step_text import quoted_list
from fixtures.test_data import Enterprise, TestDataBuilder, YztAccount
from pages.idp.site import Yzt


def identity_form(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> IdentityForm:
    """法人身份鉴证 filled in rightly for the enterprise, with the captcha on show answered."""
    return IdentityForm.of(enterprise, backstage.captcha_answer(yzt.identity_step.captcha))


def open_registration(yzt: Yzt) -> None:
    """From the 一证通 address the guide gives, 注册."""
    yzt.login.open()
    yzt.login.go_to_register()


def pass_identity_verification(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> None:
    """From the 一证通 address through a passed 法人身份鉴证 for the enterprise."""
    yzt.login.open()
    flows.yzt.pass_identity_verification(yzt, backstage, enterprise)


# --- 注册 ----------------------------------------------------------------------------------------


@when('我点击"注册"')
def go_to_registration(yzt: Yzt) -> None:
    yzt.login.go_to_register()


@when('我点击"注册"，为我的企业完成"法人身份鉴证"')
def verify_legal_person(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> None:
    flows.yzt.pass_identity_verification(yzt, backstage, enterprise)


@given('我在PC端打开一证通网址，点击"注册"')
def open_yzt_registration(yzt: Yzt) -> None:
    open_registration(yzt)


@given('我已在一证通注册向导中为我的企业完成"法人身份鉴证"')
def identity_verified(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> None:
    pass_identity_verification(yzt, backstage, enterprise)


@given('同事在另一台电脑上也为我的企业完成了"法人身份鉴证"')
def colleague_verified(colleague_computer: Computer, backstage: Backstage, enterprise: Enterprise) -> None:
    # Another computer is another browser: its own cookies, so its own registration in progress.
    pass_identity_verification(colleague_computer.yzt, backstage, enterprise)


@when('我在"创建账号"中设置一证通账号、密码和手机号码')
def create_yzt_account(yzt: Yzt, yzt_account: YztAccount) -> None:
    yzt.account_step.create_account(yzt_account.account, yzt_account.password, yzt_account.mobile)


@when("我在电脑上打开一证通网址，为我的企业注册一证通账号")
def register_on_pc(pc: Computer, backstage: Backstage, enterprise: Enterprise, yzt_account: YztAccount) -> None:
    pass_identity_verification(pc.yzt, backstage, enterprise)
    flows.yzt.create_account(pc.yzt, yzt_account)
    expect(pc.yzt.done_step.heading, "在电脑上注册一证通账号应来到注册完成页").to_be_visible()


@when('同事先在"创建账号"中完成了注册')
def colleague_registers(colleague_computer: Computer, test_data: TestDataBuilder) -> None:
    account = test_data.yzt_account()
    colleague_computer.yzt.account_step.create_account(account.account, account.password, account.mobile)


# --- 法人身份鉴证 --------------------------------------------------------------------------------


@when('我为我的企业填写"法人身份鉴证"，点击"下一步"')
def fill_identity(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> None:
    flows.yzt.submit_identity(yzt, identity_form(yzt, backstage, enterprise))


@when(
    parsers.re(r'我为我的企业填写"法人身份鉴证"，其中"(?P<label>[^"]+)"(?P<entry>留空|填[^，]+)，点击"下一步"'),
    target_fixture="typed_identity",
)
def fill_identity_with(yzt: Yzt, backstage: Backstage, enterprise: Enterprise, label: str, entry: str) -> IdentityForm:
    form = identity_form_with(label, entry, enterprise, identity_form(yzt, backstage, enterprise))
    flows.yzt.submit_identity(yzt, form)
    return form


@when(
    parsers.re(r'我为我的企业填写"法人身份鉴证"，过了(?P<minutes>\d+)分钟才点击"下一步"'), converters={"minutes": int}
)
def fill_identity_then_wait(
    yzt: Yzt, backstage: Backstage, enterprise: Enterprise, mock_clock: SharedClock, minutes: int
) -> None:
    yzt.identity_step.fill_legal_person(**asdict(identity_form(yzt, backstage, enterprise)))
    mock_clock.advance(timedelta(minutes=minutes))
    yzt.identity_step.go_next()


@when(
    parsers.re(
        r'我为境外法人填写"法人身份鉴证"，证件类型选择"护照或其它有效身份证件"，'
        r'(?P<upload>不上传证件扫描件|上传[^，]+)，点击"下一步"'
    ),
    target_fixture="typed_identity",
)
def fill_identity_abroad(
    yzt: Yzt, backstage: Backstage, enterprise: Enterprise, test_data: TestDataBuilder, tmp_path: Path, upload: str
) -> IdentityForm:
    form = replace(
        identity_form(yzt, backstage, enterprise), id_type=PASSPORT, id_number=test_data.faker.passport_number()
    )
    flows.yzt.submit_identity(yzt, form, make_document(tmp_path, upload))
    return form


@when('我刷新页面，确认重新提交刚才的"法人身份鉴证"表单')
def resubmit_identity(yzt: Yzt) -> None:
    yzt.identity_step.resubmit()


# --- 创建账号 ------------------------------------------------------------------------------------


@when(
    parsers.re(r'我在"创建账号"中"(?P<label>[^"]+)"(?P<entry>留空|填[^，]+)，其余按要求填写，点击"注册"'),
    target_fixture="typed_account",
)
def fill_account_with(yzt: Yzt, yzt_account: YztAccount, label: str, entry: str) -> AccountForm:
    form = account_form_with(label, entry, AccountForm.of(yzt_account))
    yzt.account_step.fill_account(form.account, form.password, form.password_again, form.mobile)
    yzt.account_step.submit()
    return form


# --- 那么 ----------------------------------------------------------------------------------------


@then(parsers.re(r'注册向导依次为(?P<steps>.+)，当前为"(?P<current>[^"]+)"'), converters={"steps": quoted_list})
def wizard_steps(yzt: Yzt, steps: list[str], current: str) -> None:
    expect(yzt.wizard.steps, "注册向导的步骤").to_have_text(steps)
    expect(yzt.wizard.current_step, "注册向导的当前步骤").to_have_text(current)


@then('"法人身份鉴证"表单有以下必填项:')
def required_fields(yzt: Yzt, datatable: list[list[str]]) -> None:
    for (name,) in datatable[1:]:
        expect(yzt.identity_step.required_field(name), f"{name}应为必填项").to_have_attribute("aria-required", "true")


@then(
    parsers.re(r'"法人代表证件类型"可选(?P<options>.+)，默认为"(?P<default>[^"]+)"'),
    converters={"options": quoted_list},
)
def id_type_options(yzt: Yzt, options: list[str], default: str) -> None:
    step = yzt.identity_step
    expect(step.id_type_options).to_have_count(len(options))
    for option in options:
        expect(step.id_type_option(option)).to_be_visible()
    expect(step.id_type_option(default)).to_be_checked()


@then('"提示"依次说明:')
def tips(yzt: Yzt, datatable: list[list[str]]) -> None:
    tips_expected = [row[0] for row in datatable[1:]]
    expect(yzt.identity_step.tip_items, f"“提示”应依次说明这{len(tips_expected)}条（逐条比对见下）").to_have_text(
        tips_expected
    )


@then(parsers.re(r'页面显示技术咨询电话"(?P<phone>[^"]+)"'))
def help_phone(yzt: Yzt, phone: str) -> None:
    expect(yzt.identity_step.help_line).to_contain_text(phone)


@then('页面显示"注册完成"，并说明系统需要一个工作日进行身份证件的审核')
def registration_done(yzt: Yzt, yzt_account: YztAccount) -> None:
    done = yzt.done_step
    expect(done.heading, "应来到注册完成页").to_be_visible()
    expect(done.content, "注册完成页应显示新的一证通账号").to_contain_text(yzt_account.account)
    expect(done.content, "注册完成页应说明审核需要一个工作日").to_contain_text("系统需要一个工作日进行身份证件的审核")


@then(parsers.re(r'只有"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def only_field_error(yzt: Yzt, label: str, message: str) -> None:
    expect(yzt.wizard.field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(
        re.compile(re.escape(message))
    )
    expect(yzt.wizard.errors, f"页面上应只有“{label}”一处提示").to_have_text([message])


@then(parsers.re(r'"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def field_error(yzt: Yzt, label: str, message: str) -> None:
    expect(yzt.wizard.field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(
        re.compile(re.escape(message))
    )


@then(parsers.re(r'注册被拒绝，页面提示"(?P<message>[^"]+)"'))
def registration_refused(yzt: Yzt, message: str) -> None:
    expect(yzt.wizard.errors, f"应拒绝注册并提示“{message}”").to_have_text([message])


@then(parsers.re(r'页面(?:仍停留在|进入)"(?P<step>法人身份鉴证|创建账号)"'))
def on_wizard_step(yzt: Yzt, step: str) -> None:
    expect(yzt.wizard.current_step, f"注册向导的当前步骤应为“{step}”").to_have_text(step)


@then("我填写的内容都保留着，只有验证码需要重新输入")
def identity_kept(yzt: Yzt, typed_identity: IdentityForm) -> None:
    step = yzt.identity_step
    expect(step.enterprise_name, "企业名称应保留").to_have_value(typed_identity.enterprise_name)
    expect(step.credit_code, "统一社会信用代码/组织机构代码应保留").to_have_value(typed_identity.credit_code)
    expect(step.id_type_option(typed_identity.id_type), "法人代表证件类型应保留").to_be_checked()
    expect(step.legal_person_name, "法人代表姓名应保留").to_have_value(typed_identity.legal_person_name)
    expect(step.legal_person_id, "法人代表身份证号应保留").to_have_value(typed_identity.id_number)
    expect(step.captcha.input, "验证码应清空，换一张新的重新输入").to_have_value("")


@then("一证通账号和手机号码保留着我填写的内容，密码和确认密码已清空")
def account_kept(yzt: Yzt, typed_account: AccountForm) -> None:
    step = yzt.account_step
    expect(step.account, "一证通账号应保留").to_have_value(typed_account.account)
    expect(step.mobile, "手机号码应保留").to_have_value(typed_account.mobile)
    expect(step.password, "密码不应回填").to_have_value("")
    expect(step.password_again, "确认密码不应回填").to_have_value("")
