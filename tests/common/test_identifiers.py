"""One canonical form per identifier (mock_servers.common.identifiers): what a person sees as valid is valid."""

from __future__ import annotations

import pytest
from stdnum.cn import ric, uscc

from fixtures.test_data import TestDataBuilder
from mock_servers.common import identifiers

ZWSP = "\u200b"
BOM = "\ufeff"


def full_width(text: str) -> str:
    """ASCII letters and digits as a Chinese IME in full-width mode types them."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@pytest.fixture
def data() -> TestDataBuilder:
    return TestDataBuilder(20261129)


def test_credit_codes_as_people_type_them(data: TestDataBuilder) -> None:
    code = data.enterprise().credit_code
    organization = code[8:17]
    assert uscc.is_valid(identifiers.credit_code(full_width(code)))
    for typed in (
        full_width(code),
        BOM + code,
        code.lower(),
        f" {code[:6]} {code[6:]} ",
        code[:9] + ZWSP + code[9:],
    ):
        assert identifiers.credit_code(typed) == code, repr(typed)
    for typed in (
        organization[:8] + "－" + organization[8],
        organization[:8] + "-" + organization[8],
        full_width(organization),
    ):
        assert identifiers.credit_code(typed) == organization, repr(typed)


def test_resident_ids_as_people_type_them(data: TestDataBuilder) -> None:
    number = data.legal_person().id_number
    assert ric.is_valid(number)
    for typed in (
        number[:6] + ZWSP + number[6:],
        full_width(number),
        f"{number[:6]} {number[6:14]} {number[14:]}",
        BOM + number,
    ):
        assert identifiers.id_number(typed) == number, repr(typed)
    with_x = number[:-1] + "x"
    assert identifiers.id_number(with_x) == number[:-1] + "X"


def test_mobile_numbers_as_people_type_them() -> None:
    for typed in (
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "0086 13812345678",
        full_width("13812345678"),
    ):
        assert identifiers.mobile(typed) == "13812345678", repr(typed)
    # Not a country code: an 11-digit number starting 86 is left alone (and refused by its rule).
    assert identifiers.mobile("86123456789") == "86123456789"


def test_captcha_sms_code_and_account_name() -> None:
    assert identifiers.captcha(full_width("ac7x")) == "AC7X"
    assert identifiers.captcha(" AC 7X" + ZWSP) == "AC7X"
    assert identifiers.sms_code(full_width("123456")) == "123456"
    assert identifiers.sms_code("123 456") == "123456"
    assert identifiers.account_key(full_width("Yzt_Admin")) == identifiers.account_key("yzt_admin")
    assert identifiers.account_name(BOM + "yzt_admin ") == "yzt_admin"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202a"])
def test_every_invisible_format_character_goes(invisible: str) -> None:
    assert identifiers.clean(f"91{invisible}11") == "9111"


def test_nothing_visible_is_dropped_or_changed() -> None:
    # A wrong character stays wrong: the checks after this must still see it.
    assert identifiers.credit_code("91110108MA01ABCDE#") == "91110108MA01ABCDE#"
    assert identifiers.id_number("11010119900307123?") == "11010119900307123?"
