"""The floor scenario of make bench (benchmarks/floor.feature): open a page, click, expect.

Steps of its own, so that nothing of the real scenarios' set-up (accounts, captchas) is in it:
only what every scenario pays, the harness's fixtures and one page load, one click, one check.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import given, scenarios, then, when

from pages.platform.site import Website

scenarios(str(Path(__file__).with_name("floor.feature")))


@given("我打开平台首页")
def open_home(website: Website) -> None:
    website.home.open()


@when('我点击页头的"登录"')
def click_login(website: Website) -> None:
    website.header.go_to_login()


@then('页面显示"用户登录"')
def login_page_shown(website: Website) -> None:
    expect(website.login.heading).to_be_visible()
