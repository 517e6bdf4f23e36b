"""What every page object shares: the browser page it drives and the address it lives at.

One convention for every page: a class-level ``PATH`` (the page's address on its site),
``url`` (that address on the site under test) and ``open()`` (go there). Page objects are
built by the harness's fixtures with the base URL of the site they belong to, so no step
ever writes a URL.
"""

from __future__ import annotations

import re
from typing import ClassVar

from playwright.sync_api import Locator, Page


class PageObject:
    PATH: ClassVar[str]

    def __init__(self, page: Page, base_url: str, *, touch: bool = False) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        # On a phone a person taps: a touch event, not a mouse click (some pages tell them apart).
        self.touch = touch

    @property
    def url(self) -> str:
        return self.base_url + self.PATH

    @property
    def url_pattern(self) -> re.Pattern[str]:
        """This page's address, with whatever query string it was opened with (``?next=…``)."""
        return re.compile("^" + re.escape(self.base_url + self.PATH) + r"(\?.*)?$")

    def open(self) -> None:
        self.page.goto(self.url)

    def press(self, target: Locator) -> None:
        """Tap ``target`` on a touch screen, click it with the mouse elsewhere."""
        if self.touch:
            target.tap()
        else:
            target.click()
