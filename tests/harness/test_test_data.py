"""The test-data builders make valid, unique, reproducible data."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from stdnum.cn import ric, uscc

from fixtures.test_data import (
    Enterprise,
    LegalPerson,
    TestDataBuilder,
    is_valid_organization_code,
    organization_check_char,
    scenario_seed,
)

MOBILE = re.compile(r"^1[3-9]\d{9}$")


@pytest.mark.parametrize("seed", range(50))
def test_identifiers_are_valid_by_the_national_standards(seed: int) -> None:
    enterprise = TestDataBuilder(seed).enterprise()
    assert uscc.is_valid(enterprise.credit_code)
    assert is_valid_organization_code(enterprise.organization_code)
    assert ric.is_valid(enterprise.legal_person.id_number)


def test_accounts_follow_the_sites_rules() -> None:
    builder = TestDataBuilder(7)
    platform = builder.platform_account()
    yzt = builder.yzt_account()
    assert re.fullmatch(r"[A-Za-z]\w{3,19}", platform.username)
    assert re.fullmatch(r"\w{4,20}", yzt.account)
    for password in (platform.password, yzt.password):
        assert 8 <= len(password) <= 20
        assert re.search(r"[A-Za-z]", password)
        assert re.search(r"\d", password)
    assert MOBILE.match(platform.mobile)
    assert MOBILE.match(yzt.mobile)


def test_same_seed_same_data_and_different_seed_different_data() -> None:
    assert TestDataBuilder(42).enterprise() == TestDataBuilder(42).enterprise()
    assert TestDataBuilder(42).enterprise() != TestDataBuilder(43).enterprise()


def test_data_is_unique_within_a_scenario() -> None:
    builder = TestDataBuilder(3)
    enterprises = [builder.enterprise() for _ in range(30)]
    accounts = [builder.yzt_account() for _ in range(30)]
    assert len({e.name for e in enterprises}) == 30
    assert len({e.credit_code for e in enterprises}) == 30
    assert len({a.account for a in accounts}) == 30


def test_scenario_seed_depends_on_run_seed_and_scenario() -> None:
    assert scenario_seed(1, "a") == scenario_seed(1, "a")
    assert scenario_seed(1, "a") != scenario_seed(2, "a")
    assert scenario_seed(1, "a") != scenario_seed(1, "b")


def test_organization_check_character_matches_a_published_example() -> None:
    # 91110000600037341L (python-stdnum's own USCC example) carries the
    # organization code 60003734-1.
    assert organization_check_char("60003734") == "1"


def test_models_refuse_invalid_identifiers() -> None:
    with pytest.raises(ValidationError, match="居民身份证号"):
        LegalPerson(name="张三", id_number="110101199001011230")
    person = TestDataBuilder(1).legal_person()
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        Enterprise(name="某某有限公司", credit_code="91110000600037341X", legal_person=person)
