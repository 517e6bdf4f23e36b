"""Both real mock servers on free loopback ports, reset before each test, and the race's size.

One pair for the whole folder, started the way ``mock_servers`` starts it for ``make mocks``
(the IdP, then the platform registered as its OIDC client), over real HTTP: the races must go
through uvicorn, its event loop and its thread pool, as a browser's requests do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures.backstage import Backstage
from mock_servers import MockServers, start_mock_servers
from tests.concurrency.race import RaceSettings


@pytest.fixture(scope="package")
def servers() -> Iterator[MockServers]:
    mocks = start_mock_servers()
    yield mocks
    mocks.stop()


@pytest.fixture
def mocks(servers: MockServers) -> MockServers:
    """Both mocks, empty, on real time."""
    servers.reset()
    return servers


@pytest.fixture
def backstage(mocks: MockServers) -> Backstage:
    return Backstage(platform=mocks.platform_control, idp=mocks.idp_control)


@pytest.fixture(scope="session")
def race_settings() -> RaceSettings:
    """The race's width and rounds: defaults keep the folder quick, the environment asks for more."""
    try:
        return RaceSettings.from_environment()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
