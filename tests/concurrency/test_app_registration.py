"""The app's 注册 under concurrency: nothing lost, one phone one account (A1, R7).

N phones register at once, each with its own number and SMS code: N accounts, each with its
own nickname and user type, and each logs in to the app with its own password.  K browsers
register the same number at once, all with the code that phone received (a person tapping 注册
on several devices): exactly one account, the one whose password then logs in; every other
browser gets its form back, told the number is taken (该手机号码已注册) or, when the winner
already used the code up, that the code was used (短信验证码已使用); none gets a 5xx.

The starting line is 注册's submit: that is where the store checks and inserts.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from fixtures.form_client import FormClient
from fixtures.test_data import AppAccount, TestDataBuilder
from mock_servers import MockServers, PlatformControl
from mock_servers.platform import app_accounts
from mock_servers.platform.routes_app import HOME_PATH
from mock_servers.platform.routes_app import REGISTER_PATH as APP_REGISTER_PATH
from mock_servers.platform.web import APP_LOGIN_PATH
from tests.concurrency.browsers import (
    app_login,
    app_registration,
    describe,
    opened,
    page,
    platform_browser,
    platform_user_or_none,
    request_sms_code,
    several,
)
from tests.concurrency.race import Finish, RaceSettings, most_in_flight, race

Shot = Callable[[], httpx.Response]


def registration_runner(
    browser: FormClient, platform: PlatformControl, account: AppAccount, code: str | None = None
) -> Callable[[], Shot]:
    """注册 filled in, after 获取验证码 for its own number (unless given the ``code``); the shot is the submit."""

    def get_ready() -> Shot:
        sms_code = code if code is not None else request_sms_code(browser, platform, account.mobile)
        opened(browser, APP_REGISTER_PATH)
        return lambda: browser.post(APP_REGISTER_PATH, data=app_registration(account, sms_code))

    return get_ready


def login_runner(browser: FormClient, account: AppAccount) -> Callable[[], Shot]:
    """The app's 登录 opened; the shot is the submit with the account's number and password."""

    def get_ready() -> Shot:
        opened(browser, APP_LOGIN_PATH)
        return lambda: app_login(browser, account.mobile, account.password)

    return get_ready


def app_browser(mocks: MockServers) -> Callable[[], FormClient]:
    return lambda: platform_browser(mocks.platform_url, token_page=APP_REGISTER_PATH)


def registered(finish: Finish[httpx.Response]) -> bool:
    return finish.result.status_code == 303 and finish.result.headers["location"] == APP_LOGIN_PATH


def logged_in(finish: Finish[httpx.Response]) -> bool:
    return finish.result.status_code == 303 and finish.result.headers["location"] == HOME_PATH


def log_in_at_once(mocks: MockServers, accounts: list[AppAccount]) -> list[Finish[httpx.Response]]:
    """Every account's 登录 submitted at the same moment, each from a phone of its own."""
    with several(app_browser(mocks), len(accounts)) as browsers:
        return race([login_runner(b, a) for b, a in zip(browsers, accounts, strict=True)])


def test_distinct_phones_registering_at_once_all_get_accounts_that_log_in(
    mocks: MockServers, test_data: TestDataBuilder, race_settings: RaceSettings
) -> None:
    platform = mocks.platform_control
    for round_number, data in race_settings.rounds_with_data(test_data):
        mocks.reset()
        accounts = [data.app_account() for _ in range(race_settings.width)]
        with several(app_browser(mocks), len(accounts)) as browsers:
            finishes = race([registration_runner(b, platform, a) for b, a in zip(browsers, accounts, strict=True)])
        report = f"round {round_number}: {describe(finishes)}"
        assert most_in_flight(finishes) > 1, f"the submits never overlapped; {report}"
        assert all(registered(finish) for finish in finishes), report

        # Every account is there, with its own nickname and user type: none lost, none mixed up.
        for account in accounts:
            user = platform_user_or_none(platform, account.mobile)
            assert user is not None, f"{account.mobile} was lost; {report}"
            assert (user.mobile, user.nickname) == (account.mobile, account.nickname), report

        logins = log_in_at_once(mocks, accounts)
        assert all(logged_in(finish) for finish in logins), f"round {round_number}: {describe(logins)}"


def test_one_phone_registering_at_once_from_several_devices_gets_exactly_one_account(
    mocks: MockServers, test_data: TestDataBuilder, race_settings: RaceSettings
) -> None:
    platform = mocks.platform_control
    for round_number, data in race_settings.rounds_with_data(test_data):
        mocks.reset()
        owner = data.app_account()
        # The same number, each device's form with its own password and nickname, to tell the winner by.
        tries = [
            owner.model_copy(update={"password": other.password, "nickname": other.nickname})
            for other in (data.app_account() for _ in range(race_settings.width))
        ]
        with app_browser(mocks)() as phone:
            code = request_sms_code(phone, platform, owner.mobile)
        with several(app_browser(mocks), len(tries)) as browsers:
            finishes = race([registration_runner(b, platform, a, code) for b, a in zip(browsers, tries, strict=True)])
        report = f"round {round_number}: {describe(finishes)}"
        assert most_in_flight(finishes) > 1, f"the submits never overlapped; {report}"
        assert all(finish.result.status_code < 500 for finish in finishes), report

        winners = [finish for finish in finishes if registered(finish)]
        assert len(winners) == 1, report
        refusals = ([app_accounts.MSG_MOBILE_TAKEN], [app_accounts.MSG_SMS_CODE_USED])
        for finish in finishes:
            if finish is not winners[0]:
                assert finish.result.status_code == 200, report
                assert page(finish.result).alerts() in refusals, report
        winner = tries[winners[0].runner]
        user = platform_user_or_none(platform, owner.mobile)
        assert user is not None, f"no account for {owner.mobile}; {report}"
        assert user.nickname == winner.nickname, f"the account is not the winner's ({winner.nickname}); {report}"

        # Only the winner's password opens it; the others' forms stored nothing.
        logins = log_in_at_once(mocks, tries)
        assert [logged_in(finish) for finish in logins] == [t is winner for t in tries], describe(logins)
        for finish in logins:
            if finish.runner != winners[0].runner:
                assert page(finish.result).alerts() == [app_accounts.MSG_LOGIN_FAILED], describe(logins)
