"""The registration wizard (W3: 法人身份鉴证 → 创建账号 → 注册完成) and rules R1-R4.

What each identifier field accepts and says when it cannot be valid is in ``test_identifiers.py``;
找回密码 (Q2) is in ``test_recovery.py``.
"""

from __future__ import annotations

import random
import string

import pytest

from fixtures.test_data import TestDataBuilder, is_valid_organization_code, organization_check_char
from mock_servers.idp import validation
from mock_servers.idp.pages import login_url, with_goto
from tests.idp.driver import (
    GOTO,
    NO_FILE,
    PASSWORD,
    IdpDriver,
    page_of,
    post_account,
    post_identity,
    register,
    rejected,
)

CAPTCHA_WRONG = "验证码错误或已过期，请重新输入"
R4 = "一个办事人在同一个单位下，只能注册一个口令账号，该法人代表已注册过口令账号。"
TIPS = [
    "企业法定代表人身份所在地非中国大陆，请选择使用护照或其它有效身份证件并上传对应证件。",
    "注册完成后，系统需要一个工作日进行身份证件的审核。审核通过后，注册的账号才能正常登录使用。",
    "一个办事人在同一个单位下，只能注册一个口令账号。",
    "注册过程中如有问题，可将问题的截图及说明文字发送到邮箱yztyunwei@bjca.org.cn，或联系010-58511090处理。",
]
REVIEW_TEXT = "注册完成后，系统需要一个工作日进行身份证件的审核，审核通过后，注册的账号才能正常登录使用。"
PDF = ("passport.pdf", b"%PDF-1.4 scan", "application/pdf")


# --- step 1: 法人身份鉴证 ---------------------------------------------------------


def test_step_one_page_shows_steps_tips_fields_and_the_help_line(idp: IdpDriver) -> None:
    page = idp.open(with_goto("/am/register", GOTO))
    steps = page.root.find("ol", aria_label="注册步骤")
    items = steps.find_all("li")
    assert [li.text() for li in items] == ["法人身份鉴证", "创建账号", "注册完成"]
    assert [li.attrs.get("aria-current") for li in items] == ["step", None, None]
    assert page.headings(2) == ["法人身份鉴证"]

    tips = page.root.find("section", aria_labelledby="tips-title")
    assert tips.find("h3").text() == "提示"
    assert [li.text() for li in tips.find("ol").find_all("li")] == TIPS

    placeholders = {
        "企业名称": "请填写企业名称",
        "统一社会信用代码/组织机构代码": "请填写统一社会信用代码/组织机构代码",
        "法人代表姓名": "请填写企业法人代表名称",
        "法人代表身份证号": "请填写企业法人代表身份证号",
        "验证码": "请输入验证码",
    }
    for label, placeholder in placeholders.items():
        control = page.field(label)
        assert control.attrs["placeholder"] == placeholder
        assert control.attrs["aria-required"] == "true"
    group = page.root.find("fieldset")
    assert group.find("legend").text() == "法人代表证件类型"
    assert group.attrs["aria-required"] == "true"
    assert page.field("中国居民身份证").attrs.get("checked") == ""
    assert "checked" not in page.field("护照或其它有效身份证件").attrs
    assert page.field("证件扫描件").attrs["type"] == "file"
    assert page.root.find("form").attrs["enctype"] == "multipart/form-data"
    assert page.root.find("img", alt="验证码图片")
    assert page.link("换一张") == with_goto("/am/register", GOTO)
    assert page.has_button("下一步")
    assert page.hidden("goto") == GOTO
    assert "技术咨询电话：010-58511090" in page.root.text()


def test_empty_step_one_names_every_missing_field(idp: IdpDriver) -> None:
    empty = {"enterprise_name": "", "credit_code": "", "legal_person_name": "", "legal_person_id_number": ""}
    page = rejected(post_identity(idp, {**empty, "legal_person_id_type": "resident_id"}, captcha=""))
    assert page.error_of("企业名称") == "请填写企业名称"
    assert page.error_of("统一社会信用代码/组织机构代码") == "请填写统一社会信用代码/组织机构代码"
    assert page.error_of("法人代表姓名") == "请填写企业法人代表名称"
    assert page.error_of("法人代表身份证号") == "请填写企业法人代表身份证号"
    assert page.error_of("验证码") == "请输入验证码"
    assert page.error_of("证件扫描件") is None
    assert len(page.alerts()) == 5


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("91110000600037341L", id="stdnum's USCC example"),
        pytest.param("600037341", id="the organization code inside that USCC (GB 11714)"),
        pytest.param("60003734-1", id="organization code written with its hyphen"),
    ],
)
def test_real_world_codes_pass(idp: IdpDriver, code: str) -> None:
    assert post_identity(idp, idp.identity(credit_code=code)).status_code == 303


def test_generated_organization_codes_pass_and_are_stored_upper_case(idp: IdpDriver) -> None:
    org_code = idp.data.enterprise().organization_code
    register(idp, "org_code_user", idp.identity(credit_code=org_code.lower()))
    assert idp.account("org_code_user")["credit_code"] == org_code.upper()


def test_the_servers_organization_code_rule_agrees_with_the_harness_builders(test_data: TestDataBuilder) -> None:
    # Written twice on purpose (the server's rule, the test data's builder), so each checks the other.
    rng = random.Random(test_data.seed)
    alphabet = string.digits + string.ascii_uppercase
    for _ in range(500):
        body = "".join(rng.choice(alphabet) for _ in range(8))
        assert validation.organization_code_check_char(body) == organization_check_char(body), body
        for check in "0123456789X":
            code = body + check
            assert validation.is_valid_organization_code(code) == is_valid_organization_code(code), code


@pytest.mark.parametrize(
    ("number", "document", "field", "message"),
    [
        pytest.param("E1234", NO_FILE, "证件扫描件", "请上传护照或其它有效身份证件扫描件", id="no scan"),
        pytest.param("E12", PDF, "法人代表身份证号", "证件号码格式不正确", id="number too short"),
        pytest.param("E1234-567", PDF, "法人代表身份证号", "证件号码格式不正确", id="not letters or digits"),
        pytest.param(
            "E1234567",
            ("scan.gif", b"GIF89a", "image/gif"),
            "证件扫描件",
            "证件扫描件仅支持jpg、png、pdf格式",
            id="gif",
        ),
        pytest.param(
            "E1234567",
            ("scan.pdf", b"%" * (5 * 1024 * 1024 + 1), "application/pdf"),
            "证件扫描件",
            "证件扫描件不能超过5MB",
            id="over 5 MB",
        ),
    ],
)
def test_a_foreign_legal_representative_needs_a_valid_document(
    idp: IdpDriver, number: str, document: tuple[str, bytes, str], field: str, message: str
) -> None:
    identity = idp.identity(legal_person_id_type="passport", legal_person_id_number=number)
    page = rejected(post_identity(idp, identity, document=document))
    assert page.error_of(field) == message
    # The choice of document type survives the rejection.
    assert page.field("护照或其它有效身份证件").attrs.get("checked") == ""


@pytest.mark.parametrize(
    "document",
    [
        ("passport.pdf", b"%PDF-1.4", "application/pdf"),
        ("passport.JPG", b"\xff\xd8\xff", "image/jpeg"),
        ("passport.png", b"\x89PNG", "image/png"),
        ("exactly-5mb.pdf", b"%" * (5 * 1024 * 1024), "application/pdf"),
    ],
)
def test_a_foreign_legal_representative_with_a_scan_passes(idp: IdpDriver, document: tuple[str, bytes, str]) -> None:
    identity = idp.identity(legal_person_id_type="passport", legal_person_id_number="E12345678")
    assert post_identity(idp, identity, document=document).status_code == 303


def test_a_wrong_captcha_keeps_what_was_typed_except_the_captcha(idp: IdpDriver) -> None:
    identity = idp.identity()
    page = rejected(post_identity(idp, identity, captcha="ZZZZ"))
    assert page.alerts() == [CAPTCHA_WRONG]
    assert page.error_of("验证码") == CAPTCHA_WRONG
    assert page.field("企业名称").attrs["value"] == identity["enterprise_name"]
    assert page.field("统一社会信用代码/组织机构代码").attrs["value"] == identity["credit_code"]
    assert page.field("法人代表姓名").attrs["value"] == identity["legal_person_name"]
    assert page.field("法人代表身份证号").attrs["value"] == identity["legal_person_id_number"]
    assert "value" not in page.field("验证码").attrs
    assert page.hidden("goto") == GOTO


def test_a_rejected_step_one_stores_nothing(idp: IdpDriver) -> None:
    post_identity(idp, idp.identity(), captcha="ZZZZ")
    response = idp.get(with_goto("/am/register/account", GOTO))
    assert response.status_code == 303
    assert response.headers["location"] == with_goto("/am/register", GOTO)


def test_r4_one_password_account_per_handler_and_unit(idp: IdpDriver) -> None:
    existing = idp.seed_account()
    same_person = idp.identity(
        credit_code=existing["credit_code"].lower(), legal_person_id_number=existing["legal_person_id_number"]
    )
    page = rejected(post_identity(idp, same_person))
    assert page.alerts() == [R4]
    # Another unit, or another handler in the same unit, is fine.
    other_unit = idp.identity(legal_person_id_number=existing["legal_person_id_number"])
    assert post_identity(idp, other_unit).status_code == 303
    other_handler = idp.identity(credit_code=existing["credit_code"])
    assert post_identity(idp, other_handler).status_code == 303


@pytest.mark.parametrize("form", ["organization code", "organization code with a hyphen"])
def test_r4_sees_the_same_unit_behind_its_organization_code(idp: IdpDriver, form: str) -> None:
    # Characters 9-17 of a 统一社会信用代码 are the unit's 组织机构代码: the same unit either way.
    existing = idp.seed_account()
    organization_code = existing["credit_code"][8:17]
    if form == "organization code with a hyphen":
        organization_code = f"{organization_code[:8]}-{organization_code[8]}"
    same_person = idp.identity(credit_code=organization_code, legal_person_id_number=existing["legal_person_id_number"])
    assert rejected(post_identity(idp, same_person)).alerts() == [R4]


def test_r4_does_not_count_an_account_without_a_password(idp: IdpDriver) -> None:
    # Q2: "或重新注册" is a way out for an account opened another way.
    opened_elsewhere = idp.seed_account(password=None)
    identity = idp.identity(
        credit_code=opened_elsewhere["credit_code"],
        legal_person_id_number=opened_elsewhere["legal_person_id_number"],
    )
    assert post_identity(idp, identity).status_code == 303


# --- step 2: 创建账号 -------------------------------------------------------------


def test_step_two_page(idp: IdpDriver) -> None:
    post_identity(idp, idp.identity())
    page = idp.open(with_goto("/am/register/account", GOTO))
    assert page.headings(2) == ["创建账号"]
    current = page.root.find("ol", aria_label="注册步骤").find(aria_current="step")
    assert current.text() == "创建账号"
    assert page.field("一证通账号").attrs["placeholder"] == "请设置一证通账号，4-20位字母、数字或下划线"
    assert page.field("密码").attrs["placeholder"] == "8-20位，须同时包含字母和数字"
    assert page.field("确认密码").attrs["type"] == "password"
    assert page.field("手机号码").attrs["placeholder"] == "请填写手机号码"
    assert page.has_button("注册")
    assert page.hidden("goto") == GOTO


@pytest.mark.parametrize(
    ("account", "password", "confirm", "mobile", "field", "message"),
    [
        ("", PASSWORD, None, "13912345678", "一证通账号", "请设置一证通账号"),
        ("abc", PASSWORD, None, "13912345678", "一证通账号", "一证通账号须为4-20位字母、数字或下划线"),
        ("a" * 21, PASSWORD, None, "13912345678", "一证通账号", "一证通账号须为4-20位字母、数字或下划线"),
        ("张三公司", PASSWORD, None, "13912345678", "一证通账号", "一证通账号须为4-20位字母、数字或下划线"),
        ("good_name", "", "", "13912345678", "密码", "请设置密码"),
        ("good_name", "abcdefgh", None, "13912345678", "密码", "密码须为8-20位，且同时包含字母和数字"),
        ("good_name", "12345678", None, "13912345678", "密码", "密码须为8-20位，且同时包含字母和数字"),
        ("good_name", "abc123", None, "13912345678", "密码", "密码须为8-20位，且同时包含字母和数字"),
        ("good_name", "abc12345" * 3, None, "13912345678", "密码", "密码须为8-20位，且同时包含字母和数字"),
        ("good_name", PASSWORD, "Passw0rd2027", "13912345678", "确认密码", "两次输入的密码不一致"),
        ("good_name", PASSWORD, None, "", "手机号码", "请填写手机号码"),
        ("good_name", PASSWORD, None, "12912345678", "手机号码", "手机号码格式不正确"),
        ("good_name", PASSWORD, None, "1391234567", "手机号码", "手机号码应为11位"),
    ],
)
def test_step_two_rules(
    idp: IdpDriver, account: str, password: str, confirm: str | None, mobile: str, field: str, message: str
) -> None:
    post_identity(idp, idp.identity())
    page = rejected(post_account(idp, account, password, confirm, mobile))
    assert page.error_of(field) == message
    assert page.alerts() == [message]
    assert idp.http.get(f"/_control/accounts/{account or 'x'}").status_code == 404


def test_step_two_refuses_a_taken_account_name_regardless_of_case(idp: IdpDriver) -> None:
    idp.seed_account(account="taken_name")
    post_identity(idp, idp.identity())
    page = rejected(post_account(idp, "Taken_Name", mobile="13712345678"))
    assert page.error_of("一证通账号") == "该一证通账号已被注册"
    assert page.field("一证通账号").attrs["value"] == "Taken_Name"
    assert page.field("手机号码").attrs["value"] == "13712345678"
    assert "value" not in page.field("密码").attrs
    assert "value" not in page.field("确认密码").attrs


def test_r4_is_checked_again_when_two_browsers_race_for_the_same_person(idp: IdpDriver) -> None:
    identity = idp.identity()
    other_browser = idp.new_browser()
    assert post_identity(idp, identity).status_code == 303
    assert post_identity(other_browser, identity).status_code == 303
    assert post_account(idp, "first_one").status_code == 303
    page = rejected(post_account(other_browser, "second_one"))
    assert page.alerts() == [R4]
    assert idp.http.get("/_control/accounts/second_one").status_code == 404


def test_a_draft_id_planted_in_another_browser_is_not_taken_over(idp: IdpDriver) -> None:
    # The attacker passes step 1 for any enterprise and plants its wizard cookie in the victim's
    # browser (a sibling subdomain can set it).  Passing step 1 there must not hand the victim's
    # enterprise and legal representative to the attacker's draft.
    attacker, victim = idp, idp.new_browser()
    assert post_identity(attacker, attacker.identity()).status_code == 303
    planted = attacker.http.cookies["yzt_register"]
    victim.http.cookies.set("yzt_register", planted, domain="testserver.local")
    victim_identity = victim.identity()
    assert post_identity(victim, victim_identity).status_code == 303
    assert victim.http.cookies["yzt_register"] != planted, "step 1 must issue a new draft id"

    # The attacker's draft stopped working: its 创建账号 starts over instead of creating an account.
    stolen = post_account(attacker, "attacker_01", mobile="13700001111")
    assert stolen.status_code == 303
    assert stolen.headers["location"] == with_goto("/am/register", GOTO)
    assert attacker.http.get("/_control/accounts/attacker_01").status_code == 404

    # The victim finishes its own registration, with its own password and mobile.
    assert post_account(victim, "victim_01", mobile="13912345678").status_code == 303
    account = victim.account("victim_01")
    assert account["credit_code"] == victim_identity["credit_code"]
    assert account["mobile"] == "13912345678"


def test_passing_step_one_again_ends_the_earlier_draft(idp: IdpDriver) -> None:
    assert post_identity(idp, idp.identity()).status_code == 303
    first = idp.http.cookies["yzt_register"]
    assert post_identity(idp, idp.identity()).status_code == 303
    assert idp.http.cookies["yzt_register"] != first
    other = idp.new_browser()
    other.http.cookies.set("yzt_register", first, domain="testserver.local")
    assert other.get("/am/register/account").status_code == 303
    assert post_account(other, "late_user").headers["location"] == with_goto("/am/register", GOTO)


@pytest.mark.parametrize("path", ["/am/register/account", "/am/register/done"])
def test_later_steps_without_step_one_go_back_to_step_one_keeping_goto(idp: IdpDriver, path: str) -> None:
    response = idp.get(with_goto(path, GOTO))
    assert response.status_code == 303
    assert response.headers["location"] == with_goto("/am/register", GOTO)
    posted = idp.post_form(with_goto("/am/register/account", GOTO), {"goto": GOTO, "account": "x_user"})
    assert posted.headers["location"] == with_goto("/am/register", GOTO)


# --- step 3 and the review --------------------------------------------------------


def test_the_whole_wizard_ends_on_step_three_with_the_review_notice(idp: IdpDriver) -> None:
    step2 = register(idp, "new_user_01")
    assert step2.headers["location"] == with_goto("/am/register/done", GOTO)
    page = idp.open(step2.headers["location"])
    assert page.headings(2) == ["注册完成"]
    assert page.root.find("ol", aria_label="注册步骤").find(aria_current="step").text() == "注册完成"
    assert "注册成功！您的一证通账号为 new_user_01。" in page.root.text()
    assert REVIEW_TEXT in page.root.text()
    assert page.link("返回登录") == login_url(GOTO)

    account = idp.account("new_user_01")
    assert account["status"] == "pending_review"
    assert account["has_password"] is True
    assert account["mobile"] == "13912345678"
    # The wizard is finished: its step 2 is not open any more.
    assert idp.get("/am/register/account").status_code == 303


def test_a_friday_registration_is_reviewed_on_monday(idp: IdpDriver) -> None:
    idp.set_clock("2026-11-27T16:30:00+08:00")
    register(idp, "friday_user")
    assert idp.account("friday_user")["review_due"].startswith("2026-11-30T16:30:00")
    refused = page_of(idp.login("friday_user", PASSWORD))
    assert refused.alerts() == ["账号正在审核中，注册完成后系统需要一个工作日进行身份证件的审核，审核通过后方可登录。"]
    idp.set_clock("2026-11-29T20:00:00+08:00")  # Sunday
    assert idp.login("friday_user", PASSWORD).status_code == 200
    idp.set_clock("2026-11-30T16:30:01+08:00")  # Monday, one working day later
    assert idp.login("friday_user", PASSWORD, goto=GOTO).headers["location"] == GOTO
