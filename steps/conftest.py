"""Per-scenario set-up for every feature: a fresh pair of mocks."""

from __future__ import annotations

import pytest

from fixtures.backstage import Backstage


@pytest.fixture(autouse=True)
def _fresh_mocks(backstage: Backstage) -> None:
    """Each scenario starts from empty mocks with real time and no faults (cheap: two HTTP calls)."""
    backstage.reset()
