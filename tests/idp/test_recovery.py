"""找回密码 on a PC (常见问题 Q2): 验证身份, then 设置新密码 with an SMS code to the registered mobile.

An account opened another way (电子营业执照, 支付宝 …) has no password, so 口令登录 cannot
succeed; 忘记密码? on the login page gives it one.  步骤1 checks the account against the legal
representative's ID number (one message for an unknown account and a wrong number) and starts
a recovery under a fresh cookie; 步骤2 sends a code to the account's registered mobile and takes
it with the new password.  Re-registering is the guide's other way out.
"""

from __future__ import annotations

from typing import Any, Final

import httpx
import pytest

from mock_servers.idp.pages import login_url, with_goto
from tests.idp.driver import (
    GOTO,
    PASSWORD,
    HtmlPage,
    IdpDriver,
    full_width,
    page_of,
    post_account,
    post_identity,
    rejected,
)

FORGOT: Final = with_goto("/am/password/forgot", GOTO)
RESET: Final = with_goto("/am/password/reset", GOTO)
SEND_CODE: Final = with_goto("/am/password/reset/sms", GOTO)
NEW_PASSWORD: Final = "NewPassw0rd"
# Where the test client's cookie jar files the IdP's cookies (http.cookiejar adds ".local" to a dotless host).
COOKIE_DOMAIN: Final = "testserver.local"

HELP_LINE: Final = "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090"
MISMATCH: Final = "一证通账号与法人代表身份证号不匹配"
DONE: Final = "密码已重置，请使用新密码登录"
BAD_CREDENTIALS: Final = "用户名或密码错误"
SMS_CODE: Final = "短信验证码"


def verify_identity(idp: IdpDriver, account: str, id_number: str, *, captcha: str | None = None) -> httpx.Response:
    """步骤1: open the page and submit the account, the ID number and the captcha (right unless given)."""
    page = idp.open(FORGOT)
    data = {
        "goto": page.hidden("goto"),
        "account": account,
        "legal_person_id_number": id_number,
        "captcha_id": page.captcha_id,
        "captcha": idp.captcha_answer(page) if captcha is None else captcha,
    }
    return idp.post_form(FORGOT, data)


def at_step_two(idp: IdpDriver, seeded: dict[str, Any]) -> HtmlPage:
    """Pass 步骤1 for ``seeded`` and open 步骤2."""
    response = verify_identity(idp, seeded["account"], seeded["legal_person_id_number"])
    assert response.status_code == 303, page_of(response).alerts()
    assert response.headers["location"] == RESET
    return idp.open(RESET)


def send_code(idp: IdpDriver) -> httpx.Response:
    """获取短信验证码: the button submits the form its ``form`` attribute names."""
    return idp.post_form(SEND_CODE, {})


def received_code(idp: IdpDriver, mobile: str) -> str:
    """The newest code the phone received."""
    received = idp.sms_outbox(mobile)
    assert received, f"{mobile} received no text message"
    code: str = received[0]["code"]
    return code


def set_new_password(
    idp: IdpDriver, code: str, password: str = NEW_PASSWORD, confirm: str | None = None
) -> httpx.Response:
    """步骤2: 短信验证码, 新密码, 确认新密码, 确定."""
    data = {
        "goto": GOTO,
        "sms_code": code,
        "new_password": password,
        "new_password_confirm": password if confirm is None else confirm,
    }
    return idp.post_form(RESET, data)


def assert_step(page: HtmlPage, step: str) -> None:
    """The page is ``step`` of 找回密码: its heading, its place in the steps, and the help line."""
    assert page.title == f"{step} - 找回密码 - 北京市统一身份认证平台"
    assert page.headings(2) == [step]
    steps = page.root.find("ol", aria_label="找回密码步骤")
    assert [li.text() for li in steps.find_all("li")] == ["验证身份", "设置新密码", "重置完成"]
    assert steps.find(aria_current="step").text() == step
    assert HELP_LINE in [p.text() for p in page.root.find("main").find_all("p")]


@pytest.fixture
def no_password(idp: IdpDriver) -> dict[str, Any]:
    """An account opened another way: no password (常见问题 Q2)."""
    return idp.seed_account(password=None, mobile="13812345678")


# --- 步骤1 验证身份 ---------------------------------------------------------------------------


def test_forgot_password_on_the_login_page_opens_step_one(idp: IdpDriver) -> None:
    login = idp.open(login_url(GOTO))
    page = idp.open(login.link("忘记密码?"))
    assert_step(page, "验证身份")
    for label in ("一证通账号", "法人代表身份证号", "验证码"):
        assert page.field(label).attrs["aria-required"] == "true"
    assert page.field("一证通账号").attrs["placeholder"] == "请输入一证通账号"
    assert page.field("法人代表身份证号").attrs["placeholder"] == "请填写企业法人代表身份证号"
    assert page.root.find("img", alt="验证码图片")
    assert page.link("换一张") == FORGOT
    assert page.has_button("下一步")
    assert page.link("返回登录") == login_url(GOTO)
    assert page.hidden("goto") == GOTO


def test_step_one_names_every_missing_field(idp: IdpDriver) -> None:
    page = rejected(verify_identity(idp, "", "", captcha=""))
    assert page.error_of("一证通账号") == "请输入一证通账号"
    assert page.error_of("法人代表身份证号") == "请填写企业法人代表身份证号"
    assert page.error_of("验证码") == "请输入验证码"
    assert_step(page, "验证身份")


@pytest.mark.parametrize("who", ["known account, another person's ID number", "unknown account, the right ID number"])
def test_an_unknown_account_reads_exactly_like_a_wrong_id_number(
    idp: IdpDriver, no_password: dict[str, Any], who: str
) -> None:
    if who.startswith("known"):
        account, number = no_password["account"], idp.identity()["legal_person_id_number"]
    else:
        account, number = "nobody_here", no_password["legal_person_id_number"]
    response = verify_identity(idp, account, number)
    page = rejected(response)
    assert page.alerts() == [MISMATCH]
    assert_step(page, "验证身份")
    # What was typed comes back (the captcha does not); no recovery was started.
    assert page.field("一证通账号").attrs["value"] == account
    assert page.field("法人代表身份证号").attrs["value"] == number
    assert "value" not in page.field("验证码").attrs
    assert "yzt_recovery" not in response.headers.get("set-cookie", "")
    assert idp.get(RESET).headers["location"] == FORGOT


def test_a_wrong_captcha_starts_no_recovery(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    page = rejected(verify_identity(idp, no_password["account"], no_password["legal_person_id_number"], captcha="ZZZZ"))
    assert page.error_of("验证码") == "验证码错误或已过期，请重新输入"
    assert idp.get(RESET).status_code == 303


def test_step_one_takes_identifiers_as_people_type_them(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    number = no_password["legal_person_id_number"]
    response = verify_identity(
        idp, "\ufeff" + full_width(no_password["account"].upper()), number[:6] + "\u200b" + full_width(number[6:])
    )
    assert response.status_code == 303, page_of(response).alerts()


def test_step_two_without_step_one_goes_back_to_step_one_keeping_goto(idp: IdpDriver) -> None:
    for response in (idp.get(RESET), send_code(idp), set_new_password(idp, "123456")):
        assert response.status_code == 303
        assert response.headers["location"] == FORGOT


def test_a_recovery_id_the_browser_sends_is_never_taken_over(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    # A planted cookie opens nothing, and passing 步骤1 issues a new id rather than adopting it.
    idp.http.cookies.set("yzt_recovery", "planted-by-someone-else", domain=COOKIE_DOMAIN)
    assert idp.get(RESET).status_code == 303
    at_step_two(idp, no_password)
    first = idp.http.cookies["yzt_recovery"]
    assert first != "planted-by-someone-else"
    at_step_two(idp, no_password)
    second = idp.http.cookies["yzt_recovery"]
    assert second != first
    # Starting over ended the first recovery.
    elsewhere = idp.new_browser()
    elsewhere.http.cookies.set("yzt_recovery", first, domain=COOKIE_DOMAIN)
    assert elsewhere.get(RESET).status_code == 303


# --- 步骤2 设置新密码 ---------------------------------------------------------------------------


def test_step_two_shows_the_masked_mobile_and_sends_nothing_until_asked(
    idp: IdpDriver, no_password: dict[str, Any]
) -> None:
    page = at_step_two(idp, no_password)
    assert_step(page, "设置新密码")
    assert "短信验证码将发送至一证通账号登记的手机号码：138****5678" in page.root.find("main").text()
    assert "13812345678" not in page.html
    assert page.statuses() == []
    assert idp.sms_outbox("13812345678") == []

    code = page.field(SMS_CODE)
    assert code.attrs["placeholder"] == "请输入短信验证码"
    assert code.attrs["autocomplete"] == "one-time-code"
    button = next(b for b in page.root.find_all("button") if b.text() == "获取短信验证码")
    # The button submits a form of its own, which asks for a code (so Enter in a field means 确定).
    assert page.root.find("form", id=button.attrs["form"]).attrs["action"] == SEND_CODE
    assert page.field("新密码").attrs["type"] == "password"
    assert page.field("确认新密码").attrs["type"] == "password"
    assert page.has_button("确定")
    assert page.link("返回登录") == login_url(GOTO)


def test_the_code_goes_to_the_accounts_registered_mobile(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    # A mobile number in the request is no way to have the code sent elsewhere.
    page = page_of(idp.post_form(SEND_CODE, {"mobile": "13900000000"}))
    assert_step(page, "设置新密码")
    assert page.statuses() == ["短信验证码已发送至138****5678"]
    assert idp.sms_outbox("13900000000") == []
    [sms] = idp.sms_outbox("13812345678")
    assert sms["purpose"] == "reset_password"
    assert sms["code"].isdigit()
    assert len(sms["code"]) == 6
    expected = f"【北京市统一身份认证平台】您的验证码为{sms['code']}，5分钟内有效。如非本人操作，请忽略本短信。"
    assert sms["text"] == expected


def test_a_second_code_waits_for_the_minute_to_pass(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    idp.advance(seconds=30)
    page = page_of(send_code(idp))
    assert page.error_of(SMS_CODE) == "验证码发送过于频繁，请30秒后再试"
    assert page.statuses() == []
    assert len(idp.sms_outbox("13812345678")) == 1
    idp.advance(seconds=31)
    assert page_of(send_code(idp)).statuses() == ["短信验证码已发送至138****5678"]
    assert len(idp.sms_outbox("13812345678")) == 2


def test_q2_the_reset_gives_an_account_without_a_password_one(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    assert page_of(idp.login(no_password["account"], NEW_PASSWORD)).alerts() == [BAD_CREDENTIALS]
    at_step_two(idp, no_password)
    send_code(idp)
    recovery_id = idp.http.cookies["yzt_recovery"]
    # The code as typed from the message on a phone with a full-width keyboard.
    response = set_new_password(idp, full_width(received_code(idp, "13812345678")))
    page = page_of(response)
    assert_step(page, "重置完成")
    assert page.statuses() == [DONE]
    assert page.link("返回登录") == login_url(GOTO)
    assert page.root.find_all("form") == []
    # The recovery is over: its cookie goes, and its step 2 is closed.
    assert 'yzt_recovery=""' in response.headers["set-cookie"]
    assert idp.get(RESET).status_code == 303
    replay = idp.new_browser()
    replay.http.cookies.set("yzt_recovery", recovery_id, domain=COOKIE_DOMAIN)
    assert replay.get(RESET).status_code == 303

    assert idp.account(no_password["account"])["has_password"] is True
    logged_in = idp.login(no_password["account"], NEW_PASSWORD, goto=GOTO)
    assert logged_in.status_code == 302
    assert logged_in.headers["location"] == GOTO


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(lambda code: "", "请输入短信验证码", id="empty"),
        pytest.param(lambda code: "\u200b", "请输入短信验证码", id="only a zero-width space"),
        pytest.param(lambda code: "000000" if code != "000000" else "111111", "短信验证码错误", id="wrong"),
    ],
)
def test_a_wrong_code_changes_nothing(idp: IdpDriver, no_password: dict[str, Any], typed: Any, message: str) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    page = page_of(set_new_password(idp, typed(received_code(idp, "13812345678"))))
    assert_step(page, "设置新密码")
    assert page.error_of(SMS_CODE) == message
    assert page.alerts() == [message]
    assert "value" not in page.field("新密码").attrs
    assert idp.account(no_password["account"])["has_password"] is False


def test_a_code_with_none_sent_is_wrong(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    assert page_of(set_new_password(idp, "123456")).error_of(SMS_CODE) == "短信验证码错误"
    assert idp.account(no_password["account"])["has_password"] is False


def test_a_code_expires_after_five_minutes(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    idp.advance(minutes=5, seconds=1)
    page = page_of(set_new_password(idp, received_code(idp, "13812345678")))
    assert page.error_of(SMS_CODE) == "短信验证码已过期，请重新获取"
    assert idp.account(no_password["account"])["has_password"] is False


def test_a_code_works_once(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    code = received_code(idp, "13812345678")
    assert page_of(set_new_password(idp, code)).statuses() == [DONE]
    at_step_two(idp, no_password)
    page = page_of(set_new_password(idp, code, "Another0001"))
    assert page.error_of(SMS_CODE) == "短信验证码已使用，请重新获取"
    assert idp.login(no_password["account"], NEW_PASSWORD).status_code == 302


def test_five_wrong_codes_retire_the_code(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    code = received_code(idp, "13812345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert page_of(set_new_password(idp, wrong)).error_of(SMS_CODE) == "短信验证码错误"
    page = page_of(set_new_password(idp, code))
    assert page.error_of(SMS_CODE) == "短信验证码错误次数过多，请重新获取"
    assert idp.account(no_password["account"])["has_password"] is False


@pytest.mark.parametrize(
    ("password", "confirm", "field", "message"),
    [
        pytest.param("", "", "新密码", "请设置新密码", id="empty"),
        pytest.param("short1", "short1", "新密码", "密码须为8-20位，且同时包含字母和数字", id="too short"),
        pytest.param("abcdefgh", "abcdefgh", "新密码", "密码须为8-20位，且同时包含字母和数字", id="no digit"),
        pytest.param(NEW_PASSWORD, "NewPassw0rx", "确认新密码", "两次输入的密码不一致", id="confirmation differs"),
    ],
)
def test_a_bad_new_password_changes_nothing_and_keeps_the_code_good(
    idp: IdpDriver, no_password: dict[str, Any], password: str, confirm: str, field: str, message: str
) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    code = received_code(idp, "13812345678")
    page = page_of(set_new_password(idp, code, password, confirm))
    assert page.error_of(field) == message
    assert page.alerts() == [message]
    assert idp.account(no_password["account"])["has_password"] is False
    # The right code was not used up by a form that changed nothing.
    assert page_of(set_new_password(idp, code)).statuses() == [DONE]


def test_a_bad_password_and_a_wrong_code_are_both_named(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    send_code(idp)
    code = received_code(idp, "13812345678")
    page = page_of(set_new_password(idp, "000000" if code != "000000" else "111111", "short"))
    assert page.error_of(SMS_CODE) == "短信验证码错误"
    assert page.error_of("新密码") == "密码须为8-20位，且同时包含字母和数字"


def test_the_reset_lifts_a_lockout(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    for _ in range(5):
        idp.login(seeded["account"], "Wrong0000")
    assert page_of(idp.login(seeded["account"], PASSWORD)).alerts() == ["密码错误次数过多，账号已锁定，请30分钟后再试"]
    at_step_two(idp, seeded)
    send_code(idp)
    assert page_of(set_new_password(idp, received_code(idp, seeded["mobile"]))).statuses() == [DONE]
    state = idp.account(seeded["account"])
    assert state["locked_until"] is None
    assert state["failed_logins"] == 0
    assert idp.login(seeded["account"], NEW_PASSWORD).status_code == 302


def test_the_reset_signs_out_whoever_used_the_old_password(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    other_computer = idp.new_browser()
    assert other_computer.login(seeded["account"], PASSWORD).status_code == 302
    assert other_computer.get("/am/UI/Welcome").status_code == 200
    at_step_two(idp, seeded)
    send_code(idp)
    set_new_password(idp, received_code(idp, seeded["mobile"]))
    assert other_computer.get("/am/UI/Welcome").headers["location"] == login_url()


def test_a_recovery_lasts_30_minutes(idp: IdpDriver, no_password: dict[str, Any]) -> None:
    at_step_two(idp, no_password)
    idp.advance(minutes=29)
    assert idp.get(RESET).status_code == 200
    send_code(idp)
    code = received_code(idp, "13812345678")
    idp.advance(minutes=1, seconds=1)
    # Every address of 步骤2 now sends the browser back to 步骤1, and nothing happens.
    for response in (idp.get(RESET), send_code(idp), set_new_password(idp, code)):
        assert response.status_code == 303
        assert response.headers["location"] == FORGOT
    assert len(idp.sms_outbox("13812345678")) == 1
    assert idp.account(no_password["account"])["has_password"] is False


# --- the other way out: register again --------------------------------------------------------


def test_q2_registering_again_gives_the_same_person_a_password_account(
    idp: IdpDriver, no_password: dict[str, Any]
) -> None:
    # R4 counts only password accounts, so the legal representative may register one now.
    identity = idp.identity(
        credit_code=no_password["credit_code"], legal_person_id_number=no_password["legal_person_id_number"]
    )
    assert post_identity(idp, identity).status_code == 303
    assert post_account(idp, "registered_again").status_code == 303
    idp.advance(days=4)
    assert idp.login("registered_again", PASSWORD, goto=GOTO).headers["location"] == GOTO
    # And with that, the unit and person have their one password account (R4).
    assert rejected(post_identity(idp, identity)).alerts() == [
        "一个办事人在同一个单位下，只能注册一个口令账号，该法人代表已注册过口令账号。"
    ]


# --- the control interface: the IdP's SMS outbox ----------------------------------------------


def test_the_outbox_is_newest_first_filtered_by_any_spelling_and_cleared_by_reset(idp: IdpDriver) -> None:
    first = idp.seed_account(password=None, mobile="13812345678")
    second = idp.seed_account(password=None, mobile="13987654321")
    for seeded in (first, second):
        at_step_two(idp, seeded)
        send_code(idp)
        idp.advance(seconds=61)
    everything = idp.control("GET", "/sms")
    assert [sms["mobile"] for sms in everything] == ["13987654321", "13812345678"]
    assert set(everything[0]) == {"mobile", "purpose", "text", "code", "sent_at"}
    assert [sms["mobile"] for sms in idp.sms_outbox("+86 138-1234-5678")] == ["13812345678"]
    assert idp.sms_outbox("13700000000") == []
    idp.control("POST", "/reset", expect=204)
    assert idp.control("GET", "/sms") == []
