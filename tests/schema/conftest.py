"""The schemathesis runs: the Hypothesis profiles of the property tests, and a fresh mock for each API operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.hypothesis_profiles import load_profile
from tests.schema.support import MOCKS, FreshMock

load_profile()


@pytest.fixture
def fresh_mock(request: pytest.FixtureRequest) -> Iterator[FreshMock]:
    """A new instance of the mock ``request.param`` names (``platform`` or ``idp``): nothing left by other tests."""
    name: str = request.param
    app = MOCKS[name]()
    with TestClient(app, follow_redirects=False) as http:
        yield FreshMock(app=app, http=http)
