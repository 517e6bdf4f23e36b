"""企业认证 under concurrency: one enterprise, one binding (W5, Q1, Q1b).

K platform accounts (colleagues, each on a computer of their own) certify the same enterprise at
the same moment: each logs in to the platform, clicks 北京市企业认证, logs in at 一证通 as the
enterprise's 法人代表 (the one 一证通 account, K sessions), and comes back.  Exactly one account
is bound; each of the other K-1 gets 该企业已被其他用户绑定 on its callback page and stays 未认证.

The starting line is the callback (the IdP's redirect back to the platform): that is where the
platform exchanges the code and binds, in its thread pool (a plain ``def`` route).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from fixtures.backstage import Backstage
from fixtures.form_client import FormClient
from fixtures.test_data import PlatformAccount, TestDataBuilder, YztAccount
from mock_servers import MockServers
from mock_servers.platform.certification import MSG_CERTIFIED
from mock_servers.platform.results import MSG_BOUND_TO_OTHER
from mock_servers.platform.web import WEB_LOGIN_PATH, WEB_PROFILE_PATH
from tests.concurrency.browsers import (
    certify_up_to_callback,
    describe,
    page,
    platform_browser,
    several,
    web_login,
)
from tests.concurrency.race import Finish, RaceSettings, most_in_flight, race

Shot = Callable[[], httpx.Response]


def certification_runner(
    browser: FormClient, mocks: MockServers, account: PlatformAccount, yzt: YztAccount
) -> Callable[[], Shot]:
    """Logged in to the platform, through 一证通's 口令登录, up to the callback; the shot opens it."""

    def get_ready() -> Shot:
        web_login(browser, account)
        callback = certify_up_to_callback(browser, mocks.idp_control, mocks.platform_url, yzt)
        return lambda: browser.get(callback)

    return get_ready


def web_browser(mocks: MockServers) -> Callable[[], FormClient]:
    return lambda: platform_browser(mocks.platform_url, token_page=WEB_LOGIN_PATH)


def certified(finish: Finish[httpx.Response]) -> bool:
    return finish.result.status_code == 303 and finish.result.headers["location"] == WEB_PROFILE_PATH


def test_colleagues_certifying_one_enterprise_at_once_bind_it_exactly_once(
    mocks: MockServers, backstage: Backstage, test_data: TestDataBuilder, race_settings: RaceSettings
) -> None:
    platform = mocks.platform_control
    for round_number, data in race_settings.rounds_with_data(test_data):
        backstage.reset()
        enterprise, yzt = data.enterprise(), data.yzt_account()
        backstage.open_yzt_account(enterprise, yzt)
        colleagues = [data.platform_account() for _ in range(race_settings.width)]
        for account in colleagues:
            platform.create_user(account.username, account.mobile, account.password)

        with several(web_browser(mocks), len(colleagues)) as browsers:
            finishes = race([certification_runner(b, mocks, a, yzt) for b, a in zip(browsers, colleagues, strict=True)])
            report = f"round {round_number}: {describe(finishes)}"
            assert most_in_flight(finishes) > 1, f"the callbacks never overlapped; {report}"
            assert all(finish.result.status_code < 500 for finish in finishes), report

            winners = [finish for finish in finishes if certified(finish)]
            assert len(winners) == 1, report
            for finish in finishes:
                if finish is not winners[0]:
                    assert finish.result.status_code == 409, report
                    assert MSG_BOUND_TO_OTHER in page(finish.result).alerts(), report
            # The winner's 个人主页 says so.
            profile = browsers[winners[0].runner].get(WEB_PROFILE_PATH)
            assert MSG_CERTIFIED in page(profile).statuses(), report
            assert '<span class="tag tag-certified">已认证</span>' in profile.text

        winner = colleagues[winners[0].runner]
        bindings = platform.list_bindings()
        assert [(b.credit_code, b.username) for b in bindings] == [(enterprise.credit_code, winner.username)], report
        for account in colleagues:
            bound = platform.get_user(account.username).enterprise
            assert (bound is not None) == (account is winner), f"{account.username}: {bound}; {report}"
