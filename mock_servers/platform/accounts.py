"""Platform account rules: registration (用户注册), login (用户登录), password storage.

Shared by the website, the app's pages (its own rules are in ``app_accounts``) and the
control interface (a seeded account obeys the same rules as one registered through the
form, so test data cannot be something a person could never create).  The messages are
the pages' exact texts.

Forms arrive as typed.  Each identifier in them goes through its one function of
``mock_servers.common.identifiers`` before anything else looks at it (usernames
:func:`~mock_servers.common.identifiers.account_name`, mobile numbers
:func:`~mock_servers.common.identifiers.mobile`), so "138 1234 5678", "+86 13812345678" and
full-width digits are the number a person sees in them.  The public functions take typed
values; the private ones, canonical values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from mock_servers.common import identifiers
from mock_servers.common.passwords import PasswordHash
from mock_servers.platform.state import PlatformStore, User, UserConflictError, UserType

MSG_USERNAME_EMPTY = "请输入用户名"
MSG_USERNAME_FORMAT = "用户名须为4-20位字母、数字或下划线，以字母开头"
MSG_USERNAME_TAKEN = "该用户名已被注册"
MSG_MOBILE_EMPTY = "请输入手机号码"
# Only digits, but a digit short or one too many: the commonest slip, so it gets its own words.
MSG_MOBILE_LENGTH = "手机号码应为11位"
MSG_MOBILE_FORMAT = "手机号码格式不正确"
MSG_MOBILE_TAKEN = "该手机号码已被注册"
MSG_PASSWORD_EMPTY = "请输入密码"
MSG_PASSWORD_FORMAT = "密码须为6-20位字母和数字的组合"
MSG_PASSWORD_MISMATCH = "两次输入的密码不一致"
MSG_AGREEMENT = "请阅读并同意用户服务协议和隐私协议"
MSG_REGISTERED = "注册成功，请登录"
MSG_LOGIN_ID_EMPTY = "请输入用户名/手机号码"
MSG_LOGIN_FAILED = "用户名或密码错误"

# Explicit ASCII classes: Python's \d and \w also match full-width and other Unicode digits/letters.
USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,19}")
MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
MOBILE_LENGTH = 11
_DIGITS = re.compile(r"[0-9]+")
PASSWORD_PATTERN = re.compile(r"(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9]{6,20}")

# A mock needs salted hashes (no plain passwords in memory dumps or logs), not a slow KDF:
# a low iteration count keeps registration and login fast in the test suite.

FieldErrors = dict[str, str]


@dataclass(frozen=True)
class Registration:
    """What the 用户注册 form carries (field names are the form's ``name`` attributes), as typed."""

    username: str
    mobile: str
    password: str
    password_confirm: str
    agreed: bool

    def canonical(self) -> Registration:
        """The same form with its identifiers in canonical form: what is checked and stored."""
        return replace(self, username=identifiers.account_name(self.username), mobile=identifiers.mobile(self.mobile))


def shape_error(value: str, pattern: re.Pattern[str], empty: str, malformed: str) -> str | None:
    """The message for an empty or malformed value; None when it is well formed."""
    if not value:
        return empty
    if not pattern.fullmatch(value):
        return malformed
    return None


def mobile_error(number: str) -> str | None:
    """What is wrong with a canonical mobile number (:func:`identifiers.mobile`); None when it is valid.

    Empty: 请输入手机号码.  Only digits but not eleven of them: 手机号码应为11位.  Anything else
    that is not a mainland mobile number (a letter left in it, a prefix no number has): 手机号码格式不正确.
    """
    if not number:
        return MSG_MOBILE_EMPTY
    if MOBILE_PATTERN.fullmatch(number):
        return None
    if _DIGITS.fullmatch(number) and len(number) != MOBILE_LENGTH:
        return MSG_MOBILE_LENGTH
    return MSG_MOBILE_FORMAT


def check_registration(store: PlatformStore, form: Registration) -> FieldErrors:
    """One message per field of the typed form, first failing rule wins; empty when the form is acceptable."""
    return _check_registration(store, form.canonical())


def _check_registration(store: PlatformStore, form: Registration) -> FieldErrors:
    # A field's shape is checked first; only a well-formed value is looked up (taken?) or compared.
    username = shape_error(form.username, USERNAME_PATTERN, MSG_USERNAME_EMPTY, MSG_USERNAME_FORMAT)
    if username is None and store.get_user(form.username) is not None:
        username = MSG_USERNAME_TAKEN
    mobile = mobile_error(form.mobile)
    if mobile is None and store.find_user_by_mobile(form.mobile) is not None:
        mobile = MSG_MOBILE_TAKEN
    password = shape_error(form.password, PASSWORD_PATTERN, MSG_PASSWORD_EMPTY, MSG_PASSWORD_FORMAT)
    mismatch = password is None and form.password_confirm != form.password
    found = {
        "username": username,
        "mobile": mobile,
        "password": password,
        "password_confirm": MSG_PASSWORD_MISMATCH if mismatch else None,
        "agree": None if form.agreed else MSG_AGREEMENT,
    }
    return {name: message for name, message in found.items() if message is not None}


def register(
    store: PlatformStore,
    form: Registration,
    now: datetime,
    *,
    nickname: str | None = None,
    user_type: UserType | None = None,
) -> tuple[User | None, FieldErrors]:
    """Create the account from the typed form if every rule passes; otherwise store nothing and say why.

    The website's form asks for neither ``nickname`` nor ``user_type``; the control interface
    may seed a website account with them (one that later set a nickname in the app).
    """
    canonical = form.canonical()
    errors = _check_registration(store, canonical)
    if errors:
        return None, errors
    try:
        user = store.add_user(
            canonical.username,
            canonical.mobile,
            PasswordHash.of(canonical.password),
            now,
            nickname=nickname,
            user_type=user_type,
        )
    except UserConflictError as conflict:
        # Someone took the name or number between the check and the insert (two tabs, two threads).
        if conflict.field_name == "username":
            return None, {"username": MSG_USERNAME_TAKEN}
        return None, {"mobile": MSG_MOBILE_TAKEN}
    return user, {}


# Checked against when the account is unknown, so that the answer takes as long as a real check.
_TIMING_EQUALISER = PasswordHash.of("timing-equaliser")


def log_in(store: PlatformStore, login_id: str, password: str) -> tuple[User | None, FieldErrors]:
    """The website's 用户登录, as typed: messages for empty fields, then one answer for every failure."""
    errors: FieldErrors = {}
    if not identifiers.account_name(login_id):
        errors["login_id"] = MSG_LOGIN_ID_EMPTY
    if not password:
        errors["password"] = MSG_PASSWORD_EMPTY
    if errors:
        return None, errors
    user = authenticate(store, login_id, password)
    if user is None:
        return None, {"form": MSG_LOGIN_FAILED}
    return user, {}


def authenticate(store: PlatformStore, login_id: str, password: str) -> User | None:
    """The account for a typed 用户名/手机号码 + 密码, or None (one answer for unknown account and wrong password).

    The field takes either identifier, so the typed value is read as each in turn, each by
    its own function: a username (the store compares :func:`identifiers.account_key`), else
    a mobile number (:func:`identifiers.mobile`).  Usernames start with a letter, so no
    username is also a number.
    """
    user = store.get_user(login_id)
    number = identifiers.mobile(login_id)
    if user is None and MOBILE_PATTERN.fullmatch(number):
        user = store.find_user_by_mobile(number)
    return _password_checked(user, password)


def authenticate_by_mobile(store: PlatformStore, mobile: str, password: str) -> User | None:
    """The account for a canonical 手机号码 + 密码 (the app's login), or None, one answer for both failures."""
    user = store.find_user_by_mobile(mobile) if MOBILE_PATTERN.fullmatch(mobile) else None
    return _password_checked(user, password)


def _password_checked(user: User | None, password: str) -> User | None:
    """``user`` if ``password`` is theirs; an unknown account costs a hash check too (same answer, same time)."""
    if user is None:
        _TIMING_EQUALISER.matches(password)
        return None
    return user if user.password_hash.matches(password) else None


def mask_mobile(mobile: str) -> str:
    """138****1234, as the 基本信息 card shows it."""
    if len(mobile) < 7:
        return mobile
    return f"{mobile[:3]}****{mobile[-4:]}"
