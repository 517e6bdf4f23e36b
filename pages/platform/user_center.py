"""个人中心 → 我的主页 → 个人主页, where the 认证信息 card lives."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from pages.base import PageObject


class PersonalCenterPage(PageObject):
    """个人中心."""

    PATH = "/user/center"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1, name="个人中心")
        self.my_home_link = page.get_by_role("navigation", name="个人中心").get_by_role("link", name="我的主页")

    def go_to_my_home(self) -> None:
        self.my_home_link.click()


class MyHomePage(PageObject):
    """我的主页."""

    PATH = "/user/home"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1, name="我的主页")
        self.profile_link = page.get_by_role("navigation", name="我的主页").get_by_role("link", name="个人主页")

    def go_to_profile(self) -> None:
        self.profile_link.click()


class ProfilePage(PageObject):
    """个人主页, with its 认证信息 card."""

    PATH = "/user/home/profile"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1, name="个人主页")
        self.certification_card = page.get_by_role("region", name="认证信息")
        self.certification_status = self.certification_card.get_by_text(re.compile(r"^(未认证|已认证)$"))
        self.flash = page.get_by_role("status")
        self.beijing_certification_link = self.certification_card.get_by_role("link", name="北京市企业认证")

    def choose_beijing_certification(self) -> None:
        """选择"北京市企业认证": the platform hands over to the identity provider."""
        self.beijing_certification_link.click()
