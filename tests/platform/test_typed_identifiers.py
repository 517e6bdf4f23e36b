"""Identifiers as people really type them, over HTTP: what a person sees as valid is valid (R1, R7, A1, W1).

A mobile number written "138 1234 5678", "+86 13812345678" or in full-width digits, an SMS
code in full-width digits, a username with a pasted zero-width space: each is read through
its one function of ``mock_servers.common.identifiers`` before it is checked, stored or
compared, on the website, in the app and in the control interface alike.  What is stored is
the canonical form (the control interface reads it back); a refused form gives back what the
user typed.  A number that still cannot be valid says what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from fixtures.test_data import Enterprise, PlatformAccount
from tests.platform.support import (
    AppAccount,
    alerts,
    app_log_in,
    full_width,
    input_tag,
    log_in,
    seed_app_user,
    seed_user,
    send_code,
)

ZWSP = "\u200b"
BOM = "\ufeff"

# How a person may write a mobile number: the canonical 11 digits are what is stored.
Spelling = Callable[[str], str]
MOBILE_SPELLINGS = [
    pytest.param(lambda m: f"{m[:3]} {m[3:7]} {m[7:]}", id="spaced-3-4-4"),
    pytest.param(lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}", id="hyphenated"),
    pytest.param(lambda m: f"+86 {m}", id="plus-86"),
    pytest.param(lambda m: f"0086{m}", id="0086"),
    pytest.param(full_width, id="full-width-digits"),
    pytest.param(lambda m: full_width(f"+86 {m[:3]} {m[3:7]} {m[7:]}"), id="full-width-plus-86-spaced"),
    pytest.param(lambda m: f" {m[:5]}{ZWSP}{m[5:]} ", id="zero-width-space-and-blanks"),
    pytest.param(lambda m: BOM + m, id="byte-order-mark"),
]

# A number that still cannot be valid once read like that, and what the page says.
MOBILE_MESSAGES = [
    pytest.param("", "请输入手机号码", id="empty"),
    pytest.param(f" {ZWSP} ", "请输入手机号码", id="only-blanks-and-invisible"),
    pytest.param("1381234567", "手机号码应为11位", id="10-digits"),
    pytest.param("138 1234 567", "手机号码应为11位", id="10-digits-spaced"),
    pytest.param("138123456789", "手机号码应为11位", id="12-digits"),
    pytest.param(full_width("1381234567"), "手机号码应为11位", id="10-full-width-digits"),
    pytest.param("23812345678", "手机号码格式不正确", id="not-starting-1x"),
    pytest.param("12812345678", "手机号码格式不正确", id="starting-12"),
    pytest.param("1381234567a", "手机号码格式不正确", id="letter"),
    pytest.param("138.1234.5678", "手机号码格式不正确", id="dots"),
]


def web_registration(account: PlatformAccount, **typed: str) -> dict[str, str]:
    """The website's 用户注册 form as ``account``'s owner fills it in, with ``typed`` instead."""
    form = {
        "username": account.username,
        "mobile": account.mobile,
        "password": account.password,
        "password_confirm": account.password,
        "agree": "yes",
    }
    return {**form, **typed}


def app_registration(account: AppAccount, sms_code: str, **typed: str) -> dict[str, str]:
    """The app's 注册 form as ``account``'s owner fills it in, with ``typed`` instead."""
    form = {
        "mobile": account.mobile,
        "sms_code": sms_code,
        "password": account.password,
        "nickname": account.nickname,
        "user_type": account.user_type,
    }
    return {**form, **typed}


def stored_mobile(client: TestClient, username: str) -> str:
    response = client.get(f"/_control/users/{username}")
    assert response.status_code == 200, response.text
    mobile: str = response.json()["mobile"]
    return mobile


def field_error(html: str, name: str) -> str | None:
    """The message under field ``name`` (both front ends give it the id ``<name>-error``)."""
    match = re.search(rf'<p role="alert" class="field-error" id="{name}-error">(.*?)</p>', html)
    return match.group(1) if match else None


# --- the website: 用户注册 and 用户登录 ------------------------------------------------------


@pytest.mark.parametrize("spell", MOBILE_SPELLINGS)
def test_website_registration_takes_the_number_as_written(
    client: TestClient, platform_account: PlatformAccount, spell: Spelling
) -> None:
    response = client.post("/register", data=web_registration(platform_account, mobile=spell(platform_account.mobile)))
    assert response.status_code == 303, alerts(response.text)
    assert stored_mobile(client, platform_account.username) == platform_account.mobile
    # Stored canonical: the plain number logs in, and is taken for the next registration.
    assert log_in(client, platform_account.mobile, platform_account.password) == "/"
    other = platform_account.model_copy(update={"username": "another1"})
    response = client.post("/register", data=web_registration(other))
    assert alerts(response.text) == ["该手机号码已被注册"]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(lambda u: u[:3] + ZWSP + u[3:], id="zero-width-space"),
        pytest.param(lambda u: BOM + u, id="byte-order-mark"),
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda u: f"  {u}  ", id="blanks"),
    ],
)
def test_website_registration_takes_a_username_with_what_nobody_sees(
    client: TestClient, platform_account: PlatformAccount, typed: Spelling
) -> None:
    username = platform_account.username
    response = client.post("/register", data=web_registration(platform_account, username=typed(username)))
    assert response.status_code == 303, alerts(response.text)
    assert client.get(f"/_control/users/{username}").json()["username"] == username
    # Both ways round: the plain name logs in, and so does the name typed the odd way.
    assert log_in(client, username, platform_account.password) == "/"
    assert log_in(client, typed(username), platform_account.password) == "/"
    # The odd spelling of a name that exists is the same name: taken.
    again = web_registration(platform_account, username=typed(username.upper()), mobile="13900001111")
    assert alerts(client.post("/register", data=again).text) == ["该用户名已被注册"]


@pytest.mark.parametrize("spell", MOBILE_SPELLINGS)
def test_website_login_by_the_number_as_written(
    client: TestClient, platform_account: PlatformAccount, spell: Spelling
) -> None:
    seed_user(client, platform_account)
    assert log_in(client, spell(platform_account.mobile), platform_account.password) == "/"
    assert platform_account.username in client.get("/user/center").text


def test_website_login_with_only_invisible_characters_is_empty(client: TestClient) -> None:
    response = client.post("/login", data={"login_id": f" {ZWSP}{BOM} ", "password": "abc12345"})
    assert alerts(response.text) == ["请输入用户名/手机号码"]


def test_website_login_failure_gives_back_what_was_typed(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(client, platform_account)
    typed = f"+86 {platform_account.mobile}"
    response = client.post("/login", data={"login_id": typed, "password": "wrong1234"})
    assert alerts(response.text) == ["用户名或密码错误"]
    assert f'value="{typed}"' in input_tag(response.text, "login_id")


@pytest.mark.parametrize(("typed", "message"), MOBILE_MESSAGES)
def test_website_registration_says_what_is_wrong_with_a_number(
    client: TestClient, platform_account: PlatformAccount, typed: str, message: str
) -> None:
    response = client.post("/register", data=web_registration(platform_account, mobile=typed))
    assert response.status_code == 200
    assert alerts(response.text) == [message]
    assert field_error(response.text, "mobile") == message
    # Given back as typed (blanks and all), never "corrected".
    assert f'value="{typed}"' in input_tag(response.text, "mobile")
    assert client.get(f"/_control/users/{platform_account.username}").status_code == 404


def test_website_refused_form_gives_back_the_username_as_typed(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    typed = " " + platform_account.username[:2] + ZWSP + platform_account.username[2:]
    response = client.post("/register", data=web_registration(platform_account, username=typed, mobile="123"))
    assert alerts(response.text) == ["手机号码应为11位"]
    assert f'value="{typed}"' in input_tag(response.text, "username")
    assert 'value="123"' in input_tag(response.text, "mobile")


def test_the_number_fields_leave_room_for_spaces_and_plus_86(client: TestClient) -> None:
    # A browser cuts typing at maxlength: "+86 138 1234 5678" must fit before the server reads it.
    assert 'maxlength="20"' in input_tag(client.get("/register").text, "mobile")
    assert 'inputmode="tel"' in input_tag(client.get("/register").text, "mobile")
    for path in ("/m/register", "/m/login"):
        field = input_tag(client.get(path).text, "mobile")
        assert 'maxlength="20"' in field
        assert 'inputmode="tel"' in field
    assert 'maxlength="10"' in input_tag(client.get("/m/register").text, "sms_code")


# --- the app: 获取验证码, 注册, 登录 ------------------------------------------------------------


@pytest.mark.parametrize("spell", MOBILE_SPELLINGS)
def test_app_registration_with_the_number_as_written(
    client: TestClient, app_account: AppAccount, spell: Spelling
) -> None:
    typed = spell(app_account.mobile)
    code = send_code(client, typed)
    response = client.post("/m/register", data=app_registration(app_account, code, mobile=typed))
    assert response.status_code == 303, alerts(response.text)
    # Stored canonical: the username and the number are the 11 digits.
    user = client.get(f"/_control/users/{app_account.mobile}").json()
    assert (user["username"], user["mobile"]) == (app_account.mobile, app_account.mobile)
    # The code went to the canonical number's outbox.
    [sms] = client.get("/_control/sms").json()
    assert sms["mobile"] == app_account.mobile


@pytest.mark.parametrize(
    "typed_code",
    [
        pytest.param(full_width, id="full-width-digits"),
        pytest.param(lambda code: f"{code[:3]} {code[3:]}", id="spaced-3-3"),
        pytest.param(lambda code: code + ZWSP, id="zero-width-space"),
        pytest.param(lambda code: f" {code} ", id="blanks"),
    ],
)
def test_app_registration_with_the_sms_code_as_typed(
    client: TestClient, app_account: AppAccount, typed_code: Spelling
) -> None:
    code = send_code(client, app_account.mobile)
    response = client.post("/m/register", data=app_registration(app_account, typed_code(code)))
    assert response.status_code == 303, alerts(response.text)
    # Used up under its canonical spelling: the plain code is now "used".
    again = client.post("/m/register", data=app_registration(app_account, code))
    assert alerts(again.text) == ["短信验证码已使用，请重新获取"]


def test_app_registration_code_and_number_in_different_spellings(client: TestClient, app_account: AppAccount) -> None:
    mobile = app_account.mobile
    code = send_code(client, f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}")
    form = app_registration(app_account, full_width(code), mobile=f"+86{mobile}")
    assert client.post("/m/register", data=form).status_code == 303


def test_app_full_width_wrong_code_is_still_wrong(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    other = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/m/register", data=app_registration(app_account, full_width(other)))
    assert alerts(response.text) == ["短信验证码错误"]


@pytest.mark.parametrize(("typed", "message"), MOBILE_MESSAGES)
def test_app_registration_says_what_is_wrong_with_a_number(
    client: TestClient, app_account: AppAccount, typed: str, message: str
) -> None:
    response = client.post("/m/register", data=app_registration(app_account, "123456", mobile=typed))
    assert alerts(response.text) == [message]
    assert field_error(response.text, "mobile") == message
    assert f'value="{typed}"' in input_tag(response.text, "mobile")
    assert 'value=""' in input_tag(response.text, "sms_code")


def test_app_refused_form_gives_back_what_was_typed_except_password_and_code(
    client: TestClient, app_account: AppAccount
) -> None:
    typed_mobile = f"+86 {app_account.mobile[:3]} {app_account.mobile[3:]}"
    typed_nickname = f"  {app_account.nickname} "
    form = app_registration(app_account, full_width("123456"), mobile=typed_mobile, nickname=typed_nickname)
    response = client.post("/m/register", data={**form, "password": "short"})
    assert alerts(response.text) == ["密码须为6-20位字母和数字的组合"]
    assert f'value="{typed_mobile}"' in input_tag(response.text, "mobile")
    assert f'value="{typed_nickname}"' in input_tag(response.text, "nickname")
    assert 'value=""' in input_tag(response.text, "sms_code")
    assert "value=" not in input_tag(response.text, "password")


@pytest.mark.parametrize(("typed", "message"), MOBILE_MESSAGES)
def test_app_get_code_says_what_is_wrong_with_a_number(client: TestClient, typed: str, message: str) -> None:
    response = client.post("/m/sms", data={"mobile": typed})
    assert response.status_code == 422
    assert response.json() == {"field": "mobile", "message": message, "resend_after": 0}
    assert client.get("/_control/sms").json() == []


@pytest.mark.parametrize(("typed", "message"), MOBILE_MESSAGES)
def test_app_login_says_what_is_wrong_with_a_number(client: TestClient, typed: str, message: str) -> None:
    response = client.post("/m/login", data={"mobile": typed, "password": "abc12345"})
    assert alerts(response.text) == [message]
    assert f'value="{typed}"' in input_tag(response.text, "mobile")


@pytest.mark.parametrize("spell", MOBILE_SPELLINGS)
def test_app_login_by_the_number_as_written(client: TestClient, app_account: AppAccount, spell: Spelling) -> None:
    seed_app_user(client, app_account)
    assert app_log_in(client, spell(app_account.mobile), app_account.password) == "/m/"
    assert f'<p class="profile__name">{app_account.nickname}</p>' in client.get("/m/me").text


def test_get_code_counts_every_spelling_as_one_phone(client: TestClient, app_account: AppAccount) -> None:
    mobile = app_account.mobile
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    assert client.post("/m/sms", data={"mobile": spaced}).status_code == 200
    # The same phone written plainly: still inside the 60 s countdown.
    response = client.post("/m/sms", data={"mobile": mobile})
    assert response.status_code == 429
    assert response.json()["message"] == "验证码发送过于频繁，请60秒后再试"
    assert client.post("/m/sms", data={"mobile": f"+86 {full_width(mobile)}"}).status_code == 429
    # The countdown and the outbox know it under any spelling.
    for typed in (mobile, spaced, full_width(mobile)):
        assert client.get("/m/sms/cooldown", params={"mobile": typed}).json() == {"resend_after": 60}
        [sms] = client.get("/_control/sms", params={"mobile": typed}).json()
        assert sms["mobile"] == mobile


def test_get_code_hourly_limit_counts_every_spelling_as_one_phone(client: TestClient, app_account: AppAccount) -> None:
    mobile = app_account.mobile
    spellings = [mobile, f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"+86{mobile}", full_width(mobile), mobile]
    for typed in spellings:
        assert client.post("/m/sms", data={"mobile": typed}).status_code == 200
        assert client.post("/_control/clock/advance", json={"seconds": 61}).status_code == 200
    response = client.post("/m/sms", data={"mobile": f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"})
    assert response.status_code == 429
    assert response.json()["message"] == "该手机号码获取验证码次数过多，请1小时后再试"
    assert len(client.get("/_control/sms", params={"mobile": mobile}).json()) == 5


def test_get_code_for_a_registered_number_in_another_spelling(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    response = client.post("/m/sms", data={"mobile": f"+86 {app_account.mobile}"})
    assert response.status_code == 409
    assert response.json()["message"] == "该手机号码已注册"


# --- the control interface --------------------------------------------------------------------


def test_seeded_accounts_are_stored_canonical(
    client: TestClient, platform_account: PlatformAccount, app_account: AppAccount, colleague: PlatformAccount
) -> None:
    body = {
        "username": full_width(platform_account.username[:2]) + ZWSP + platform_account.username[2:],
        "mobile": f"+86 {platform_account.mobile[:3]} {platform_account.mobile[3:]}",
        "password": platform_account.password,
    }
    created = client.post("/_control/users", json=body)
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["username"], user["mobile"]) == (platform_account.username, platform_account.mobile)
    # An app account, by another number.
    mobile = colleague.mobile
    app_body = {"mobile": full_width(mobile), "password": "abc12345", "nickname": "小王", "user_type": "personal"}
    created = client.post("/_control/users", json=app_body)
    assert created.status_code == 201, created.text
    assert (created.json()["username"], created.json()["mobile"]) == (mobile, mobile)
    assert client.get(f"/_control/users/{platform_account.username}{ZWSP}").status_code == 200


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(str.lower, id="lower-case"),
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda code: f"{code[:2]} {code[2:8]} {code[8:]}", id="spaced"),
        pytest.param(lambda code: code[:8] + ZWSP + code[8:], id="zero-width-space"),
        pytest.param(lambda code: BOM + code, id="byte-order-mark"),
    ],
)
def test_control_bindings_take_any_spelling_of_a_credit_code(
    client: TestClient, platform_account: PlatformAccount, enterprise: Enterprise, spell: Spelling
) -> None:
    seed_user(client, platform_account)
    code = enterprise.credit_code
    body = {"credit_code": spell(code), "enterprise_name": enterprise.name, "username": platform_account.username}
    created = client.post("/_control/bindings", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["credit_code"] == code
    assert client.get(f"/_control/bindings/{spell(code)}").json()["credit_code"] == code
    assert client.get(f"/_control/users/{platform_account.username}").json()["enterprise"]["credit_code"] == code
    assert client.delete(f"/_control/bindings/{spell(code)}").status_code == 204
    assert client.get("/_control/bindings").json() == []


def test_control_binding_with_nothing_but_invisible_characters_is_refused(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    seed_user(client, platform_account)
    body = {"credit_code": ZWSP + BOM, "enterprise_name": "某公司", "username": platform_account.username}
    response = client.post("/_control/bindings", json=body)
    assert response.status_code == 422
    assert "has no code in it" in response.json()["detail"]
    assert client.get("/_control/bindings").json() == []
