"""下载, 注册 and 登录 in the app."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from pages.base import PageObject, Secret

# The 获取验证码 button's three faces: ready, counting down ("59s后重新获取"), and sent.
SMS_BUTTON_NAME = re.compile(r"^(获取验证码|\d+s后重新获取)$")
COUNTDOWN = re.compile(r"^(\d+)s后重新获取$")


class AgreementLine:
    """登录即代表您已阅读并同意用户服务协议和隐私协议, with both agreements as links."""

    TEXT = "登录即代表您已阅读并同意用户服务协议和隐私协议"

    def __init__(self, page: Page) -> None:
        self.line = page.get_by_role("main").get_by_text(self.TEXT)
        self.service_link = self.line.get_by_role("link", name="用户服务协议", exact=True)
        self.privacy_link = self.line.get_by_role("link", name="隐私协议", exact=True)

    def link(self, name: str) -> Locator:
        return self.line.get_by_role("link", name=name, exact=True)

    def open(self, name: str) -> None:
        self.link(name).tap()


class DownloadPage(PageObject):
    """下载北京通企服版APP: iOS版 and Android版, each to a page saying where to get it."""

    PATH = "/m/download"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="下载北京通企服版APP")
        # The page a store link leads to: how to get the app there.
        self.store_instructions = page.get_by_role("region", name="下载方式")

    def store_link(self, name: str) -> Locator:
        return self.page.get_by_role("main").get_by_role("link", name=name, exact=True)

    def choose_store(self, name: str) -> None:
        self.press(self.store_link(name))


class AgreementPage(PageObject):
    """用户服务协议 or 隐私协议, opened from the agreement line; 返回 goes back to where it was opened."""

    PATH = "/m/agreement/service"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.back_link = page.get_by_role("banner").get_by_role("link", name="返回", exact=True)

    def heading(self, title: str) -> Locator:
        return self.page.get_by_role("heading", level=1, name=title, exact=True)

    def text(self, title: str) -> Locator:
        return self.page.get_by_role("article", name=title)

    def back(self) -> None:
        self.press(self.back_link)


class AppRegisterPage(PageObject):
    """注册: 手机号码, 验证码 with 获取验证码, 密码, 昵称, 用户类型."""

    PATH = "/m/register"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="注册")
        self.form = page.get_by_role("main")
        self.mobile = self.form.get_by_label("手机号码", exact=True)
        self.sms_code = self.form.get_by_label("验证码", exact=True)
        self.sms_button = self.form.get_by_role("button", name=SMS_BUTTON_NAME)
        # "验证码已发送" once the platform has sent the code.
        self.sms_status = self.form.get_by_role("status")
        self.password = self.form.get_by_label("密码", exact=True)
        self.nickname = self.form.get_by_label("昵称", exact=True)
        self.user_type_group = self.form.get_by_role("group", name="请选择用户类型")
        self.user_types = self.user_type_group.get_by_role("radio")
        self.register_button = self.form.get_by_role("button", name="注册", exact=True)
        self.agreement = AgreementLine(page)
        self.login_link = self.form.get_by_role("link", name="登录", exact=True)
        self.errors = self.form.get_by_role("alert")

    def field(self, label: str) -> Locator:
        """The control a label names; for 用户类型, its radio group (which carries the group's message)."""
        if label == "用户类型":
            return self.user_type_group
        return self.form.get_by_label(label, exact=True)

    def user_type(self, name: str) -> Locator:
        return self.user_type_group.get_by_role("radio", name=name, exact=True)

    def request_sms_code(self, mobile: str) -> None:
        """Type the phone number and tap 获取验证码."""
        self.mobile.fill(mobile)
        self.press(self.sms_button)

    def fill(self, *, mobile: str, sms_code: str, password: str, nickname: str, user_type: str | None) -> None:
        """Fill in the form as given (empty strings leave a field empty, ``user_type=None`` chooses none)."""
        self.mobile.fill(mobile)
        self.sms_code.fill(sms_code)
        self.password.fill(password)
        self.nickname.fill(nickname)
        if user_type is not None:
            self.user_type(user_type).check()

    def submit(self) -> None:
        self.press(self.register_button)


class AppLoginPage(PageObject):
    """登录: 手机号码 and 密码."""

    PATH = "/m/login"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="登录")
        self.form = page.get_by_role("main")
        self.mobile = self.form.get_by_label("手机号码", exact=True)
        self.password = self.form.get_by_label("密码", exact=True)
        self.login_button = self.form.get_by_role("button", name="登录", exact=True)
        self.register_link = self.form.get_by_role("link", name="注册", exact=True)
        self.agreement = AgreementLine(page)
        self.status = page.get_by_role("status")
        self.errors = self.form.get_by_role("alert")

    def form_fields(self, mobile: str, password: str | Secret) -> dict[str, str | Secret]:
        """The fields this page's form posts, for a login made over HTTP (``fixtures.http_login``)."""
        return {"mobile": mobile, "password": password}

    def log_in(self, mobile: str, password: str | Secret) -> None:
        self.mobile.fill(mobile)
        self.type_into(self.password, password)
        self.press(self.login_button)

    def go_to_register(self) -> None:
        self.press(self.register_link)
