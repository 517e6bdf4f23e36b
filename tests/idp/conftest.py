"""Fixtures every IdP test module shares: the app, a driver that starts each test from a reset, a seeded account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from fixtures.test_data import TestDataBuilder
from mock_servers.idp import create_app
from tests.idp.driver import BASE_URL, IdpDriver


@pytest.fixture(scope="module")
def app() -> FastAPI:
    # One app (one RSA key) per module; each test starts from a reset, as the harness does.
    return create_app(BASE_URL)


@pytest.fixture
def idp(app: FastAPI, test_data: TestDataBuilder) -> Iterator[IdpDriver]:
    driver = IdpDriver(app, test_data)
    driver.reset()
    yield driver
    driver.reset()


@pytest.fixture
def seeded(idp: IdpDriver) -> dict[str, Any]:
    """An active account with the password ``PASSWORD``; the request body that created it."""
    return idp.seed_account()
