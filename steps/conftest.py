"""Per-scenario set-up for every feature: a fresh pair of mocks, where the target has a control interface."""

from __future__ import annotations

import pytest

from fixtures.target import Target


@pytest.fixture(autouse=True)
def _fresh_mocks(target: Target, request: pytest.FixtureRequest) -> None:
    """Each scenario starts from empty mocks with real time and no faults (cheap: two HTTP calls).

    On a target with a control interface that is not the bundled mocks (``make mocks``), this
    resets that target too. A target without one (staging) is left as it is.
    """
    if target.control:
        request.getfixturevalue("backstage").reset()
