"""Login CSRF in a real browser: a page on another site auto-posts a login form at the mocks.

The attack: the attacker prepares, from their own browser, everything a login form needs (their
account, and whatever token and captcha their own page of the form shows), puts the form on a
page of their site, and lures the victim there; the page submits it at once.  Without a defence
the victim's browser comes back logged in as the attacker, whose account then receives what the
victim does next (at 北京市企业认证, the victim's enterprise).  With it, the post is refused and
the victim is logged in as nobody but themselves.

The attacker's site is ``http://phishing.example``, served by ``page.route``: a real other origin
to the browser, which sends its own ``Origin`` and ``Sec-Fetch-Site`` with the post.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import httpx
from playwright.sync_api import Page, Route, expect

from fixtures.backstage import Backstage
from fixtures.form_client import csrf_token_in
from fixtures.mocks import SiteUrls
from fixtures.test_data import Enterprise, PlatformAccount, TestDataBuilder, YztAccount
from mock_servers.idp.pages import login_url

PHISHING_SITE = "http://phishing.example"
EXPIRED = "页面已过期"
_CAPTCHA_ID = re.compile(r'name="captcha_id" value="([^"]+)"')


def serve_auto_posting_form(page: Page, action: str, fields: Mapping[str, str]) -> None:
    """The attacker's page: a hidden form with ``fields``, submitted as soon as it loads."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in fields.items()
    )
    body = (
        "<!DOCTYPE html><html><body><p>恭喜您中奖了！</p>"
        f'<form id="prize" method="post" action="{html.escape(action)}">{inputs}</form>'
        '<script>document.getElementById("prize").submit();</script></body></html>'
    )

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    page.route(f"{PHISHING_SITE}/**", fulfil)


def visit_the_attackers_page(page: Page, lands_on: str) -> None:
    page.goto(PHISHING_SITE + "/prize")
    # The form posts at once: wait until the browser is on the mock, whatever it answered.
    page.wait_for_url(re.compile("^" + re.escape(lands_on)))


def with_the_attackers_token(fields: dict[str, str], own_page: str) -> dict[str, str]:
    """What the attacker adds from their own page of the form: its token, if it has one."""
    token = csrf_token_in(own_page)
    return {**fields, "csrf_token": token} if token else fields


def test_another_sites_page_cannot_log_the_victim_in_to_the_platform(
    page: Page,
    site_urls: SiteUrls,
    backstage: Backstage,
    platform_account: PlatformAccount,
    test_data: TestDataBuilder,
) -> None:
    backstage.reset()
    victim, attacker = platform_account, test_data.platform_account()
    backstage.open_platform_account(victim)
    backstage.open_platform_account(attacker)
    platform = site_urls.platform

    # The victim is logged in to the platform as themselves.
    page.goto(platform + "/login")
    page.get_by_label("用户名/手机号码").fill(victim.username)
    page.get_by_label("密码").fill(victim.password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(platform + "/")

    with httpx.Client() as attackers_browser:
        own_page = attackers_browser.get(platform + "/login").text
    fields = {"login_id": attacker.username, "password": attacker.password}
    serve_auto_posting_form(page, platform + "/login", with_the_attackers_token(fields, own_page))

    visit_the_attackers_page(page, platform)
    # Without the defence, the platform came back with the attacker's name in the user menu.
    expect(page.get_by_role("button", name=attacker.username)).to_have_count(0)
    expect(page.get_by_role("heading", name=EXPIRED)).to_be_visible()

    page.goto(platform + "/user/center")
    expect(page.locator("body")).to_contain_text(victim.username)
    expect(page.locator("body")).not_to_contain_text(attacker.username)


def test_another_sites_page_cannot_log_the_victim_in_to_the_idp(
    page: Page,
    site_urls: SiteUrls,
    backstage: Backstage,
    enterprise: Enterprise,
    yzt_account: YztAccount,
) -> None:
    backstage.reset()
    attacker = yzt_account
    backstage.open_yzt_account(enterprise, attacker)
    idp = site_urls.idp

    # The victim has been to 一证通 (a browser id of their own) but is not logged in there.
    page.goto(idp + login_url())
    expect(page.get_by_role("heading", name="请您登录")).to_be_visible()

    with httpx.Client() as attackers_browser:
        own_page = attackers_browser.get(idp + login_url()).text
    match = _CAPTCHA_ID.search(own_page)
    assert match, "the IdP's login page carries no captcha"
    captcha_id = match.group(1)
    fields = {
        "username": attacker.account,
        "password": attacker.password,
        "captcha_id": captcha_id,
        # The attacker reads their own captcha's image; the harness asks the control interface.
        "captcha": backstage.idp.captcha_answer(captcha_id),
    }
    serve_auto_posting_form(page, idp + login_url(), with_the_attackers_token(fields, own_page))

    visit_the_attackers_page(page, idp)
    # Without the defence, 一证通 came back with 您已登录 and the attacker's account.
    expect(page.get_by_text(attacker.account)).to_have_count(0)
    expect(page.get_by_role("heading", name=EXPIRED)).to_be_visible()

    # Not logged in: the welcome page sends the browser to the login page.
    page.goto(idp + "/am/UI/Welcome")
    expect(page).to_have_url(re.compile(re.escape("/am/UI/Login")))
    expect(page.locator("body")).not_to_contain_text(attacker.account)
