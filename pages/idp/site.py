"""一证通 (北京市统一身份认证平台) as a scenario sees it: its pages, bound to one browser page and its address."""

from __future__ import annotations

from functools import cached_property

from playwright.sync_api import Locator, Page

from pages.idp.login import IdpLoginPage, IdpWelcomePage, PcOnlyGuidance
from pages.idp.password import PasswordRecovery, SetNewPasswordStep, VerifyIdentityStep
from pages.idp.registration import CreateAccountStep, IdentityVerificationStep, RegistrationDoneStep, RegistrationWizard


class Yzt:
    """一证通 in one browser: ``yzt.login.log_in_with_password(…)``, ``yzt.identity_step.fill_legal_person(…)``."""

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        self.page = page
        self.base_url = base_url
        self.touch = touch

    @cached_property
    def content(self) -> Locator:
        """The main content of whichever 一证通 page is on show (for what every page may carry: contacts)."""
        return self.page.get_by_role("main")

    @cached_property
    def login(self) -> IdpLoginPage:
        return IdpLoginPage(self.page, self.base_url, touch=self.touch)

    @cached_property
    def pc_only(self) -> PcOnlyGuidance:
        return PcOnlyGuidance(self.page, self.base_url, touch=self.touch)

    @cached_property
    def welcome(self) -> IdpWelcomePage:
        return IdpWelcomePage(self.page, self.base_url, touch=self.touch)

    @cached_property
    def wizard(self) -> RegistrationWizard:
        return RegistrationWizard(self.page, self.base_url, touch=self.touch)

    @cached_property
    def identity_step(self) -> IdentityVerificationStep:
        return IdentityVerificationStep(self.page, self.base_url, touch=self.touch)

    @cached_property
    def account_step(self) -> CreateAccountStep:
        return CreateAccountStep(self.page, self.base_url, touch=self.touch)

    @cached_property
    def done_step(self) -> RegistrationDoneStep:
        return RegistrationDoneStep(self.page, self.base_url, touch=self.touch)

    @cached_property
    def recovery(self) -> PasswordRecovery:
        return PasswordRecovery(self.page, self.base_url, touch=self.touch)

    @cached_property
    def verify_identity_step(self) -> VerifyIdentityStep:
        return VerifyIdentityStep(self.page, self.base_url, touch=self.touch)

    @cached_property
    def new_password_step(self) -> SetNewPasswordStep:
        return SetNewPasswordStep(self.page, self.base_url, touch=self.touch)
