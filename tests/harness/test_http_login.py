"""A scenario that starts logged in gets there through the site's own login form (``fixtures.http_login``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import flows.app
import flows.website
from fixtures.backstage import Backstage
from fixtures.http_login import HttpLoginError, log_in_over_http
from fixtures.test_data import AppAccount, PlatformAccount
from pages.app.site import App
from pages.platform.site import Website


def test_the_website_starts_logged_in_with_the_sites_own_session_cookie(
    website: Website, backstage: Backstage, platform_account: PlatformAccount
) -> None:
    backstage.open_platform_account(platform_account)
    flows.website.start_logged_in_at_profile(website, platform_account.username, platform_account.password)
    expect(website.header.user_menu_button(platform_account.username)).to_be_visible()
    session = next(c for c in website.page.context.cookies(website.login.url) if c["name"] == "smebj_session")
    assert (session["httpOnly"], session["sameSite"]) == (True, "Lax"), session


def test_a_refused_login_fails_with_what_the_site_said(
    website: Website, backstage: Backstage, platform_account: PlatformAccount
) -> None:
    backstage.open_platform_account(platform_account)
    website.home.open()
    fields = website.login.form_fields(platform_account.username, platform_account.password + "x")
    with pytest.raises(HttpLoginError, match="用户名或密码错误"):
        log_in_over_http(website.page, website.login.url, fields)
    assert not [c for c in website.page.context.cookies(website.login.url) if c["name"] == "smebj_session"]


def test_the_app_starts_logged_in_on_its_home_screen(app: App, backstage: Backstage, app_account: AppAccount) -> None:
    backstage.open_app_account(app_account)
    flows.app.start_logged_in(app, app_account.mobile, app_account.password)
    app.me.open()
    expect(app.me.display_name(app_account.nickname)).to_be_visible()
