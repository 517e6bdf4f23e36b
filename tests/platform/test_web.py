"""The platform website's account rules and pages (W1, W2, R1 on the platform side), without a browser.

Each test builds a fresh app (``app``/``client`` in conftest) and drives it with FastAPI's
TestClient; setup that a person cannot do (seeding an account, binding an enterprise) goes
through the control interface.  Accounts and enterprises come from the harness's builders;
values that a rule is about (a boundary, a malformed number) are written out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from fixtures.test_data import Enterprise, PlatformAccount
from tests.platform.support import alerts, bind, input_tag, log_in, seed_and_log_in, seed_user, statuses

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
HEADLESS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
EDGE = CHROME + " Edg/131.0.0.0"
SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
)
BROWSER_360 = "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Safari/537.36 QIHU 360SE"
HINT = "您当前使用的浏览器可能无法正常使用本平台的部分功能，建议使用谷歌浏览器或者360安全浏览器极速模式访问。"


def registration(account: PlatformAccount, **overrides: str) -> dict[str, str]:
    """The 用户注册 form as ``account``'s owner fills it in, with ``overrides`` typed instead."""
    form = {
        "username": account.username,
        "mobile": account.mobile,
        "password": account.password,
        "password_confirm": account.password,
        "agree": "yes",
    }
    form.update(overrides)
    return form


# --- home page, layout, browser hint --------------------------------------------------------


def test_home_page_layout_for_an_anonymous_visitor(client: TestClient) -> None:
    html = client.get("/", headers={"User-Agent": CHROME}).text
    assert '<html lang="zh-CN">' in html
    assert re.search(r"<h1[^>]*>北京市中小企业公共服务平台</h1>", html)
    assert '<a class="brand" href="/">' in html
    assert '<a class="account-link" href="/register">注册</a>' in html
    assert '<a class="account-link" href="/login">登录</a>' in html
    assert 'aria-haspopup="menu"' not in html
    assert "建议使用谷歌浏览器或者360安全浏览器极速模式访问" in html
    assert "呼叫中心：010-82176966 / 010-82176996" in html
    for section in ("政策服务", "融资服务"):
        assert re.search(rf"<h2[^>]*>{section}</h2>", html)


@pytest.mark.parametrize(
    ("user_agent", "hint_shown"),
    [
        pytest.param(CHROME, False, id="chrome"),
        pytest.param(HEADLESS_CHROME, False, id="headless-chrome"),
        pytest.param(BROWSER_360, False, id="360"),
        pytest.param(CHROME + " 360EE", False, id="360-speed-mode"),
        pytest.param(
            "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; 360SE; rv:11.0) like Gecko", True, id="360-compat-mode"
        ),
        pytest.param(FIREFOX, True, id="firefox"),
        pytest.param(EDGE, True, id="edge"),
        pytest.param(CHROME + " OPR/114.0.0.0", True, id="opera"),
        pytest.param(SAFARI, True, id="safari"),
        pytest.param("", True, id="no-user-agent"),
    ],
)
def test_browser_hint_only_for_browsers_the_guide_does_not_recommend(
    client: TestClient, user_agent: str, hint_shown: bool
) -> None:
    html = client.get("/", headers={"User-Agent": user_agent}).text
    assert (f'<div role="alert" class="browser-hint"><div class="container">{HINT}</div></div>' in html) is hint_shown


def test_browser_hint_is_on_the_home_page_only(client: TestClient) -> None:
    assert HINT not in client.get("/login", headers={"User-Agent": FIREFOX}).text


# --- 用户注册 --------------------------------------------------------------------------------


def test_register_page_fields(client: TestClient) -> None:
    html = client.get("/register").text
    assert re.search(r"<h1[^>]*>用户注册</h1>", html)
    for field_id, label in [
        ("username", "用户名"),
        ("mobile", "手机号码"),
        ("password", "密码"),
        ("password_confirm", "确认密码"),
    ]:
        assert f'<label for="{field_id}">{label}</label><span class="required" aria-hidden="true">*</span>' in html
    assert 'placeholder="4-20位字母、数字或下划线，以字母开头"' in input_tag(html, "username")
    assert 'placeholder="6-20位字母和数字的组合"' in input_tag(html, "password")
    assert '<label for="agree">我已阅读并同意《用户服务协议》和《隐私协议》</label>' in html
    assert '<button type="submit" class="button button-primary button-block">注册</button>' in html
    assert alerts(html) == []


def test_register_with_everything_empty_names_each_missing_field(client: TestClient) -> None:
    response = client.post("/register", data={})
    assert response.status_code == 200
    assert alerts(response.text) == [
        "请输入用户名",
        "请输入手机号码",
        "请输入密码",
        "请阅读并同意用户服务协议和隐私协议",
    ]


FORMAT_USERNAME = "用户名须为4-20位字母、数字或下划线，以字母开头"
FORMAT_MOBILE = "手机号码格式不正确"
LENGTH_MOBILE = "手机号码应为11位"
FORMAT_PASSWORD = "密码须为6-20位字母和数字的组合"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"username": "1abcd"}, FORMAT_USERNAME, id="username-starts-with-digit"),
        pytest.param({"username": "_abcd"}, FORMAT_USERNAME, id="username-starts-with-underscore"),
        pytest.param({"username": "abc"}, FORMAT_USERNAME, id="username-3-chars"),
        pytest.param({"username": "a" * 21}, FORMAT_USERNAME, id="username-21-chars"),
        pytest.param({"username": "li-si"}, FORMAT_USERNAME, id="username-hyphen"),
        pytest.param({"username": "李四abcd"}, FORMAT_USERNAME, id="username-chinese"),
        pytest.param({"mobile": "12345678901"}, FORMAT_MOBILE, id="mobile-12-prefix"),
        pytest.param({"mobile": "1390000111"}, LENGTH_MOBILE, id="mobile-10-digits"),
        pytest.param({"mobile": "139000011112"}, LENGTH_MOBILE, id="mobile-12-digits"),
        pytest.param({"mobile": "1390000111x"}, FORMAT_MOBILE, id="mobile-letter"),
        pytest.param({"password": "abcdefgh", "password_confirm": "abcdefgh"}, FORMAT_PASSWORD, id="password-no-digit"),
        pytest.param(
            {"password": "12345678", "password_confirm": "12345678"}, FORMAT_PASSWORD, id="password-no-letter"
        ),
        pytest.param({"password": "abc12", "password_confirm": "abc12"}, FORMAT_PASSWORD, id="password-5-chars"),
        pytest.param(
            {"password": "abc" + "1" * 18, "password_confirm": "abc" + "1" * 18},
            FORMAT_PASSWORD,
            id="password-21-chars",
        ),
        pytest.param({"password": "abc123!", "password_confirm": "abc123!"}, FORMAT_PASSWORD, id="password-symbol"),
        pytest.param({"password_confirm": "abc12346"}, "两次输入的密码不一致", id="confirm-differs"),
        pytest.param({"password_confirm": ""}, "两次输入的密码不一致", id="confirm-empty"),
        pytest.param({"agree": ""}, "请阅读并同意用户服务协议和隐私协议", id="agreement-unchecked"),
    ],
)
def test_register_rejects_malformed_input_and_stores_nothing(
    client: TestClient, platform_account: PlatformAccount, overrides: dict[str, str], message: str
) -> None:
    response = client.post("/register", data=registration(platform_account, **overrides))
    assert response.status_code == 200
    assert alerts(response.text) == [message]
    assert client.get(f"/_control/users/{platform_account.username}").status_code == 404
    assert client.get(f"/_control/users/{overrides.get('username', platform_account.username)}").status_code == 404


def test_register_boundaries_are_accepted(client: TestClient, platform_account: PlatformAccount) -> None:
    response = client.post(
        "/register",
        data=registration(
            platform_account, username="abcd", password="a1b2c3", password_confirm="a1b2c3", mobile="19912345678"
        ),
    )
    assert response.status_code == 303
    response = client.post(
        "/register",
        data=registration(
            platform_account,
            username="A" + "b_" * 9 + "9",
            password="x" * 19 + "1",
            password_confirm="x" * 19 + "1",
        ),
    )
    assert response.status_code == 303


def test_register_refuses_a_taken_username_regardless_of_case_and_a_taken_mobile(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    capitalized = platform_account.username.capitalize()
    seed_user(client, platform_account.model_copy(update={"username": capitalized}))
    response = client.post("/register", data=registration(platform_account))
    assert alerts(response.text) == ["该用户名已被注册", "该手机号码已被注册"]
    assert client.get(f"/_control/users/{platform_account.username}").json()["username"] == capitalized


def test_rejected_register_form_keeps_what_was_typed_except_passwords(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    response = client.post(
        "/register", data=registration(platform_account, mobile="12345", password_confirm="other123")
    )
    html = response.text
    assert f'value="{platform_account.username}"' in input_tag(html, "username")
    assert 'value="12345"' in input_tag(html, "mobile")
    assert "value=" not in input_tag(html, "password")
    assert "value=" not in input_tag(html, "password_confirm")
    assert platform_account.password not in html
    assert "other123" not in html
    assert re.search(r'<input id="agree"[^>]* checked', html)


def test_typed_values_are_escaped_when_given_back(client: TestClient, platform_account: PlatformAccount) -> None:
    html = client.post("/register", data=registration(platform_account, username='"><script>alert(1)</script>')).text
    assert "<script>alert(1)" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in input_tag(html, "username")


def test_register_errors_are_tied_to_their_fields(client: TestClient, platform_account: PlatformAccount) -> None:
    html = client.post("/register", data=registration(platform_account, mobile="123")).text
    mobile = input_tag(html, "mobile")
    assert 'aria-invalid="true"' in mobile
    assert 'aria-describedby="mobile-error"' in mobile
    assert '<p role="alert" class="field-error" id="mobile-error">手机号码应为11位</p>' in html
    assert "aria-invalid" not in input_tag(html, "username")


def test_register_success_goes_to_login_which_says_so_once(
    client: TestClient, platform_account: PlatformAccount
) -> None:
    response = client.post("/register", data=registration(platform_account))
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    login_page = client.get("/login").text
    assert statuses(login_page) == ["注册成功，请登录"]
    assert statuses(client.get("/login").text) == []
    assert client.get(f"/_control/users/{platform_account.username}").json() == {
        "username": platform_account.username,
        "mobile": platform_account.mobile,
        "nickname": None,
        "user_type": None,
        "enterprise": None,
    }
    assert log_in(client, platform_account.username, platform_account.password) == "/"


# --- 用户登录 / 退出登录 ----------------------------------------------------------------------


def test_login_page(client: TestClient) -> None:
    html = client.get("/login").text
    assert re.search(r"<h1[^>]*>用户登录</h1>", html)
    assert '<label for="login_id">用户名/手机号码</label><span class="required" aria-hidden="true">*</span>' in html
    assert '<label for="password">密码</label><span class="required" aria-hidden="true">*</span>' in html
    assert '<button type="submit" class="button button-primary button-block">登录</button>' in html
    assert '<a href="/register">立即注册</a>' in html


@pytest.mark.parametrize(
    "login_id",
    [
        pytest.param(lambda account: account.username, id="username"),
        pytest.param(lambda account: account.username.upper(), id="username-in-upper-case"),
        pytest.param(lambda account: account.mobile, id="mobile"),
    ],
)
def test_login_with_username_or_mobile(
    client: TestClient, platform_account: PlatformAccount, login_id: Callable[[PlatformAccount], str]
) -> None:
    seed_user(client, platform_account)
    assert log_in(client, login_id(platform_account), platform_account.password) == "/"
    html = client.get("/").text
    assert re.search(
        r'<button type="button" id="user-menu-button"[^>]*aria-haspopup="menu" aria-expanded="false"', html
    )
    assert f'>{platform_account.username}<span class="caret" aria-hidden="true"></span></button>' in html
    assert '<ul id="user-menu" class="user-menu-list" role="menu"' in html
    assert '<a role="menuitem" href="/user/center">个人中心</a>' in html
    assert '<button type="submit" role="menuitem">退出登录</button>' in html
    assert '<form method="post" action="/logout"' in html
    assert 'href="/login">登录</a>' not in html


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda account: (account.username, "wrong1234"), id="wrong-password"),
        pytest.param(lambda account: ("nobody99", account.password), id="unknown-account"),
        pytest.param(lambda account: ("13800000000", account.password), id="unknown-mobile"),
    ],
)
def test_login_failure_does_not_say_whether_the_account_exists(
    client: TestClient, platform_account: PlatformAccount, attempt: Callable[[PlatformAccount], tuple[str, str]]
) -> None:
    seed_user(client, platform_account)
    login_id, password = attempt(platform_account)
    response = client.post("/login", data={"login_id": login_id, "password": password})
    assert response.status_code == 200
    assert alerts(response.text) == ["用户名或密码错误"]
    assert f'value="{login_id}"' in input_tag(response.text, "login_id")
    assert "value=" not in input_tag(response.text, "password")
    assert 'aria-describedby="login-error"' in input_tag(response.text, "password")
    assert "smebj_session" not in response.headers.get("set-cookie", "")


def test_login_with_empty_fields(client: TestClient) -> None:
    assert alerts(client.post("/login", data={}).text) == ["请输入用户名/手机号码", "请输入密码"]


def test_login_returns_to_a_local_next(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_user(client, platform_account)
    page = client.get("/login", params={"next": "/user/home/profile?x=1"}).text
    assert '<input type="hidden" name="next" value="/user/home/profile?x=1">' in page
    landing = log_in(client, platform_account.username, platform_account.password, "/user/home/profile?x=1")
    assert landing == "/user/home/profile?x=1"


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example/",
        "http://evil.example/",
        "https://evil.example/user/center",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/user/center\r\nSet-Cookie: x=1",
    ],
)
def test_login_never_redirects_off_site(client: TestClient, platform_account: PlatformAccount, next_path: str) -> None:
    seed_user(client, platform_account)
    page = client.get("/login", params={"next": next_path}).text
    assert 'name="next"' not in page
    assert log_in(client, platform_account.username, platform_account.password, next_path) == "/"


def test_login_gives_a_new_session_id(
    client: TestClient, platform_account: PlatformAccount, colleague: PlatformAccount
) -> None:
    seed_user(client, platform_account)
    client.post("/register", data={})  # the form's page starts an anonymous session (its token is bound to it)
    client.post("/register", data=registration(colleague))  # success keeps it (for the flash)
    before = client.cookies.get("smebj_session")
    assert before
    log_in(client, platform_account.username, platform_account.password)
    after = client.cookies.get("smebj_session")
    assert after
    assert after != before


def test_logout_ends_the_session(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_and_log_in(client, platform_account)
    old_cookie = client.cookies.get("smebj_session")
    response = client.post("/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert '<a class="account-link" href="/login">登录</a>' in client.get("/").text
    assert client.get("/user/center").status_code == 303
    # The old id is dead on the server, not just forgotten by the browser.
    assert old_cookie
    client.cookies.set("smebj_session", old_cookie)
    assert client.get("/user/center").status_code == 303


def test_logout_by_get_is_a_friendly_405(client: TestClient) -> None:
    response = client.get("/logout")
    assert response.status_code == 405
    assert "请求方式不正确" in response.text
    assert response.headers["content-type"].startswith("text/html")


# --- 个人中心 → 我的主页 → 个人主页 ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/user",
        "/user/center",
        "/user/home",
        "/user/home/profile",
        "/user/home/profile?tab=cert&x=%E4%B8%AD",
        "/user/services",
        "/user/no-such-page",
    ],
)
def test_user_pages_need_login_and_come_back_afterwards(
    client: TestClient, platform_account: PlatformAccount, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    next_path = parse_qs(location.query)["next"][0]
    assert next_path == path
    seed_user(client, platform_account)
    assert log_in(client, platform_account.username, platform_account.password, next_path) == path


def test_user_center_and_my_home_navigation(client: TestClient, platform_account: PlatformAccount) -> None:
    seed_and_log_in(client, platform_account)
    center = client.get("/user/center").text
    assert re.search(r"<h1[^>]*>个人中心</h1>", center)
    assert re.search(r'<nav class="side-nav" aria-label="个人中心">.*<a href="/user/home">我的主页</a>', center, re.S)
    home = client.get("/user/home").text
    assert re.search(r"<h1[^>]*>我的主页</h1>", home)
    assert re.search(
        r'<nav class="side-nav" aria-label="我的主页">.*<a href="/user/home/profile">个人主页</a>', home, re.S
    )
    for path in ("/user/services", "/user/settings", "/user/home/favorites"):
        assert client.get(path).status_code == 200
    assert client.get("/user/nothing-here").status_code == 404


def test_profile_shows_uncertified_then_certified(
    client: TestClient, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_and_log_in(client, platform_account)
    html = client.get("/user/home/profile").text
    assert re.search(r"<h1[^>]*>个人主页</h1>", html)
    assert f"用户名：{platform_account.username}" in html
    mobile = platform_account.mobile
    assert f"手机号码：{mobile[:3]}****{mobile[-4:]}" in html
    assert mobile not in html
    assert re.search(r'<section class="panel certification" aria-labelledby="certification-heading">', html)
    assert '<h2 id="certification-heading">认证信息</h2>' in html
    assert '<span class="tag">未认证</span>' in html
    assert "请选择认证方式：" in html
    assert '<a class="method" href="/auth/yzt/start">北京市企业认证</a>' in html
    assert "已认证" not in html

    bind(client, enterprise, platform_account)
    html = client.get("/user/home/profile").text
    assert '<span class="tag tag-certified">已认证</span>' in html
    assert f"企业名称：{enterprise.name}" in html
    assert f"统一社会信用代码：{enterprise.credit_code}" in html
    assert re.search(r"认证时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", html)
    assert "未认证" not in html
    assert "北京市企业认证</a>" not in html


def test_certification_time_is_beijing_time_by_the_mock_clock(
    client: TestClient, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    seed_and_log_in(client, platform_account)
    client.post("/_control/clock/set", json={"now": "2026-11-27T02:30:00+00:00"})
    bind(client, enterprise, platform_account)
    assert "认证时间：2026-11-27 10:30:" in client.get("/user/home/profile").text


# --- robustness and faults ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/register", {"json": {"username": "x"}}),
        (
            "POST",
            "/register",
            {"content": b"\xff\xfe garbage", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        ),
        ("POST", "/register", {"files": {"username": ("a.txt", b"abc")}}),
        ("POST", "/login", {"content": b"--broken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}}),
        ("POST", "/login", {"data": {"login_id": "a" * 5000, "password": "b" * 5000}}),
        ("GET", "/login?next=%ff%fe", {}),
        ("GET", "/auth/yzt/callback?code=&state=%00", {}),
        ("GET", "/no/such/page", {}),
        ("GET", "/agreement/unknown", {}),
        ("DELETE", "/", {}),
        ("PUT", "/user/center", {}),
    ],
)
def test_bad_input_gets_a_page_never_a_500(
    client: TestClient, method: str, path: str, kwargs: dict[str, object]
) -> None:
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text


def test_agreement_pages(client: TestClient) -> None:
    assert re.search(r"<h1[^>]*>用户服务协议</h1>", client.get("/agreement/service").text)
    assert re.search(r"<h1[^>]*>隐私协议</h1>", client.get("/agreement/privacy").text)


def test_maintenance_fault_takes_the_pages_down_but_not_the_control_interface(client: TestClient) -> None:
    assert client.put("/_control/faults", json={"down": True}).json() == {"down": True, "idp_timeout_seconds": 5.0}
    response = client.get("/")
    assert response.status_code == 503
    assert re.search(r"<h1[^>]*>平台维护中</h1>", response.text)
    assert client.post("/login", data={}).status_code == 503
    assert client.get("/static/platform.css").status_code == 200
    assert client.get("/_control/faults").json() == {"down": True, "idp_timeout_seconds": 5.0}
    client.put("/_control/faults", json={"down": False})
    assert client.get("/").status_code == 200


def test_static_assets_are_local(client: TestClient) -> None:
    html = client.get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', html)
    css = client.get("/static/platform.css").text
    assert "@import" not in css
    assert "url(" not in css
    assert client.get("/static/menu.js").status_code == 200


@pytest.mark.parametrize("path", ["/static/platform.css", "/static/menu.js"])
def test_static_assets_may_be_reused_between_pages_without_asking_again(client: TestClient, path: str) -> None:
    # Every scenario walks through many pages: a fresh copy saves a revalidation round trip per file.
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=3600"
    # Once stale, the browser revalidates; the 304 renews the same freshness.
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == "public, max-age=3600"


def test_pages_and_missing_static_files_are_not_cached(client: TestClient) -> None:
    # Pages depend on the session (who is logged in, flashes), and a 404 must not stick.
    assert "max-age" not in client.get("/").headers.get("cache-control", "")
    missing = client.get("/static/no-such-file.css")
    assert missing.status_code == 404
    assert "max-age" not in missing.headers.get("cache-control", "")
