"""用户注册 and 用户登录 on the platform."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.base import PageObject, Secret


class RegisterPage(PageObject):
    """用户注册: the platform account form."""

    PATH = "/register"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="用户注册")
        self.username = page.get_by_label("用户名")
        self.mobile = page.get_by_label("手机号码")
        self.password = page.get_by_label("密码", exact=True)
        self.password_again = page.get_by_label("确认密码")
        self.agreement = page.get_by_label("我已阅读并同意《用户服务协议》和《隐私协议》")
        self.submit_button = page.get_by_role("button", name="注册")
        self.errors = page.get_by_role("alert")

    def register(self, username: str, mobile: str, password: str) -> None:
        self.username.fill(username)
        self.mobile.fill(mobile)
        self.password.fill(password)
        self.password_again.fill(password)
        self.agreement.check()
        self.submit_button.click()


class LoginPage(PageObject):
    """用户登录."""

    PATH = "/login"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="用户登录")
        self.username = page.get_by_label("用户名/手机号码")
        self.password = page.get_by_label("密码", exact=True)
        self.submit_button = page.get_by_role("main").get_by_role("button", name="登录")
        self.status = page.get_by_role("status")
        self.errors = page.get_by_role("alert")

    def form_fields(self, username: str, password: str | Secret) -> dict[str, str | Secret]:
        """The fields this page's form posts, for a login made over HTTP (``fixtures.http_login``)."""
        return {"login_id": username, "password": password}

    def log_in(self, username: str, password: str | Secret) -> None:
        self.username.fill(username)
        self.type_into(self.password, password)
        self.submit_button.click()
