"""北京通企服版 APP as a scenario sees it: its screens, bound to the phone's browser page and the platform's address."""

from __future__ import annotations

from functools import cached_property

from playwright.sync_api import Page

from pages.app.account import AgreementPage, AppLoginPage, AppRegisterPage, DownloadPage
from pages.app.layout import TabBar
from pages.app.me import CertificationChoicePage, MePage
from pages.app.result import AppCertificationResultPage


class App:
    """北京通企服版 on one phone: ``app.me.go_to_certification()``."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    @cached_property
    def tab_bar(self) -> TabBar:
        return TabBar(self.page)

    @cached_property
    def download(self) -> DownloadPage:
        return DownloadPage(self.page, self.base_url)

    @cached_property
    def register(self) -> AppRegisterPage:
        return AppRegisterPage(self.page, self.base_url)

    @cached_property
    def login(self) -> AppLoginPage:
        return AppLoginPage(self.page, self.base_url)

    @cached_property
    def me(self) -> MePage:
        return MePage(self.page, self.base_url)

    @cached_property
    def certification(self) -> CertificationChoicePage:
        return CertificationChoicePage(self.page, self.base_url)

    @cached_property
    def certification_result(self) -> AppCertificationResultPage:
        return AppCertificationResultPage(self.page, self.base_url)

    @cached_property
    def agreement(self) -> AgreementPage:
        return AgreementPage(self.page, self.base_url)
