"""What the schemathesis runs share: how they run (examples, seed, checks) and fresh mocks to run against.

Every run calls a fresh mock in process (no sockets), one mock per API operation, reset before each
example: whatever one example did (a fault switched on, the clock sent to 9998, an account seeded) is
gone before the next, so a failure replays alone and shrinks to its cause, and nothing a run does
reaches another test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import APIOperation, Case

from mock_servers.common.paths import CONTROL_PREFIX
from mock_servers.idp import create_app as create_idp
from tests.hypothesis_profiles import QUICK, load_profile
from tests.idp.driver import BASE_URL as IDP_BASE_URL
from tests.platform.support import new_app as new_platform

CONTROL_SCHEMA: Final = CONTROL_PREFIX + "/openapi.json"

# One generated request: what each test receives.
ApiCase = Case[APIOperation[Any, Any, Any, Any]]

# The statuses of schemathesis' checks, by default: positive_data_acceptance's for a request the
# schema calls valid, negative_data_rejection's for one it calls invalid.
ACCEPTED: Final = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
REJECTED: Final = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"]


@dataclass(frozen=True)
class Allowance:
    """Statuses one operation may answer beyond schemathesis' defaults, and why (every one has a reason)."""

    why: str
    accepted: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()


def config(allowances: dict[str, Allowance]) -> schemathesis.Config:
    """Schemathesis' configuration: every check it has, on every operation, with the allowances given.

    ``allowances`` maps ``"METHOD /path"`` to statuses that operation may answer to a schema-valid
    request (positive_data_acceptance) or a schema-invalid one (negative_data_rejection) besides the
    defaults, with the reason: an operation that checks identifiers' check characters, registration
    rules or a clock's range answers 422 (with a detail that says what is wrong, which the response
    schema check holds it to) to values that JSON Schema cannot tell from good ones; OAuth's
    authorization endpoint answers errors with a redirect.
    """
    operations: list[dict[str, Any]] = []
    for operation, allowance in allowances.items():
        method, path = operation.split(" ", 1)
        checks: dict[str, Any] = {}
        if allowance.accepted:
            checks["positive_data_acceptance"] = {"expected-statuses": [*ACCEPTED, *allowance.accepted]}
        if allowance.rejected:
            checks["negative_data_rejection"] = {"expected-statuses": [*REJECTED, *allowance.rejected]}
        operations.append({"include-method": method, "include-path": path, "checks": checks})
    return schemathesis.Config.from_dict({"operations": operations})


def fuzz_settings() -> settings:
    """The loaded profile's number of examples; derandomized unless it is a long hunt.

    Under the default ``quick`` profile every run tries the same examples (CI stays steady); under
    ``HYPOTHESIS_PROFILE=fuzz`` each run explores new ones.  The per-operation mock is a function-scoped
    fixture on purpose: each example resets it first, so Hypothesis' warning about sharing one is moot.
    """
    profile = load_profile()
    return settings(derandomize=profile == QUICK, suppress_health_check=[HealthCheck.function_scoped_fixture])


def new_idp() -> FastAPI:
    return create_idp(IDP_BASE_URL)


MOCKS: Final = {"platform": new_platform, "idp": new_idp}


@dataclass(frozen=True)
class FreshMock:
    """A new mock for one test, and an open client of its control interface (one event loop for all the resets)."""

    app: FastAPI
    http: TestClient

    def reset(self) -> None:
        """Forget everything, as the harness does between scenarios (``POST /_control/reset``)."""
        self.control("POST", "/reset", expect=204)

    def control(self, method: str, path: str, *, expect: int, json: Any = None) -> Any:
        response = self.http.request(method, CONTROL_PREFIX + path, json=json)
        assert response.status_code == expect, f"{method} {CONTROL_PREFIX}{path}: {response.text}"
        return response.json() if response.content else None
