"""What every page object shares: the browser page it drives and the address it lives at.

One convention for every page: a class-level ``PATH`` (the page's address on its site),
``url`` (that address on the site under test) and ``open()`` (go there). Page objects are
built by the harness's fixtures with the base URL of the site they belong to, so no step
ever writes a URL.
"""

from __future__ import annotations

import re
from typing import ClassVar, Protocol
from uuid import uuid4

from playwright.sync_api import Locator, Page


class Secret(Protocol):
    """A credential that must not be seen: pydantic's ``SecretStr`` is one."""

    def get_secret_value(self) -> str: ...


# Sets a field's value from a page binding (see PageObject.type_into) and tells the page, as typing does.
_TYPE_FROM_BINDING = """async (field, binding) => {
    const value = await window[binding]();
    field.focus();
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
}"""


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

    def type_into(self, field: Locator, value: str | Secret) -> None:
        """Fill ``field``; a :class:`Secret` without it reaching Playwright's trace, logs or reports.

        A trace records every ``fill``'s value. A secret is handed to the page through a binding of
        its own instead, which the trace does not record (and a password field shows only dots in
        the trace's snapshots and in screenshots).
        """
        if isinstance(value, str):
            field.fill(value)
            return
        binding = f"__e2eSecret{uuid4().hex}"
        self.page.expose_function(binding, value.get_secret_value)
        field.evaluate(_TYPE_FROM_BINDING, binding)

    def press(self, target: Locator) -> None:
        """Tap ``target`` on a touch screen, click it with the mouse elsewhere."""
        if self.touch:
            target.tap()
        else:
            target.click()
