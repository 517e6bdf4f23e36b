"""Schemathesis against the platform's SSO callback and the app's 获取验证码 endpoints, from the document the
platform serves for them (``/_control/protocol-openapi.json``, ``mock_servers/platform/protocol_schema.py``).

No request gets a 5xx, and a callback that cannot be honoured gets a 4xx result page that says so
(``result_page``): 企业认证未完成 and why, never a bare error.  Before each example the platform is reset
and a user logs in and starts 北京市企业认证, as a browser would, against a fake IdP (``tests/platform/fake_idp``)
that answers every code it did not issue with invalid_grant.  Two values are the browser's own, not the
fuzzer's: the ``state`` of a callback that has one is the pending request's (a random state only ever
reaches 认证请求已失效, so the fuzzing goes to code, error and error_description behind it), and
获取验证码 carries the page's CSRF token (the defence itself is tested in tests/platform/test_csrf.py).
A request that sends a session cookie of its own keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from schemathesis import CheckContext, Response

from fixtures.form_client import csrf_token_in
from fixtures.test_data import TestDataBuilder
from mock_servers.common.csrf import FIELD_NAME
from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.platform.protocol_schema import PROTOCOL_SCHEMA_PATH
from mock_servers.platform.results import MSG_INCOMPLETE
from mock_servers.platform.sso import CALLBACK_PATH
from mock_servers.platform.web import SESSION_COOKIE
from tests.platform.fake_idp import FakeIdp
from tests.platform.support import new_app, new_client, seed_and_log_in
from tests.schema.support import Allowance, ApiCase, FreshMock, config, fuzz_settings

PROTOCOL = schemathesis.openapi.from_asgi(
    CONTROL_PREFIX + PROTOCOL_SCHEMA_PATH,
    new_app(),
    config=config(
        {
            f"GET {CALLBACK_PATH}": Allowance(
                "honoured only with this browser's pending state and a code the IdP issued, else a 400 page",
                accepted=("400",),
            ),
            "POST /m/sms": Allowance("a mobile number in any spelling a person types, 13x-19x once read", ("422",)),
        }
    ),
)

# Who logs in: valid data, the same in every run.
_DATA = TestDataBuilder(0)
ENTERPRISE = _DATA.enterprise()
ACCOUNT = _DATA.platform_account()
KEY = RSAKey.generate_key(2048, parameters={"kid": "schema-key"})


@pytest.fixture
def platform_with_idp(request: pytest.FixtureRequest) -> Iterator[FreshMock]:
    """A fresh platform (``request.param``: the node id's part, see test_control_interfaces) with a fake IdP."""
    idp = FakeIdp(signing_key=KEY, published_keys=[KEY], enterprise=ENTERPRISE)
    app = new_app(httpx.MockTransport(idp))
    with TestClient(app, follow_redirects=False) as http:
        yield FreshMock(app=app, http=http)


def result_page(ctx: CheckContext, response: Response, case: ApiCase) -> bool | None:
    """A callback refused (400, 409) answers with the result page, saying the certification is not complete."""
    if (
        case.operation.path != CALLBACK_PATH
        or response.request.method != "GET"
        or response.status_code not in (400, 409)
    ):
        return None
    assert MSG_INCOMPLETE in response.text, f"a {response.status_code} callback answer that is no result page"
    return True


def start_certification(browser: TestClient) -> str:
    """The logged-in browser starts 北京市企业认证: the state of the pending request."""
    response = browser.get("/auth/yzt/start")
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return parse_qs(urlsplit(location).query)["state"][0]


@PROTOCOL.parametrize()
@pytest.mark.parametrize("platform_with_idp", ["platform"], indirect=True)
@fuzz_settings()
def test_platform_protocol_endpoints(case: ApiCase, platform_with_idp: FreshMock) -> None:
    mock = platform_with_idp
    mock.reset()
    with new_client(mock.app) as browser:
        seed_and_log_in(browser, ACCOUNT)
        state = start_certification(browser)
        token = csrf_token_in(browser.get("/m/register").text)
        cookies = dict(browser.cookies)
    if isinstance(case.query, dict) and isinstance(case.query.get("state"), str):
        case.query["state"] = state
    if isinstance(case.body, dict) and isinstance(case.body.get(FIELD_NAME), str) and token:
        case.body[FIELD_NAME] = token
    if case.cookies and SESSION_COOKIE in case.cookies:
        cookies = {}
    case.call_and_validate(app=mock.app, cookies=cookies, additional_checks=[result_page])
