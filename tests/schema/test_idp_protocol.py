"""Schemathesis against the IdP's OAuth 2.0 / OpenID Connect endpoints, logout and captcha images, from the
document the IdP serves for them (``/_control/protocol-openapi.json``, ``mock_servers/idp/protocol_schema.py``).

No request gets a 5xx; the token and userinfo endpoints answer errors as RFC 6749 section 5.2 and RFC 6750
section 3.1 say (a 4xx with JSON ``error`` and ``error_description``: the response schemas hold them to
it); and two rules no schema can state are checked on every answer (``redirect_checks``):

- an authorization request answered with a redirect goes back to the client's registered redirect URI
  carrying either a code or an ``error`` with its ``error_description`` (and the request's ``state``),
  or to the IdP's own login page;
- logout's redirect stays on the IdP, whatever ``goto`` says (no open redirect).

Before each example the IdP is reset and has the document's example client registered, and one account
logged in: a request that sends no session cookie of its own gets that account's, so that valid
authorization requests go all the way to issuing a code.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from schemathesis import CheckContext, Response

from fixtures.test_data import TestDataBuilder
from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.idp.oidc import AUTHORIZE_PATH
from mock_servers.idp.pages import LOGIN_PATH, LOGOUT_PATH, SESSION_COOKIE
from mock_servers.idp.protocol_schema import (
    EXAMPLE_CLIENT_ID,
    EXAMPLE_CLIENT_SECRET,
    EXAMPLE_REDIRECT_URI,
    PROTOCOL_SCHEMA_PATH,
)
from mock_servers.idp.state import IdpStore, LegalIdentity
from tests.idp.driver import BASE_URL
from tests.schema.support import Allowance, ApiCase, FreshMock, config, fuzz_settings, new_idp

# RFC 6749 section 4.1.2.1 and OpenID Connect Core 3.1.2.6: what an authorization error may say.
AUTHORIZATION_ERRORS = {
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "interaction_required",
    "login_required",
    "account_selection_required",
    "consent_required",
}
# RFC 6749 section 4.1.2.1: the authorization endpoint's errors go back to the client in a redirect, except
# when client_id or redirect_uri is not one registered (a state no schema knows): then a page, 400.
REDIRECTED_ERRORS = Allowance(
    "RFC 6749 4.1.2.1: errors are redirects; an unregistered client is a 400 page", accepted=("400",), rejected=("302",)
)
# A code is valid only if the IdP issued it: an unknown one is invalid_grant, a 400 (RFC 6749 section 5.2).
ISSUED_CODES_ONLY = Allowance("RFC 6749 5.2: an unknown or used code is invalid_grant, a 400", accepted=("400",))

PROTOCOL = schemathesis.openapi.from_asgi(
    CONTROL_PREFIX + PROTOCOL_SCHEMA_PATH,
    new_idp(),
    config=config(
        {
            f"GET {AUTHORIZE_PATH}": REDIRECTED_ERRORS,
            f"POST {AUTHORIZE_PATH}": REDIRECTED_ERRORS,
            "POST /am/oauth2/access_token": ISSUED_CODES_ONLY,
        }
    ),
)


def redirect_checks(ctx: CheckContext, response: Response, case: ApiCase) -> bool | None:
    """The authorization endpoint's and logout's redirects, as the module docstring says."""
    if response.status_code != 302:
        return None
    location = response.headers.get("location", [""])[0]
    target = urlsplit(location)
    if case.operation.path == LOGOUT_PATH:
        stays = (not target.netloc and location.startswith("/am/")) or (
            f"{target.scheme}://{target.netloc}" == BASE_URL and not target.username
        )
        assert stays, f"logout sent the browser off the IdP: Location {location!r}"
        return True
    if case.operation.path != AUTHORIZE_PATH:
        return None
    if not target.netloc:
        assert target.path == LOGIN_PATH, f"authorize redirected within the IdP, but not to its login page: {location}"
        return True
    assert location.startswith(EXAMPLE_REDIRECT_URI + "?"), f"authorize redirected to an unregistered URI: {location}"
    answer = parse_qs(target.query, keep_blank_values=True)
    assert ("code" in answer) != ("error" in answer), f"a redirect to the client has a code or an error: {location}"
    if "error" in answer:
        assert answer["error"][0] in AUTHORIZATION_ERRORS, f"not an RFC 6749 / OIDC error code: {location}"
        assert answer.get("error_description", [""])[0], f"an error without error_description: {location}"
    sent = _sent_parameters(case)
    if len(sent.get("state", [])) == 1 and sent["state"][0]:
        assert answer.get("state") == sent["state"], f"state {sent['state'][0]!r} not given back: {location}"
    return True


def _sent_parameters(case: ApiCase) -> dict[str, list[str]]:
    """The authorization request's parameters as the case sends them (query, or form body)."""
    source: Any = case.query if case.operation.method.upper() == "GET" else case.body
    if not isinstance(source, dict):
        return {}
    return {name: value if isinstance(value, list) else [value] for name, value in source.items()}


# Who is logged in: valid data, the same in every run.
_DATA = TestDataBuilder(0)
ENTERPRISE = _DATA.enterprise()
ACCOUNT = _DATA.yzt_account()


def log_in_an_account(store: IdpStore) -> str:
    """An active account with a session (as a login makes): the session id."""
    account = store.add_account(
        account=ACCOUNT.account,
        password=ACCOUNT.password,
        mobile=ACCOUNT.mobile,
        identity=LegalIdentity(
            enterprise_name=ENTERPRISE.name,
            credit_code=ENTERPRISE.credit_code,
            legal_person_name=ENTERPRISE.legal_person.name,
            legal_person_id_type="resident_id",
            legal_person_id_number=ENTERPRISE.legal_person.id_number,
        ),
        reviewed=True,
    )
    return store.create_session(account).session_id


@PROTOCOL.parametrize()
@pytest.mark.parametrize("fresh_mock", ["idp"], indirect=True)
@fuzz_settings()
def test_idp_protocol_endpoints(case: ApiCase, fresh_mock: FreshMock) -> None:
    fresh_mock.reset()
    client = {"client_id": EXAMPLE_CLIENT_ID, "client_secret": EXAMPLE_CLIENT_SECRET}
    fresh_mock.control("POST", "/clients", json={**client, "redirect_uris": [EXAMPLE_REDIRECT_URI]}, expect=201)
    session = log_in_an_account(fresh_mock.app.state.store)
    cookies = {} if case.cookies and SESSION_COOKIE in case.cookies else {SESSION_COOKIE: session}
    case.call_and_validate(app=fresh_mock.app, cookies=cookies, additional_checks=[redirect_checks])
