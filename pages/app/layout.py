"""What the app's main screens share: the bottom tab bar (底部导航)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class TabBar:
    """The bottom tab bar: 首页, 服务, 消息, 我的 (我的 at the right)."""

    def __init__(self, page: Page) -> None:
        self.bar = page.get_by_role("navigation", name="底部导航")
        self.tabs = self.bar.get_by_role("link")

    def tab(self, name: str) -> Locator:
        return self.bar.get_by_role("link", name=name, exact=True)

    def go_to(self, name: str) -> None:
        self.tab(name).tap()
