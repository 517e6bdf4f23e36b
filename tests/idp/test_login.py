"""口令登录 on the IdP mock: the page, the tabs, and the rules in their order (W4, R5, R3, R6 goto)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from mock_servers.idp.pages import login_url
from tests.idp.driver import BASE_URL, PASSWORD, HtmlPage, IdpDriver, page_of

ONLY_PASSWORD = "目前只支持口令登录，请选择“口令登录”。"
BAD_CREDENTIALS = "用户名或密码错误"
LOCKED = "密码错误次数过多，账号已锁定，请30分钟后再试"
CAPTCHA_WRONG = "验证码错误或已过期，请重新输入"
UNDER_REVIEW = "账号正在审核中，注册完成后系统需要一个工作日进行身份证件的审核，审核通过后方可登录。"
FRIDAY_10AM = "2026-11-27T10:00:00+08:00"


def submit(idp: IdpDriver, page: HtmlPage, **fields: str) -> HtmlPage:
    """Post the login form of ``page`` with ``fields``; the page's captcha_id goes along."""
    response = idp.post_form(login_url(), {"captcha_id": page.captcha_id, **fields})
    assert response.status_code == 200, response.headers.get("location")
    return page_of(response)


def login_alerts(idp: IdpDriver, username: str, password: str) -> list[str]:
    response = idp.login(username, password)
    assert response.status_code == 200, "expected the login to be refused"
    return page_of(response).alerts()


# --- the page -------------------------------------------------------------------


def test_login_page_has_the_real_sites_headings_tabs_and_fields(idp: IdpDriver) -> None:
    page = idp.open(login_url("/am/oauth2/authorize?x=1"))
    assert page.title == "北京市统一身份认证平台 请您登录"
    assert page.root.find("html").attrs["lang"] == "zh-CN"
    assert page.headings(1) == ["北京市统一身份认证平台"]
    assert page.headings(2) == ["请您登录"]

    tablist = page.root.find(role="tablist")
    tabs = tablist.find_all(role="tab")
    assert [t.text() for t in tabs] == ["证书登录", "口令登录", "电子营业执照", "事业单位", "电子证照"]
    assert [t.attrs["aria-selected"] for t in tabs] == ["false", "true", "false", "false", "false"]
    panel = page.root.find(role="tabpanel")
    assert panel.attrs["aria-labelledby"] == "tab-password"
    assert page.root.find(id="tab-password").text() == "口令登录"

    assert page.field("用户名").attrs["placeholder"] == "一证通账号"
    assert page.field("密码").attrs["type"] == "password"
    assert page.field("密码").attrs["placeholder"] == "一证通密码"
    assert page.field("验证码").attrs["placeholder"] == "请输入验证码"
    image = page.root.find("img", alt="验证码图片")
    assert image.attrs["src"] == f"/am/captcha/{page.captcha_id}.png"
    assert page.has_button("登录")
    goto = quote("/am/oauth2/authorize?x=1", safe="")
    assert page.link("忘记密码?") == f"/am/password/forgot?goto={goto}"
    assert page.link("点击注册") == f"/am/register?goto={goto}"
    assert page.link("统一认证平台登录服务协议") == "/am/agreement"
    assert page.link("换一张").startswith("/am/UI/Login?module=BjzwLDAP")

    other = page.root.find("section", aria_labelledby="other-logins-title")
    assert other.find("h3").text() == "其他登录方式"
    assert [a.text() for a in other.find_all("a")] == ["支付宝", "微信", "百度"]
    assert page.link("支付宝").endswith("&tab=alipay")

    footer = page.root.find("footer")
    assert "技术咨询电话：010-58511090" in footer.text()
    assert "yztyunwei@bjca.org.cn" in footer.text()


def test_captcha_image_is_a_png(idp: IdpDriver) -> None:
    page = idp.open(login_url())
    image = idp.get(f"/am/captcha/{page.captcha_id}.png")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert idp.get("/am/captcha/nope.png").status_code == 404


def test_every_render_issues_a_fresh_captcha(idp: IdpDriver) -> None:
    assert idp.open(login_url()).captcha_id != idp.open(login_url()).captcha_id


@pytest.mark.parametrize(
    ("tab", "selected"),
    [
        ("cert", "证书登录"),
        ("license", "电子营业执照"),
        ("institution", "事业单位"),
        ("certificate", "电子证照"),
        ("alipay", None),
        ("wechat", None),
        ("baidu", None),
    ],
)
def test_every_other_login_says_only_password_login_works(idp: IdpDriver, tab: str, selected: str | None) -> None:
    page = idp.open(login_url(tab=tab))
    assert page.statuses() == [ONLY_PASSWORD]
    assert page.root.find_all("form") == []
    chosen = [t.text() for t in page.root.find_all(role="tab", aria_selected="true")]
    assert chosen == ([selected] if selected else [])
    panel = page.root.find(role="tabpanel")
    assert panel.find(role="status").text() == ONLY_PASSWORD
    if selected:
        assert page.root.find(id=panel.attrs["aria-labelledby"]).text() == selected
    else:
        third_party = {"alipay": "支付宝", "wechat": "微信", "baidu": "百度"}[tab]
        assert panel.attrs["aria-label"] == f"{third_party}登录"


def test_password_tab_and_unknown_tab_show_the_form(idp: IdpDriver) -> None:
    for tab in ("password", "no-such-tab"):
        page = idp.open(login_url(tab=tab))
        assert page.statuses() == []
        assert page.has_button("登录")


@pytest.mark.parametrize("url", ["/am/UI/Login", "/am/UI/Login?gx_charset=UTF-8", "/am/UI/Login?module=Other"])
def test_login_without_the_module_parameter_is_a_friendly_400_page(idp: IdpDriver, url: str) -> None:
    response = idp.get(url)
    assert response.status_code == 400
    assert page_of(response).headings(2) == ["登录地址无效"]


# --- rules in order --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param({"username": "", "password": "", "captcha": ""}, "用户名", "请输入一证通账号", id="all empty"),
        pytest.param({"username": "u1", "password": "", "captcha": ""}, "密码", "请输入一证通密码", id="no password"),
        pytest.param({"username": "u1", "password": "p", "captcha": ""}, "验证码", "请输入验证码", id="no captcha"),
        pytest.param({"username": "u1", "password": "p", "captcha": "ZZZZ"}, "验证码", CAPTCHA_WRONG, id="wrong"),
    ],
)
def test_form_messages_come_one_at_a_time_in_the_contracts_order(
    idp: IdpDriver, fields: dict[str, str], field: str, message: str
) -> None:
    page = submit(idp, idp.open(login_url()), **fields)
    assert page.alerts() == [message]
    assert page.error_of(field) == message


def test_a_rejected_form_keeps_the_user_name_but_not_password_or_captcha(idp: IdpDriver) -> None:
    page = submit(idp, idp.open(login_url()), username="someone", password="secret1234", captcha="WRNG")
    assert page.field("用户名").attrs["value"] == "someone"
    assert "value" not in page.field("密码").attrs
    assert "value" not in page.field("验证码").attrs


def test_captcha_answer_is_case_insensitive(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    page = idp.open(login_url())
    response = idp.post_form(
        login_url(),
        {
            "username": seeded["account"],
            "password": PASSWORD,
            "captcha": idp.captcha_answer(page).lower(),
            "captcha_id": page.captcha_id,
        },
    )
    assert response.status_code == 302


def test_a_captcha_is_single_use_even_when_the_submit_failed_for_another_reason(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    page = idp.open(login_url())
    answer = idp.captcha_answer(page)
    first = submit(idp, page, username=seeded["account"], password="", captcha=answer)
    assert first.alerts() == ["请输入一证通密码"]
    assert idp.control("GET", f"/captchas/{page.captcha_id}")["used"] is True
    second = submit(idp, page, username=seeded["account"], password=PASSWORD, captcha=answer)
    assert second.alerts() == [CAPTCHA_WRONG]


@pytest.mark.parametrize(("wait_s", "accepted"), [(299, True), (301, False)])
def test_a_captcha_expires_after_five_minutes_by_the_mock_clock(
    idp: IdpDriver, seeded: dict[str, Any], wait_s: int, accepted: bool
) -> None:
    page = idp.open(login_url())
    answer = idp.captcha_answer(page)
    idp.advance(seconds=wait_s)
    response = idp.post_form(
        login_url(),
        {"username": seeded["account"], "password": PASSWORD, "captcha": answer, "captcha_id": page.captcha_id},
    )
    if accepted:
        assert response.status_code == 302
    else:
        assert page_of(response).alerts() == [CAPTCHA_WRONG]


def test_unknown_account_wrong_password_and_no_password_all_read_the_same(
    idp: IdpDriver, seeded: dict[str, Any]
) -> None:
    no_password = idp.seed_account(password=None)
    assert login_alerts(idp, "nobody_here", PASSWORD) == [BAD_CREDENTIALS]
    assert login_alerts(idp, seeded["account"], "Wrong0000") == [BAD_CREDENTIALS]
    assert login_alerts(idp, no_password["account"], PASSWORD) == [BAD_CREDENTIALS]


def test_five_wrong_passwords_lock_the_account_for_30_minutes(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    for _ in range(5):
        assert login_alerts(idp, seeded["account"], "Wrong0000") == [BAD_CREDENTIALS]
    state = idp.account(seeded["account"])
    assert state["failed_logins"] == 5
    assert state["locked_until"] is not None

    # Locked: even the right password is refused, with the lock message.
    assert login_alerts(idp, seeded["account"], PASSWORD) == [LOCKED]
    idp.advance(minutes=29)
    assert login_alerts(idp, seeded["account"], PASSWORD) == [LOCKED]
    idp.advance(minutes=1, seconds=1)
    assert idp.account(seeded["account"])["locked_until"] is None
    assert idp.login(seeded["account"], PASSWORD).status_code == 302
    assert idp.account(seeded["account"])["failed_logins"] == 0


def test_a_success_resets_the_failure_count(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    for _ in range(4):
        login_alerts(idp, seeded["account"], "Wrong0000")
    assert idp.login(seeded["account"], PASSWORD).status_code == 302
    for _ in range(4):
        assert login_alerts(idp, seeded["account"], "Wrong0000") == [BAD_CREDENTIALS]
    assert idp.login(seeded["account"], PASSWORD).status_code == 302


def test_wrong_captchas_do_not_count_towards_the_lockout(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    for _ in range(6):
        page = page_of(idp.login(seeded["account"], "Wrong0000", captcha="ZZZZ"))
        assert page.alerts() == [CAPTCHA_WRONG]
    assert idp.account(seeded["account"])["failed_logins"] == 0


def test_an_unknown_account_locks_exactly_like_a_real_one(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    # Otherwise the lock message alone would tell which account names exist (R5).
    real = [login_alerts(idp, seeded["account"], "Wrong0000") for _ in range(7)]
    unknown = [login_alerts(idp, "nobody_here", "Wrong0000") for _ in range(7)]
    assert real == [[BAD_CREDENTIALS]] * 5 + [[LOCKED]] * 2
    assert unknown == real
    idp.advance(minutes=30)
    assert login_alerts(idp, "nobody_here", "Wrong0000") == [BAD_CREDENTIALS]


def test_an_account_under_review_logs_in_one_working_day_later_friday_to_monday(idp: IdpDriver) -> None:
    idp.set_clock(FRIDAY_10AM)
    seeded = idp.seed_account(reviewed=False)
    assert idp.account(seeded["account"])["status"] == "pending_review"
    assert idp.account(seeded["account"])["review_due"].startswith("2026-11-30T10:00:00")
    assert login_alerts(idp, seeded["account"], PASSWORD) == [UNDER_REVIEW]
    for moment in ("2026-11-28T10:00:00+08:00", "2026-11-29T23:00:00+08:00", "2026-11-30T09:59:00+08:00"):
        idp.set_clock(moment)
        assert login_alerts(idp, seeded["account"], PASSWORD) == [UNDER_REVIEW], moment
    # A wrong password still reads as a wrong password while under review.
    assert login_alerts(idp, seeded["account"], "Wrong0000") == [BAD_CREDENTIALS]
    idp.set_clock("2026-11-30T10:00:01+08:00")
    assert idp.account(seeded["account"])["status"] == "active"
    assert idp.login(seeded["account"], PASSWORD).status_code == 302


def test_account_names_are_case_insensitive(idp: IdpDriver) -> None:
    idp.seed_account(account="Beijing_Corp")
    assert idp.login("beijing_corp", PASSWORD).status_code == 302


# --- after login: goto, session, welcome, logout ------------------------------


@pytest.mark.parametrize(
    ("goto", "target"),
    [
        pytest.param(None, "/am/UI/Welcome", id="no goto"),
        pytest.param("/am/oauth2/authorize?client_id=x", "/am/oauth2/authorize?client_id=x", id="IdP path"),
        pytest.param(BASE_URL + "/am/UI/Welcome?x=1", BASE_URL + "/am/UI/Welcome?x=1", id="IdP absolute URL"),
        pytest.param("https://evil.example/steal", "/am/UI/Welcome", id="foreign host"),
        pytest.param("//evil.example/am/", "/am/UI/Welcome", id="scheme-relative"),
        pytest.param("/\\evil.example", "/am/UI/Welcome", id="backslash"),
        pytest.param("/elsewhere", "/am/UI/Welcome", id="path outside /am/"),
        pytest.param("http://testserver:8080/am/", "/am/UI/Welcome", id="other port"),
        pytest.param("http://user@testserver/am/", "/am/UI/Welcome", id="userinfo"),
        pytest.param("javascript:alert(1)", "/am/UI/Welcome", id="javascript"),
        pytest.param("/am/x\r\nSet-Cookie: a=b", "/am/UI/Welcome", id="header injection"),
    ],
)
def test_login_follows_goto_only_within_the_idp(
    idp: IdpDriver, seeded: dict[str, Any], goto: str | None, target: str
) -> None:
    response = idp.login(seeded["account"], PASSWORD, goto=goto)
    assert response.status_code == 302
    assert response.headers["location"] == target


def test_the_session_cookie_is_httponly_and_samesite_lax(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    cookie = idp.login(seeded["account"], PASSWORD).headers["set-cookie"]
    assert cookie.startswith("iPlanetDirectoryPro=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_welcome_and_logout(idp: IdpDriver, seeded: dict[str, Any]) -> None:
    idp.login(seeded["account"], PASSWORD)
    welcome = idp.open("/am/UI/Welcome")
    assert welcome.headings(2) == ["您已登录北京市统一身份认证平台"]
    assert seeded["account"] in welcome.root.text()
    logout = idp.get("/am/UI/Logout")
    assert logout.status_code == 302
    assert logout.headers["location"] == login_url()
    assert idp.get("/am/UI/Welcome").headers["location"] == login_url()


def test_the_agreement_page(idp: IdpDriver) -> None:
    page = idp.open("/am/agreement")
    assert page.headings(2) == ["统一认证平台登录服务协议"]
    assert page.link("返回登录") == login_url()


def test_stylesheet_may_be_reused_between_page_loads(idp: IdpDriver) -> None:
    response = idp.get("/am/static/idp.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert "max-age" not in idp.get(login_url()).headers.get("cache-control", "")
