"""SMS verification codes (``mock_servers.common.sms``): codes, expiry, single use, limits, outbox.

Time is the mock's clock, moved by the tests: nothing here sleeps.  The clock keeps running
with real time between two lines, by milliseconds, so the boundaries below are checked
from the side that drift cannot cross (a code checked 299 s after it was sent is still
valid a few milliseconds later; one checked at 300 s is expired a few milliseconds later).
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta

import pytest

from mock_servers.common.clock import BEIJING, MockClock
from mock_servers.common.sms import CodeCheck, SmsRateLimitedError, SmsService

PHONE = "13912345678"
OTHER_PHONE = "13700001111"
REGISTER = "register"
RECOVER = "reset_password"
# A Friday morning in Beijing: far from midnight, so a test's few minutes stay on one day.
MORNING = datetime(2026, 11, 27, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def clock() -> MockClock:
    clock = MockClock()
    clock.set(MORNING)
    return clock


@pytest.fixture
def sms(clock: MockClock) -> SmsService:
    return SmsService(clock, sender="北京通企服版")


def wrong(code: str) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- the message ------------------------------------------------------------------------------


def test_a_code_is_six_digits_and_the_text_names_the_sender(sms: SmsService) -> None:
    sent = sms.send(PHONE, REGISTER)
    assert re.fullmatch(r"[0-9]{6}", sent.code)
    assert sent.text == f"【北京通企服版】您的验证码为{sent.code}，5分钟内有效。如非本人操作，请忽略本短信。"
    assert sent.mobile == PHONE
    assert sent.purpose == REGISTER
    assert abs(sent.sent_at - MORNING) < timedelta(seconds=5)


def test_the_sender_is_the_callers(clock: MockClock) -> None:
    sent = SmsService(clock, sender="北京市统一身份认证平台").send(PHONE, RECOVER)
    assert sent.text.startswith("【北京市统一身份认证平台】您的验证码为")


def test_codes_differ(sms: SmsService, clock: MockClock) -> None:
    codes = set()
    for phone in range(20):
        codes.add(sms.send(f"1390000{phone:04d}", REGISTER).code)
    # Twenty draws from a million collide with a probability of about 0.02 %.
    assert len(codes) == 20


def test_outbox_is_newest_first_and_per_phone(sms: SmsService, clock: MockClock) -> None:
    first = sms.send(PHONE, REGISTER)
    other = sms.send(OTHER_PHONE, REGISTER)
    clock.advance(timedelta(minutes=1))
    second = sms.send(PHONE, REGISTER)
    assert sms.outbox() == [second, other, first]
    assert sms.outbox(PHONE) == [second, first]
    assert sms.outbox(OTHER_PHONE) == [other]
    assert sms.outbox("13600000000") == []


def test_reset_forgets_codes_limits_and_outbox(sms: SmsService) -> None:
    sent = sms.send(PHONE, REGISTER)
    sms.reset()
    assert sms.outbox() == []
    assert sms.resend_after(PHONE) == 0
    assert sms.check(PHONE, REGISTER, sent.code) is CodeCheck.WRONG
    sms.send(PHONE, REGISTER)  # no cooldown left over


# --- checking a code ----------------------------------------------------------------------------


def test_check_does_not_use_the_code_and_consume_does(sms: SmsService) -> None:
    code = sms.send(PHONE, REGISTER).code
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID
    assert sms.consume(PHONE, REGISTER, code) is CodeCheck.VALID
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.USED
    assert sms.consume(PHONE, REGISTER, code) is CodeCheck.USED
    # A used code is "used" only to whoever typed it; any other guess is just wrong.
    assert sms.check(PHONE, REGISTER, wrong(code)) is CodeCheck.WRONG


def test_no_code_sent_means_wrong(sms: SmsService) -> None:
    assert sms.check(PHONE, REGISTER, "123456") is CodeCheck.WRONG


def test_a_code_belongs_to_its_phone_and_purpose(sms: SmsService, clock: MockClock) -> None:
    code = sms.send(PHONE, REGISTER).code
    assert sms.check(OTHER_PHONE, REGISTER, code) is CodeCheck.WRONG
    assert sms.check(PHONE, RECOVER, code) is CodeCheck.WRONG
    clock.advance(timedelta(minutes=1))
    recovery = sms.send(PHONE, RECOVER).code
    # A code for another purpose does not retire this one.
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID
    assert sms.check(PHONE, RECOVER, recovery) is CodeCheck.VALID


def test_a_code_expires_after_five_minutes(sms: SmsService, clock: MockClock) -> None:
    code = sms.send(PHONE, REGISTER).code
    clock.advance(timedelta(minutes=4, seconds=59))
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID
    clock.advance(timedelta(seconds=1))
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.EXPIRED
    assert sms.consume(PHONE, REGISTER, code) is CodeCheck.EXPIRED
    # Whatever is typed: the way out is a new code.
    assert sms.check(PHONE, REGISTER, wrong(code)) is CodeCheck.EXPIRED


def test_only_the_newest_code_counts(sms: SmsService, clock: MockClock) -> None:
    old = sms.send(PHONE, REGISTER).code
    clock.advance(timedelta(minutes=1))
    new = sms.send(PHONE, REGISTER).code
    assert new != old
    assert sms.check(PHONE, REGISTER, old) is CodeCheck.WRONG
    assert sms.check(PHONE, REGISTER, new) is CodeCheck.VALID


def test_five_wrong_guesses_retire_a_code(sms: SmsService, clock: MockClock) -> None:
    code = sms.send(PHONE, REGISTER).code
    for _ in range(4):
        assert sms.check(PHONE, REGISTER, wrong(code)) is CodeCheck.WRONG
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID  # four are forgiven
    assert sms.consume(PHONE, REGISTER, wrong(code)) is CodeCheck.WRONG  # the fifth
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.TOO_MANY_ATTEMPTS
    assert sms.consume(PHONE, REGISTER, code) is CodeCheck.TOO_MANY_ATTEMPTS
    # A new code starts afresh.
    clock.advance(timedelta(minutes=1))
    fresh = sms.send(PHONE, REGISTER).code
    assert sms.check(PHONE, REGISTER, fresh) is CodeCheck.VALID


def test_guessing_with_an_old_code_counts_against_the_new_one(sms: SmsService, clock: MockClock) -> None:
    old = sms.send(PHONE, REGISTER).code
    clock.advance(timedelta(minutes=1))
    new = sms.send(PHONE, REGISTER).code
    for _ in range(5):
        sms.check(PHONE, REGISTER, old if old != new else wrong(new))
    assert sms.check(PHONE, REGISTER, new) is CodeCheck.TOO_MANY_ATTEMPTS


# --- rate limits ------------------------------------------------------------------------------


def test_one_code_a_minute_per_phone(sms: SmsService, clock: MockClock) -> None:
    sms.send(PHONE, REGISTER)
    assert sms.resend_after(PHONE) == 60
    with pytest.raises(SmsRateLimitedError) as refused:
        sms.send(PHONE, REGISTER)
    assert refused.value.message == "验证码发送过于频繁，请60秒后再试"
    assert refused.value.resend_after == 60
    clock.advance(timedelta(seconds=59))
    assert sms.resend_after(PHONE) == 1
    with pytest.raises(SmsRateLimitedError, match="请1秒后再试"):
        sms.send(PHONE, RECOVER)  # the limit is the phone's, whatever the purpose
    clock.advance(timedelta(seconds=1))
    assert sms.resend_after(PHONE) == 0
    sms.send(PHONE, REGISTER)
    # Another phone is not held up by this one.
    assert sms.resend_after(OTHER_PHONE) == 0
    sms.send(OTHER_PHONE, REGISTER)


def test_a_refused_send_changes_nothing(sms: SmsService, clock: MockClock) -> None:
    code = sms.send(PHONE, REGISTER).code
    clock.advance(timedelta(seconds=30))
    with pytest.raises(SmsRateLimitedError):
        sms.send(PHONE, REGISTER)
    assert len(sms.outbox(PHONE)) == 1
    assert sms.check(PHONE, REGISTER, code) is CodeCheck.VALID
    assert sms.resend_after(PHONE) == 30  # counted from the send, not from the refusal


def send_every_minute(sms: SmsService, clock: MockClock, times: int) -> None:
    for _ in range(times):
        sms.send(PHONE, REGISTER)
        clock.advance(timedelta(minutes=1, seconds=1))


def test_five_codes_in_any_hour(sms: SmsService, clock: MockClock) -> None:
    sms.send(PHONE, REGISTER)
    clock.set(MORNING + timedelta(minutes=10))
    send_every_minute(sms, clock, 4)
    with pytest.raises(SmsRateLimitedError) as refused:
        sms.send(PHONE, REGISTER)
    assert refused.value.message == "该手机号码获取验证码次数过多，请1小时后再试"
    assert refused.value.resend_after == 0  # the minute is over; only the hour holds
    # Rolling: an hour after the first send its slot is free again, and only that one.
    clock.set(MORNING + timedelta(hours=1, seconds=1))
    sms.send(PHONE, REGISTER)
    clock.advance(timedelta(seconds=61))
    assert sms.resend_after(PHONE) == 0
    with pytest.raises(SmsRateLimitedError, match="请1小时后再试"):
        sms.send(PHONE, REGISTER)


def test_ten_codes_per_beijing_calendar_day(sms: SmsService, clock: MockClock) -> None:
    # 07:30 in Beijing is 23:30 UTC the day before: the ten sends straddle UTC midnight but
    # fall on one Beijing day, so counting by UTC days would wrongly allow the eleventh.
    start = datetime(2026, 11, 27, 7, 30, tzinfo=BEIJING)
    clock.set(start)
    send_every_minute(sms, clock, 5)
    clock.set(start + timedelta(hours=1, minutes=10))
    send_every_minute(sms, clock, 5)
    clock.set(start + timedelta(hours=2, minutes=20))
    with pytest.raises(SmsRateLimitedError) as refused:
        sms.send(PHONE, REGISTER)
    assert refused.value.message == "该手机号码今日获取验证码次数已达上限，请明天再试"
    assert len(sms.outbox(PHONE)) == 10
    # Late that evening: still the same day.
    clock.set(datetime(2026, 11, 27, 23, 50, tzinfo=BEIJING))
    with pytest.raises(SmsRateLimitedError, match="今日"):
        sms.send(PHONE, REGISTER)
    # Beijing's midnight, less than a day after the sends: a new calendar day, a new allowance.
    clock.set(datetime(2026, 11, 28, 0, 0, 30, tzinfo=BEIJING))
    sms.send(PHONE, REGISTER)


def test_the_day_limit_is_reported_before_the_minute(sms: SmsService, clock: MockClock) -> None:
    send_every_minute(sms, clock, 5)
    clock.set(MORNING + timedelta(hours=1, minutes=10))
    send_every_minute(sms, clock, 4)
    sms.send(PHONE, REGISTER)  # the tenth, just now
    with pytest.raises(SmsRateLimitedError) as refused:
        sms.send(PHONE, REGISTER)
    # Waiting 60 s would not help, so the page must not say "请60秒后再试".
    assert refused.value.message == "该手机号码今日获取验证码次数已达上限，请明天再试"
    assert refused.value.resend_after == 60


# --- threads ------------------------------------------------------------------------------------


def test_concurrent_sends_to_one_phone_send_one_code(sms: SmsService) -> None:
    results: list[str] = []
    start = threading.Barrier(16)

    def press_button() -> None:
        start.wait()
        try:
            sms.send(PHONE, REGISTER)
            results.append("sent")
        except SmsRateLimitedError:
            results.append("refused")

    threads = [threading.Thread(target=press_button) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused"] * 15 + ["sent"]
    assert len(sms.outbox(PHONE)) == 1


def test_concurrent_consumes_use_a_code_once(sms: SmsService) -> None:
    code = sms.send(PHONE, REGISTER).code
    results: list[CodeCheck] = []
    start = threading.Barrier(8)

    def submit() -> None:
        start.wait()
        results.append(sms.consume(PHONE, REGISTER, code))

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.value for r in results) == ["used"] * 7 + ["valid"]
