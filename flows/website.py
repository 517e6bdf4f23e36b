"""方式一 on the platform website: 平台账户, 个人中心 → 认证信息, 北京市企业认证."""

from __future__ import annotations

from contextlib import nullcontext

from playwright.sync_api import expect

from fixtures.http_login import expect_logged_in, log_in_over_http
from fixtures.test_data import PlatformAccount
from flows.narration import flow_step, keeping_secret
from pages.base import Secret
from pages.platform.site import Website


@flow_step("在平台首页点击注册，完成平台账户注册", "register a platform account from the home page")
def register(website: Website, account: PlatformAccount) -> None:
    """平台首页 → 右上角"注册" → 用户注册; the platform then asks for the login."""
    website.home.open()
    website.header.go_to_register()
    website.register.register(account.username, account.mobile, account.password)
    expect(website.login.heading, "注册后平台应请我登录（用户登录页面）").to_be_visible()


@flow_step("登录平台网站", "log in on the website")
def log_in(website: Website, account: PlatformAccount) -> None:
    website.login.log_in(account.username, account.password)
    expect(website.header.user_menu_button(account.username), "登录后页面右上角应显示我的用户名").to_be_visible()


@flow_step("在平台网站注册平台账户并登录", "register a platform account on the website and log in")
def register_and_log_in(website: Website, account: PlatformAccount) -> None:
    """The guide's 步骤1."""
    register(website, account)
    log_in(website, account)


@flow_step("登录平台网站，打开个人主页的认证信息", "log in on the website and open 个人主页's 认证信息")
def log_in_at_profile(website: Website, login_name: str, password: str | Secret) -> None:
    """An existing account: 个人主页 asks for the login first and comes back to it."""
    website.profile.open()
    with keeping_secret() if not isinstance(password, str) else nullcontext():
        website.login.log_in(login_name, password)
        expect(website.profile.certification_card, "登录后应回到个人主页的认证信息").to_be_visible()


@flow_step("以已登录的平台账户打开个人主页的认证信息", "start logged in (over HTTP) at 个人主页's 认证信息")
def start_logged_in_at_profile(website: Website, login_name: str, password: str | Secret) -> None:
    """An existing account whose login is not the point: the login form posted over HTTP, then 个人主页.

    One page load instead of three and no typing (``fixtures.http_login``); the login UI is covered
    by the scenarios about it (W1, W2).
    """
    log_in_over_http(website.page, website.login.url, website.login.form_fields(login_name, password))
    website.profile.open()
    expect_logged_in(website.page, website.profile.url_pattern)


@flow_step("在认证信息中选择北京市企业认证", "choose 北京市企业认证 in 认证信息")
def choose_beijing_certification(website: Website) -> None:
    """Hands the browser over to 一证通 (or straight back, when 一证通 remembers the login)."""
    website.profile.choose_beijing_certification()
