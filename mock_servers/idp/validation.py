"""Field rules of the IdP's forms: enterprise codes, identity numbers, account names, passwords, mobiles.

Every ``*_error`` function takes a value in its canonical form — what
:mod:`mock_servers.common.identifiers` made of the raw input (the routes and the
control interface's seeds call it first, once per value) — and returns the message
to show, or ``None`` when the value is acceptable.  The messages say what is wrong
(too short, a wrong check character …), never a bare "格式不正确" where more can be said.

The check-character algorithms come from ``python-stdnum`` where it has them (USCC:
GB 32100, resident ID: GB 11643); the 9-character organization code (GB 11714) has no
stdnum module, so it is the one small algorithm written here.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Final, Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from mock_servers.idp import messages

IdType = Literal["resident_id", "passport"]
ID_TYPES: Final[tuple[IdType, ...]] = ("resident_id", "passport")

DOCUMENT_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png", ".pdf"})
DOCUMENT_MAX_BYTES: Final = 5 * 1024 * 1024

USCC_LENGTH: Final = 18
ORGANIZATION_CODE_LENGTH: Final = 9
RESIDENT_ID_LENGTH: Final = 18
MOBILE_LENGTH: Final = 11

# ``re.ASCII`` everywhere: ``\d`` would otherwise accept Unicode digits that NFKC does not
# fold (Arabic-Indic, Devanagari …), which no Chinese form accepts either.
_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_]{4,20}", re.ASCII)
_PASSWORD_CHARS = re.compile(r"[\x21-\x7e]{8,20}", re.ASCII)
_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_PASSPORT_NUMBER = re.compile(r"[A-Za-z0-9]{5,20}", re.ASCII)
_CODE_CHARS = re.compile(r"[0-9A-Z]+", re.ASCII)
_ORG_CODE_BODY = re.compile(r"[0-9A-Z]{8}", re.ASCII)
_RESIDENT_ID_CHARS = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)

# GB 11714-1997: weights of the eight body characters of an organization code.
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def unit_key(code: str) -> str:
    """Which unit (单位) a canonical credit code names: its 9-character organization code.

    A 统一社会信用代码 carries the unit's 组织机构代码 in characters 9–17, so the
    18-character and the 9-character form of the same unit must compare equal
    (otherwise R4 could be sidestepped by registering with the other form).
    """
    return code[8:17] if len(code) == USCC_LENGTH else code


def organization_code_check_char(body: str) -> str:
    """The GB 11714 check character for the 8-character body of an organization code."""
    if not _ORG_CODE_BODY.fullmatch(body):
        raise ValueError(f"an organization code body is 8 digits or capital letters, got {body!r}")
    # Digits count as themselves, letters A..Z as 10..35.
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def is_valid_organization_code(code: str) -> bool:
    """True for a 9-character organization code whose check character is right."""
    return (
        len(code) == ORGANIZATION_CODE_LENGTH
        and bool(_ORG_CODE_BODY.fullmatch(code[:8]))
        and organization_code_check_char(code[:8]) == code[8]
    )


def enterprise_name_error(raw: str) -> str | None:
    return messages.ENTERPRISE_NAME_REQUIRED if not raw.strip() else None


def credit_code_error(code: str) -> str | None:
    """A canonical 统一社会信用代码 (18) or 组织机构代码 (9): what is wrong with it, if anything."""
    if not code:
        return messages.CREDIT_CODE_REQUIRED
    if not _CODE_CHARS.fullmatch(code):
        return messages.CREDIT_CODE_CHARACTERS
    if len(code) == USCC_LENGTH:
        try:
            uscc.validate(code)
        except ValidationError:
            # Length and characters are right by now: stdnum objects to the check character
            # (InvalidChecksum) or to a character the standard leaves out in its place
            # (InvalidFormat: a letter among the 8 leading digits, or I/O/Z/S/V).  Either way
            # the 18 characters do not add up, which is what the check-character message says.
            return messages.USCC_CHECK_CHARACTER
        # Characters 9-17 are the unit's organization code, with its own GB 11714 check
        # character: a real USCC always carries a valid one.
        if not is_valid_organization_code(code[8:17]):
            return messages.USCC_CHECK_CHARACTER
        return None
    if len(code) == ORGANIZATION_CODE_LENGTH:
        return None if is_valid_organization_code(code) else messages.ORGANIZATION_CODE_CHECK_CHARACTER
    return messages.CREDIT_CODE_LENGTH


def legal_person_name_error(raw: str) -> str | None:
    return messages.LEGAL_PERSON_NAME_REQUIRED if not raw.strip() else None


def resident_id_error(number: str) -> str | None:
    """A canonical 居民身份证号 (GB 11643): what is wrong with it, if anything, in the order a person fixes it."""
    if not number:
        return messages.LEGAL_PERSON_ID_REQUIRED
    if len(number) != RESIDENT_ID_LENGTH:
        return messages.RESIDENT_ID_LENGTH
    if not _RESIDENT_ID_CHARS.fullmatch(number):
        return messages.RESIDENT_ID_CHARACTERS
    # The birth date and the region before the check digit: a mistyped date usually breaks
    # the check digit too, and "the date is impossible" is what tells the person where to look.
    # python-stdnum 2.2 raises KeyError instead of InvalidComponent for a region code it knows only as a
    # province or a prefecture (610106…, one mistyped digit away from 110106…): no county, so no valid place.
    try:
        ric.get_birth_place(number)  # reads the birth date as well
    except (InvalidComponent, KeyError):
        return messages.RESIDENT_ID_COMPONENT
    try:
        ric.validate(number)
    except (InvalidComponent, KeyError):
        return messages.RESIDENT_ID_COMPONENT
    except InvalidChecksum:
        return messages.RESIDENT_ID_CHECK_DIGIT
    return None


def legal_person_id_error(id_type: IdType, number: str) -> str | None:
    """A canonical 法人代表身份证号 of the chosen document type."""
    if id_type == "resident_id":
        return resident_id_error(number)
    if not number:
        return messages.LEGAL_PERSON_ID_REQUIRED
    return None if _PASSPORT_NUMBER.fullmatch(number) else messages.PASSPORT_NUMBER_INVALID


def document_error(filename: str | None, size: int) -> str | None:
    """The scan of a passport or other document (rule R2): present, jpg/png/pdf, at most 5 MB.

    The browser sends an empty part with an empty file name when nothing was
    chosen, so an empty file counts as missing.
    """
    if not filename or size == 0:
        return messages.DOCUMENT_REQUIRED
    if PurePath(filename).suffix.lower() not in DOCUMENT_SUFFIXES:
        return messages.DOCUMENT_TYPE_INVALID
    if size > DOCUMENT_MAX_BYTES:
        return messages.DOCUMENT_TOO_LARGE
    return None


def account_name_error(name: str) -> str | None:
    """A canonical account name, format only; whether the name is taken is the store's answer."""
    if not name:
        return messages.ACCOUNT_NAME_REQUIRED
    return None if _ACCOUNT_NAME.fullmatch(name) else messages.ACCOUNT_NAME_INVALID


def is_valid_password(password: str) -> bool:
    """8-20 printable ASCII characters with at least one letter and one digit."""
    return (
        bool(_PASSWORD_CHARS.fullmatch(password))
        and any(char.isascii() and char.isalpha() for char in password)
        and any(char.isascii() and char.isdigit() for char in password)
    )


def new_password_errors(
    password: str, confirmation: str, *, required_message: str = messages.PASSWORD_REQUIRED
) -> tuple[str | None, str | None]:
    """Messages for the password field and for its confirmation field.

    Passwords are taken exactly as typed: they are secrets, not identifiers, and
    "folding" one would let a different string log in.
    """
    if not password:
        return required_message, None
    if not is_valid_password(password):
        return messages.PASSWORD_INVALID, None
    if confirmation != password:
        return None, messages.PASSWORDS_DIFFER
    return None, None


def mobile_error(number: str) -> str | None:
    """A canonical mainland mobile number: 11 digits, 13x-19x."""
    if not number:
        return messages.MOBILE_REQUIRED
    if _DIGITS.fullmatch(number) and len(number) != MOBILE_LENGTH:
        # Only digits, just not 11 of them: the count is what to fix.
        return messages.MOBILE_LENGTH
    return None if _MOBILE.fullmatch(number) else messages.MOBILE_INVALID


def mask_mobile(number: str) -> str:
    """A mobile number as a page may show it to someone not yet signed in: 138****5678."""
    if len(number) == MOBILE_LENGTH:
        return f"{number[:3]}****{number[-4:]}"
    # Not expected (every account's mobile passed mobile_error), but never show it whole.
    return "*" * max(len(number) - 2, 0) + number[-2:]
