"""Schemathesis against each mock's control interface, from the OpenAPI document it serves at
``/_control/openapi.json``: no request, however malformed, gets a 5xx; every answer has a documented
status, content type and body; malformed input gets a 4xx that says what is wrong; and every one of
schemathesis' checks runs (the allowances below each say why).

Each test is parametrized with the mock it runs against (``fresh_mock``, indirect): besides giving
every operation a new mock, that parameter gives each test its own node id.  pytest 9.2 builds a node
id from a test's original name and its parameters, and schemathesis' collector passes the operation
only in the name, so without a parameter every operation's test would share one id (``test_…`` alone),
which junit reports, ``--lf`` and the durations of ``SHARD`` would confuse.
"""

from __future__ import annotations

import pytest
import schemathesis

from tests.platform.support import new_app as new_platform
from tests.schema.support import CONTROL_SCHEMA, Allowance, ApiCase, FreshMock, config, fuzz_settings, new_idp

# A schema-valid body that a rule beyond JSON Schema refuses: 422, with a detail that names the rule.
CLOCK_RANGE = Allowance(
    "the clock shows moments from 1970 to 9999 only; JSON Schema sets no bounds on a date", ("422",)
)

PLATFORM = schemathesis.openapi.from_asgi(
    CONTROL_SCHEMA,
    new_platform(),
    config=config(
        {
            "POST /users": Allowance("the registration rules of username, mobile number, password, nickname", ("422",)),
            "POST /sms": Allowance("a mobile number in any spelling a person types, 13x-19x once read", ("422",)),
            "POST /clock/set": CLOCK_RANGE,
        }
    ),
)
IDP = schemathesis.openapi.from_asgi(
    CONTROL_SCHEMA,
    new_idp(),
    config=config(
        {
            "POST /accounts": Allowance(
                "check characters of the credit code and ID number, the mobile's rules", ("422",)
            ),
            "POST /clients": Allowance(
                "redirect URIs: absolute http(s) URLs without a fragment, as urlsplit reads", ("422",)
            ),
            "POST /clock/set": CLOCK_RANGE,
        }
    ),
)


@PLATFORM.parametrize()
@pytest.mark.parametrize("fresh_mock", ["platform"], indirect=True)
@fuzz_settings()
def test_platform_control_interface(case: ApiCase, fresh_mock: FreshMock) -> None:
    fresh_mock.reset()
    case.call_and_validate(app=fresh_mock.app)


@IDP.parametrize()
@pytest.mark.parametrize("fresh_mock", ["idp"], indirect=True)
@fuzz_settings()
def test_idp_control_interface(case: ApiCase, fresh_mock: FreshMock) -> None:
    fresh_mock.reset()
    case.call_and_validate(app=fresh_mock.app)
