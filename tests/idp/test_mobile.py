"""The IdP on a phone (方式二, A2; 常见问题 Q3, Q4): the app sends its user to the same login page.

The platform's app (北京通企服版 APP) opens 一证通 in a web view.  There the login page
keeps every name the desktop page has (one page object drives both) and adds a note for
users without an account; 注册 and 忘记密码? answer with the guide's "only on a PC",
the PC address, the phone number to call, and a way back that keeps the app's goto.
Nothing is registered, and no password changes, from a phone.

Over HTTP with a phone's User-Agent, both Playwright's "iPhone 15" and "Pixel 7"
(``tests/idp/test_devices.py`` checks those strings against Playwright's own).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from mock_servers.idp.pages import login_url, with_goto
from tests.idp.driver import BASE_URL, PASSWORD, Element, HtmlPage, IdpDriver, page_of

# Playwright's device descriptors, as the app's scenarios emulate them.
IPHONE_15: Final = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/27.2 Mobile/15E148 Safari/604.1"
)
PIXEL_7: Final = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/159.0.8154.6 Mobile Safari/537.36"
)
DESKTOP_CHROME: Final = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0.8154.6 Safari/537.36"
)

# The contract, in the guide's words (常见问题 Q3, Q4, 方式二 步骤 2).
NO_ACCOUNT: Final = "还没有一证通账号？目前只能在PC端注册，请在电脑上打开认证平台地址完成注册。"
REGISTER_HEADING: Final = "请在PC端注册"
REGISTER_ANSWER: Final = (
    "目前只能在PC端进行认证平台的账号注册，在PC端打开认证平台地址，进行注册。"
    "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090。"
)
FORGOT_HEADING: Final = "请在PC端找回密码"
FORGOT_ANSWER: Final = (
    "目前只能在PC端进行认证平台的密码找回，在PC端打开认证平台地址，进行密码找回操作。"
    "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090。"
)
# The address to open on a PC: exactly this IdP's login page, as the guide gives it.
PC_ADDRESS: Final = BASE_URL + "/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8"

# The app's way back: its authorization request, carried through every page as goto.
CLIENT_ID: Final = "smebj-app"
CLIENT_SECRET: Final = "app-secret"
REDIRECT_URI: Final = "http://platform.test/app/auth/yzt/callback"
GOTO: Final = "/am/oauth2/authorize?client_id=smebj-app&state=abc"

REGISTER_PATHS: Final = ("/am/register", "/am/register/account", "/am/register/done")


@pytest.fixture(params=[IPHONE_15, PIXEL_7], ids=["iPhone 15", "Pixel 7"])
def phone(idp: IdpDriver, request: pytest.FixtureRequest) -> Iterator[IdpDriver]:
    """The IdP driven from a phone: every request carries the phone's User-Agent."""
    idp.http.headers["User-Agent"] = request.param
    yield idp
    del idp.http.headers["User-Agent"]


def as_desktop(idp: IdpDriver, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request from a desktop browser sharing the phone's cookies (the same person on a PC)."""
    response: httpx.Response = idp.http.request(method, url, headers={"User-Agent": DESKTOP_CHROME}, **kwargs)
    return response


def open_page(response: httpx.Response) -> HtmlPage:
    assert response.status_code == 200, f"{response.request.url}: {response.status_code}"
    return page_of(response)


def labelled(page: HtmlPage, label: str) -> Element:
    """The one element whose accessible name is ``label`` (aria-label, or aria-labelledby a visible text)."""
    texts = {element.attrs["id"]: element.text() for element in page.root.iter() if "id" in element.attrs}
    found = [
        element
        for element in page.root.iter()
        if element.attrs.get("aria-label") == label
        or (element.attrs.get("aria-labelledby") and texts.get(element.attrs["aria-labelledby"]) == label)
    ]
    assert len(found) == 1, f"expected one element named {label!r}, found {len(found)}"
    return found[0]


def login_page_names(page: HtmlPage) -> dict[str, Any]:
    """Everything the login page object finds things by: names, roles, labels, placeholders, targets."""
    tabpanel = page.root.find(role="tabpanel")
    return {
        "title": page.title,
        "h1": page.headings(1),
        "h2": page.headings(2),
        "h3": page.headings(3),
        "tablist": page.root.find(role="tablist").attrs.get("aria-label"),
        "tabs": [(tab.text(), tab.attrs["aria-selected"], tab.attrs["href"]) for tab in page.root.find_all(role="tab")],
        "tabpanel": (tabpanel.attrs.get("aria-labelledby"), tabpanel.attrs.get("aria-label")),
        "fields": [
            (label, page.field(label).attrs.get("type"), page.field(label).attrs.get("placeholder"))
            for label in ("用户名", "密码", "验证码")
        ],
        "buttons": [button.text() for button in page.root.find_all("button")],
        "links": [(link.text(), link.attrs["href"]) for link in page.root.find_all("a")],
        "alerts": page.alerts(),
        "statuses": page.statuses(),
        "regions": [region_name(page, section) for section in page.root.find_all("section")],
    }


def region_name(page: HtmlPage, section: Element) -> str:
    if "aria-label" in section.attrs:
        return section.attrs["aria-label"]
    return page.root.find(id=section.attrs["aria-labelledby"]).text()


def assert_pc_only_page(page: HtmlPage, *, heading: str, answer: str, goto: str | None) -> None:
    """The page a phone gets instead of a PC-only one: every text, the tel: link, the address, 返回登录."""
    assert page.headings(1) == ["北京市统一身份认证平台"]
    assert page.headings(2) == [heading]
    assert page.title == f"{heading} - 北京市统一身份认证平台"
    paragraphs = [p.text() for p in page.root.find_all("p")]
    assert answer in paragraphs
    call = [a for a in page.root.find_all("a") if a.attrs["href"].startswith("tel:")]
    assert [(a.text(), a.attrs["href"]) for a in call] == [("010-58511090", "tel:010-58511090")]
    address = labelled(page, "认证平台地址")
    assert address.attrs["role"] == "group"
    assert address.text() == PC_ADDRESS
    assert page.link("返回登录") == login_url(goto)
    # No wizard and no recovery form: nothing on this page can register or reset anything.
    assert page.root.find_all("form") == []
    assert page.root.find_all("input") == []
    assert page.root.find_all(aria_label="注册步骤") == []


# --- the login page -------------------------------------------------------------


def test_the_phone_login_page_keeps_every_name_of_the_desktop_page(phone: IdpDriver) -> None:
    url = login_url(GOTO)
    mobile = open_page(phone.get(url))
    desktop = open_page(as_desktop(phone, "GET", url))
    mobile_names, desktop_names = login_page_names(mobile), login_page_names(desktop)
    # The one addition: the note for users without an account, a region of its own.
    assert desktop_names.pop("regions") == ["请您登录", "其他登录方式"]
    assert mobile_names.pop("regions") == ["请您登录", "还没有一证通账号", "其他登录方式"]
    assert mobile_names == desktop_names

    assert mobile.root.find("body").attrs.get("class") == "mobile"
    assert "class" not in desktop.root.find("body").attrs
    viewport = mobile.root.find("meta", name="viewport").attrs["content"]
    assert viewport == "width=device-width, initial-scale=1"


def test_the_phone_login_page_has_the_desktop_pages_names_spelled_out(phone: IdpDriver) -> None:
    # The same names as tests/idp/test_login.py checks on the desktop, read here off the phone's page.
    page = open_page(phone.get(login_url(GOTO)))
    assert page.headings(1) == ["北京市统一身份认证平台"]
    assert page.headings(2) == ["请您登录"]
    tabs = page.root.find(role="tablist").find_all(role="tab")
    assert [t.text() for t in tabs] == ["证书登录", "口令登录", "电子营业执照", "事业单位", "电子证照"]
    assert page.root.find(role="tabpanel").attrs["aria-labelledby"] == "tab-password"
    assert page.field("用户名").attrs["placeholder"] == "一证通账号"
    assert page.field("密码").attrs["placeholder"] == "一证通密码"
    assert page.field("验证码").attrs["placeholder"] == "请输入验证码"
    assert page.has_button("登录")
    assert page.link("忘记密码?") == with_goto("/am/password/forgot", GOTO)
    assert page.link("点击注册") == with_goto("/am/register", GOTO)
    assert page.link("统一认证平台登录服务协议") == "/am/agreement"
    assert page.root.find("section", aria_labelledby="other-logins-title").find("h3").text() == "其他登录方式"


@pytest.mark.parametrize("tab", [None, "cert", "alipay"])
def test_the_phone_login_page_tells_users_without_an_account_to_register_on_a_pc(
    phone: IdpDriver, tab: str | None
) -> None:
    page = open_page(phone.get(login_url(GOTO, tab)))
    note = page.root.find("section", aria_label="还没有一证通账号")
    assert [p.text() for p in note.find_all("p")] == [NO_ACCOUNT, "认证平台地址"]
    address = labelled(page, "认证平台地址")
    assert address.text() == PC_ADDRESS
    assert any(element is address for element in note.iter())
    # Outside the tabpanel: the panel's labels, status and button stay exactly the desktop's.
    assert not any(element is note for element in page.root.find(role="tabpanel").iter())


def test_the_desktop_login_page_has_no_phone_note(idp: IdpDriver) -> None:
    page = open_page(as_desktop(idp, "GET", login_url(GOTO)))
    assert page.root.find_all(aria_label="还没有一证通账号") == []
    assert NO_ACCOUNT not in page.html
    assert PC_ADDRESS not in page.html


def test_pages_say_they_differ_by_user_agent(phone: IdpDriver) -> None:
    for url in (login_url(GOTO), "/am/register", "/am/password/forgot", "/am/password/reset"):
        assert "User-Agent" in phone.get(url).headers["vary"]


# --- 注册 and 忘记密码? on a phone ------------------------------------------------


@pytest.mark.parametrize("path", REGISTER_PATHS)
def test_register_on_a_phone_says_to_register_on_a_pc(phone: IdpDriver, path: str) -> None:
    page = open_page(phone.get(with_goto(path, GOTO)))
    assert_pc_only_page(page, heading=REGISTER_HEADING, answer=REGISTER_ANSWER, goto=GOTO)


def test_register_from_the_phone_login_page_link(phone: IdpDriver) -> None:
    login = open_page(phone.get(login_url(GOTO)))
    page = open_page(phone.get(login.link("点击注册")))
    assert_pc_only_page(page, heading=REGISTER_HEADING, answer=REGISTER_ANSWER, goto=GOTO)


def test_forgot_password_on_a_phone_says_to_recover_it_on_a_pc(phone: IdpDriver) -> None:
    login = open_page(phone.get(login_url(GOTO)))
    page = open_page(phone.get(login.link("忘记密码?")))
    assert_pc_only_page(page, heading=FORGOT_HEADING, answer=FORGOT_ANSWER, goto=GOTO)


def test_without_goto_the_way_back_is_the_plain_login_page(phone: IdpDriver) -> None:
    for path, heading, answer in (
        ("/am/register", REGISTER_HEADING, REGISTER_ANSWER),
        ("/am/password/forgot", FORGOT_HEADING, FORGOT_ANSWER),
    ):
        assert_pc_only_page(open_page(phone.get(path)), heading=heading, answer=answer, goto=None)


def test_a_step_one_posted_from_a_phone_registers_nothing(phone: IdpDriver) -> None:
    # A complete, valid step 1 with a right captcha (read off the desktop page): the phone still gets Q3.
    form_page = open_page(as_desktop(phone, "GET", with_goto("/am/register", GOTO)))
    data = {
        **phone.identity(),
        "goto": GOTO,
        "captcha_id": form_page.captcha_id,
        "captcha": phone.captcha_answer(form_page),
    }
    page = open_page(phone.post_form(with_goto("/am/register", GOTO), data))
    assert_pc_only_page(page, heading=REGISTER_HEADING, answer=REGISTER_ANSWER, goto=GOTO)
    assert "yzt_register" not in phone.http.cookies
    # No step 1 on record: the wizard's step 2 sends a computer back to step 1.
    step_two = as_desktop(phone, "GET", with_goto("/am/register/account", GOTO))
    assert step_two.status_code == 303
    assert step_two.headers["location"] == with_goto("/am/register", GOTO)


def test_a_step_two_posted_from_a_phone_creates_no_account(phone: IdpDriver) -> None:
    # Step 1 done on a computer; then step 2 arrives from the phone, fully valid.
    form_page = open_page(as_desktop(phone, "GET", with_goto("/am/register", GOTO)))
    step_one = {
        **phone.identity(),
        "goto": GOTO,
        "captcha_id": form_page.captcha_id,
        "captcha": phone.captcha_answer(form_page),
    }
    assert as_desktop(phone, "POST", with_goto("/am/register", GOTO), data=step_one).status_code == 303
    account = phone.data.yzt_account()
    step_two = {
        "goto": GOTO,
        "account": account.account,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "mobile": account.mobile,
    }
    page = open_page(phone.post_form(with_goto("/am/register/account", GOTO), step_two))
    assert_pc_only_page(page, heading=REGISTER_HEADING, answer=REGISTER_ANSWER, goto=GOTO)
    assert phone.http.get(f"/_control/accounts/{account.account}").status_code == 404
    # The computer's wizard is still at step 2, untouched.
    assert as_desktop(phone, "GET", with_goto("/am/register/account", GOTO)).status_code == 200


def test_password_recovery_step_one_posted_from_a_phone_starts_nothing(phone: IdpDriver) -> None:
    seeded = phone.seed_account(password=None)
    form_page = open_page(as_desktop(phone, "GET", with_goto("/am/password/forgot", GOTO)))
    data = {
        "goto": GOTO,
        "account": seeded["account"],
        "legal_person_id_number": seeded["legal_person_id_number"],
        "captcha_id": form_page.captcha_id,
        "captcha": phone.captcha_answer(form_page),
    }
    page = open_page(phone.post_form(with_goto("/am/password/forgot", GOTO), data))
    assert_pc_only_page(page, heading=FORGOT_HEADING, answer=FORGOT_ANSWER, goto=GOTO)
    assert "yzt_recovery" not in phone.http.cookies
    # No identity on record: 设置新密码 sends a computer back to 验证身份.
    assert as_desktop(phone, "GET", with_goto("/am/password/reset", GOTO)).status_code == 303


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/am/password/reset"), ("POST", "/am/password/reset/sms"), ("POST", "/am/password/reset")],
)
def test_password_recovery_step_two_on_a_phone_says_to_recover_it_on_a_pc(
    phone: IdpDriver, method: str, path: str
) -> None:
    # 验证身份 done on a computer and a code sent there; then the phone, sharing its cookies,
    # asks for a code or sets a password with the right one: it gets Q4, and nothing happens.
    seeded = phone.seed_account(password=None)
    form_page = open_page(as_desktop(phone, "GET", with_goto("/am/password/forgot", GOTO)))
    step_one = {
        "goto": GOTO,
        "account": seeded["account"],
        "legal_person_id_number": seeded["legal_person_id_number"],
        "captcha_id": form_page.captcha_id,
        "captcha": phone.captcha_answer(form_page),
    }
    assert as_desktop(phone, "POST", with_goto("/am/password/forgot", GOTO), data=step_one).status_code == 303
    as_desktop(phone, "POST", with_goto("/am/password/reset/sms", GOTO))
    [sent] = phone.sms_outbox(seeded["mobile"])
    step_two = {
        "goto": GOTO,
        "sms_code": sent["code"],
        "new_password": "Changed0001",
        "new_password_confirm": "Changed0001",
    }
    response = phone.http.request(method, with_goto(path, GOTO), data=step_two if method == "POST" else None)
    assert_pc_only_page(open_page(response), heading=FORGOT_HEADING, answer=FORGOT_ANSWER, goto=GOTO)
    assert len(phone.sms_outbox(seeded["mobile"])) == 1
    assert phone.account(seeded["account"])["has_password"] is False
    # The computer's recovery is still at 设置新密码, and the code still good there.
    assert as_desktop(phone, "GET", with_goto("/am/password/reset", GOTO)).status_code == 200
    done = as_desktop(phone, "POST", with_goto("/am/password/reset", GOTO), data=step_two)
    assert page_of(done).statuses() == ["密码已重置，请使用新密码登录"]


# --- 口令登录 on a phone ------------------------------------------------------------


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def test_a_phone_logs_in_and_follows_goto_through_authorize_to_the_apps_redirect_uri(phone: IdpDriver) -> None:
    phone.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
    seeded = phone.seed_account()
    verifier = secrets.token_urlsafe(48)
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile enterprise",
        "state": "app-state",
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
    }
    # 北京市企业认证 in the app: its authorization request lands on the login page with goto.
    first = phone.http.get("/am/oauth2/authorize", params=params)
    assert first.status_code == 302
    login_location = first.headers["location"]
    goto = parse_qs(urlsplit(login_location).query)["goto"][0]

    login = open_page(phone.get(login_location))
    assert login.root.find("body").attrs.get("class") == "mobile"
    answer = phone.captcha_answer(login)
    logged_in = phone.post_form(
        login_location,
        {"username": seeded["account"], "password": PASSWORD, "captcha": answer, "captcha_id": login.captcha_id},
    )
    assert logged_in.status_code == 302, page_of(logged_in).alerts()
    assert logged_in.headers["location"] == goto

    back = phone.get(goto)
    assert back.status_code == 302
    callback = urlsplit(back.headers["location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT_URI
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    assert query["state"] == "app-state"
    token = phone.http.post(
        "/am/oauth2/access_token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert token.status_code == 200, token.text
    assert token.json()["id_token"]


@pytest.mark.parametrize("goto", ["https://evil.example/steal", "//evil.example/x", "/elsewhere"])
def test_a_phone_login_still_refuses_an_open_redirect(phone: IdpDriver, goto: str) -> None:
    seeded = phone.seed_account()
    response = phone.login(seeded["account"], PASSWORD, goto=goto)
    assert response.status_code == 302
    assert response.headers["location"] == "/am/UI/Welcome"


def test_a_refused_phone_login_comes_back_as_the_phone_page_with_its_message(phone: IdpDriver) -> None:
    seeded = phone.seed_account()
    page = open_page(phone.login(seeded["account"], "Wrong0000", goto=GOTO))
    assert page.alerts() == ["用户名或密码错误"]
    assert page.root.find("body").attrs.get("class") == "mobile"
    assert page.field("用户名").attrs["value"] == seeded["account"]
    assert labelled(page, "认证平台地址").text() == PC_ADDRESS
