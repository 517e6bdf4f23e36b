"""The schemathesis runs: the Hypothesis profiles of the property tests, and a fresh mock for each API operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.hypothesis_profiles import load_profile
from tests.schema.support import MOCKS, FreshMock

load_profile()


def pytest_configure(config: pytest.Config) -> None:
    """Schemathesis' pytest plugin (``@schema.parametrize()``), for this folder's runs alone.

    pyproject's addopts keep it from loading by itself (``-p no:schemathesis``): its imports cost every
    other run, and every xdist worker, about 0.7 s.  Registered under its module's name, which that
    option does not block, when pytest first collects this folder.
    """
    from schemathesis.pytest import plugin

    if not config.pluginmanager.is_registered(plugin):
        config.pluginmanager.register(plugin, plugin.__name__)


@pytest.fixture
def fresh_mock(request: pytest.FixtureRequest) -> Iterator[FreshMock]:
    """A new instance of the mock ``request.param`` names (``platform`` or ``idp``): nothing left by other tests."""
    name: str = request.param
    app = MOCKS[name]()
    with TestClient(app, follow_redirects=False) as http:
        yield FreshMock(app=app, http=http)
