"""Properties of the identifier rules (Hypothesis): every value the builders make is accepted however a
person types it, and the check characters catch the typing mistakes their standards say they catch.

The rules are the mocks' own: :mod:`mock_servers.common.identifiers` (one canonical form), then the IdP's
:mod:`~mock_servers.idp.validation` and the platform's account and APP registration rules. Valid values
come from the test data builders (``fixtures.test_data``, checked by python-stdnum), so the two sides
check each other.

What the standards promise, and what they do not:

- 统一社会信用代码 (GB 32100): its check character (mod 31 over a 31-character alphabet, no weight a
  multiple of 31) catches every single substitution, and so does the mock.
- 居民身份证号 (GB 11643, ISO 7064 MOD 11-2 over digits): every single substitution is caught.
- 组织机构代码 (GB 11714): its check character is mod 11 over 36 characters whose values run 0-35, so
  a substitution between two characters 11 or 22 apart (``0``/``B``/``M``, ``3``/``E``/``P`` …) in the
  8-character body leaves the sum unchanged mod 11 and goes undetected. That is the standard, not the
  mock: the builders' independent GB 11714 implementation accepts the result too, and wrapped in an
  18-character code with python-stdnum's GB 32100 check character it is a valid 统一社会信用代码 —
  another unit's code. (Inside a 统一社会信用代码 the outer mod-31 check catches the same substitution.)
- Mobile numbers and SMS codes have no check digit: a mistyped digit is another valid-looking number.
  What is caught is a non-digit, a missing digit and an extra one.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Sequence

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import uscc

from fixtures import test_data
from fixtures.test_data import TestDataBuilder
from mock_servers.common import identifiers
from mock_servers.idp import captchas, validation
from mock_servers.platform import accounts
from mock_servers.platform.app_accounts import SMS_CODE_PATTERN

# Invisible format characters (Unicode Cf) that come along when a value is pasted: zero-width space,
# non-joiner and joiner, word joiner, byte-order mark, left-to-right and right-to-left marks, soft hyphen.
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad"
# Around a value: spaces (ASCII, no-break, ideographic), tabs and line breaks.
SURROUNDINGS = st.text(" \u00a0\u3000\t\r\n", max_size=3)
SPACES = " \u3000"
# How people write the hyphen of ``XXXXXXXX-X``: ASCII, full-width, Unicode hyphen, small hyphen-minus.
HYPHENS = "-\uff0d\u2010\u2011\ufe63"
CODE_CHARACTERS = string.digits + string.ascii_uppercase
RESIDENT_ID_CHARACTERS = string.digits + "X"
USCC_CHARACTERS = "".join(char for char in CODE_CHARACTERS if char not in "IOSVZ")

builders = st.integers(min_value=0, max_value=2**32 - 1).map(TestDataBuilder)
sms_codes = st.text(string.digits, min_size=6, max_size=6)  # what mock_servers.common.sms sends
captcha_answers = st.text(captchas.ALPHABET, min_size=captchas.LENGTH, max_size=captchas.LENGTH)


def full_width(char: str) -> str:
    """A printable ASCII character as a Chinese IME in full-width mode types it."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@st.composite
def typed(
    draw: st.DrawFn,
    value: str,
    *,
    case_insensitive: bool,
    boundaries: Sequence[int] = (),
    separators: str = SPACES,
    prefixes: Sequence[str] = ("",),
) -> str:
    """``value`` as a person might type or paste it: any character in full width, letters in lower case
    where the standard is case-insensitive, a separator at some of the standard's group ``boundaries``,
    invisible characters anywhere, spaces around, and one of the ``prefixes`` (a country code)."""
    chars = []
    for char in value:
        if case_insensitive and draw(st.booleans()):
            char = char.lower()
        chars.append(full_width(char) if draw(st.booleans()) else char)
    for boundary in sorted(boundaries, reverse=True):
        if draw(st.booleans()):
            chars.insert(boundary, draw(st.sampled_from(separators)))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        chars.insert(draw(st.integers(min_value=0, max_value=len(chars))), draw(st.sampled_from(INVISIBLES)))
    prefix = draw(st.sampled_from(prefixes))
    return draw(SURROUNDINGS) + prefix + "".join(chars) + draw(SURROUNDINGS)


def substitutions(value: str, alphabet: str) -> Iterator[tuple[int, str, str]]:
    """Every value with one character replaced by another of ``alphabet``: (position, new character, value)."""
    for position, original in enumerate(value):
        for char in alphabet:
            if char != original:
                yield position, char, value[:position] + char + value[position + 1 :]


def organization_code_value(char: str) -> int:
    """GB 11714: digits count as themselves, letters A-Z as 10-35."""
    return int(char, 36)


def is_undetectable_organization_code_substitution(code: str, position: int, char: str) -> bool:
    """A body character replaced by one 11 or 22 apart: GB 11714's mod-11 sum does not change."""
    return (
        position < 8
        and len(char) == 1
        and char in CODE_CHARACTERS
        and (organization_code_value(char) - organization_code_value(code[position])) % 11 == 0
    )


def mobile_errors(number: str) -> list[str | None]:
    """Both mocks' verdicts on a canonical mobile number (一证通's forms, the platform's and the APP's)."""
    return [validation.mobile_error(number), accounts.mobile_error(number)]


def sms_code_error(code: str) -> str | None:
    """The APP registration's rule for a canonical SMS code's shape (before it is compared with the sent one)."""
    return accounts.shape_error(code, SMS_CODE_PATTERN, "empty", "malformed")


# --- every valid value, however it is typed ---------------------------------------------------


@given(builders, st.data())
def test_credit_codes_are_accepted_however_typed(builder: TestDataBuilder, data: st.DataObject) -> None:
    code = builder.enterprise().credit_code
    # 登记管理部门 + 机构类别 | 登记管理机关行政区划码 | 主体标识码 | 校验码
    spelled = data.draw(
        typed(code, case_insensitive=True, boundaries=(2, 8, 17), separators=SPACES + HYPHENS), label="typed"
    )
    assert identifiers.credit_code(spelled) == code
    assert validation.credit_code_error(identifiers.credit_code(spelled)) is None


@given(builders, st.data())
def test_organization_codes_are_accepted_however_typed(builder: TestDataBuilder, data: st.DataObject) -> None:
    code = builder.enterprise().organization_code
    spelled = data.draw(typed(code, case_insensitive=True, boundaries=(8,), separators=HYPHENS + SPACES), label="typed")
    assert identifiers.credit_code(spelled) == code
    assert validation.credit_code_error(identifiers.credit_code(spelled)) is None


@given(builders, st.data())
def test_resident_ids_are_accepted_however_typed(builder: TestDataBuilder, data: st.DataObject) -> None:
    number = builder.legal_person().id_number
    # 地址码 | 出生日期码 | 顺序码 + 校验码; only spaces: a hyphen may belong to another document's number.
    spelled = data.draw(typed(number, case_insensitive=True, boundaries=(6, 14)), label="typed")
    assert identifiers.id_number(spelled) == number
    assert validation.resident_id_error(identifiers.id_number(spelled)) is None


@given(builders, st.sampled_from(["platform_account", "app_account", "yzt_account"]), st.data())
def test_mobile_numbers_are_accepted_however_typed(builder: TestDataBuilder, kind: str, data: st.DataObject) -> None:
    build: Callable[[], test_data.PlatformAccount | test_data.AppAccount | test_data.YztAccount] = getattr(
        builder, kind
    )
    number = build().mobile
    spelled = data.draw(
        typed(
            number,
            case_insensitive=False,
            boundaries=(3, 7),
            separators=SPACES + HYPHENS,
            prefixes=("", "+86", "+86 ", "0086", "86-", "＋８６ "),
        ),
        label="typed",
    )
    assert identifiers.mobile(spelled) == number
    assert mobile_errors(identifiers.mobile(spelled)) == [None, None]


@given(sms_codes, st.data())
def test_sms_codes_are_accepted_however_typed(code: str, data: st.DataObject) -> None:
    spelled = data.draw(typed(code, case_insensitive=False, boundaries=(3,)), label="typed")
    assert identifiers.sms_code(spelled) == code
    assert sms_code_error(identifiers.sms_code(spelled)) is None


@given(captcha_answers, st.data())
def test_captcha_answers_are_accepted_however_typed(answer: str, data: st.DataObject) -> None:
    spelled = data.draw(typed(answer, case_insensitive=True, boundaries=(1, 2, 3)), label="typed")
    assert identifiers.captcha(spelled) == answer


# --- check characters: every single substitution ----------------------------------------------


@given(builders)
def test_every_substitution_in_a_credit_code_is_rejected(builder: TestDataBuilder) -> None:
    code = builder.enterprise().credit_code
    accepted = [
        changed for _, _, changed in substitutions(code, CODE_CHARACTERS) if not validation.credit_code_error(changed)
    ]
    assert accepted == []


@given(builders, st.data())
def test_a_credit_code_whose_organization_code_does_not_add_up_is_rejected(
    builder: TestDataBuilder, data: st.DataObject
) -> None:
    """Characters 9-17 carry their own GB 11714 check character: a code that fixes only its outer
    GB 32100 check character after a substitution there (as python-stdnum would accept) is still wrong."""
    code = builder.enterprise().credit_code
    position = data.draw(st.integers(min_value=8, max_value=16), label="position")
    char = data.draw(
        st.sampled_from(USCC_CHARACTERS).filter(
            lambda c: (
                c != code[position] and not is_undetectable_organization_code_substitution(code[8:17], position - 8, c)
            )
        ),
        label="typed instead",
    )
    body = code[:position] + char + code[position + 1 : 17]
    forged = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(forged)
    assert validation.credit_code_error(forged) is not None


@given(builders)
@example(TestDataBuilder(0))  # 110106… → 610106…: a region python-stdnum knows without a county (was a KeyError)
def test_every_substitution_in_a_resident_id_is_rejected(builder: TestDataBuilder) -> None:
    number = builder.legal_person().id_number
    accepted = [
        changed
        for _, _, changed in substitutions(number, RESIDENT_ID_CHARACTERS)
        if not validation.resident_id_error(changed)
    ]
    assert accepted == []


@given(builders)
def test_every_substitution_in_an_organization_code_is_rejected_but_gb11714s_blind_spot(
    builder: TestDataBuilder,
) -> None:
    code = builder.enterprise().organization_code
    blind_spot = []
    for position, char, changed in substitutions(code, CODE_CHARACTERS):
        if is_undetectable_organization_code_substitution(code, position, char):
            blind_spot.append(changed)
        else:
            assert validation.credit_code_error(changed) is not None, (position, char, changed)
    # Every body character has characters 11 and 22 away (0-9 ↔ B-K ↔ M-V, A-Y ↔ L-Z …).
    assert len(blind_spot) >= 8
    for changed in blind_spot:
        # The standard's property, not the mock's: the builders' own GB 11714 accepts it too, and in a
        # 统一社会信用代码 with python-stdnum's GB 32100 check character it is another valid unit's code
        # (where the changed character is one GB 32100 allows: it leaves out I, O, S, V and Z).
        assert validation.credit_code_error(changed) is None
        assert test_data.is_valid_organization_code(changed)
        body = "91110108" + changed
        if all(char in USCC_CHARACTERS for char in changed):
            assert uscc.is_valid(body + uscc.calc_check_digit(body))
            assert validation.credit_code_error(body + uscc.calc_check_digit(body)) is None


@given(builders, st.data())
def test_any_character_typed_for_one_of_an_identifier_is_rejected(
    builder: TestDataBuilder, data: st.DataObject
) -> None:
    """Not only the standards' alphabets: any character a keyboard or a paste can produce in one's place."""
    enterprise = builder.enterprise()
    cases: list[tuple[str, Callable[[str], str], Callable[[str], str | None]]] = [
        (enterprise.credit_code, identifiers.credit_code, validation.credit_code_error),
        (enterprise.organization_code, identifiers.credit_code, validation.credit_code_error),
        (builder.legal_person().id_number, identifiers.id_number, validation.resident_id_error),
    ]
    value, canonical, error = data.draw(st.sampled_from(cases), label="identifier")
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1), label="position")
    char = data.draw(
        st.characters().filter(
            lambda c: (
                canonical(c) != value[position]  # the same character in another spelling is no change
                and not (
                    len(value) == 9 and is_undetectable_organization_code_substitution(value, position, canonical(c))
                )
            )
        ),
        label="typed instead",
    )
    assert error(canonical(value[:position] + char + value[position + 1 :])) is not None


# --- no check digit: non-digits, missing and extra digits ----------------------------------------

ASCII_NON_DIGITS = "".join(char for char in string.printable if char not in string.digits)
NON_DIGITS = st.characters().filter(lambda c: identifiers.clean(c) not in tuple(string.digits))


@pytest.mark.parametrize(
    ("canonical", "errors"),
    [
        pytest.param(identifiers.mobile, mobile_errors, id="mobile"),
        pytest.param(identifiers.sms_code, lambda code: [sms_code_error(code)], id="SMS code"),
    ],
)
@given(st.data())
def test_a_non_digit_a_missing_or_an_extra_character_is_rejected(
    canonical: Callable[[str], str], errors: Callable[[str], list[str | None]], data: st.DataObject
) -> None:
    if canonical is identifiers.mobile:
        value = data.draw(builders, label="builder").platform_account().mobile
    else:
        value = data.draw(sms_codes, label="code")
    assert errors(value) == [None] * len(errors(value))

    def rejected(typed_value: str) -> bool:
        return None not in errors(canonical(typed_value))

    # Every change of a digit to a printable ASCII non-digit, every deletion, every inserted digit: exhaustively.
    for position, char, changed in substitutions(value, ASCII_NON_DIGITS):
        if canonical(char):  # a space or a hyphen typed instead is a deletion, tested below
            assert rejected(changed), (position, char)
    for position in range(len(value)):
        assert rejected(value[:position] + value[position + 1 :]), position
    for position in range(len(value) + 1):
        for digit in string.digits:
            assert rejected(value[:position] + digit + value[position:]), (position, digit)

    # And any character at all, in place of a digit or added anywhere (unless canonicalising drops it).
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1), label="position")
    char = data.draw(NON_DIGITS, label="non-digit")
    assert rejected(value[:position] + char + value[position + 1 :])
    inserted = data.draw(st.characters().filter(lambda c: canonical(c) != ""), label="inserted")
    at = data.draw(st.integers(min_value=0, max_value=len(value)), label="at")
    assert rejected(value[:at] + inserted + value[at:])
