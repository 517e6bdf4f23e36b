"""Identifiers as people really type them, end to end over HTTP (R1, R4, R5).

A 统一社会信用代码 typed with a Chinese input method in full-width mode, an organization code
with a full-width hyphen, a 居民身份证号 pasted with a zero-width space inside, a credit code
behind a byte-order mark, a captcha in full-width letters, an account name in full-width: a
person sees a valid value in each, and so must the IdP.  Each test types the value through the
pages and reads back through ``GET /_control/accounts/…`` that it was stored in canonical form
(``mock_servers.common.identifiers``).  Where a value still cannot be valid, the page says what
is wrong with it — one message per mistake, beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pytest
from stdnum.cn import ric, uscc

from mock_servers.idp.pages import login_url, with_goto
from tests.idp.driver import (
    BOM,
    GOTO,
    PASSWORD,
    ZWSP,
    HtmlPage,
    IdpDriver,
    full_width,
    page_of,
    post_account,
    post_identity,
    register,
    rejected,
)

CREDIT_CODE: Final = "统一社会信用代码/组织机构代码"
ID_NUMBER: Final = "法人代表身份证号"
MOBILE: Final = "手机号码"
R4: Final = "一个办事人在同一个单位下，只能注册一个口令账号，该法人代表已注册过口令账号。"

CREDIT_CODE_REQUIRED: Final = "请填写统一社会信用代码/组织机构代码"
CREDIT_CODE_CHARACTERS: Final = "统一社会信用代码/组织机构代码只能包含数字和大写字母"
CREDIT_CODE_LENGTH: Final = "统一社会信用代码应为18位，组织机构代码应为9位"
USCC_CHECK: Final = "统一社会信用代码校验位不正确"
ORGANIZATION_CODE_CHECK: Final = "组织机构代码校验位不正确"
ID_REQUIRED: Final = "请填写企业法人代表身份证号"
ID_LENGTH: Final = "法人代表身份证号应为18位"
ID_CHARACTERS: Final = "法人代表身份证号只能包含数字，最后一位可以是X"
ID_COMPONENT: Final = "法人代表身份证号中的出生日期或地区码不正确"
ID_CHECK_DIGIT: Final = "法人代表身份证号校验位不正确"
MOBILE_REQUIRED: Final = "请填写手机号码"
MOBILE_LENGTH: Final = "手机号码应为11位"
MOBILE_INVALID: Final = "手机号码格式不正确"

Spelling = Callable[[str], str]


def other_char(char: str, alphabet: str = "0123456789") -> str:
    """A character of ``alphabet`` that is not ``char``: a one-character typo."""
    return next(candidate for candidate in alphabet if candidate != char)


def with_uscc_check(body: str) -> str:
    """17 characters and the GB 32100 check character that makes them a USCC."""
    return body + uscc.calc_check_digit(body)


def with_ric_check(body: str) -> str:
    """17 digits and the GB 11643 check digit that makes them a resident ID (stdnum ignores the 18th it is given)."""
    return body + ric.calc_check_digit(body + "0")


def with_wrong_ric_check(body: str) -> str:
    """17 digits and a check digit that is not theirs."""
    return body + other_char(ric.calc_check_digit(body + "0"))


def resident_id_ending_in_x(idp: IdpDriver) -> str:
    """A valid resident ID whose check character is X (one in eleven are)."""
    for _ in range(500):
        number = idp.data.legal_person().id_number
        if number.endswith("X"):
            return number
    raise AssertionError("the test data gave no resident ID ending in X in 500 tries")


def only_error(page: HtmlPage, label: str, message: str) -> None:
    """``message`` beside the field ``label``, and no other message on the page."""
    assert page.error_of(label) == message
    assert page.alerts() == [message]


def step_one_is_not_done(idp: IdpDriver) -> None:
    """Nothing was recorded: the wizard's step 2 sends the browser back to step 1."""
    response = idp.get(with_goto("/am/register/account", GOTO))
    assert response.status_code == 303
    assert response.headers["location"] == with_goto("/am/register", GOTO)


# --- 统一社会信用代码/组织机构代码 ------------------------------------------------------------


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda code: BOM + code, id="behind a byte-order mark"),
        pytest.param(lambda code: code[:9] + ZWSP + code[9:], id="zero-width space inside"),
        pytest.param(str.lower, id="lower case"),
        pytest.param(lambda code: f" {code[:8]} {code[8:17]} {code[17]} ", id="in groups"),
    ],
)
def test_a_credit_code_as_people_type_it_is_accepted_and_stored_canonically(idp: IdpDriver, spell: Spelling) -> None:
    identity = idp.identity()
    code = identity["credit_code"]
    register(idp, "uscc_typed", {**identity, "credit_code": spell(code)})
    assert idp.account("uscc_typed")["credit_code"] == code


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda org: f"{org[:8]}－{org[8]}", id="full-width hyphen"),
        pytest.param(lambda org: full_width(f"{org[:8]}-{org[8]}"), id="all full-width"),
        pytest.param(lambda org: f"{org[:8]}-{org[8]}", id="hyphen"),
        pytest.param(lambda org: BOM + org.lower(), id="lower case behind a byte-order mark"),
    ],
)
def test_an_organization_code_as_people_type_it_is_accepted_and_stored_canonically(
    idp: IdpDriver, spell: Spelling
) -> None:
    organization_code = idp.data.enterprise().organization_code
    register(idp, "org_typed", idp.identity(credit_code=spell(organization_code)))
    assert idp.account("org_typed")["credit_code"] == organization_code


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        pytest.param(lambda code: "", CREDIT_CODE_REQUIRED, id="empty"),
        pytest.param(lambda code: f" {ZWSP}{BOM} ", CREDIT_CODE_REQUIRED, id="only invisible characters"),
        pytest.param(lambda code: code[:17] + "#", CREDIT_CODE_CHARACTERS, id="a sign"),
        pytest.param(lambda code: "京" + code[1:], CREDIT_CODE_CHARACTERS, id="a Chinese character"),
        pytest.param(lambda code: f"{code[8:16]}/{code[16]}", CREDIT_CODE_CHARACTERS, id="a slash"),
        pytest.param(lambda code: code[:12], CREDIT_CODE_LENGTH, id="12 characters"),
        pytest.param(lambda code: code[:17], CREDIT_CODE_LENGTH, id="17 characters"),
        pytest.param(lambda code: code + "0", CREDIT_CODE_LENGTH, id="19 characters"),
        pytest.param(lambda code: code[8:16], CREDIT_CODE_LENGTH, id="8 characters"),
        pytest.param(lambda code: code[:17] + other_char(code[17]), USCC_CHECK, id="USCC check character"),
        pytest.param(
            lambda code: with_uscc_check(code[:16] + other_char(code[16])),
            USCC_CHECK,
            id="USCC with a wrong organization code inside",
        ),
        pytest.param(lambda code: "ABCDEFGHIJKLMNOPQR", USCC_CHECK, id="18 letters"),
        pytest.param(lambda code: code[8:16] + other_char(code[16]), ORGANIZATION_CODE_CHECK, id="organization code"),
        pytest.param(lambda code: "6000373X1", ORGANIZATION_CODE_CHECK, id="organization code with a letter"),
    ],
)
def test_a_credit_code_that_cannot_be_valid_says_what_is_wrong(idp: IdpDriver, wrong: Spelling, message: str) -> None:
    identity = idp.identity()
    typed = wrong(identity["credit_code"])
    page = rejected(post_identity(idp, {**identity, "credit_code": typed}))
    only_error(page, CREDIT_CODE, message)
    assert page.field(CREDIT_CODE).attrs["value"] == typed
    step_one_is_not_done(idp)


def test_the_wrong_cases_are_what_they_say(idp: IdpDriver) -> None:
    # Guards for the cases above: each is wrong only in the way its message says.
    code = idp.identity()["credit_code"]
    inner_wrong = with_uscc_check(code[:16] + other_char(code[16]))
    assert uscc.is_valid(inner_wrong)
    assert uscc.is_valid(code)
    assert not uscc.is_valid(code[:17] + other_char(code[17]))


# --- 法人代表身份证号 (中国居民身份证) ----------------------------------------------------------


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda number: number[:6] + ZWSP + number[6:], id="zero-width space inside"),
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda number: f"{number[:6]} {number[6:14]} {number[14:]}", id="in groups"),
        pytest.param(lambda number: BOM + number, id="behind a byte-order mark"),
    ],
)
def test_a_resident_id_as_people_type_it_is_accepted_and_stored_canonically(idp: IdpDriver, spell: Spelling) -> None:
    identity = idp.identity()
    number = identity["legal_person_id_number"]
    register(idp, "ric_typed", {**identity, "legal_person_id_number": spell(number)})
    assert idp.account("ric_typed")["legal_person_id_number"] == number


def test_a_resident_ids_lower_case_x_is_stored_as_x(idp: IdpDriver) -> None:
    number = resident_id_ending_in_x(idp)
    register(idp, "ric_lower_x", idp.identity(legal_person_id_number=number.lower()))
    assert idp.account("ric_lower_x")["legal_person_id_number"] == number


def test_a_passport_number_in_full_width_is_stored_canonically(idp: IdpDriver) -> None:
    identity = idp.identity(legal_person_id_type="passport", legal_person_id_number=full_width("e12345678"))
    assert post_identity(idp, identity, document=("passport.pdf", b"%PDF-1.4", "application/pdf")).status_code == 303
    assert post_account(idp, "passport_typed").status_code == 303
    assert idp.account("passport_typed")["legal_person_id_number"] == "E12345678"


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        pytest.param(lambda number: "", ID_REQUIRED, id="empty"),
        pytest.param(lambda number: ZWSP, ID_REQUIRED, id="only a zero-width space"),
        pytest.param(lambda number: number[:17], ID_LENGTH, id="17 characters"),
        pytest.param(lambda number: number + "1", ID_LENGTH, id="19 characters"),
        pytest.param(lambda number: number[:6] + number[8:17], ID_LENGTH, id="15 digits, the old format"),
        pytest.param(lambda number: number[:17] + "Y", ID_CHARACTERS, id="a letter other than X"),
        pytest.param(lambda number: number[:16] + "X" + number[17], ID_CHARACTERS, id="X not last"),
        pytest.param(lambda number: number[:17] + "?", ID_CHARACTERS, id="a sign"),
        pytest.param(
            lambda number: with_ric_check(number[:10] + "0230" + number[14:17]),
            ID_COMPONENT,
            id="30 February",
        ),
        pytest.param(
            lambda number: with_ric_check(number[:10] + "13" + number[12:17]), ID_COMPONENT, id="thirteenth month"
        ),
        pytest.param(
            lambda number: with_ric_check("990000" + number[6:17]), ID_COMPONENT, id="a region that does not exist"
        ),
        pytest.param(
            lambda number: with_wrong_ric_check(number[:10] + "0230" + number[14:17]),
            ID_COMPONENT,
            id="impossible date and a wrong check digit too",
        ),
        pytest.param(lambda number: number[:17] + other_char(number[17]), ID_CHECK_DIGIT, id="check digit"),
    ],
)
def test_a_resident_id_that_cannot_be_valid_says_what_is_wrong(idp: IdpDriver, wrong: Spelling, message: str) -> None:
    identity = idp.identity()
    typed = wrong(identity["legal_person_id_number"])
    page = rejected(post_identity(idp, {**identity, "legal_person_id_number": typed}))
    only_error(page, ID_NUMBER, message)
    assert page.field(ID_NUMBER).attrs["value"] == typed
    step_one_is_not_done(idp)


# --- R4 sees the same unit and person however they were typed ------------------------------


def test_r4_catches_the_same_unit_typed_the_other_way(idp: IdpDriver) -> None:
    existing = idp.seed_account()
    organization_code = existing["credit_code"][8:17]
    same_person = idp.identity(
        credit_code=f"{full_width(organization_code[:8])}－{full_width(organization_code[8])}",
        legal_person_id_number=existing["legal_person_id_number"][:9] + ZWSP + existing["legal_person_id_number"][9:],
    )
    page = rejected(post_identity(idp, same_person))
    assert page.alerts() == [R4]


def test_r4_catches_a_seed_typed_in_full_width_when_registering_in_ascii(idp: IdpDriver) -> None:
    identity = idp.identity()
    idp.seed_account(
        credit_code=full_width(identity["credit_code"]),
        legal_person_id_number=BOM + full_width(identity["legal_person_id_number"]),
    )
    assert rejected(post_identity(idp, identity)).alerts() == [R4]


def test_a_refused_step_one_gives_back_what_was_typed(idp: IdpDriver) -> None:
    identity = idp.identity()
    number = identity["legal_person_id_number"]
    typed = {
        **identity,
        "credit_code": full_width(identity["credit_code"]),
        "legal_person_id_number": number[:4] + ZWSP + number[4:],
    }
    page = rejected(post_identity(idp, typed, captcha=full_width("zzzz")))
    assert page.alerts() == ["验证码错误或已过期，请重新输入"]
    assert page.field(CREDIT_CODE).attrs["value"] == typed["credit_code"]
    assert page.field(ID_NUMBER).attrs["value"] == typed["legal_person_id_number"]
    assert "value" not in page.field("验证码").attrs


# --- 创建账号: mobile and account name --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("139 1234 5678", id="in groups"),
        pytest.param("139-1234-5678", id="hyphens"),
        pytest.param("+86 139 1234 5678", id="country code"),
        pytest.param("0086 13912345678", id="country code with 00"),
        pytest.param(full_width("13912345678"), id="full-width"),
        pytest.param(BOM + "139" + ZWSP + "12345678", id="invisible characters"),
    ],
)
def test_a_mobile_as_people_type_it_is_accepted_and_stored_canonically(idp: IdpDriver, typed: str) -> None:
    register(idp, "mobile_typed", mobile=typed)
    assert idp.account("mobile_typed")["mobile"] == "13912345678"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("", MOBILE_REQUIRED, id="empty"),
        pytest.param(f" {ZWSP} ", MOBILE_REQUIRED, id="only invisible characters"),
        pytest.param("1391234567", MOBILE_LENGTH, id="10 digits"),
        pytest.param("139123456789", MOBILE_LENGTH, id="12 digits"),
        pytest.param("139 1234 567", MOBILE_LENGTH, id="10 digits in groups"),
        pytest.param(full_width("1391234567"), MOBILE_LENGTH, id="10 full-width digits"),
        pytest.param("12912345678", MOBILE_INVALID, id="no such mobile prefix"),
        pytest.param("1391234567a", MOBILE_INVALID, id="a letter"),
        pytest.param("+1 415 555 0100", MOBILE_INVALID, id="not a mainland number"),
    ],
)
def test_a_mobile_that_cannot_be_valid_says_what_is_wrong(idp: IdpDriver, typed: str, message: str) -> None:
    assert post_identity(idp, idp.identity()).status_code == 303
    page = rejected(post_account(idp, "mobile_wrong", mobile=typed))
    only_error(page, MOBILE, message)
    assert page.field(MOBILE).attrs["value"] == typed
    assert idp.http.get("/_control/accounts/mobile_wrong").status_code == 404


def test_an_account_name_in_full_width_is_stored_canonically_and_logs_in_either_way(idp: IdpDriver) -> None:
    register(idp, BOM + full_width("Corp_Admin1"))
    account = idp.account("Corp_Admin1")
    assert account["account"] == "Corp_Admin1"
    # Read back in another spelling: the control interface compares names the same way.
    assert idp.account(full_width("corp_admin1"))["subject"] == account["subject"]
    idp.advance(days=4)  # past the review
    assert idp.login("corp_admin1", PASSWORD).status_code == 302
    assert idp.login(full_width("Corp_Admin1") + ZWSP, PASSWORD).status_code == 302


def test_an_account_name_taken_in_another_spelling_is_taken(idp: IdpDriver) -> None:
    idp.seed_account(account="taken_name")
    assert post_identity(idp, idp.identity()).status_code == 303
    typed = full_width("TAKEN_NAME")
    page = rejected(post_account(idp, typed, mobile=full_width("13712345678")))
    only_error(page, "一证通账号", "该一证通账号已被注册")
    # What the user typed comes back as typed, passwords do not.
    assert page.field("一证通账号").attrs["value"] == typed
    assert page.field(MOBILE).attrs["value"] == full_width("13712345678")
    assert "value" not in page.field("密码").attrs


# --- 口令登录: account name and captcha ---------------------------------------------------------


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda answer: full_width(answer.lower()), id="full-width lower case"),
        pytest.param(lambda answer: f" {answer[:2]} {ZWSP}{answer[2:]} ", id="spaces and a zero-width space"),
    ],
)
def test_a_captcha_answer_as_people_type_it_is_accepted(
    idp: IdpDriver, seeded: dict[str, Any], spell: Spelling
) -> None:
    page = idp.open(login_url())
    answer = spell(idp.captcha_answer(page))
    posted = idp.post_form(
        login_url(),
        {"username": seeded["account"], "password": PASSWORD, "captcha": answer, "captcha_id": page.captcha_id},
    )
    assert posted.status_code == 302, page_of(posted).alerts()


def test_a_captcha_of_only_invisible_characters_is_empty(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    page = page_of(idp.login(seeded["account"], PASSWORD, captcha=ZWSP))
    assert page.alerts() == ["请输入验证码"]


def test_a_full_width_captcha_passes_registration_step_one(idp: IdpDriver) -> None:
    page = idp.open(with_goto("/am/register", GOTO))
    data = {
        **idp.identity(),
        "goto": GOTO,
        "captcha_id": page.captcha_id,
        "captcha": full_width(idp.captcha_answer(page).lower()),
    }
    assert idp.post_form(with_goto("/am/register", GOTO), data).status_code == 303


def test_a_login_name_in_full_width_logs_in(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    assert idp.login(BOM + full_width(seeded["account"].upper()), PASSWORD).status_code == 302


def test_wrong_passwords_under_every_spelling_of_a_name_count_towards_one_lockout(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    name = seeded["account"]
    for typed in (name, full_width(name), name.upper(), BOM + name, full_width(name.upper())):
        assert page_of(idp.login(typed, "Wrong0000")).alerts() == ["用户名或密码错误"]
    assert idp.account(name)["locked_until"] is not None
    assert page_of(idp.login(name, PASSWORD)).alerts() == ["密码错误次数过多，账号已锁定，请30分钟后再试"]


def test_an_unknown_name_under_every_spelling_locks_like_a_real_one(idp: IdpDriver) -> None:
    # Otherwise the lock message would show up for real accounts only, and tell which names exist (R5).
    name = "ghost_name"
    for typed in (name, full_width(name), name.upper(), BOM + name, full_width(name.upper())):
        assert page_of(idp.login(typed, "Wrong0000")).alerts() == ["用户名或密码错误"]
    assert page_of(idp.login(name, "Wrong0000")).alerts() == ["密码错误次数过多，账号已锁定，请30分钟后再试"]


def test_a_login_name_of_only_invisible_characters_is_empty(idp: IdpDriver) -> None:
    assert page_of(idp.login(BOM + ZWSP, PASSWORD)).alerts() == ["请输入一证通账号"]


def test_a_refused_login_gives_back_the_name_as_typed(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    typed = full_width(seeded["account"])
    page = page_of(idp.login(typed, "Wrong0000"))
    assert page.field("用户名").attrs["value"] == typed


# --- the control interface's seeds --------------------------------------------------------------


def test_a_seed_in_any_spelling_is_stored_canonically(idp: IdpDriver) -> None:
    identity = idp.identity()
    idp.seed_account(
        account=full_width("Seeded_Typed"),
        mobile="+86 138-0013-8000",
        credit_code=BOM + full_width(identity["credit_code"].lower()),
        legal_person_id_number=identity["legal_person_id_number"][:3] + ZWSP + identity["legal_person_id_number"][3:],
    )
    view = idp.account(full_width("seeded_typed"))
    assert view["account"] == "Seeded_Typed"
    assert view["mobile"] == "13800138000"
    assert view["credit_code"] == identity["credit_code"]
    assert view["legal_person_id_number"] == identity["legal_person_id_number"]


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"mobile": "1380013800"}, MOBILE_LENGTH),
        ({"mobile": "12800138000"}, MOBILE_INVALID),
        ({"credit_code": "600037342"}, ORGANIZATION_CODE_CHECK),
        ({"legal_person_id_number": "11010519491231002"}, ID_LENGTH),
    ],
)
def test_a_seed_that_cannot_be_valid_is_refused_with_the_forms_message(
    idp: IdpDriver, overrides: dict[str, str], complaint: str
) -> None:
    body = {"account": "seeded", "password": PASSWORD, "mobile": "13800138000", **idp.identity(), **overrides}
    response = idp.http.post("/_control/accounts", json=body)
    assert response.status_code == 422
    assert complaint in response.text
