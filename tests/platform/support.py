"""What the platform mock's tests share that is not a fixture: the app under test and ways to read its pages.

Pages are read with small regular expressions on purpose: the markup is what a browser's
accessibility tree (and so the harness's role locators) is built from, so its exact form is
part of what these tests pin down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.test_data import Enterprise, PlatformAccount, TestDataBuilder
from mock_servers.platform.server import create_app
from tests.form_test_client import FormTestClient

BASE = "http://testserver"
IDP = "http://idp.test"
CLIENT_ID = "smebj-platform"
CLIENT_SECRET = "s3cret-for-tests"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@dataclass(frozen=True)
class AppAccount:
    """An account as a person registers it in the app."""

    mobile: str
    password: str
    nickname: str
    user_type: str


def new_app(idp_transport: httpx.BaseTransport | None = None) -> FastAPI:
    """A fresh platform; without a transport its IdP is unreachable (fine until 企业认证)."""
    return create_app(BASE, idp_url=IDP, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, idp_transport=idp_transport)


def new_client(app: FastAPI) -> TestClient:
    """A browser of its own (own cookie jar) that shows redirects instead of following them.

    Its form posts carry the page's CSRF token, as a browser's do (``fixtures.form_client``).
    """
    return FormTestClient(app, token_page="/login", base_url=BASE, follow_redirects=False)


def plain_client(app: FastAPI) -> TestClient:
    """An HTTP client that posts exactly what it is given: no CSRF token unless the test adds one."""
    return TestClient(app, base_url=BASE, follow_redirects=False)


def enterprise_with_a_letter(test_data: TestDataBuilder) -> Enterprise:
    """An enterprise whose 统一社会信用代码 has a letter in it, so that upper and lower case differ.

    Many valid codes are all digits; a test of case handling would prove nothing with one.
    """
    while True:
        enterprise = test_data.enterprise()
        if enterprise.credit_code != enterprise.credit_code.lower():
            return enterprise


def alerts(html: str) -> list[str]:
    return [text.strip() for text in re.findall(r'<p role="alert"[^>]*>(.*?)</p>', html, re.S)]


def statuses(html: str) -> list[str]:
    return [text.strip() for text in re.findall(r'<p role="status"[^>]*>(.*?)</p>', html, re.S)]


def input_tag(html: str, field_id: str) -> str:
    """The ``<input>`` with this id, whatever comes before the id (the app's inputs have a class first)."""
    match = re.search(rf'<input\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert match, f"no input #{field_id}"
    return str(match.group(0))


def seed_user(client: TestClient, account: PlatformAccount) -> None:
    """Create the 平台账户 through the control interface."""
    response = client.post("/_control/users", json=account.model_dump())
    assert response.status_code == 201, response.text


def log_in(client: TestClient, login_id: str, password: str, next_path: str = "") -> str:
    """用户登录; where the platform sends the browser next."""
    response = client.post("/login", data={"login_id": login_id, "password": password, "next": next_path})
    assert response.status_code == 303, alerts(response.text)
    return str(response.headers["location"])


def bind(client: TestClient, enterprise: Enterprise, account: PlatformAccount) -> dict[str, Any]:
    """Bind ``enterprise`` to ``account`` through the control interface; the binding as it answers."""
    body = {"credit_code": enterprise.credit_code, "enterprise_name": enterprise.name, "username": account.username}
    response = client.post("/_control/bindings", json=body)
    assert response.status_code == 201, response.text
    binding: dict[str, Any] = response.json()
    return binding


def seed_and_log_in(client: TestClient, account: PlatformAccount) -> None:
    seed_user(client, account)
    log_in(client, account.username, account.password)


def full_width(text: str) -> str:
    """ASCII letters, digits and signs as a Chinese IME in full-width mode types them."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


# --- the app ----------------------------------------------------------------------------------


def seed_app_user(client: TestClient, account: AppAccount) -> None:
    """Create the app account (username: its mobile number) through the control interface."""
    body = {
        "mobile": account.mobile,
        "password": account.password,
        "nickname": account.nickname,
        "user_type": account.user_type,
    }
    response = client.post("/_control/users", json=body)
    assert response.status_code == 201, response.text


def app_log_in(client: TestClient, mobile: str, password: str, next_path: str = "") -> str:
    """The app's 登录; where the platform sends the phone next."""
    response = client.post("/m/login", data={"mobile": mobile, "password": password, "next": next_path})
    assert response.status_code == 303, alerts(response.text)
    return str(response.headers["location"])


def send_code(client: TestClient, mobile: str) -> str:
    """获取验证码, then read the code off the phone (the control interface's outbox)."""
    response = client.post("/m/sms", data={"mobile": mobile})
    assert response.status_code == 200, response.text
    outbox = client.get("/_control/sms", params={"mobile": mobile}).json()
    code: str = outbox[0]["code"]
    return code


def app_start(client: TestClient) -> str:
    """我的 → 去认证 → 北京市企业认证: the IdP's authorization URL the app sends the phone to."""
    response = client.get("/m/auth/yzt/start")
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def callback(client: TestClient, params: dict[str, str], **headers: str) -> httpx.Response:
    """The IdP sends the phone back to the platform's redirect URI with ``params``."""
    response: httpx.Response = client.get("/auth/yzt/callback", params=params, headers=headers)
    return response
