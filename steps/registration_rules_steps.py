"""Steps for the rules of 一证通注册 (features/yzt_registration_rules.feature): R1 表单校验, R2 境外法人,
R3 一个工作日审核, R4 一个办事人一个账号.

Wrong data is always made from the builders' valid data (a check character changed, a character
dropped), so a scenario is wrong in exactly the one way it says. What a scenario typed into a
refused form is handed to the ``那么`` steps as a fixture (``typed_identity``, ``typed_account``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from fixtures.mocks import SharedClock, seed_yzt_account
from fixtures.test_data import Enterprise, TestDataBuilder, YztAccount
from mock_servers import ControlError, IdpControl, MockServers
from pages.idp.login import IdpLoginPage
from pages.idp.registration import CreateAccountStep, IdentityVerificationStep, RegistrationWizard
from steps.idp_steps import pass_identity_verification, solve

# The address the guide gives for 一证通 (常见问题: "在 PC 端打开一证通网址 …").
YZT_LOGIN_PATH = "/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8"

RESIDENT_ID = "中国居民身份证"
PASSPORT = "护照或其它有效身份证件"
WEEKDAYS = "一二三四五六日"


# --- test data made wrong on purpose ------------------------------------------------------------


def with_last_character_changed(text: str) -> str:
    """The same text with its last character replaced: for a code or an ID number, a wrong check character."""
    return text[:-1] + ("1" if text[-1] == "0" else "0")


@dataclass(frozen=True)
class IdentityForm:
    """What a scenario typed into 法人身份鉴证."""

    enterprise_name: str
    credit_code: str
    id_type: str
    legal_person_name: str
    id_number: str
    captcha: str


# Label on the page → the IdentityForm field behind it.
IDENTITY_FIELDS = {
    "企业名称": "enterprise_name",
    "统一社会信用代码/组织机构代码": "credit_code",
    "法人代表姓名": "legal_person_name",
    "法人代表身份证号": "id_number",
    "验证码": "captcha",
}


def identity_entry(entry: str, enterprise: Enterprise, form: IdentityForm) -> str:
    """The value a step such as ``其中"…"填校验位错误的组织机构代码`` means, made from valid data."""
    entries: dict[str, Callable[[], str]] = {
        "留空": lambda: "",
        "填18位统一社会信用代码": lambda: enterprise.credit_code,
        "填9位组织机构代码": lambda: enterprise.organization_code,
        "填校验位错误的统一社会信用代码": lambda: with_last_character_changed(enterprise.credit_code),
        "填校验位错误的组织机构代码": lambda: with_last_character_changed(enterprise.organization_code),
        "填少一位的统一社会信用代码": lambda: enterprise.credit_code[:-1],
        "填校验位错误的居民身份证号": lambda: with_last_character_changed(enterprise.legal_person.id_number),
        "填错误的验证码": lambda: with_last_character_changed(form.captcha),
    }
    if entry not in entries:
        raise ValueError(f"unknown entry {entry!r}; known: {', '.join(entries)}")
    return entries[entry]()


@dataclass(frozen=True)
class AccountForm:
    """What a scenario typed into 创建账号."""

    account: str
    password: str
    password_again: str
    mobile: str


def account_entry(label: str, entry: str, form: AccountForm) -> AccountForm:
    """``form`` with the field a step names filled as the step says (a person types a password twice alike)."""
    values: dict[str, Callable[[], str]] = {
        "留空": lambda: "",
        "填3位的账号": lambda: form.account[:3],
        "填只有字母的密码": lambda: re.sub(r"\d", "", form.password),
        "填与密码不一致的内容": lambda: form.password + "0",
        "填少一位的手机号码": lambda: form.mobile[:-1],
    }
    if entry not in values:
        raise ValueError(f"unknown entry {entry!r}; known: {', '.join(values)}")
    value = values[entry]()
    changes = {
        "一证通账号": {"account": value},
        "密码": {"password": value, "password_again": value},
        "确认密码": {"password_again": value},
        "手机号码": {"mobile": value},
    }[label]
    return replace(form, **changes)


def make_document(directory: Path, upload: str) -> Path | None:
    """The scan a step such as ``上传6MB的PDF文件"护照.pdf"`` uploads, written to the scenario's tmp dir.

    Only the name's suffix and the size matter to the rule; PNG and JPG are real (tiny) images.
    """
    if upload == "不上传证件扫描件":
        return None
    found = re.fullmatch(r'上传(?:(?P<mb>\d+)MB的)?[^"]*"(?P<name>[^"]+)"', upload)
    if found is None:
        raise ValueError(f'say 不上传证件扫描件 or 上传…"文件名", not {upload!r}')
    path = directory / found["name"]
    suffix = path.suffix.lower()
    if suffix == ".png":
        Image.new("RGB", (60, 40), "white").save(path, "PNG")
    elif suffix in (".jpg", ".jpeg"):
        Image.new("RGB", (60, 40), "white").save(path, "JPEG")
    elif suffix == ".pdf":
        path.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
    else:
        path.write_bytes(b"PK\x03\x04" + bytes(60))  # a zip header, as a .docx starts
    if found["mb"]:
        with path.open("ab") as file:
            file.write(bytes(int(found["mb"]) * 1024 * 1024))
    return path


def next_moment(after: datetime, weekday: str, hour: int, minute: int) -> datetime:
    """The first ``星期X hh:mm`` (Beijing time, as ``after``) strictly after ``after``."""
    day = after.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while day <= after or day.weekday() != WEEKDAYS.index(weekday):
        day += timedelta(days=1)
    return day


def account_exists(idp_control: IdpControl, account: str) -> bool:
    try:
        idp_control.get_account(account)
    except ControlError as error:
        if error.status == 404:
            return False
        raise
    return True


def open_registration(page: Page, idp_url: str) -> None:
    page.goto(idp_url + YZT_LOGIN_PATH)
    IdpLoginPage(page).go_to_register()


def verify_identity(page: Page, idp_url: str, idp_control: IdpControl, enterprise: Enterprise) -> None:
    """From the 一证通 address through a passed 法人身份鉴证 for the enterprise."""
    open_registration(page, idp_url)
    pass_identity_verification(page, idp_control, enterprise)


# --- 一证通账户 and time -------------------------------------------------------------------------


@given(
    parsers.re(
        r"我的企业的法人代表已在(?P<unit>我的企业|另一家企业)下开通了(?P<kind>一证通口令账号|没有口令密码的一证通账号)"
    )
)
def legal_person_has_account(
    idp_control: IdpControl, enterprise: Enterprise, test_data: TestDataBuilder, unit: str, kind: str
) -> None:
    # Another account than the scenario's own yzt_account, which is left free to register.
    existing = test_data.yzt_account()
    if unit == "另一家企业":
        unit_enterprise = test_data.enterprise().model_copy(update={"legal_person": enterprise.legal_person})
    else:
        unit_enterprise = enterprise
    idp_control.seed_account(
        account=existing.account,
        password=existing.password if kind == "一证通口令账号" else None,
        mobile=existing.mobile,
        enterprise_name=unit_enterprise.name,
        credit_code=unit_enterprise.credit_code,
        legal_person_name=unit_enterprise.legal_person.name,
        legal_person_id_number=unit_enterprise.legal_person.id_number,
    )


@given(parsers.re(r"现在是北京时间(?P<weekday>星期[一二三四五六日]) (?P<hour>\d{1,2}):(?P<minute>\d{2})"))
def clock_at(mock_clock: SharedClock, weekday: str, hour: str, minute: str) -> None:
    mock_clock.set(next_moment(mock_clock.now(), weekday[-1], int(hour), int(minute)))


@given("我的企业的法人代表此刻注册了一证通账号，正在审核中")
def registered_just_now(idp_control: IdpControl, enterprise: Enterprise, yzt_account: YztAccount) -> None:
    seed_yzt_account(idp_control, enterprise, yzt_account, reviewed=False)


@when(parsers.re(r"时间来到(?P<weekday>星期[一二三四五六日]) (?P<hour>\d{1,2}):(?P<minute>\d{2})"))
def time_comes(mock_clock: SharedClock, weekday: str, hour: str, minute: str) -> None:
    now = mock_clock.now()
    mock_clock.advance(next_moment(now, weekday[-1], int(hour), int(minute)) - now)


# --- 一证通网址 and the wizard ------------------------------------------------------------------


@given("我在PC端打开一证通网址")
def open_yzt(page: Page, mock_servers: MockServers) -> None:
    page.goto(mock_servers.idp_url + YZT_LOGIN_PATH)


@given('我在PC端打开一证通网址，点击"注册"')
def open_yzt_registration(page: Page, mock_servers: MockServers) -> None:
    open_registration(page, mock_servers.idp_url)


@given('我已在一证通注册向导中为我的企业完成"法人身份鉴证"')
def identity_verified(page: Page, mock_servers: MockServers, idp_control: IdpControl, enterprise: Enterprise) -> None:
    verify_identity(page, mock_servers.idp_url, idp_control, enterprise)


@given('同事在另一台电脑上也为我的企业完成了"法人身份鉴证"', target_fixture="colleague_page")
def colleague_verified(
    new_context: Callable[..., BrowserContext],
    mock_servers: MockServers,
    idp_control: IdpControl,
    enterprise: Enterprise,
) -> Page:
    # Another computer is another browser: its own cookies, so its own registration in progress.
    colleague = new_context().new_page()
    verify_identity(colleague, mock_servers.idp_url, idp_control, enterprise)
    return colleague


# --- 法人身份鉴证 --------------------------------------------------------------------------------


def _identity_form(page: Page, idp_control: IdpControl, enterprise: Enterprise) -> IdentityForm:
    return IdentityForm(
        enterprise_name=enterprise.name,
        credit_code=enterprise.credit_code,
        id_type=RESIDENT_ID,
        legal_person_name=enterprise.legal_person.name,
        id_number=enterprise.legal_person.id_number,
        captcha=solve(IdentityVerificationStep(page).captcha, idp_control),
    )


def _fill_identity(page: Page, form: IdentityForm, document: Path | None = None) -> None:
    IdentityVerificationStep(page).fill_legal_person(
        enterprise_name=form.enterprise_name,
        credit_code=form.credit_code,
        id_type=form.id_type,
        legal_person_name=form.legal_person_name,
        id_number=form.id_number,
        captcha_answer=form.captcha,
        document=document,
    )


@when('我为我的企业填写"法人身份鉴证"，点击"下一步"')
def fill_identity(page: Page, idp_control: IdpControl, enterprise: Enterprise) -> None:
    _fill_identity(page, _identity_form(page, idp_control, enterprise))
    IdentityVerificationStep(page).go_next()


@when(
    parsers.re(r'我为我的企业填写"法人身份鉴证"，其中"(?P<label>[^"]+)"(?P<entry>留空|填[^，]+)，点击"下一步"'),
    target_fixture="typed_identity",
)
def fill_identity_with(
    page: Page, idp_control: IdpControl, enterprise: Enterprise, label: str, entry: str
) -> IdentityForm:
    form = _identity_form(page, idp_control, enterprise)
    form = replace(form, **{IDENTITY_FIELDS[label]: identity_entry(entry, enterprise, form)})
    _fill_identity(page, form)
    IdentityVerificationStep(page).go_next()
    return form


@when(parsers.re(r'我为我的企业填写"法人身份鉴证"，过了(?P<minutes>\d+)分钟才点击"下一步"'))
def fill_identity_then_wait(
    page: Page, idp_control: IdpControl, enterprise: Enterprise, mock_clock: SharedClock, minutes: str
) -> None:
    _fill_identity(page, _identity_form(page, idp_control, enterprise))
    mock_clock.advance(timedelta(minutes=int(minutes)))
    IdentityVerificationStep(page).go_next()


@when(
    parsers.re(
        r'我为境外法人填写"法人身份鉴证"，证件类型选择"护照或其它有效身份证件"，'
        r'(?P<upload>不上传证件扫描件|上传[^，]+)，点击"下一步"'
    ),
    target_fixture="typed_identity",
)
def fill_identity_abroad(
    page: Page,
    idp_control: IdpControl,
    enterprise: Enterprise,
    test_data: TestDataBuilder,
    tmp_path: Path,
    upload: str,
) -> IdentityForm:
    form = replace(
        _identity_form(page, idp_control, enterprise), id_type=PASSPORT, id_number=test_data.faker.passport_number()
    )
    _fill_identity(page, form, make_document(tmp_path, upload))
    IdentityVerificationStep(page).go_next()
    return form


@when('我刷新页面，确认重新提交刚才的"法人身份鉴证"表单')
def resubmit_identity(page: Page) -> None:
    IdentityVerificationStep(page).resubmit()


# --- 创建账号 ------------------------------------------------------------------------------------


@when(
    parsers.re(r'我在"创建账号"中"(?P<label>[^"]+)"(?P<entry>留空|填[^，]+)，其余按要求填写，点击"注册"'),
    target_fixture="typed_account",
)
def fill_account_with(page: Page, yzt_account: YztAccount, label: str, entry: str) -> AccountForm:
    valid = AccountForm(yzt_account.account, yzt_account.password, yzt_account.password, yzt_account.mobile)
    form = account_entry(label, entry, valid)
    step = CreateAccountStep(page)
    step.fill_account(form.account, form.password, form.password_again, form.mobile)
    step.submit()
    return form


@when('同事先在"创建账号"中完成了注册')
def colleague_registers(colleague_page: Page, test_data: TestDataBuilder) -> None:
    account = test_data.yzt_account()
    CreateAccountStep(colleague_page).create_account(account.account, account.password, account.mobile)


# --- 那么 ----------------------------------------------------------------------------------------


@then(parsers.re(r'只有"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def only_field_error(page: Page, label: str, message: str) -> None:
    wizard = RegistrationWizard(page)
    expect(wizard.field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(
        re.compile(re.escape(message))
    )
    expect(wizard.errors, f"页面上应只有“{label}”一处提示").to_have_text([message])


@then(parsers.re(r'"(?P<label>[^"]+)"下提示"(?P<message>[^"]+)"'))
def field_error(page: Page, label: str, message: str) -> None:
    expect(RegistrationWizard(page).field(label), f"“{label}”下应提示“{message}”").to_have_accessible_description(
        re.compile(re.escape(message))
    )


@then(parsers.re(r'注册被拒绝，页面提示"(?P<message>[^"]+)"'))
def registration_refused(page: Page, message: str) -> None:
    expect(RegistrationWizard(page).errors, f"应拒绝注册并提示“{message}”").to_have_text([message])


@then(parsers.re(r'页面(?:仍停留在|进入)"(?P<step>法人身份鉴证|创建账号)"'))
def on_wizard_step(page: Page, step: str) -> None:
    expect(RegistrationWizard(page).current_step, f"注册向导的当前步骤应为“{step}”").to_have_text(step)


@then("我填写的内容都保留着，只有验证码需要重新输入")
def identity_kept(page: Page, typed_identity: IdentityForm) -> None:
    step = IdentityVerificationStep(page)
    expect(step.enterprise_name, "企业名称应保留").to_have_value(typed_identity.enterprise_name)
    expect(step.credit_code, "统一社会信用代码/组织机构代码应保留").to_have_value(typed_identity.credit_code)
    expect(step.id_type_option(typed_identity.id_type), "法人代表证件类型应保留").to_be_checked()
    expect(step.legal_person_name, "法人代表姓名应保留").to_have_value(typed_identity.legal_person_name)
    expect(step.legal_person_id, "法人代表身份证号应保留").to_have_value(typed_identity.id_number)
    expect(step.captcha.input, "验证码应清空，换一张新的重新输入").to_have_value("")


@then("一证通账号和手机号码保留着我填写的内容，密码和确认密码已清空")
def account_kept(page: Page, typed_account: AccountForm) -> None:
    step = CreateAccountStep(page)
    expect(step.account, "一证通账号应保留").to_have_value(typed_account.account)
    expect(step.mobile, "手机号码应保留").to_have_value(typed_account.mobile)
    expect(step.password, "密码不应回填").to_have_value("")
    expect(step.password_again, "确认密码不应回填").to_have_value("")


@then("一证通中没有开设我的一证通账号")
def no_account_stored(idp_control: IdpControl, yzt_account: YztAccount) -> None:
    assert not account_exists(idp_control, yzt_account.account), f"被拒绝的注册不应开设账号{yzt_account.account}"


@then(parsers.re(r'一证通拒绝登录，提示"(?P<message>[^"]+)"'))
def login_refused(page: Page, message: str) -> None:
    login = IdpLoginPage(page)
    expect(login.login_heading, "应仍在一证通登录页面").to_be_visible()
    expect(login.errors, f"一证通应提示“{message}”").to_have_text([message])
