"""The 北京通企服版 app's H5 pages under /m/ (A1, A2, R7, and Q1 in the app), without a browser.

Each test drives a fresh platform with FastAPI's TestClient, as ``test_web`` does; 企业认证
goes to the fake IdP of ``fake_idp``.  SMS codes are read from the control interface's
outbox (what a person reads on their phone), and every time rule is checked by moving the
mock's clock, never by waiting.  The markup checks pin down what the harness's page objects
find by role and label: labels, placeholders, headings, regions, the tab bar, alerts tied
to their fields.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.test_data import Enterprise, PlatformAccount
from tests.platform.fake_idp import FakeIdp
from tests.platform.support import (
    PHONE_UA,
    AppAccount,
    alerts,
    app_log_in,
    app_start,
    bind,
    callback,
    log_in,
    new_app,
    seed_app_user,
    seed_user,
    send_code,
    statuses,
)

DESKTOP_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
AGREEMENT_LINE = (
    '<p class="agreement-line">登录即代表您已阅读并同意<a href="/m/agreement/service">用户服务协议</a>'
    '和<a href="/m/agreement/privacy">隐私协议</a></p>'
)
CERTIFICATION_NOTE = (
    "如果没有一证通账号，请先在电脑上完成一证通注册（目前只能在PC端注册）；"
    "如果已有一证通账号，请选择“口令登录”，输入一证通账号和密码进行登录。"
)
ADVICE_WITH_LINKS = (
    "请咨询贵公司相关人员是否有过绑定，获取已被绑定的平台账号和密码，并用该账号重新登录平台网站或者APP，"
    "进行后续相关操作。若找不到已被绑定的平台账号和密码，需要申请解绑处理，"
    "请咨询北京市中小企业公共服务平台呼叫中心（"
    '<a class="tel" href="tel:010-82176966">010-82176966</a>/'
    '<a class="tel" href="tel:010-82176996">010-82176996</a>）。'
)
TABS = [("/m/", "首页"), ("/m/services", "服务"), ("/m/messages", "消息"), ("/m/me", "我的")]


@pytest.fixture
def app(idp: FakeIdp) -> FastAPI:
    return new_app(httpx.MockTransport(idp))


# --- helpers ------------------------------------------------------------------------------------


def tag(html: str, element: str, element_id: str) -> str:
    """The start tag of ``<element id=…>`` (attributes in any order)."""
    match = re.search(rf'<{element}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no <{element} id={element_id}>"
    return match.group(0)


def field_error(html: str, name: str) -> str | None:
    match = re.search(rf'<p role="alert" class="field-error" id="{name}-error">(.*?)</p>', html)
    return match.group(1) if match else None


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no <h1>"
    return match.group(1).strip()


def tab_bar(html: str) -> list[tuple[str, str, bool]]:
    """(href, label, current) of each link in the 底部导航, left to right."""
    nav = re.search(r'<nav class="tab-bar" aria-label="底部导航">(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    links = re.findall(
        r'<a class="tab" href="([^"]+)"( aria-current="page")?>.*?<span class="tab__label">(.*?)</span>',
        nav.group(1),
        re.S,
    )
    return [(href, label, bool(current)) for href, current, label in links]


def registration(account: AppAccount, sms_code: str, /, **overrides: str | None) -> dict[str, str]:
    """The 注册 form as ``account``'s owner fills it in, with ``overrides`` typed instead."""
    form: dict[str, str | None] = {
        "mobile": account.mobile,
        "sms_code": sms_code,
        "password": account.password,
        "nickname": account.nickname,
        "user_type": account.user_type,
    }
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def register(client: TestClient, account: AppAccount) -> httpx.Response:
    response: httpx.Response = client.post("/m/register", data=registration(account, send_code(client, account.mobile)))
    return response


def stored(client: TestClient, mobile: str) -> dict[str, Any] | None:
    """The account with this username (an app account's is its number), as the control interface shows it."""
    response = client.get(f"/_control/users/{mobile}")
    if response.status_code == 404:
        return None
    user: dict[str, Any] = response.json()
    return user


def advance(client: TestClient, **delta: float) -> None:
    assert client.post("/_control/clock/advance", json=delta).status_code == 200


def cooldown(client: TestClient, mobile: str) -> int:
    answer: int = client.get("/m/sms/cooldown", params={"mobile": mobile}).json()["resend_after"]
    return answer


# --- layout: a phone app ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading", "current_tab"),
    [
        ("/m/", "北京通企服版", "/m/"),
        ("/m/services", "服务", "/m/services"),
        ("/m/messages", "消息", "/m/messages"),
        ("/m/download", "下载北京通企服版APP", None),
        ("/m/download/ios", "iOS版", None),
        ("/m/download/android", "Android版", None),
        ("/m/register", "注册", None),
        ("/m/login", "登录", None),
        ("/m/agreement/service", "用户服务协议", None),
        ("/m/agreement/privacy", "隐私协议", None),
    ],
)
def test_every_app_page_is_a_phone_page(client: TestClient, path: str, heading: str, current_tab: str | None) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<link rel="stylesheet" href="/static/app.css">' in html
    assert "/static/platform.css" not in html
    assert h1(html) == heading
    tabs = tab_bar(html)
    if current_tab is None:
        assert tabs == []
        assert 'aria-label="返回"' in html
    else:
        assert [(href, label) for href, label, _ in tabs] == TABS
        assert [href for href, _, current in tabs if current] == [current_tab]


def test_my_tab_is_the_right_most_and_current_on_its_page(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    app_log_in(client, app_account.mobile, app_account.password)
    tabs = tab_bar(client.get("/m/me").text)
    assert tabs[-1] == ("/m/me", "我的", True)
    assert [current for _, _, current in tabs] == [False, False, False, True]


def test_app_assets_are_local_and_cacheable(client: TestClient) -> None:
    html = client.get("/m/register").text
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert '<script src="/static/app.js" defer></script>' in html
    for path in ("/static/app.css", "/static/app.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=3600"
        assert "@import" not in response.text
        assert "url(" not in response.text


def test_unknown_app_pages_get_the_app_error_page(client: TestClient) -> None:
    for path in ("/m/nothing", "/m/download/windows", "/m/agreement/unknown"):
        response = client.get(path)
        assert response.status_code == 404
        assert h1(response.text) == "页面不存在"
        assert "/static/app.css" in response.text
    assert "/static/platform.css" in client.get("/nothing").text


def test_maintenance_shows_the_app_error_page(client: TestClient) -> None:
    client.put("/_control/faults", json={"down": True})
    response = client.get("/m/register")
    assert response.status_code == 503
    assert h1(response.text) == "平台维护中"
    assert "/static/app.css" in response.text


# --- 下载 -------------------------------------------------------------------------------------


def test_download_page_offers_ios_and_android(client: TestClient) -> None:
    html = client.get("/m/download").text
    assert '<a class="primary-button" href="/m/download/ios">iOS版</a>' in html
    assert '<a class="primary-button" href="/m/download/android">Android版</a>' in html
    assert "App Store" in client.get("/m/download/ios").text
    assert "应用市场" in client.get("/m/download/android").text
    assert '<a href="/m/download">下载北京通企服版APP</a>' in client.get("/m/").text


# --- 注册: the form -----------------------------------------------------------------------------


def test_register_form_fields(client: TestClient) -> None:
    html = client.get("/m/register").text
    for name, label, input_type, placeholder in [
        ("mobile", "手机号码", "tel", "请输入手机号码"),
        ("sms_code", "验证码", "text", "请输入验证码"),
        ("password", "密码", "password", "请输入密码(6-20位字母数字的组合)"),
        ("nickname", "昵称", "text", "请输入昵称"),
    ]:
        assert f'<label class="visually-hidden" for="{name}">{label}</label>' in html
        field = tag(html, "input", name)
        assert f'name="{name}"' in field
        assert f'type="{input_type}"' in field
        assert f'placeholder="{placeholder}"' in field
        assert "aria-invalid" not in field
    button = tag(html, "button", "send-sms")
    assert 'type="button"' in button
    assert "disabled" not in button
    assert re.search(r'id="send-sms"[^>]*>获取验证码</button>', html)
    assert "<legend>请选择用户类型</legend>" in html
    for value, label in [("personal", "个人用户"), ("enterprise", "企业用户")]:
        radio = tag(html, "input", f"user_type-{value}")
        assert 'type="radio"' in radio
        assert 'name="user_type"' in radio
        assert f'value="{value}"' in radio
        assert "checked" not in radio
        assert f'<label for="user_type-{value}">{label}</label>' in html
    assert '<button type="submit" class="primary-button">注册</button>' in html
    assert AGREEMENT_LINE in html
    assert '<a href="/m/login">登录</a>' in html
    assert alerts(html) == []


def test_agreement_links_lead_to_app_pages(client: TestClient) -> None:
    for kind, title in [("service", "用户服务协议"), ("privacy", "隐私协议")]:
        html = client.get(f"/m/agreement/{kind}", headers={"Referer": "http://testserver/m/register"}).text
        assert h1(html) == title
        assert '<a class="app-bar__back" href="/m/register" aria-label="返回">' in html
        assert "/static/app.css" in html
    # A back link never leads off-site, whatever the Referer says.
    html = client.get("/m/agreement/service", headers={"Referer": "http://evil.example/m/login"}).text
    assert '<a class="app-bar__back" href="/m/" aria-label="返回">' in html


# --- 注册: success ----------------------------------------------------------------------------


def test_register_in_the_app(client: TestClient, app_account: AppAccount) -> None:
    response = register(client, app_account)
    assert response.status_code == 303
    assert response.headers["location"] == "/m/login"
    login_page = client.get("/m/login").text
    assert statuses(login_page) == ["注册成功，请登录"]
    assert stored(client, app_account.mobile) == {
        "username": app_account.mobile,
        "mobile": app_account.mobile,
        "nickname": app_account.nickname,
        "user_type": "enterprise",
        "enterprise": None,
    }
    assert app_log_in(client, app_account.mobile, app_account.password) == "/m/"


def test_register_boundaries(client: TestClient, app_account: AppAccount) -> None:
    account = AppAccount(app_account.mobile, "a1b2c3", "李" * 20, "personal")
    assert register(client, account).status_code == 303
    user = stored(client, account.mobile)
    assert user is not None
    assert user["nickname"] == "李" * 20
    assert user["user_type"] == "personal"


def test_a_used_code_cannot_register_again(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    form = registration(app_account, code)
    assert client.post("/m/register", data=form).status_code == 303
    # The same form again (a double submit): the code is used up, and that is what is said.
    response = client.post("/m/register", data=form)
    assert alerts(response.text) == ["短信验证码已使用，请重新获取"]


# --- 注册: refused forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"mobile": ""}, "mobile", "请输入手机号码", id="mobile-empty"),
        pytest.param({"mobile": "12345678901"}, "mobile", "手机号码格式不正确", id="mobile-12-prefix"),
        pytest.param({"mobile": "1391234567"}, "mobile", "手机号码应为11位", id="mobile-10-digits"),
        pytest.param({"mobile": "139 1234 567"}, "mobile", "手机号码应为11位", id="mobile-10-digits-spaced"),
        pytest.param({"mobile": "1391234567a"}, "mobile", "手机号码格式不正确", id="mobile-letter"),
        pytest.param({"sms_code": ""}, "sms_code", "请输入验证码", id="code-empty"),
        pytest.param({"sms_code": "12345"}, "sms_code", "短信验证码错误", id="code-5-digits"),
        pytest.param({"password": ""}, "password", "请输入密码", id="password-empty"),
        pytest.param({"password": "abcdefgh"}, "password", "密码须为6-20位字母和数字的组合", id="password-no-digit"),
        pytest.param({"password": "12345678"}, "password", "密码须为6-20位字母和数字的组合", id="password-no-letter"),
        pytest.param({"password": "abc12"}, "password", "密码须为6-20位字母和数字的组合", id="password-5-chars"),
        pytest.param(
            {"password": "abc" + "1" * 18}, "password", "密码须为6-20位字母和数字的组合", id="password-21-chars"
        ),
        pytest.param({"password": "abc123!"}, "password", "密码须为6-20位字母和数字的组合", id="password-symbol"),
        pytest.param({"nickname": ""}, "nickname", "请输入昵称", id="nickname-empty"),
        pytest.param({"nickname": "   "}, "nickname", "请输入昵称", id="nickname-blank"),
        pytest.param({"nickname": "李" * 21}, "nickname", "昵称不能超过20个字符", id="nickname-21-chars"),
        pytest.param({"user_type": None}, "user_type", "请选择用户类型", id="user-type-none"),
        pytest.param({"user_type": "admin"}, "user_type", "请选择用户类型", id="user-type-unknown"),
    ],
)
def test_register_refuses_each_bad_field_and_stores_nothing(
    client: TestClient, app_account: AppAccount, overrides: dict[str, str | None], field: str, message: str
) -> None:
    code = send_code(client, app_account.mobile)
    response = client.post("/m/register", data=registration(app_account, code, **overrides))
    assert response.status_code == 200
    assert alerts(response.text) == [message]
    assert field_error(response.text, field) == message
    assert stored(client, app_account.mobile) is None
    assert stored(client, overrides.get("mobile") or app_account.mobile) is None


def test_register_with_nothing_names_every_field(client: TestClient) -> None:
    response = client.post("/m/register", data={})
    assert alerts(response.text) == ["请输入手机号码", "请输入验证码", "请输入密码", "请输入昵称", "请选择用户类型"]


def test_refused_form_keeps_what_was_typed_except_password_and_code(
    client: TestClient, app_account: AppAccount
) -> None:
    code = send_code(client, app_account.mobile)
    html = client.post("/m/register", data=registration(app_account, code, password="short")).text
    assert f'value="{app_account.mobile}"' in tag(html, "input", "mobile")
    assert f'value="{app_account.nickname}"' in tag(html, "input", "nickname")
    assert "checked" in tag(html, "input", "user_type-enterprise")
    assert "checked" not in tag(html, "input", "user_type-personal")
    assert "value=" not in tag(html, "input", "password")
    assert 'value=""' in tag(html, "input", "sms_code")
    assert code not in html
    assert "short" not in html


def test_typed_values_are_escaped_when_given_back(client: TestClient, app_account: AppAccount) -> None:
    html = client.post("/m/register", data=registration(app_account, "", nickname='"><script>x</script>')).text
    assert "<script>x" not in html
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in tag(html, "input", "nickname")


def test_each_message_is_the_accessible_description_of_its_field(client: TestClient) -> None:
    html = client.post("/m/register", data={"mobile": "123", "nickname": "小王", "user_type": "personal"}).text
    mobile = tag(html, "input", "mobile")
    assert 'aria-invalid="true"' in mobile
    assert 'aria-describedby="mobile-error"' in mobile
    assert '<p role="alert" class="field-error" id="mobile-error">手机号码应为11位</p>' in html
    assert 'aria-describedby="sms_code-error"' in tag(html, "input", "sms_code")
    assert "aria-invalid" not in tag(html, "input", "nickname")
    # The radios: the group and each radio are described by the one message.
    html = client.post("/m/register", data={}).text
    assert re.search(r'<fieldset class="choice-group choice-group--invalid" aria-describedby="user_type-error">', html)
    for value in ("personal", "enterprise"):
        radio = tag(html, "input", f"user_type-{value}")
        assert 'aria-invalid="true"' in radio
        assert 'aria-describedby="user_type-error"' in radio


# --- 注册: the SMS code ----------------------------------------------------------------------


def test_wrong_code(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    other = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/m/register", data=registration(app_account, other))
    assert alerts(response.text) == ["短信验证码错误"]
    assert stored(client, app_account.mobile) is None


def test_no_code_was_ever_sent(client: TestClient, app_account: AppAccount) -> None:
    response = client.post("/m/register", data=registration(app_account, "123456"))
    assert alerts(response.text) == ["短信验证码错误"]


def test_code_for_another_number_is_wrong(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, "13700001111")
    response = client.post("/m/register", data=registration(app_account, code))
    assert alerts(response.text) == ["短信验证码错误"]


def test_code_expires_after_five_minutes(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    advance(client, minutes=5)
    response = client.post("/m/register", data=registration(app_account, code))
    assert alerts(response.text) == ["短信验证码已过期，请重新获取"]
    assert stored(client, app_account.mobile) is None


def test_code_within_five_minutes_is_accepted(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    advance(client, minutes=4, seconds=59)
    assert client.post("/m/register", data=registration(app_account, code)).status_code == 303


def test_only_the_newest_code_works(client: TestClient, app_account: AppAccount) -> None:
    old = send_code(client, app_account.mobile)
    advance(client, seconds=60)
    new = send_code(client, app_account.mobile)
    assert alerts(client.post("/m/register", data=registration(app_account, old)).text) == ["短信验证码错误"]
    assert client.post("/m/register", data=registration(app_account, new)).status_code == 303


def test_five_wrong_codes_retire_the_code(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    other = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert alerts(client.post("/m/register", data=registration(app_account, other)).text) == ["短信验证码错误"]
    response = client.post("/m/register", data=registration(app_account, code))
    assert alerts(response.text) == ["短信验证码错误次数过多，请重新获取"]
    assert stored(client, app_account.mobile) is None
    advance(client, seconds=60)
    assert register(client, app_account).status_code == 303


def test_a_form_refused_for_another_field_does_not_touch_the_code(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    other = f"{(int(code) + 1) % 1_000_000:06d}"
    # Six wrong codes, each on a form without a nickname: the code is never looked at.
    for _ in range(6):
        response = client.post("/m/register", data=registration(app_account, other, nickname=""))
        assert alerts(response.text) == ["请输入昵称"]
    assert client.post("/m/register", data=registration(app_account, code)).status_code == 303


def test_number_registered_in_between_is_refused_after_the_code(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    # Someone registers the number elsewhere (another phone, the website) meanwhile.
    seed_app_user(client, AppAccount(app_account.mobile, "other123", "别人", "personal"))
    response = client.post("/m/register", data=registration(app_account, code))
    assert alerts(response.text) == ["该手机号码已注册"]
    assert field_error(response.text, "mobile") == "该手机号码已注册"
    user = stored(client, app_account.mobile)
    assert user is not None
    assert user["nickname"] == "别人"


def test_a_website_account_holds_its_number(
    client: TestClient, app_account: AppAccount, platform_account: PlatformAccount
) -> None:
    code = send_code(client, app_account.mobile)
    seed_user(client, platform_account)  # same number, on the website
    response = client.post("/m/register", data=registration(app_account, code))
    assert alerts(response.text) == ["该手机号码已注册"]


# --- 获取验证码 -------------------------------------------------------------------------------


def test_get_code_answers(client: TestClient, app_account: AppAccount) -> None:
    response = client.post("/m/sms", data={"mobile": app_account.mobile})
    assert response.status_code == 200
    assert response.json() == {"sent": True, "resend_after": 60}
    assert response.headers["cache-control"] == "no-store"
    [sms] = client.get("/_control/sms", params={"mobile": app_account.mobile}).json()
    assert sms["purpose"] == "register"
    assert sms["text"] == f"【北京通企服版】您的验证码为{sms['code']}，5分钟内有效。如非本人操作，请忽略本短信。"


@pytest.mark.parametrize(
    ("mobile", "message"),
    [("", "请输入手机号码"), ("1391234567", "手机号码应为11位"), ("23912345678", "手机号码格式不正确")],
)
def test_get_code_for_a_malformed_number(client: TestClient, mobile: str, message: str) -> None:
    response = client.post("/m/sms", data={"mobile": mobile})
    assert response.status_code == 422
    assert response.json() == {"field": "mobile", "message": message, "resend_after": 0}
    assert client.get("/_control/sms").json() == []


def test_get_code_for_a_registered_number_sends_nothing(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    response = client.post("/m/sms", data={"mobile": app_account.mobile})
    assert response.status_code == 409
    assert response.json() == {"field": "mobile", "message": "该手机号码已注册", "resend_after": 0}
    assert client.get("/_control/sms").json() == []


def test_get_code_once_a_minute(client: TestClient, app_account: AppAccount) -> None:
    send_code(client, app_account.mobile)
    advance(client, seconds=20)
    response = client.post("/m/sms", data={"mobile": app_account.mobile})
    assert response.status_code == 429
    assert response.json() == {"field": "sms_code", "message": "验证码发送过于频繁，请40秒后再试", "resend_after": 40}
    advance(client, seconds=40)
    assert client.post("/m/sms", data={"mobile": app_account.mobile}).status_code == 200
    assert len(client.get("/_control/sms").json()) == 2


def test_get_code_five_times_an_hour(client: TestClient, app_account: AppAccount) -> None:
    for _ in range(5):
        send_code(client, app_account.mobile)
        advance(client, seconds=61)
    response = client.post("/m/sms", data={"mobile": app_account.mobile})
    assert response.status_code == 429
    assert response.json()["message"] == "该手机号码获取验证码次数过多，请1小时后再试"
    advance(client, hours=1)
    assert client.post("/m/sms", data={"mobile": app_account.mobile}).status_code == 200


def test_get_code_ten_times_a_day(client: TestClient, app_account: AppAccount) -> None:
    client.post("/_control/clock/set", json={"now": "2026-11-27T08:00:00+08:00"})
    for _ in range(2):
        for _ in range(5):
            send_code(client, app_account.mobile)
            advance(client, seconds=61)
        advance(client, hours=1)
    response = client.post("/m/sms", data={"mobile": app_account.mobile})
    assert response.status_code == 429
    assert response.json()["message"] == "该手机号码今日获取验证码次数已达上限，请明天再试"
    client.post("/_control/clock/set", json={"now": "2026-11-28T00:01:00+08:00"})
    assert client.post("/m/sms", data={"mobile": app_account.mobile}).status_code == 200


def test_countdown_follows_the_mock_clock(client: TestClient, app_account: AppAccount) -> None:
    assert cooldown(client, app_account.mobile) == 0
    send_code(client, app_account.mobile)
    assert cooldown(client, app_account.mobile) == 60
    advance(client, seconds=25)
    assert cooldown(client, app_account.mobile) == 35
    advance(client, seconds=35)
    assert cooldown(client, app_account.mobile) == 0
    response = client.get("/m/sms/cooldown", params={"mobile": app_account.mobile})
    assert response.headers["cache-control"] == "no-store"
    assert client.get("/m/sms/cooldown", params={"mobile": "garbage"}).json() == {"resend_after": 0}
    assert client.get("/m/sms/cooldown").json() == {"resend_after": 0}


def test_a_form_given_back_mid_countdown_keeps_counting(client: TestClient, app_account: AppAccount) -> None:
    send_code(client, app_account.mobile)
    advance(client, seconds=15)
    html = client.post("/m/register", data=registration(app_account, "", nickname="")).text
    button = tag(html, "button", "send-sms")
    assert 'data-resend-after="45"' in button
    assert "disabled" in button
    assert re.search(r'id="send-sms"[^>]*>45s后重新获取</button>', html)
    advance(client, seconds=45)
    html = client.post("/m/register", data=registration(app_account, "", nickname="")).text
    assert re.search(r'id="send-sms"[^>]*>获取验证码</button>', html)


def test_reset_forgets_codes_and_limits(client: TestClient, app_account: AppAccount) -> None:
    code = send_code(client, app_account.mobile)
    client.post("/_control/reset")
    assert client.get("/_control/sms").json() == []
    assert cooldown(client, app_account.mobile) == 0
    assert alerts(client.post("/m/register", data=registration(app_account, code)).text) == ["短信验证码错误"]


# --- 登录 / 退出登录 ---------------------------------------------------------------------------


def test_login_page(client: TestClient) -> None:
    html = client.get("/m/login").text
    assert h1(html) == "登录"
    assert '<label class="visually-hidden" for="mobile">手机号码</label>' in html
    assert 'placeholder="请输入手机号码"' in tag(html, "input", "mobile")
    assert 'type="tel"' in tag(html, "input", "mobile")
    assert '<label class="visually-hidden" for="password">密码</label>' in html
    assert 'placeholder="请输入密码"' in tag(html, "input", "password")
    assert 'type="password"' in tag(html, "input", "password")
    assert '<button type="submit" class="primary-button">登录</button>' in html
    assert '<a href="/m/register">注册</a>' in html
    assert AGREEMENT_LINE in html


@pytest.mark.parametrize(
    ("attempt", "typed"),
    [
        pytest.param("wrong-password", "{mobile}", id="wrong-password"),
        pytest.param("unknown-number", "13800000000", id="unknown-number"),
    ],
)
def test_login_failure_does_not_say_whether_the_account_exists(
    client: TestClient, app_account: AppAccount, attempt: str, typed: str
) -> None:
    seed_app_user(client, app_account)
    mobile = typed.format(mobile=app_account.mobile)
    password = "wrong1234" if attempt == "wrong-password" else app_account.password
    response = client.post("/m/login", data={"mobile": mobile, "password": password})
    assert response.status_code == 200
    assert alerts(response.text) == ["手机号码或密码错误"]
    assert f'value="{mobile}"' in tag(response.text, "input", "mobile")
    assert "value=" not in tag(response.text, "input", "password")
    for name in ("mobile", "password"):
        assert 'aria-describedby="login-error"' in tag(response.text, "input", name)
    assert "smebj_session" not in response.headers.get("set-cookie", "")


def test_login_with_empty_or_malformed_fields(client: TestClient) -> None:
    assert alerts(client.post("/m/login", data={}).text) == ["请输入手机号码", "请输入密码"]
    assert alerts(client.post("/m/login", data={"mobile": "123", "password": "x"}).text) == ["手机号码应为11位"]
    not_a_mobile = client.post("/m/login", data={"mobile": "23912345678", "password": "x"})
    assert alerts(not_a_mobile.text) == ["手机号码格式不正确"]


def test_login_takes_the_number_not_a_username(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(client, platform_account)
    response = client.post(
        "/m/login", data={"mobile": platform_account.username, "password": platform_account.password}
    )
    assert alerts(response.text) == ["手机号码格式不正确"]
    # A website account logs in on the app with its mobile number.
    assert app_log_in(client, platform_account.mobile, platform_account.password) == "/m/"


def test_login_returns_to_a_local_next_only(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    page = client.get("/m/login", params={"next": "/m/certification"}).text
    assert '<input type="hidden" name="next" value="/m/certification">' in page
    assert app_log_in(client, app_account.mobile, app_account.password, "/m/certification") == "/m/certification"
    assert 'name="next"' not in client.get("/m/login", params={"next": "//evil.example/"}).text
    assert app_log_in(client, app_account.mobile, app_account.password, "https://evil.example/") == "/m/"


def test_login_gives_a_new_session_id_and_logout_ends_it(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    client.post("/m/register", data=registration(AppAccount("13700001111", "abc123", "x", "personal"), ""))
    register(client, AppAccount("13600001111", "abc123", "某人", "personal"))  # an anonymous session (form, flash)
    before = client.cookies.get("smebj_session")
    assert before
    app_log_in(client, app_account.mobile, app_account.password)
    after = client.cookies.get("smebj_session")
    assert after
    assert after != before
    response = client.post("/m/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/m/"
    client.cookies.set("smebj_session", after)
    assert client.get("/m/me").status_code == 303


# --- 我的 -------------------------------------------------------------------------------------


def test_my_page_needs_login_and_comes_back(client: TestClient, app_account: AppAccount) -> None:
    response = client.get("/m/me")
    assert response.status_code == 303
    assert response.headers["location"] == "/m/login?next=%2Fm%2Fme"
    seed_app_user(client, app_account)
    assert app_log_in(client, app_account.mobile, app_account.password, "/m/me") == "/m/me"


def test_my_page_uncertified(client: TestClient, app_account: AppAccount) -> None:
    seed_app_user(client, app_account)
    app_log_in(client, app_account.mobile, app_account.password)
    html = client.get("/m/me").text
    assert h1(html) == "我的"
    assert f'<p class="profile__name">{app_account.nickname}</p>' in html
    mobile = app_account.mobile
    assert f"{mobile[:3]}****{mobile[-4:]} · 企业用户" in html
    assert '<section class="card cert-card" aria-labelledby="cert-heading">' in html
    assert '<h2 id="cert-heading">企业认证</h2>' in html
    assert '<span class="tag">未认证</span>' in html
    assert "已认证" not in html
    assert '<a class="row-link" href="/m/certification">去认证</a>' in html
    assert '<form class="logout-form" method="post" action="/m/logout">' in html
    assert '<button type="submit" class="secondary-button">退出登录</button>' in html


def test_my_page_shows_the_username_when_there_is_no_nickname(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    seed_user(client, platform_account)
    app_log_in(client, platform_account.mobile, platform_account.password)
    assert f'<p class="profile__name">{platform_account.username}</p>' in client.get("/m/me").text


def test_certification_page(client: TestClient, app_account: AppAccount) -> None:
    assert client.get("/m/certification").headers["location"] == "/m/login?next=%2Fm%2Fcertification"
    seed_app_user(client, app_account)
    app_log_in(client, app_account.mobile, app_account.password)
    html = client.get("/m/certification").text
    assert h1(html) == "企业认证"
    assert re.search(r'<a class="method-link" href="/m/auth/yzt/start">.*?北京市企业认证\s*</a>', html, re.S)
    assert CERTIFICATION_NOTE in html


# --- one account, two front ends ------------------------------------------------------------


def test_app_account_on_the_website_sees_the_same_certification(
    client: TestClient, app_account: AppAccount, enterprise: Enterprise
) -> None:
    assert register(client, app_account).status_code == 303
    body = {"credit_code": enterprise.credit_code, "enterprise_name": enterprise.name, "username": app_account.mobile}
    assert client.post("/_control/bindings", json=body).status_code == 201
    # The website: 用户名/手机号码 is the number; the header greets by nickname.
    assert log_in(client, app_account.mobile, app_account.password) == "/"
    home = client.get("/").text
    assert f'>{app_account.nickname}<span class="caret" aria-hidden="true"></span></button>' in home
    assert f"欢迎您，{app_account.nickname}。" in client.get("/user/center").text
    profile = client.get("/user/home/profile").text
    assert '<span class="tag tag-certified">已认证</span>' in profile
    assert f"企业名称：{enterprise.name}" in profile
    assert f"昵称：{app_account.nickname}" in profile
    # The app, same session: 我的 shows the same enterprise.
    me = client.get("/m/me").text
    assert '<span class="tag tag--certified">已认证</span>' in me
    assert f'<p class="cert-card__enterprise">企业名称：{enterprise.name}</p>' in me
    assert "去认证" not in me


def test_website_account_in_the_app_sees_the_same_certification(
    client: TestClient, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_user(client, platform_account)
    bind(client, enterprise, platform_account)
    app_log_in(client, platform_account.mobile, platform_account.password)
    me = client.get("/m/me").text
    assert '<span class="tag tag--certified">已认证</span>' in me
    assert f"企业名称：{enterprise.name}" in me
    log_in(client, platform_account.username, platform_account.password)
    assert '<span class="tag tag-certified">已认证</span>' in client.get("/user/home/profile").text


# --- 企业认证 from the app (A2, Q1) ---------------------------------------------------------


@pytest.fixture
def logged_in(client: TestClient, app_account: AppAccount) -> TestClient:
    """The conftest's browser, on a phone, logged in to the app as the test's app account."""
    client.headers["User-Agent"] = PHONE_UA
    seed_app_user(client, app_account)
    app_log_in(client, app_account.mobile, app_account.password)
    return client


def assert_app_result(response: httpx.Response, status: int, message: str) -> str:
    assert response.status_code == status
    html = response.text
    assert "/static/app.css" in html
    assert h1(html) == "企业认证未完成"
    assert alerts(html) == [message]
    return html


def test_app_start_needs_a_logged_in_user(client: TestClient) -> None:
    response = client.get("/m/auth/yzt/start")
    assert response.status_code == 303
    assert response.headers["location"] == "/m/login?next=%2Fm%2Fauth%2Fyzt%2Fstart"


def test_certification_from_the_app_comes_back_to_my_page(
    logged_in: TestClient, idp: FakeIdp, app_account: AppAccount, enterprise: Enterprise
) -> None:
    response = callback(logged_in, idp.authorize(app_start(logged_in)))
    assert response.status_code == 303
    assert response.headers["location"] == "/m/me"
    me = logged_in.get("/m/me").text
    assert statuses(me) == ["企业认证成功"]
    assert '<span class="tag tag--certified">已认证</span>' in me
    assert f"企业名称：{enterprise.name}" in me
    [binding] = logged_in.get("/_control/bindings").json()
    assert binding["username"] == app_account.mobile


def test_bound_to_another_account_in_the_app(
    logged_in: TestClient, idp: FakeIdp, colleague: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_user(logged_in, colleague)
    bind(logged_in, enterprise, colleague)
    html = assert_app_result(callback(logged_in, idp.authorize(app_start(logged_in))), 409, "该企业已被其他用户绑定")
    assert '<section class="card advice" aria-labelledby="advice-heading">' in html
    assert '<h2 id="advice-heading">处理建议</h2>' in html
    assert f'<p class="advice__text">{ADVICE_WITH_LINKS}</p>' in html
    assert colleague.username not in html
    # A colleague's account that never used this phone (Q1b): not the one-phone note of Q1a.
    assert "企业认证仅支持一部手机一个账号" not in html
    assert "重新认证" not in html
    assert '<a class="secondary-button" href="/m/me">返回我的</a>' in html
    assert '<span class="tag">未认证</span>' in logged_in.get("/m/me").text


def test_the_website_shows_the_same_advice_in_its_own_page(
    client: TestClient,
    idp: FakeIdp,
    platform_account: PlatformAccount,
    colleague: PlatformAccount,
    enterprise: Enterprise,
) -> None:
    seed_user(client, colleague)
    bind(client, enterprise, colleague)
    seed_user(client, platform_account)
    log_in(client, platform_account.username, platform_account.password)
    start = client.get("/auth/yzt/start").headers["location"]
    # Even from a phone's browser: the request came from the website, so the website answers.
    response = callback(client, idp.authorize(start), **{"User-Agent": PHONE_UA})
    assert response.status_code == 409
    html = response.text
    assert "/static/platform.css" in html
    assert '<section class="advice" aria-labelledby="advice-heading">' in html
    assert '<h2 id="advice-heading">处理建议</h2>' in html
    assert "010-82176966/010-82176996" in html


def test_an_error_from_the_idp_in_the_app_offers_a_retry(logged_in: TestClient, idp: FakeIdp) -> None:
    state = idp.authorize(app_start(logged_in))["state"]
    response = callback(logged_in, {"error": "access_denied", "state": state}, **{"User-Agent": DESKTOP_UA})
    html = assert_app_result(response, 400, "统一身份认证平台未完成认证，请重新认证")
    assert "错误代码：access_denied" in html
    assert '<a class="primary-button" href="/m/auth/yzt/start">重新认证</a>' in html
    assert "处理建议" not in html


def test_idp_down_when_the_app_starts(logged_in: TestClient, idp: FakeIdp) -> None:
    idp.outages["/openid-configuration"] = "refused"
    assert_app_result(logged_in.get("/m/auth/yzt/start"), 502, "统一身份认证平台暂时无法访问，请稍后重试")


def test_idp_down_at_the_token_endpoint_after_the_app_started(logged_in: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(app_start(logged_in))
    idp.outages["/access_token"] = "503"
    assert_app_result(callback(logged_in, params), 502, "统一身份认证平台暂时无法访问，请稍后重试")


def test_a_replayed_app_callback_gets_the_app_page(logged_in: TestClient, idp: FakeIdp) -> None:
    params = idp.authorize(app_start(logged_in))
    assert callback(logged_in, params).status_code == 303
    assert_app_result(callback(logged_in, params), 400, "认证请求已失效，请重新认证")


@pytest.mark.parametrize(
    ("user_agent", "stylesheet"),
    [(PHONE_UA, "/static/app.css"), (DESKTOP_UA, "/static/platform.css")],
    ids=["phone", "desktop"],
)
def test_an_unknown_request_is_answered_by_the_browsers_kind(
    client: TestClient, user_agent: str, stylesheet: str
) -> None:
    response = callback(client, {"code": "x", "state": "forged"}, **{"User-Agent": user_agent})
    assert response.status_code == 400
    assert alerts(response.text) == ["认证请求已失效，请重新认证"]
    assert stylesheet in response.text
