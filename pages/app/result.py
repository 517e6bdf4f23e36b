"""企业认证未完成 in the app: what the platform says when an app-started 北京市企业认证 does not end in 已认证."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.base import PageObject
from pages.platform.certification_result import CertificationCallback


class AppCertificationResultPage(PageObject):
    """The message, the 处理建议 (call-center numbers to tap), and, for one phone with several accounts, a note."""

    # Where the round trip ended: the platform's redirect URI.
    PATH = CertificationCallback.PATH

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url, touch=True)
        self.heading = page.get_by_role("heading", level=1, name="企业认证未完成")
        self.message = page.get_by_role("region", name="认证结果").get_by_role("alert")
        self.advice = page.get_by_role("region", name="处理建议")
        self.one_phone_note = page.get_by_role("region", name="企业认证仅支持一部手机一个账号")
        self.retry_link = page.get_by_role("main").get_by_role("link", name="重新认证", exact=True)
        self.back_to_me_link = page.get_by_role("main").get_by_role("link", name="返回我的", exact=True)

    def phone_link(self, number: str) -> Locator:
        return self.advice.get_by_role("link", name=number, exact=True)

    def back_to_me(self) -> None:
        self.press(self.back_to_me_link)
