"""What the app's main screens share: the bottom tab bar (底部导航)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class TabBar:
    """The bottom tab bar: 首页, 服务, 消息, 我的 (我的 at the right)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.bar = page.get_by_role("navigation", name="底部导航")
        self.tabs = self.bar.get_by_role("link")

    def tab(self, name: str) -> Locator:
        return self.bar.get_by_role("link", name=name, exact=True)

    def go_to(self, name: str) -> None:
        self.tab(name).tap()

    def position_of(self, name: str) -> tuple[float, float]:
        """Where a tab is drawn: the right edge of its box, and the bottom edge of the bar, in CSS pixels."""
        tab, bar = self.tab(name).bounding_box(), self.bar.bounding_box()
        if tab is None or bar is None:
            raise AssertionError(f"the tab bar or its tab {name!r} is not drawn")
        return tab["x"] + tab["width"], bar["y"] + bar["height"]

    def screen_height(self) -> float:
        size = self.page.viewport_size
        if size is None:
            raise AssertionError("the page has no fixed viewport: a phone's screen has one")
        return float(size["height"])

    def right_edges(self) -> list[float]:
        """The right edge of every tab's box, as drawn."""
        return [box["x"] + box["width"] for box in (tab.bounding_box() for tab in self.tabs.all()) if box]
