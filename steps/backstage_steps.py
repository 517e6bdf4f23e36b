"""Steps done backstage, through the mocks' control interfaces: what was so before the scenario, what time
it is, what breaks, and what the systems recorded that no page shows.

Nothing here touches a page. Each step is one or two verbs of ``fixtures.backstage``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from pytest_bdd import given, parsers, then, when

from fixtures.backstage import Backstage, SharedClock
from fixtures.calendar import next_moment, weekday_number
from fixtures.test_data import AppAccount, Enterprise, LegalPerson, PlatformAccount, TestDataBuilder, YztAccount

# How a scenario names an account → the fixture that holds it.
ACCOUNT_FIXTURES = {
    "我的平台账户": "platform_account",
    "同事的平台账户": "colleague_account",
    "我的APP账户": "app_account",
    "APP账号A": "app_account",
}
_AT = r"(?P<weekday>星期[一二三四五六日]) (?P<hour>\d{1,2}):(?P<minute>\d{2})"
_AT_CONVERTERS: dict[str, Callable[[str], object]] = {"weekday": weekday_number, "hour": int, "minute": int}

# --- what was so before ---------------------------------------------------------------------------


@given("我的企业已有审核通过的一证通账号")
def reviewed_yzt_account(backstage: Backstage, enterprise: Enterprise, yzt_account: YztAccount) -> None:
    backstage.open_yzt_account(enterprise, yzt_account)


@given("我的企业的法人代表此刻注册了一证通账号，正在审核中")
def registered_just_now(backstage: Backstage, enterprise: Enterprise, yzt_account: YztAccount) -> None:
    backstage.open_yzt_account(enterprise, yzt_account, reviewed=False)


@given(
    parsers.re(
        r"我的企业的法人代表已在(?P<unit>我的企业|另一家企业)下开通了(?P<kind>一证通口令账号|没有口令密码的一证通账号)"
    )
)
def legal_person_has_account(
    backstage: Backstage, enterprise: Enterprise, test_data: TestDataBuilder, unit: str, kind: str
) -> None:
    # Another account than the scenario's own yzt_account, which is left free to register.
    unit_enterprise = test_data.enterprise() if unit == "另一家企业" else enterprise
    backstage.open_yzt_account(
        unit_enterprise,
        test_data.yzt_account(),
        with_password=kind == "一证通口令账号",
        legal_person=enterprise.legal_person,
    )


@given("同事的平台账户已经认证了我的企业")
def colleague_certified(backstage: Backstage, enterprise: Enterprise, colleague_account: PlatformAccount) -> None:
    backstage.open_platform_account(colleague_account)
    backstage.bind(enterprise, colleague_account)


@given("我的企业的一证通账号是用其他方式开通的，没有口令密码")
def yzt_account_opened_another_way(
    backstage: Backstage, enterprise: Enterprise, yzt_account_without_password: YztAccount
) -> None:
    backstage.open_yzt_account(enterprise, yzt_account_without_password, with_password=False)


@given("我的企业还有另一位办事人的一证通账号")
def other_handlers_yzt_account(
    backstage: Backstage, enterprise: Enterprise, other_handler: LegalPerson, other_handler_yzt_account: YztAccount
) -> None:
    backstage.open_yzt_account(enterprise, other_handler_yzt_account, legal_person=other_handler)


@given("我已有平台账户，但尚未登录")
def existing_platform_account(backstage: Backstage, platform_account: PlatformAccount) -> None:
    backstage.open_platform_account(platform_account)


# --- time -----------------------------------------------------------------------------------------


@given(parsers.re(rf"现在是北京时间{_AT}"), converters=_AT_CONVERTERS)
def clock_at(mock_clock: SharedClock, weekday: int, hour: int, minute: int) -> None:
    mock_clock.set(next_moment(mock_clock.now(), weekday, hour, minute))


@when(parsers.re(rf"时间来到{_AT}"), converters=_AT_CONVERTERS)
def time_comes(mock_clock: SharedClock, weekday: int, hour: int, minute: int) -> None:
    mock_clock.move_to(next_moment(mock_clock.now(), weekday, hour, minute))


@when("一个工作日后审核通过")
def review_period_passes(backstage: Backstage) -> None:
    backstage.review_period_passes()


@when(parsers.re(r"(?P<seconds>\d+)秒过去了"), converters={"seconds": int})
def seconds_pass(mock_clock: SharedClock, seconds: int) -> None:
    mock_clock.advance(timedelta(seconds=seconds))


@when("两个小时过去了，一证通的登录已经失效")
def yzt_login_expires(mock_clock: SharedClock) -> None:
    # 一证通 keeps a login for at most two hours (and 30 minutes without use).
    mock_clock.advance(timedelta(hours=2))


@when(parsers.re(r"最后一次输错密码后过了(?P<minutes>\d+)分钟"), converters={"minutes": int})
def time_since_last_failure(mock_clock: SharedClock, last_failure_at: datetime, minutes: int) -> None:
    mock_clock.move_to(last_failure_at + timedelta(minutes=minutes))


# --- 统一身份认证平台的故障 -------------------------------------------------------------------------


@given("统一身份认证平台暂时无法访问")
def idp_down(backstage: Backstage) -> None:
    backstage.idp_down()


@given("统一身份认证平台响应缓慢，超过了平台愿意等待的时间")
def idp_slow(backstage: Backstage) -> None:
    backstage.idp_slow()


@given("统一身份认证平台会在平台换取认证结果之前变得无法访问")
def idp_down_before_exchange(backstage: Backstage) -> None:
    # The browser's hop through 一证通 works; only the platform's own call for the result meets the fault.
    backstage.idp_fails_next_token_request()


@when("平台呼叫中心为我的企业办理了解绑")
def call_center_unbinds(backstage: Backstage, enterprise: Enterprise) -> None:
    backstage.unbind(enterprise)


@when("统一身份认证平台恢复访问")
def idp_back(backstage: Backstage) -> None:
    backstage.idp_back()


# --- what the systems recorded --------------------------------------------------------------------


@then("我的企业没有绑定到任何平台账户")
def enterprise_not_bound(backstage: Backstage, enterprise: Enterprise) -> None:
    bound = backstage.bound_accounts(enterprise)
    assert bound == [], f"企业不应被绑定，实际绑定到了平台账户 {bound}"


@then(parsers.re(r"我的企业(?:仍然)?只绑定在(?P<owner>我的平台账户|同事的平台账户|我的APP账户|APP账号A)上"))
def enterprise_bound_only_to(
    request: pytest.FixtureRequest, backstage: Backstage, enterprise: Enterprise, owner: str
) -> None:
    account: PlatformAccount | AppAccount = request.getfixturevalue(ACCOUNT_FIXTURES[owner])
    bound = backstage.bound_accounts(enterprise)
    assert bound == [account.login_name], f"企业应只绑定在{owner}（{account.login_name}）上，实际为 {bound}"


@then("没有口令密码的一证通账号仍然不能用口令登录")
def still_without_password(backstage: Backstage, yzt_account_without_password: YztAccount) -> None:
    account = yzt_account_without_password.account
    assert not backstage.yzt_account_has_password(account), f"短信验证码错误时不应为{account}设置口令密码"


@then("一证通中没有开设我的一证通账号")
def no_account_stored(backstage: Backstage, yzt_account: YztAccount) -> None:
    assert not backstage.yzt_account_exists(yzt_account.account), f"被拒绝的注册不应开设账号{yzt_account.account}"
