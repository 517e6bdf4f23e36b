"""我的, its 企业认证 card, and the way from 去认证 to 北京市企业认证."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from pages.app.layout import TabBar
from pages.base import PageObject


class MePage(PageObject):
    """我的: who is logged in, and the 企业认证 card (未认证 with 去认证, or 已认证 with the enterprise)."""

    PATH = "/m/me"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="我的")
        self.tab_bar = TabBar(page)
        self.profile = page.get_by_role("region", name="个人信息")
        self.certification_card = page.get_by_role("region", name="企业认证")
        self.certification_status = self.certification_card.get_by_text(re.compile(r"^(未认证|已认证)$"))
        self.certify_link = self.certification_card.get_by_role("link", name="去认证", exact=True)
        self.logout_button = page.get_by_role("button", name="退出登录", exact=True)

    def display_name(self, name: str) -> Locator:
        return self.profile.get_by_text(name, exact=True)

    def go_to_certification(self) -> None:
        """去认证."""
        self.press(self.certify_link)

    # 退出登录 goes back to the app's 首页.
    HOME_PATH = "/m/"

    def log_out(self) -> None:
        """退出登录, and wait until the app is back on 首页: whatever comes next must not cut that navigation short."""
        self.press(self.logout_button)
        self.page.wait_for_url(self.base_url + self.HOME_PATH)


class CertificationChoicePage(PageObject):
    """企业认证: choose 北京市企业认证; for users without a 一证通 account, the guide's note."""

    PATH = "/m/certification"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="企业认证")
        self.methods = page.get_by_role("region", name="请选择认证方式")
        self.beijing_certification_link = self.methods.get_by_role("link", name="北京市企业认证")
        # For users without a 一证通 account (register on a PC first) and with one (choose 口令登录).
        self.note = self.methods.get_by_text("如果没有一证通账号")

    def choose_beijing_certification(self) -> None:
        self.press(self.beijing_certification_link)
