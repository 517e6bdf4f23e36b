"""一证通's registration wizard under concurrency: nothing lost, nothing created twice (W3, R4).

N browsers register N different enterprises at once: N accounts, each holding what its own
browser typed, and each logs in with its own password once reviewed.  K browsers register the
same 法人代表 of the same unit at once (all of them passed 法人身份鉴证 before any finished):
exactly one account, and every other browser gets R4's message on 创建账号, none a 5xx.

The starting line is 创建账号's submit: that is where the store checks and inserts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx

from fixtures.form_client import FormClient
from fixtures.test_data import Enterprise, TestDataBuilder, YztAccount
from mock_servers import IdpControl, MockServers
from mock_servers.idp import messages
from mock_servers.idp.pages import REGISTER_DONE_PATH, WELCOME_PATH, login_url
from tests.concurrency.browsers import (
    answered_captcha,
    create_account,
    describe,
    idp_browser,
    opened,
    page,
    pass_identity_step,
    several,
    yzt_account_or_none,
    yzt_login,
)
from tests.concurrency.race import Finish, RaceSettings, most_in_flight, race

Shot = Callable[[], httpx.Response]


def registration_runner(
    browser: FormClient, idp: IdpControl, enterprise: Enterprise, account: YztAccount
) -> Callable[[], Shot]:
    """法人身份鉴证 first, on its own; the shot is 创建账号's submit."""

    def get_ready() -> Shot:
        pass_identity_step(browser, idp, enterprise)
        return lambda: create_account(browser, account)

    return get_ready


def login_runner(browser: FormClient, idp: IdpControl, account: YztAccount) -> Callable[[], Shot]:
    """口令登录 opened and its captcha answered; the shot is the submit."""

    def get_ready() -> Shot:
        captcha = answered_captcha(idp, opened(browser, login_url()))
        return lambda: yzt_login(browser, login_url(), captcha, account.account, account.password)

    return get_ready


def registered(finish: Finish[httpx.Response]) -> bool:
    return finish.result.status_code == 303 and finish.result.headers["location"] == REGISTER_DONE_PATH


def logged_in(finish: Finish[httpx.Response]) -> bool:
    return finish.result.status_code == 302 and finish.result.headers["location"] == WELCOME_PATH


def review_all(idp: IdpControl, accounts: list[YztAccount]) -> None:
    """Move 一证通's clock past the last account's one working day of review (R3)."""
    due = [view.review_due for account in accounts if (view := idp.get_account(account.account)).review_due]
    if due:
        idp.advance_clock(max(max(due) - idp.now(), timedelta(0)))


def log_in_at_once(mocks: MockServers, accounts: list[YztAccount]) -> list[Finish[httpx.Response]]:
    """Every account's 口令登录 submitted at the same moment, each from a browser of its own."""
    with several(lambda: idp_browser(mocks.idp_url), len(accounts)) as browsers:
        return race([login_runner(b, mocks.idp_control, a) for b, a in zip(browsers, accounts, strict=True)])


def test_distinct_registrations_at_once_all_become_accounts_that_log_in(
    mocks: MockServers, test_data: TestDataBuilder, race_settings: RaceSettings
) -> None:
    idp = mocks.idp_control
    for round_number, data in race_settings.rounds_with_data(test_data):
        mocks.reset()
        people = [(data.enterprise(), data.yzt_account()) for _ in range(race_settings.width)]
        with several(lambda: idp_browser(mocks.idp_url), len(people)) as browsers:
            finishes = race([registration_runner(b, idp, e, a) for b, (e, a) in zip(browsers, people, strict=True)])
        report = f"round {round_number}: {describe(finishes)}"
        assert most_in_flight(finishes) > 1, f"the submits never overlapped; {report}"
        assert all(registered(finish) for finish in finishes), report

        # Every account is there, with its own browser's enterprise, 法人 and mobile: none lost, none mixed up.
        for enterprise, account in people:
            view = yzt_account_or_none(idp, account.account)
            assert view is not None, f"{account.account} was lost; {report}"
            assert (view.credit_code, view.legal_person_id_number, view.mobile) == (
                enterprise.credit_code,
                enterprise.legal_person.id_number,
                account.mobile,
            ), f"{account.account} holds another registration's data; {report}"

        # Reviewed, each logs in with its own password (all at once, too).
        accounts = [account for _, account in people]
        review_all(idp, accounts)
        logins = log_in_at_once(mocks, accounts)
        assert all(logged_in(finish) for finish in logins), f"round {round_number}: {describe(logins)}"


def test_the_same_handler_and_unit_at_once_get_exactly_one_account(
    mocks: MockServers, test_data: TestDataBuilder, race_settings: RaceSettings
) -> None:
    idp = mocks.idp_control
    for round_number, data in race_settings.rounds_with_data(test_data):
        mocks.reset()
        enterprise = data.enterprise()
        accounts = [data.yzt_account() for _ in range(race_settings.width)]
        with several(lambda: idp_browser(mocks.idp_url), len(accounts)) as browsers:
            finishes = race(
                [registration_runner(b, idp, enterprise, a) for b, a in zip(browsers, accounts, strict=True)]
            )
        report = f"round {round_number}: {describe(finishes)}"
        assert most_in_flight(finishes) > 1, f"the submits never overlapped; {report}"
        assert all(finish.result.status_code < 500 for finish in finishes), report

        winners = [finish for finish in finishes if registered(finish)]
        assert len(winners) == 1, report
        for finish in finishes:
            if finish is not winners[0]:
                assert finish.result.status_code == 200, report
                assert page(finish.result).alerts() == [messages.ONE_ACCOUNT_PER_HANDLER], report
        winner = accounts[winners[0].runner]
        stored = [account.account for account in accounts if yzt_account_or_none(idp, account.account) is not None]
        assert stored == [winner.account], report

        # The one account is a whole one: reviewed, it logs in.
        review_all(idp, [winner])
        assert all(logged_in(finish) for finish in log_in_at_once(mocks, [winner]))
