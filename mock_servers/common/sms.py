"""SMS verification codes (短信验证码): sending with rate limits, checking, and the outbox tests read.

Shared by the mocks (the platform's app registration now; the IdP's password recovery
later), so nothing here knows about either: a code belongs to a (phone, purpose) pair,
and each caller names its own purposes and sender (the 【…】 signature of the text).

The rules, all by the mock's :class:`~mock_servers.common.clock.MockClock`:

- a code is six digits from :mod:`secrets`, valid for :data:`CODE_TTL`, good for one use;
- only the newest code of a (phone, purpose) counts: sending again retires the older one;
- :data:`MAX_WRONG_ATTEMPTS` wrong guesses retire a code (six digits are guessable otherwise);
- per phone, whatever the purpose: one code a minute, five in any hour, ten per Beijing
  calendar day.

Nothing is ever really sent: the outbox keeps every message, newest first, for the
control interface.  One lock guards everything, as the servers answer from several threads.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from mock_servers.common.clock import BEIJING, MockClock

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
MAX_WRONG_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(minutes=1)
HOURLY_LIMIT = 5
DAILY_LIMIT = 10
# Older messages than this are dropped from the outbox: a long exploratory session must not
# grow without end, and no test reads that far back.
OUTBOX_LIMIT = 1000

TEXT_TEMPLATE = "【{sender}】您的验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"

MSG_TOO_FREQUENT = "验证码发送过于频繁，请{seconds}秒后再试"
MSG_HOURLY_LIMIT = "该手机号码获取验证码次数过多，请1小时后再试"
MSG_DAILY_LIMIT = "该手机号码今日获取验证码次数已达上限，请明天再试"


@dataclass(frozen=True)
class SentSms:
    """One message in the outbox."""

    mobile: str
    purpose: str
    text: str
    code: str
    sent_at: datetime


class CodeCheck(Enum):
    """What a typed code is worth against the newest code of its phone and purpose."""

    VALID = "valid"
    # No code was sent, or the typed one is not the newest code.
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    # Retired after too many wrong guesses: even the right code is refused now.
    TOO_MANY_ATTEMPTS = "too_many_attempts"


class SmsRateLimitedError(Exception):
    """The phone may not get another code yet; ``message`` is what the page shows."""

    def __init__(self, message: str, *, resend_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.resend_after = resend_after


@dataclass(frozen=True)
class _IssuedCode:
    code: str
    issued_at: datetime
    wrong_attempts: int = 0
    used: bool = False


class SmsService:
    """Codes, rate limits and the outbox of one mock instance."""

    def __init__(self, clock: MockClock, *, sender: str) -> None:
        self._clock = clock
        self._sender = sender
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str], _IssuedCode] = {}
        # Newest first, as the outbox is read.
        self._outbox: deque[SentSms] = deque(maxlen=OUTBOX_LIMIT)
        # Send times per phone, oldest first; only the last day's are kept.
        self._sends: dict[str, list[datetime]] = {}

    def reset(self) -> None:
        with self._lock:
            self._codes.clear()
            self._outbox.clear()
            self._sends.clear()

    # --- sending ---------------------------------------------------------------------------

    def send(self, mobile: str, purpose: str) -> SentSms:
        """Issue a new code (retiring the previous one) and "send" it; :class:`SmsRateLimitedError` if refused."""
        with self._lock:
            now = self._clock.now()
            sends = self._recent_sends(mobile, now)
            self._check_limits(sends, now)
            key = (mobile, purpose)
            previous = self._codes.get(key)
            code = _new_code(avoid=previous.code if previous else None)
            self._codes[key] = _IssuedCode(code=code, issued_at=now)
            sends.append(now)
            message = SentSms(
                mobile=mobile,
                purpose=purpose,
                text=TEXT_TEMPLATE.format(sender=self._sender, code=code, minutes=_minutes(CODE_TTL)),
                code=code,
                sent_at=now,
            )
            self._outbox.appendleft(message)
            return message

    def resend_after(self, mobile: str) -> int:
        """Whole seconds until the phone may get its next code (0: now); the 60 s countdown's source of truth."""
        with self._lock:
            now = self._clock.now()
            return _cooldown_left(self._recent_sends(mobile, now), now)

    def _check_limits(self, sends: list[datetime], now: datetime) -> None:
        # The longest limit first: telling someone to wait 40 seconds when the next try will
        # be refused for the day would only send them round in circles.
        cooldown = _cooldown_left(sends, now)
        today = now.astimezone(BEIJING).date()
        if sum(1 for sent in sends if sent.astimezone(BEIJING).date() == today) >= DAILY_LIMIT:
            raise SmsRateLimitedError(MSG_DAILY_LIMIT, resend_after=cooldown)
        if sum(1 for sent in sends if now - sent < timedelta(hours=1)) >= HOURLY_LIMIT:
            raise SmsRateLimitedError(MSG_HOURLY_LIMIT, resend_after=cooldown)
        if cooldown:
            raise SmsRateLimitedError(MSG_TOO_FREQUENT.format(seconds=cooldown), resend_after=cooldown)

    def _recent_sends(self, mobile: str, now: datetime) -> list[datetime]:
        """The phone's send times that can still count against a limit (caller holds the lock)."""
        sends = self._sends.setdefault(mobile, [])
        # A calendar day is at most 24 h long, so anything older can no longer count.
        sends[:] = [sent for sent in sends if now - sent < timedelta(days=1)]
        return sends

    # --- checking --------------------------------------------------------------------------

    def check(self, mobile: str, purpose: str, code: str) -> CodeCheck:
        """What ``code`` is worth now, without using it up; a wrong guess counts against the code."""
        with self._lock:
            return self._check(mobile, purpose, code)

    def consume(self, mobile: str, purpose: str, code: str) -> CodeCheck:
        """Check ``code`` and, if it is valid, use it up (in one step, so that two requests cannot both use it)."""
        with self._lock:
            result = self._check(mobile, purpose, code)
            if result is CodeCheck.VALID:
                key = (mobile, purpose)
                self._codes[key] = replace(self._codes[key], used=True)
            return result

    def _check(self, mobile: str, purpose: str, code: str) -> CodeCheck:
        key = (mobile, purpose)
        issued = self._codes.get(key)
        if issued is None:
            return CodeCheck.WRONG
        if issued.wrong_attempts >= MAX_WRONG_ATTEMPTS:
            return CodeCheck.TOO_MANY_ATTEMPTS
        matches = secrets.compare_digest(issued.code.encode(), code.encode())
        if issued.used:
            # A used code is only "used" to whoever knows it; to anyone else it is just wrong.
            return CodeCheck.USED if matches else CodeCheck.WRONG
        if self._clock.now() - issued.issued_at >= CODE_TTL:
            # Whatever was typed, the way out is the same: get a new code.
            return CodeCheck.EXPIRED
        if not matches:
            self._codes[key] = replace(issued, wrong_attempts=issued.wrong_attempts + 1)
            return CodeCheck.WRONG
        return CodeCheck.VALID

    # --- outbox ----------------------------------------------------------------------------

    def outbox(self, mobile: str | None = None) -> list[SentSms]:
        """Messages sent, newest first; only ``mobile``'s when given."""
        with self._lock:
            return [sms for sms in self._outbox if mobile is None or sms.mobile == mobile]


def _new_code(avoid: str | None) -> str:
    # A new code never repeats the one it replaces, so "the old code no longer works" is
    # always observable (one time in a million it would otherwise look like it still does).
    while True:
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        if code != avoid:
            return code


def _cooldown_left(sends: list[datetime], now: datetime) -> int:
    if not sends:
        return 0
    left = (sends[-1] + RESEND_INTERVAL - now).total_seconds()
    # Rounded up: "请1秒后再试" with half a second left is right; "请0秒后再试" never is.
    return max(0, math.ceil(left))


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
