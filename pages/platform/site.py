"""The platform website as a scenario sees it: its pages, bound to one browser page and the site's address."""

from __future__ import annotations

from functools import cached_property

from playwright.sync_api import Page

from pages.platform.account import LoginPage, RegisterPage
from pages.platform.certification_result import CertificationCallback, CertificationResultPage
from pages.platform.home import HomePage
from pages.platform.layout import PlatformHeader
from pages.platform.user_center import MyHomePage, PersonalCenterPage, ProfilePage


class Website:
    """北京市中小企业公共服务平台 in one browser: ``website.profile.choose_beijing_certification()``."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    @cached_property
    def header(self) -> PlatformHeader:
        return PlatformHeader(self.page, self.base_url)

    @cached_property
    def home(self) -> HomePage:
        return HomePage(self.page, self.base_url)

    @cached_property
    def register(self) -> RegisterPage:
        return RegisterPage(self.page, self.base_url)

    @cached_property
    def login(self) -> LoginPage:
        return LoginPage(self.page, self.base_url)

    @cached_property
    def personal_center(self) -> PersonalCenterPage:
        return PersonalCenterPage(self.page, self.base_url)

    @cached_property
    def my_home(self) -> MyHomePage:
        return MyHomePage(self.page, self.base_url)

    @cached_property
    def profile(self) -> ProfilePage:
        return ProfilePage(self.page, self.base_url)

    @cached_property
    def certification_result(self) -> CertificationResultPage:
        return CertificationResultPage(self.page, self.base_url)

    @cached_property
    def certification_callback(self) -> CertificationCallback:
        return CertificationCallback(self.page, self.base_url)
