"""北京市统一身份认证平台 请您登录: the 一证通 login page, and the page it shows after a login without a way back."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from playwright.sync_api import Locator, Page

from pages.base import PageObject, Secret
from pages.idp.captcha import CaptchaField

LOGIN_TABS = ("证书登录", "口令登录", "电子营业执照", "事业单位", "电子证照")


class IdpLoginPage(PageObject):
    # The real site's URL shape: /am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=…
    PATH = "/am/UI/Login"
    MODULE = "BjzwLDAP"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.title_heading = page.get_by_role("heading", level=1, name="北京市统一身份认证平台")
        self.login_heading = page.get_by_role("heading", level=2, name="请您登录")
        self.tab_list = page.get_by_role("tablist")
        self.tabs = self.tab_list.get_by_role("tab")
        self.tab_panel = page.get_by_role("tabpanel")
        self.panel_status = self.tab_panel.get_by_role("status")
        self.username = self.tab_panel.get_by_label("用户名")
        self.password = self.tab_panel.get_by_label("密码")
        self.captcha = CaptchaField(self.tab_panel)
        self.login_button = self.tab_panel.get_by_role("button", name="登录")
        self.forgot_password_link = page.get_by_role("link", name="忘记密码?")
        self.register_link = page.get_by_role("link", name="点击注册")
        self.agreement_link = page.get_by_role("link", name="统一认证平台登录服务协议")
        self.other_logins = page.get_by_role("region", name="其他登录方式")
        self.errors = page.get_by_role("alert")
        # On a phone: what to do without a 一证通 account (register on a PC first), and the PC address.
        self.no_account_note = page.get_by_role("region", name="还没有一证通账号")
        self.no_account_pc_address = self.no_account_note.get_by_role("group", name="认证平台地址")

    @property
    def url(self) -> str:
        """The address the guide gives for 一证通 (常见问题: "在 PC 端打开一证通网址 …")."""
        return self.url_with_goto(None)

    def url_with_goto(self, goto: str | None) -> str:
        """The login page as a link from another system opens it, with the ``goto`` to follow after login."""
        params = {"module": self.MODULE, "gx_charset": "UTF-8"}
        if goto is not None:
            params["goto"] = goto
        return f"{self.base_url}{self.PATH}?{urlencode(params, quote_via=quote)}"

    @property
    def url_pattern_with_goto(self) -> re.Pattern[str]:
        """The login page as another system sends a browser to it: with a ``goto`` back to that system."""
        return re.compile("^" + re.escape(self.url_with_goto("")) + ".+")

    def open_with_goto(self, goto: str) -> None:
        self.page.goto(self.url_with_goto(goto))

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)

    def tab(self, name: str) -> Locator:
        return self.tab_list.get_by_role("tab", name=name, exact=True)

    def choose_tab(self, name: str) -> None:
        self.press(self.tab(name))

    def other_login(self, name: str) -> Locator:
        return self.other_logins.get_by_role("link", name=name, exact=True)

    def choose_other_login(self, name: str) -> None:
        self.press(self.other_login(name))

    def log_in_with_password(self, account: str, password: str | Secret, captcha_answer: str) -> None:
        """口令登录 (the tab must be on show): 一证通账号, 一证通密码, 验证码, 登录."""
        self.username.fill(account)
        self.type_into(self.password, password)
        self.captcha.fill(captcha_answer)
        self.press(self.login_button)

    def go_to_register(self) -> None:
        self.press(self.register_link)

    def follow_link(self, name: str) -> None:
        self.press(self.link(name))

    def resubmit(self) -> None:
        """Refresh the page shown after a refused login: the browser posts the same form again, captcha and all."""
        # The refused page must be the one on show: reloading while the login's own
        # navigation is still under way would reload the wrong document (or none).
        self.errors.first.wait_for()
        self.page.reload()


class PcOnlyGuidance(PageObject):
    """What a phone gets instead of 注册 or 找回密码: it can be done only on a PC, where, and whom to call.

    Shown at the registration address (and at 找回密码's); a phone is told, nothing is done.
    """

    PATH = "/am/register"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = page.get_by_role("main").get_by_role("heading", level=2)
        self.content = page.get_by_role("main")
        self.pc_address = self.content.get_by_role("group", name="认证平台地址")
        self.back_to_login_link = self.content.get_by_role("link", name="返回登录", exact=True)

    def phone_link(self, number: str) -> Locator:
        return self.content.get_by_role("link", name=number, exact=True)

    def back_to_login(self) -> None:
        self.press(self.back_to_login_link)


class IdpWelcomePage(PageObject):
    """您已登录北京市统一身份认证平台: where a login ends when there is no (acceptable) system to go back to."""

    PATH = "/am/UI/Welcome"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = page.get_by_role("heading", level=2, name="您已登录北京市统一身份认证平台")
