"""一证通 (北京市统一身份认证平台): 口令登录, 注册 (法人身份鉴证 → 创建账号 → 注册完成)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from playwright.sync_api import expect
from pydantic import SecretStr

from fixtures.backstage import Backstage
from fixtures.forms import IdentityForm
from fixtures.test_data import Enterprise, YztAccount
from flows.narration import flow_step
from pages.idp.site import Yzt


@flow_step("在一证通选择口令登录，输入账号、密码和验证码", "口令登录 at 一证通 with account, password and captcha")
def log_in_with_password(yzt: Yzt, backstage: Backstage, account: str, password: str | SecretStr) -> None:
    # Choosing the tab reloads the page with a new captcha: the one to answer is the one on show after it.
    yzt.login.choose_tab("口令登录")
    yzt.login.log_in_with_password(account, password, backstage.captcha_answer(yzt.login.captcha))


def submit_identity(yzt: Yzt, form: IdentityForm, document: Path | None = None) -> None:
    """法人身份鉴证 filled in as ``form`` says (``document``: the scan to upload), then 下一步."""
    yzt.identity_step.fill_legal_person(**asdict(form), document=document)
    yzt.identity_step.go_next()


@flow_step("在一证通点击注册，完成法人身份鉴证", "注册 at 一证通: pass 法人身份鉴证")
def pass_identity_verification(yzt: Yzt, backstage: Backstage, enterprise: Enterprise) -> None:
    """From the login page on show, 点击注册 and pass 法人身份鉴证 for the enterprise's 法人代表."""
    yzt.login.go_to_register()
    submit_identity(yzt, IdentityForm.of(enterprise, backstage.captcha_answer(yzt.identity_step.captcha)))
    expect(yzt.account_step.heading, "通过法人身份鉴证后应进入“创建账号”").to_be_visible()


@flow_step("在创建账号中设置一证通账号、密码和手机号码", "创建账号: the 一证通 account, password and mobile")
def create_account(yzt: Yzt, account: YztAccount) -> None:
    yzt.account_step.create_account(account.account, account.password, account.mobile)
    expect(yzt.done_step.heading, "创建账号后应显示“注册完成”").to_be_visible()


@flow_step("审核通过（一个工作日后）", "review passes (one working day later)")
def review_passes(backstage: Backstage) -> None:
    """The one working day of review, on the mocks' clock."""
    backstage.review_period_passes()
