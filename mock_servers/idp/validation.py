"""Field rules of the IdP's forms: enterprise codes, identity numbers, account names, passwords, mobiles.

Each ``*_error`` function returns the message to show for a raw form value, or
``None`` when the value is acceptable; the ``normalize_*`` functions give the
form in which a value is stored and compared.  The check-character algorithms
come from ``python-stdnum`` where it has them (USCC: GB 32100, resident ID:
GB 11643); the 9-character organization code (GB 11714) has no stdnum module,
so it is the one small algorithm written here.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Final, Literal

from stdnum.cn import ric, uscc

from mock_servers.idp import messages

IdType = Literal["resident_id", "passport"]
ID_TYPES: Final[tuple[IdType, ...]] = ("resident_id", "passport")

DOCUMENT_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png", ".pdf"})
DOCUMENT_MAX_BYTES: Final = 5 * 1024 * 1024

# ``re.ASCII`` everywhere: ``\d`` would otherwise accept full-width and other
# Unicode digits, which the real site's validation does not.
_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_]{4,20}", re.ASCII)
_PASSWORD_CHARS = re.compile(r"[\x21-\x7e]{8,20}", re.ASCII)
_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_PASSPORT_NUMBER = re.compile(r"[A-Za-z0-9]{5,20}", re.ASCII)
_ORG_CODE_BODY = re.compile(r"[0-9A-Z]{8}", re.ASCII)

# GB 11714-1997: weights of the eight body characters of an organization code.
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_code(raw: str) -> str:
    """A credit code as stored: no spaces or hyphens, upper case.

    People often type an organization code as ``XXXXXXXX-X``; it is the same code.
    """
    return re.sub(r"[\s-]", "", raw).upper()


def unit_key(code: str) -> str:
    """Which unit (单位) a normalized credit code names: its 9-character organization code.

    A 统一社会信用代码 carries the unit's 组织机构代码 in characters 9–17, so the
    18-character and the 9-character form of the same unit must compare equal
    (otherwise R4 could be sidestepped by registering with the other form).
    """
    return code[8:17] if len(code) == 18 else code


def normalize_id_number(raw: str) -> str:
    """An identity document number as stored: no spaces, upper case (a resident ID's final ``x`` is ``X``).

    Hyphens are kept: in a passport number they are not part of the format.
    """
    return re.sub(r"\s", "", raw).upper()


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
        len(code) == 9
        and bool(_ORG_CODE_BODY.fullmatch(code[:8]))
        and organization_code_check_char(code[:8]) == code[8]
    )


def is_valid_credit_code(code: str) -> bool:
    """An 18-character unified social credit code or a 9-character organization code."""
    code = normalize_code(code)
    if len(code) == 18:
        return bool(uscc.is_valid(code))
    if len(code) == 9:
        return is_valid_organization_code(code)
    return False


def is_valid_legal_person_id(id_type: IdType, number: str) -> bool:
    """A resident ID with a right check digit and a real birth date and place, or a passport-like number."""
    number = normalize_id_number(number)
    if id_type == "resident_id":
        return bool(ric.is_valid(number))
    return bool(_PASSPORT_NUMBER.fullmatch(number))


def enterprise_name_error(raw: str) -> str | None:
    return messages.ENTERPRISE_NAME_REQUIRED if not raw.strip() else None


def credit_code_error(raw: str) -> str | None:
    if not raw.strip():
        return messages.CREDIT_CODE_REQUIRED
    return None if is_valid_credit_code(raw) else messages.CREDIT_CODE_INVALID


def legal_person_name_error(raw: str) -> str | None:
    return messages.LEGAL_PERSON_NAME_REQUIRED if not raw.strip() else None


def legal_person_id_error(id_type: IdType, raw: str) -> str | None:
    if not raw.strip():
        return messages.LEGAL_PERSON_ID_REQUIRED
    if is_valid_legal_person_id(id_type, raw):
        return None
    return messages.RESIDENT_ID_INVALID if id_type == "resident_id" else messages.PASSPORT_NUMBER_INVALID


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


def account_name_error(raw: str) -> str | None:
    """Format only; whether the name is taken is the store's answer."""
    if not raw:
        return messages.ACCOUNT_NAME_REQUIRED
    return None if _ACCOUNT_NAME.fullmatch(raw) else messages.ACCOUNT_NAME_INVALID


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
    """Messages for the password field and for its confirmation field."""
    if not password:
        return required_message, None
    if not is_valid_password(password):
        return messages.PASSWORD_INVALID, None
    if confirmation != password:
        return None, messages.PASSWORDS_DIFFER
    return None, None


def mobile_error(raw: str) -> str | None:
    if not raw:
        return messages.MOBILE_REQUIRED
    return None if _MOBILE.fullmatch(raw) else messages.MOBILE_INVALID
