"""Fixtures the platform mock's test modules share: an app, a browser, and the people and enterprises involved.

The data comes from the harness's builders (``fixtures.test_data``, registered by the root
conftest): valid by the rules the mocks check, and different in every test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from fixtures.test_data import Enterprise, PlatformAccount, TestDataBuilder
from tests.platform.fake_idp import FakeIdp
from tests.platform.support import AppAccount, enterprise_with_a_letter, new_app, new_client


@pytest.fixture
def app() -> FastAPI:
    """A fresh platform with no IdP behind it (a module that needs one overrides this)."""
    return new_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous browser on ``app``."""
    with new_client(app) as test_client:
        yield test_client


@pytest.fixture
def colleague(test_data: TestDataBuilder) -> PlatformAccount:
    """A second 平台账户, besides the test's own ``platform_account``."""
    return test_data.platform_account()


@pytest.fixture
def enterprise(test_data: TestDataBuilder) -> Enterprise:
    """The test's 企业 (overrides the harness's): its credit code has a letter, so that case handling shows."""
    return enterprise_with_a_letter(test_data)


@pytest.fixture
def other_enterprise(test_data: TestDataBuilder) -> Enterprise:
    """A second 企业, to certify or bind besides ``enterprise``."""
    return test_data.enterprise()


@pytest.fixture
def app_account(platform_account: PlatformAccount, test_data: TestDataBuilder) -> AppAccount:
    """The test's account as registered in the app (its username is its mobile number)."""
    return AppAccount(
        mobile=platform_account.mobile,
        password=platform_account.password,
        nickname=test_data.faker.name(),
        user_type="enterprise",
    )


@pytest.fixture(scope="session")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "key-1"})


@pytest.fixture
def idp(key: RSAKey, enterprise: Enterprise) -> FakeIdp:
    """The 一证通 IdP, faked: whoever logs in there, it vouches for the test's enterprise."""
    return FakeIdp(signing_key=key, published_keys=[key], enterprise=enterprise)
