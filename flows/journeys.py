"""Whole journeys of the guide, end to end, for the command line (``python -m flows``).

Each journey takes the sites (page objects bound to browser pages), the backstage (what a person
reads off a captcha image or their phone) and the people and organisations it acts for, and walks
the guide's steps through the flows the scenarios use too.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import expect
from pydantic import SecretStr

import flows.app
import flows.website
import flows.yzt
from fixtures.backstage import Backstage
from fixtures.test_data import AppAccount, Enterprise, PlatformAccount, YztAccount
from flows.narration import flow_step
from pages.app.site import App
from pages.idp.site import Yzt
from pages.platform.site import Website


@dataclass(frozen=True)
class People:
    """Who a journey acts for: generated, or given."""

    enterprise: Enterprise
    platform_account: PlatformAccount
    yzt_account: YztAccount
    app_account: AppAccount


@flow_step("回到平台：认证信息显示已认证", "back on the platform: 认证信息 shows 已认证")
def wait_until_certified_on_website(website: Website) -> None:
    expect(website.profile.certification_card.get_by_text("已认证", exact=True), "认证信息应显示已认证").to_be_visible()


@flow_step("回到APP：企业认证卡片显示已认证", "back in the app: the 企业认证 card shows 已认证")
def wait_until_certified_in_app(app: App) -> None:
    expect(app.me.certification_card.get_by_text("已认证", exact=True), "企业认证卡片应显示已认证").to_be_visible()


def certified_website_account(website: Website, yzt: Yzt, backstage: Backstage, people: People) -> None:
    """方式一 from scratch: a new platform account, a new 一证通 account registered and reviewed, 已认证."""
    flows.website.register_and_log_in(website, people.platform_account)
    website.profile.open()
    flows.website.choose_beijing_certification(website)
    flows.yzt.pass_identity_verification(yzt, backstage, people.enterprise)
    flows.yzt.create_account(yzt, people.yzt_account)
    flows.yzt.review_passes(backstage)
    yzt.done_step.back_to_login()
    flows.yzt.log_in_with_password(yzt, backstage, people.yzt_account.account, people.yzt_account.password)
    wait_until_certified_on_website(website)


def certified_app_account(app: App, pc: Yzt, phone: Yzt, backstage: Backstage, people: People) -> None:
    """方式二 from scratch: a new APP account; the 一证通 account registered on a PC (the only way), 已认证."""
    flows.app.register(app, backstage, people.app_account)
    flows.app.log_in(app, people.app_account.mobile, people.app_account.password)
    pc.login.open()
    flows.yzt.pass_identity_verification(pc, backstage, people.enterprise)
    flows.yzt.create_account(pc, people.yzt_account)
    flows.yzt.review_passes(backstage)
    flows.app.choose_beijing_certification(app)
    flows.yzt.log_in_with_password(phone, backstage, people.yzt_account.account, people.yzt_account.password)
    wait_until_certified_in_app(app)


@flow_step("读出认证信息", "read 认证信息")
def certification_status(website: Website) -> str:
    """What 个人主页's 认证信息 card says (已认证 and the enterprise, or 未认证)."""
    return website.profile.certification_card.inner_text()


def check_existing_account(website: Website, login_name: str, password: SecretStr) -> str:
    """Log in with an account that exists on the target and read its 认证信息: needs no control interface."""
    flows.website.log_in_at_profile(website, login_name, password)
    return certification_status(website)
