"""The accessibility scans start, like every scenario, from empty mocks (see ``steps/conftest.py``)."""

from __future__ import annotations

import pytest

from fixtures.backstage import Backstage


@pytest.fixture(autouse=True)
def _fresh_mocks(backstage: Backstage) -> None:
    backstage.reset()
