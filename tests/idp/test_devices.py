"""Telling a phone from a computer by User-Agent (``mock_servers.common.devices``), with real browsers' strings.

The strings come from Playwright's own device descriptors, the same ones the harness
emulates the app's phones with, so a scenario on "iPhone 15" or "Pixel 7" is sure to
get the IdP's mobile pages, and one on a desktop browser the desktop pages.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Playwright

from mock_servers.common.devices import is_phone

# What /usr/bin/chromium (Chromium 156) sends when Playwright launches it headless: the
# browser every scenario that is not about the app runs in.  Playwright's descriptors
# have no entry for it.
HEADLESS_CHROME: Final = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="module")
def devices(playwright: Playwright) -> dict[str, Any]:
    """Playwright's device descriptors (name → user_agent, viewport, is_mobile …)."""
    return playwright.devices


@pytest.mark.parametrize(
    "device", ["iPhone 15", "Pixel 7", "iPhone 15 Pro Max", "iPhone SE", "Galaxy S24", "Galaxy S9+", "Pixel 5"]
)
def test_phones_are_phones(devices: dict[str, Any], device: str) -> None:
    assert is_phone(devices[device]["user_agent"]), devices[device]["user_agent"]


@pytest.mark.parametrize("device", ["Desktop Chrome", "Desktop Firefox", "Desktop Edge", "Desktop Safari"])
def test_desktop_browsers_are_not_phones(devices: dict[str, Any], device: str) -> None:
    assert not is_phone(devices[device]["user_agent"]), devices[device]["user_agent"]


def test_every_iphone_and_pixel_descriptor_is_a_phone(devices: dict[str, Any]) -> None:
    phones = {name: d["user_agent"] for name, d in devices.items() if name.startswith(("iPhone", "Pixel"))}
    assert len(phones) > 20, "Playwright's descriptors changed shape"
    assert [name for name, agent in phones.items() if not is_phone(agent)] == []


@pytest.mark.parametrize("user_agent", [HEADLESS_CHROME, None, "", "testclient", "python-httpx/0.28.1"])
def test_headless_chrome_and_programs_without_a_device_are_not_phones(user_agent: str | None) -> None:
    assert not is_phone(user_agent)
