"""方式二 in the 北京通企服版 APP: 注册 with an SMS code, 登录, 我的 → 去认证 → 北京市企业认证."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from fixtures.backstage import Backstage
from fixtures.http_login import expect_logged_in, log_in_over_http
from fixtures.test_data import AppAccount
from flows.narration import flow_step
from pages.app.site import App
from pages.base import Secret


@flow_step("在APP中用手机号码和短信验证码注册", "register in the app with the mobile number and an SMS code")
def register(app: App, backstage: Backstage, account: AppAccount) -> None:
    """注册: 获取验证码, the code read off the phone, 密码, 昵称, 用户类型."""
    register_page = app.register
    register_page.open()
    register_page.request_sms_code(account.mobile)
    expect(register_page.sms_status, "点击“获取验证码”后应提示验证码已发送").to_be_visible()
    register_page.fill(
        mobile=account.mobile,
        sms_code=backstage.latest_sms_code(account.mobile),
        password=account.password,
        nickname=account.nickname,
        user_type=account.user_type,
    )
    register_page.submit()
    expect(app.login.heading, "注册后应来到APP的登录页面").to_be_visible()


@flow_step("登录APP", "log in to the app")
def log_in(app: App, mobile: str, password: str | Secret) -> None:
    app.login.open()
    app.login.log_in(mobile, password)
    expect(app.tab_bar.bar, "登录APP后应回到APP首页（底部导航）").to_be_visible()


@flow_step("以已登录的APP账户打开APP首页", "start logged in to the app (over HTTP), on its home screen")
def start_logged_in(app: App, mobile: str, password: str | Secret) -> None:
    """An account whose login is not the point: 登录's form posted over HTTP, then where it leads.

    The phone's device id goes with the post and the login is remembered under it (常见问题 Q1a),
    as when the form is typed; the login UI is covered by the scenarios about it (A1).
    """
    landing = log_in_over_http(app.page, app.login.url, app.login.form_fields(mobile, password))
    app.page.goto(landing)
    expect_logged_in(app.page, re.compile("^" + re.escape(landing) + "$"))
    expect(app.tab_bar.bar, "登录APP后应回到APP首页（底部导航）").to_be_visible()


@flow_step("在APP中点击我的、去认证，选择北京市企业认证", "我的 → 去认证 → 北京市企业认证 in the app")
def choose_beijing_certification(app: App) -> None:
    app.me.open()
    app.me.go_to_certification()
    app.certification.choose_beijing_certification()
