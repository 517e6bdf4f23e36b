"""一证通注册: 法人身份鉴证 → 创建账号 → 注册完成."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

from pages.base import PageObject
from pages.idp.captcha import CaptchaField

REGISTRATION_STEPS = ("法人身份鉴证", "创建账号", "注册完成")


class RegistrationWizard(PageObject):
    """What every step of the wizard shows: the step list and the help line."""

    PATH = "/am/register"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.steps = page.get_by_role("list", name="注册步骤").get_by_role("listitem")
        # aria-current has no role of its own; CSS is the only way to the current step.
        self.current_step = page.get_by_role("list", name="注册步骤").locator("[aria-current=step]")
        self.errors = page.get_by_role("alert")

    def field(self, label: str) -> Locator:
        """The step's form control with exactly this label; its message, when refused, is its accessible description."""
        return self.page.get_by_role("main").get_by_label(label, exact=True)

    def resubmit(self) -> None:
        """Refresh a page that a refused form submit produced (F5, 重新提交): the browser sends the same form again."""
        # The refused page must be the one on show: reloading while the submit's own
        # navigation is still under way would reload the wrong document (or none).
        self.errors.first.wait_for()
        self.page.reload()


class IdentityVerificationStep(RegistrationWizard):
    """步骤一 法人身份鉴证."""

    PATH = "/am/register"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = page.get_by_role("heading", level=2, name="法人身份鉴证")
        self.tips = page.get_by_role("region", name="提示")
        self.tip_items = self.tips.get_by_role("listitem")
        self.enterprise_name = page.get_by_label("企业名称")
        self.credit_code = page.get_by_label("统一社会信用代码/组织机构代码")
        self.id_type_group = page.get_by_role("radiogroup", name="法人代表证件类型")
        self.id_type_options = self.id_type_group.get_by_role("radio")
        self.legal_person_name = page.get_by_label("法人代表姓名")
        self.legal_person_id = page.get_by_label("法人代表身份证号")
        self.document = page.get_by_label("证件扫描件", exact=True)
        self.captcha = CaptchaField(page.get_by_role("main"))
        self.next_button = page.get_by_role("button", name="下一步")
        self.help_line = page.get_by_text("技术咨询电话")

    def id_type_option(self, name: str) -> Locator:
        return self.id_type_group.get_by_role("radio", name=name, exact=True)

    def required_field(self, name: str) -> Locator:
        """The form control a field label names; for the 证件类型 choice, its radio group."""
        if name == "法人代表证件类型":
            return self.id_type_group
        return self.page.get_by_role("main").get_by_label(name, exact=True)

    def choose_id_type(self, name: str) -> None:
        self.id_type_option(name).check()

    def fill_legal_person(
        self,
        *,
        enterprise_name: str,
        credit_code: str,
        id_type: str,
        legal_person_name: str,
        id_number: str,
        captcha_answer: str,
        document: Path | None = None,
    ) -> None:
        """Fill in the step as given (empty strings leave a field empty); ``document`` is the scan to upload, if any."""
        self.enterprise_name.fill(enterprise_name)
        self.credit_code.fill(credit_code)
        self.choose_id_type(id_type)
        self.legal_person_name.fill(legal_person_name)
        self.legal_person_id.fill(id_number)
        if document is not None:
            self.document.set_input_files(document)
        self.captcha.fill(captcha_answer)

    def go_next(self) -> None:
        self.press(self.next_button)


class CreateAccountStep(RegistrationWizard):
    """步骤二 创建账号."""

    PATH = "/am/register/account"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = page.get_by_role("heading", level=2, name="创建账号")
        self.account = page.get_by_label("一证通账号")
        self.password = page.get_by_label("密码", exact=True)
        self.password_again = page.get_by_label("确认密码")
        self.mobile = page.get_by_label("手机号码")
        self.submit_button = page.get_by_role("button", name="注册")

    def create_account(self, account: str, password: str, mobile: str) -> None:
        self.fill_account(account, password, password, mobile)
        self.submit()

    def fill_account(self, account: str, password: str, password_again: str, mobile: str) -> None:
        """Fill in the step as given (empty strings leave a field empty)."""
        self.account.fill(account)
        self.password.fill(password)
        self.password_again.fill(password_again)
        self.mobile.fill(mobile)

    def submit(self) -> None:
        self.press(self.submit_button)


class RegistrationDoneStep(RegistrationWizard):
    """步骤三 注册完成."""

    PATH = "/am/register/done"

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        super().__init__(page, base_url, touch=touch)
        self.heading = page.get_by_role("heading", level=2, name="注册完成")
        self.content = page.get_by_role("main")
        self.back_to_login_link = page.get_by_role("link", name="返回登录")

    def back_to_login(self) -> None:
        self.press(self.back_to_login_link)
