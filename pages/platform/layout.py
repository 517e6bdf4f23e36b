"""The header and footer every platform page shares."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class PlatformHeader:
    """Top right of every page: 注册 / 登录, or the user name with its menu."""

    # 退出登录 goes back to the home page.
    HOME_PATH = "/"

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.register_link = page.get_by_role("banner").get_by_role("link", name="注册", exact=True)
        self.login_link = page.get_by_role("banner").get_by_role("link", name="登录", exact=True)
        self.personal_center_item = page.get_by_role("menuitem", name="个人中心")
        self.logout_item = page.get_by_role("menuitem", name="退出登录")

    def user_menu_button(self, username: str) -> Locator:
        return self.page.get_by_role("banner").get_by_role("button", name=username, exact=True)

    def go_to_register(self) -> None:
        self.register_link.click()

    def go_to_login(self) -> None:
        self.login_link.click()

    def open_user_menu(self, username: str) -> None:
        self.user_menu_button(username).click()

    def go_to_personal_center(self, username: str) -> None:
        """用户名 → 个人中心, as the guide says."""
        self.open_user_menu(username)
        self.personal_center_item.click()

    def log_out(self, username: str) -> None:
        """退出登录, and wait until the browser is back on the home page (so that no next step cuts it short)."""
        self.open_user_menu(username)
        self.logout_item.click()
        self.page.wait_for_url(self.base_url + self.HOME_PATH)
