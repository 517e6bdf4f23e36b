"""北京市统一身份认证平台 请您登录: the 一证通 login page, and the page it shows after a login without a way back."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from playwright.sync_api import Locator, Page

from pages.idp.captcha import CaptchaField

LOGIN_TABS = ("证书登录", "口令登录", "电子营业执照", "事业单位", "电子证照")


class IdpLoginPage:
    # The real site's URL shape: /am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=…
    PATH = "/am/UI/Login"
    MODULE = "BjzwLDAP"

    def __init__(self, page: Page) -> None:
        self.page = page
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

    @classmethod
    def url(cls, base_url: str, goto: str | None = None) -> str:
        """The login page as a link from anywhere would open it, with the ``goto`` to follow after login."""
        params = {"module": cls.MODULE, "gx_charset": "UTF-8"}
        if goto is not None:
            params["goto"] = goto
        return f"{base_url}{cls.PATH}?{urlencode(params, quote_via=quote)}"

    def open(self, base_url: str, goto: str | None = None) -> None:
        self.page.goto(self.url(base_url, goto))

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)

    def tab(self, name: str) -> Locator:
        return self.tab_list.get_by_role("tab", name=name, exact=True)

    def choose_tab(self, name: str) -> None:
        self.tab(name).click()

    def other_login(self, name: str) -> Locator:
        return self.other_logins.get_by_role("link", name=name, exact=True)

    def choose_other_login(self, name: str) -> None:
        self.other_login(name).click()

    def log_in_with_password(self, account: str, password: str, captcha_answer: str) -> None:
        """口令登录 (the tab must be on show): 一证通账号, 一证通密码, 验证码, 登录."""
        self.username.fill(account)
        self.password.fill(password)
        self.captcha.fill(captcha_answer)
        self.login_button.click()

    def go_to_register(self) -> None:
        self.register_link.click()

    def resubmit(self) -> None:
        """Refresh the page shown after a refused login: the browser posts the same form again, captcha and all."""
        # The refused page must be the one on show: reloading while the login's own
        # navigation is still under way would reload the wrong document (or none).
        self.errors.first.wait_for()
        self.page.reload()


class IdpWelcomePage:
    """您已登录北京市统一身份认证平台: where a login ends when there is no (acceptable) system to go back to."""

    PATH = "/am/UI/Welcome"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=2, name="您已登录北京市统一身份认证平台")

    @classmethod
    def url(cls, base_url: str) -> str:
        return base_url + cls.PATH
