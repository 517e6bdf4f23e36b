"""Where a scenario's time goes: mock start-up and reset, page renders, the SSO hop, browser navigation.

Run with ``make bench`` (pytest-benchmark; results in reports/benchmark.json).
These are measurements, not pass/fail timings: compare runs with
``pytest-benchmark compare``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page
from pytest_benchmark.fixture import BenchmarkFixture

from fixtures.backstage import Backstage
from fixtures.form_client import FormClient
from fixtures.test_data import TestDataBuilder
from mock_servers import MockServers, start_mock_servers

LOGIN_PATH = "/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8"
_CAPTCHA_ID = re.compile(r'name="captcha_id" value="([^"]+)"')


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def test_start_and_stop_a_mock_pair(benchmark: BenchmarkFixture) -> None:
    benchmark.pedantic(lambda: start_mock_servers().stop(), rounds=5, iterations=1)


def test_reset_both_mocks(benchmark: BenchmarkFixture, mock_servers: MockServers) -> None:
    benchmark(mock_servers.reset)


def test_render_idp_login_page_with_a_fresh_captcha(
    benchmark: BenchmarkFixture, mock_servers: MockServers, http: httpx.Client
) -> None:
    response = benchmark(http.get, mock_servers.idp_url + LOGIN_PATH)
    assert _CAPTCHA_ID.search(response.text)


def test_render_platform_home(benchmark: BenchmarkFixture, mock_servers: MockServers, http: httpx.Client) -> None:
    response = benchmark(http.get, mock_servers.platform_url + "/")
    assert response.status_code == 200


def _certify_over_http(mocks: MockServers, seed: int) -> httpx.Response:
    """The whole SSO hop without a browser: platform login, authorize, IdP login, code, callback."""
    data = TestDataBuilder(seed)
    user, enterprise, yzt = data.platform_account(), data.enterprise(), data.yzt_account()
    backstage = Backstage(platform=mocks.platform_control, idp=mocks.idp_control)
    backstage.open_platform_account(user)
    backstage.open_yzt_account(enterprise, yzt)
    # Its form posts carry the CSRF token of the form's page, as a browser's do.
    with FormClient(token_page="/login", follow_redirects=True) as browser:
        browser.post(mocks.platform_url + "/login", data={"login_id": user.username, "password": user.password})
        login_page = browser.get(mocks.platform_url + "/auth/yzt/start")
        match = _CAPTCHA_ID.search(login_page.text)
        assert match, "the IdP login page carries no captcha id"
        answer = mocks.idp_control.captcha_answer(match.group(1))
        # The form posts back to the page's own URL, goto included.
        return browser.post(
            login_page.url,
            data={"username": yzt.account, "password": yzt.password, "captcha": answer, "captcha_id": match.group(1)},
        )


def test_certify_an_enterprise_over_http(benchmark: BenchmarkFixture, mock_servers: MockServers) -> None:
    seeds = iter(range(1_000_000))

    def certify() -> httpx.Response:
        mock_servers.reset()
        return _certify_over_http(mock_servers, next(seeds))

    response = benchmark.pedantic(certify, rounds=20, iterations=1)
    assert "已认证" in response.text


def test_browser_navigation_to_idp_login(benchmark: BenchmarkFixture, mock_servers: MockServers, page: Page) -> None:
    benchmark.pedantic(page.goto, args=(mock_servers.idp_url + LOGIN_PATH,), rounds=20, iterations=1)


def test_new_browser_context_and_page(benchmark: BenchmarkFixture, browser: Browser) -> None:
    def open_and_close() -> None:
        context = browser.new_context()
        context.new_page()
        context.close()

    benchmark.pedantic(open_and_close, rounds=10, iterations=1)
