"""找回密码 on 一证通 (on a PC): 验证身份 → 设置新密码 (an SMS code to the account's mobile) → 重置完成."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.base import PageObject
from pages.idp.captcha import CaptchaField


class PasswordRecovery(PageObject):
    """What every step of 找回密码 shows: the steps, messages, the help line and 返回登录."""

    PATH = "/am/password/forgot"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.content = page.get_by_role("main")
        self.steps = page.get_by_role("list", name="找回密码步骤").get_by_role("listitem")
        self.errors = self.content.get_by_role("alert")
        self.status = self.content.get_by_role("status")
        self.help_line = self.content.get_by_text("操作过程中如遇问题，请咨询一证通技术人员")
        self.back_to_login_link = self.content.get_by_role("link", name="返回登录", exact=True)

    def field(self, label: str) -> Locator:
        return self.content.get_by_label(label, exact=True)

    def back_to_login(self) -> None:
        self.press(self.back_to_login_link)


class VerifyIdentityStep(PasswordRecovery):
    """步骤1 验证身份: 一证通账号, 法人代表身份证号, 验证码."""

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = self.content.get_by_role("heading", level=2, name="验证身份")
        self.account = self.field("一证通账号")
        self.id_number = self.field("法人代表身份证号")
        self.captcha = CaptchaField(self.content)
        self.next_button = self.content.get_by_role("button", name="下一步", exact=True)

    def verify(self, account: str, id_number: str, captcha_answer: str) -> None:
        self.account.fill(account)
        self.id_number.fill(id_number)
        self.captcha.fill(captcha_answer)
        self.press(self.next_button)


class SetNewPasswordStep(PasswordRecovery):
    """步骤2 设置新密码: 获取短信验证码 (sent to the account's own mobile), 短信验证码, 新密码 twice."""

    PATH = "/am/password/reset"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = self.content.get_by_role("heading", level=2, name="设置新密码")
        self.sms_code = self.field("短信验证码")
        self.send_code_button = self.content.get_by_role("button", name="获取短信验证码", exact=True)
        self.new_password = self.field("新密码")
        self.new_password_again = self.field("确认新密码")
        self.confirm_button = self.content.get_by_role("button", name="确定", exact=True)

    def request_sms_code(self) -> None:
        self.press(self.send_code_button)

    def set_password(self, sms_code: str, password: str) -> None:
        self.sms_code.fill(sms_code)
        self.new_password.fill(password)
        self.new_password_again.fill(password)
        self.press(self.confirm_button)
