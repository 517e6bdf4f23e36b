"""The 北京通企服版 app's account rules (方式二 of the guide, A1 and R7): 获取验证码, 注册, 登录.

An account registered in the app lives in the same store as the website's: its username is
its mobile number (website usernames start with a letter, so the two never collide), and
it has a nickname (昵称) and a user type (个人用户 / 企业用户).  It logs in on the website
with that number as 用户名/手机号码, and any account logs in on the app with its 手机号码.

Registration order, so that a refused form costs the user as little as possible:

1. every field's own shape (empty, malformed, too long);
2. only when all of them pass, the SMS code (a wrong guess counts against the code, so a
   form refused for a missing nickname must not get this far);
3. the phone not registered yet (获取验证码 refused a registered phone already; this
   catches one registered in between);
4. the account is stored, and only then the code is used up.

The messages are the pages' exact texts; the password and mobile rules are the website's.

Forms arrive as typed.  The mobile number and the SMS code go through their functions of
``mock_servers.common.identifiers`` first, so the code outbox, the rate limits and the
account are all keyed by the canonical number: "138 1234 5678" and "13812345678" are one
phone.  The public functions take typed values; the private ones, canonical values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from mock_servers.common import identifiers
from mock_servers.common.passwords import PasswordHash
from mock_servers.common.sms import CodeCheck, SentSms, SmsRateLimitedError, SmsService
from mock_servers.platform import accounts
from mock_servers.platform.accounts import FieldErrors, shape_error
from mock_servers.platform.state import PlatformStore, User, UserConflictError, UserType

# The 【…】 signature of the app's text messages.
SMS_SENDER = "北京通企服版"
PURPOSE_REGISTER = "register"

MSG_MOBILE_TAKEN = "该手机号码已注册"
MSG_SMS_CODE_EMPTY = "请输入验证码"
MSG_SMS_CODE_WRONG = "短信验证码错误"
MSG_SMS_CODE_EXPIRED = "短信验证码已过期，请重新获取"
MSG_SMS_CODE_USED = "短信验证码已使用，请重新获取"
# Not in the guide: after five wrong guesses even the right code is refused, and saying only
# "wrong" would leave the user retyping a correct code for ever.
MSG_SMS_CODE_TOO_MANY_ATTEMPTS = "短信验证码错误次数过多，请重新获取"
MSG_NICKNAME_EMPTY = "请输入昵称"
MSG_NICKNAME_TOO_LONG = "昵称不能超过20个字符"
MSG_USER_TYPE = "请选择用户类型"
MSG_LOGIN_FAILED = "手机号码或密码错误"

NICKNAME_MAX_LENGTH = 20
SMS_CODE_PATTERN = re.compile(r"[0-9]{6}")
USER_TYPE_LABELS: dict[UserType, str] = {"personal": "个人用户", "enterprise": "企业用户"}

_CODE_MESSAGES: dict[CodeCheck, str] = {
    CodeCheck.WRONG: MSG_SMS_CODE_WRONG,
    CodeCheck.EXPIRED: MSG_SMS_CODE_EXPIRED,
    CodeCheck.USED: MSG_SMS_CODE_USED,
    CodeCheck.TOO_MANY_ATTEMPTS: MSG_SMS_CODE_TOO_MANY_ATTEMPTS,
}


@dataclass(frozen=True)
class AppRegistration:
    """What the app's 注册 form carries (field names are the form's ``name`` attributes), as typed."""

    mobile: str
    sms_code: str
    password: str
    nickname: str
    user_type: str

    def canonical(self) -> AppRegistration:
        """The same form with its identifiers canonical and the nickname trimmed: what is checked and stored."""
        return replace(
            self,
            mobile=identifiers.mobile(self.mobile),
            sms_code=identifiers.sms_code(self.sms_code),
            nickname=self.nickname.strip(),
        )


@dataclass(frozen=True)
class CodeSent:
    """获取验证码 worked: the message is in the outbox and the countdown starts."""

    sms: SentSms
    resend_after: int


@dataclass(frozen=True)
class CodeRefused:
    """获取验证码 refused; ``field`` is where the page shows ``message``.

    ``reason`` lets the JSON answer and the control interface pick their status codes.
    """

    field: Literal["mobile", "sms_code"]
    message: str
    reason: Literal["invalid", "taken", "rate_limited"]
    resend_after: int


def parse_user_type(value: str | None) -> UserType | None:
    if value == "personal":
        return "personal"
    if value == "enterprise":
        return "enterprise"
    return None


def nickname_error(nickname: str) -> str | None:
    if not nickname:
        return MSG_NICKNAME_EMPTY
    if len(nickname) > NICKNAME_MAX_LENGTH:
        return MSG_NICKNAME_TOO_LONG
    return None


def check_profile(mobile: str, password: str, nickname: str, user_type: str | None) -> FieldErrors:
    """The shape of everything but the SMS code, as typed: one message per field, in the form's order."""
    return _check_profile(identifiers.mobile(mobile), password, nickname.strip(), user_type)


def _check_profile(mobile: str, password: str, nickname: str, user_type: str | None) -> FieldErrors:
    found = {
        "mobile": accounts.mobile_error(mobile),
        "password": shape_error(
            password, accounts.PASSWORD_PATTERN, accounts.MSG_PASSWORD_EMPTY, accounts.MSG_PASSWORD_FORMAT
        ),
        "nickname": nickname_error(nickname),
        "user_type": None if parse_user_type(user_type) else MSG_USER_TYPE,
    }
    return {name: message for name, message in found.items() if message is not None}


def resend_after(sms: SmsService, typed_mobile: str) -> int:
    """Seconds until a typed number may get its next code (the countdown); 0 for a number that cannot get one."""
    mobile = identifiers.mobile(typed_mobile)
    return sms.resend_after(mobile) if accounts.MOBILE_PATTERN.fullmatch(mobile) else 0


def request_registration_code(store: PlatformStore, sms: SmsService, typed_mobile: str) -> CodeSent | CodeRefused:
    """获取验证码 on the 注册 form: only for a well-formed number that has no account yet."""
    mobile = identifiers.mobile(typed_mobile)
    shape = accounts.mobile_error(mobile)
    if shape is not None:
        return CodeRefused("mobile", shape, "invalid", resend_after=0)
    if store.find_user_by_mobile(mobile) is not None:
        # No SMS to a number that cannot register: it would only annoy its owner.
        return CodeRefused("mobile", MSG_MOBILE_TAKEN, "taken", resend_after=sms.resend_after(mobile))
    try:
        sent = sms.send(mobile, PURPOSE_REGISTER)
    except SmsRateLimitedError as limited:
        # Beside the code field: that is where the button the user just pressed sits.
        return CodeRefused("sms_code", limited.message, "rate_limited", resend_after=limited.resend_after)
    return CodeSent(sms=sent, resend_after=sms.resend_after(mobile))


def register(
    store: PlatformStore, sms: SmsService, typed: AppRegistration, now: datetime
) -> tuple[User | None, FieldErrors]:
    """Create the account from the typed form if every rule passes (the module's docstring has the order)."""
    form = typed.canonical()
    errors = _check_profile(form.mobile, form.password, form.nickname, form.user_type)
    code_shape = shape_error(form.sms_code, SMS_CODE_PATTERN, MSG_SMS_CODE_EMPTY, MSG_SMS_CODE_WRONG)
    if code_shape is not None:
        # A code that is not six digits cannot be right: say so now, without counting a guess.
        errors = {**errors, "sms_code": code_shape}
    if errors:
        return None, _in_form_order(errors)
    code_error = _CODE_MESSAGES.get(sms.check(form.mobile, PURPOSE_REGISTER, form.sms_code))
    if code_error is not None:
        return None, {"sms_code": code_error}
    if store.find_user_by_mobile(form.mobile) is not None:
        return None, {"mobile": MSG_MOBILE_TAKEN}
    user, errors = _create_user(store, form.mobile, form.password, form.nickname, form.user_type, now)
    if user is None:
        return None, errors
    # After the account exists: a refused insert leaves the code usable.  Two requests racing
    # with one code cannot both get here, as the store refuses the second account for the number.
    sms.consume(form.mobile, PURPOSE_REGISTER, form.sms_code)
    return user, {}


def create_user(
    store: PlatformStore, mobile: str, password: str, nickname: str, user_type: str | None, now: datetime
) -> tuple[User | None, FieldErrors]:
    """An app-style account from typed values, without the SMS step (the control interface's seeding)."""
    return _create_user(store, identifiers.mobile(mobile), password, nickname.strip(), user_type, now)


def _create_user(
    store: PlatformStore, mobile: str, password: str, nickname: str, user_type: str | None, now: datetime
) -> tuple[User | None, FieldErrors]:
    errors = _check_profile(mobile, password, nickname, user_type)
    parsed_type = parse_user_type(user_type)
    if errors or parsed_type is None:
        return None, errors
    try:
        user = store.add_user(mobile, mobile, PasswordHash.of(password), now, nickname=nickname, user_type=parsed_type)
    except UserConflictError:
        # Either way the number is taken: the username of an app account is its number.
        return None, {"mobile": MSG_MOBILE_TAKEN}
    return user, {}


def log_in(store: PlatformStore, typed_mobile: str, password: str) -> tuple[User | None, FieldErrors]:
    """The app's 登录: field messages for empty or malformed input, then one answer for every failure."""
    errors: FieldErrors = {}
    mobile = identifiers.mobile(typed_mobile)
    mobile_shape = accounts.mobile_error(mobile)
    if mobile_shape is not None:
        errors["mobile"] = mobile_shape
    if not password:
        errors["password"] = accounts.MSG_PASSWORD_EMPTY
    if errors:
        return None, errors
    user = accounts.authenticate_by_mobile(store, mobile, password)
    if user is None:
        return None, {"form": MSG_LOGIN_FAILED}
    return user, {}


_FORM_ORDER = ("mobile", "sms_code", "password", "nickname", "user_type")


def _in_form_order(errors: FieldErrors) -> FieldErrors:
    # The page lists its alerts top to bottom; keeping that order here keeps tests readable.
    return {name: errors[name] for name in _FORM_ORDER if name in errors}
