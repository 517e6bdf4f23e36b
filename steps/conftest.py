"""Per-scenario set-up for every feature: a fresh pair of mocks."""

from __future__ import annotations

import pytest

from mock_servers import MockServers


@pytest.fixture(autouse=True)
def _fresh_mocks(mock_servers: MockServers) -> None:
    """Each scenario starts from empty mocks with real time and no faults (cheap: two HTTP calls)."""
    mock_servers.reset()
