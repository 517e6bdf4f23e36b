"""平台首页."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.base import PageObject
from pages.platform.layout import PlatformHeader


class HomePage(PageObject):
    PATH = "/"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.header = PlatformHeader(page, base_url)
        self.site_heading = page.get_by_role("heading", level=1, name="北京市中小企业公共服务平台")
        # The hint for browsers other than the two the guide recommends.
        self.browser_hint = page.get_by_role("alert").filter(has_text="建议使用谷歌浏览器或者360安全浏览器极速模式访问")
        self.browser_recommendation = page.get_by_role("contentinfo").get_by_text(
            "建议使用谷歌浏览器或者360安全浏览器极速模式访问"
        )
