"""In-memory state of the 一证通 identity provider mock, behind one lock.

Records are frozen dataclasses: a reader gets a snapshot it may keep, and every
change replaces the record inside the store while the lock is held, so a rule
that reads and writes (a login attempt counting failures, a code redeemed once)
is atomic even with the threaded server and the control interface racing it.

Every time-dependent rule reads the store's :class:`MockClock`, never the wall
clock, so that tests move time through the control interface instead of waiting.

The store takes identifiers in their canonical form (``mock_servers.common.identifiers``,
applied once where a value comes in: the pages' form reading and the control
interface's models); account names are compared by :func:`identifiers.account_key`.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Final, Protocol, TypeVar

from mock_servers.common.clock import MockClock, add_working_days
from mock_servers.common.identifiers import account_key
from mock_servers.common.passwords import PasswordHash
from mock_servers.common.server_errors import ServerErrors
from mock_servers.common.sms import SmsService
from mock_servers.idp.validation import IdType, unit_key

CAPTCHA_TTL: Final = timedelta(minutes=5)
CODE_TTL: Final = timedelta(seconds=60)
ACCESS_TOKEN_TTL: Final = timedelta(seconds=3600)
LOCKOUT_THRESHOLD: Final = 5
LOCKOUT_DURATION: Final = timedelta(minutes=30)
REVIEW_WORKING_DAYS: Final = 1
# OpenAM's usual session defaults: 30 minutes without use, 120 minutes in all.
SESSION_IDLE_TIMEOUT: Final = timedelta(minutes=30)
SESSION_MAX_LIFETIME: Final = timedelta(minutes=120)
# How long a request for a fresh login (prompt=login, max_age) waits for the password on the login page.
REAUTH_TTL: Final = timedelta(minutes=30)
# 找回密码: how long a verified identity (步骤1) stays good for setting a new password (步骤2).
RECOVERY_TTL: Final = timedelta(minutes=30)
# The signature of the IdP's text messages (【北京市统一身份认证平台】您的验证码为…) and what its codes are for.
SMS_SENDER: Final = "北京市统一身份认证平台"
SMS_PURPOSE_RESET_PASSWORD: Final = "reset_password"

# Used and expired captchas and codes stay readable this long (the control
# interface shows ``used`` and ``expires_at``, handy when a test fails), then
# they are swept so that a long harness run does not grow without bound.
_RETENTION: Final = timedelta(hours=1)
_MAX_CAPTCHAS: Final = 10_000

# ``sub`` is a UUID derived from the account name: stable across resets and
# restarts, so a test log from one run can be compared with another.
_SUBJECT_NAMESPACE: Final = uuid.UUID("5b0c6f3e-1d0a-4c57-9a4e-7a2f1b9e3c11")

# Passwords live only in memory, but they are still kept as salted hashes so
# that no view, repr or log line of the mock can ever show one.  A low
# iteration count keeps logins fast; this is not protecting real secrets.


class _Expiring(Protocol):
    @property
    def expires_at(self) -> datetime: ...


_Record = TypeVar("_Record", bound=_Expiring)


def _drop_expired(records: dict[str, _Record], *, before: datetime) -> None:
    """Forget the records that expired before ``before`` (the caller holds the store's lock)."""
    for key in [key for key, record in records.items() if record.expires_at < before]:
        del records[key]


@dataclass(frozen=True)
class Account:
    """A 一证通 account and the enterprise and legal representative it was registered for."""

    subject: str
    account: str
    password_hash: PasswordHash | None  # None: opened another way (电子营业执照, 支付宝 …)
    mobile: str
    enterprise_name: str
    credit_code: str
    legal_person_name: str
    legal_person_id_type: IdType
    legal_person_id_number: str
    registered_at: datetime
    review_due: datetime | None  # None: reviewed already (seeded that way)
    failed_logins: int = 0
    locked_until: datetime | None = None

    def is_reviewed(self, now: datetime) -> bool:
        return self.review_due is None or now >= self.review_due

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class Captcha:
    captcha_id: str
    answer: str
    expires_at: datetime
    used: bool = False
    # The browser whose page showed it (its browser cookie): an answer counts only from there.
    browser_id: str = ""


@dataclass(frozen=True)
class OidcClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclass(frozen=True)
class IdpSession:
    session_id: str
    account_key: str
    auth_time: datetime
    # The last time the session answered an authorize request (or the login that made it).
    last_used: datetime

    @property
    def expires_at(self) -> datetime:
        """When the session ends: 30 minutes without use or 120 minutes after login, whichever comes first."""
        return min(self.last_used + SESSION_IDLE_TIMEOUT, self.auth_time + SESSION_MAX_LIFETIME)


@dataclass(frozen=True)
class ReauthRequest:
    """An authorize request that asked for a fresh login (prompt=login, max_age) and went to the login page.

    Its ticket rides along in the login page's goto; back at authorize, only a session that
    logged in at or after ``requested_at`` answers the request.
    """

    ticket: str
    client_id: str
    requested_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str
    nonce: str | None
    account_key: str
    auth_time: datetime
    expires_at: datetime
    used: bool = False


@dataclass(frozen=True)
class AccessToken:
    token: str
    client_id: str
    scope: str
    account_key: str
    expires_at: datetime
    code: str  # the authorization code it was issued for (revoked with it on a replay)


@dataclass(frozen=True)
class LegalIdentity:
    """What step 1 of the registration wizard (法人身份鉴证) established.

    Of an uploaded scan only the name and size are kept: the mock reviews
    nothing, and holding file contents in memory would serve no test.
    """

    enterprise_name: str
    credit_code: str
    legal_person_name: str
    legal_person_id_type: IdType
    legal_person_id_number: str
    document_name: str | None = None
    document_size: int | None = None


@dataclass(frozen=True)
class RegistrationDraft:
    """Server-side progress of one browser through the wizard (keyed by a cookie)."""

    draft_id: str
    identity: LegalIdentity | None = None
    registered_account: str | None = None


@dataclass(frozen=True)
class PasswordRecovery:
    """One browser's 找回密码 after 步骤1 验证身份 passed (keyed by a cookie issued at that moment)."""

    recovery_id: str
    account_key: str
    expires_at: datetime


@dataclass(frozen=True)
class Faults:
    down: bool = False
    delay_seconds: float = 0.0
    # How many of the next token requests answer 503 (one per "fail the next token request").
    pending_token_failures: int = 0


class LoginResult(Enum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    PENDING_REVIEW = "pending_review"


class StoreError(Exception):
    """A rule of the store refused a change; the message says which."""


class AccountExistsError(StoreError):
    pass


class HandlerAlreadyRegisteredError(StoreError):
    """Rule R4: this legal representative already has a password account for this enterprise."""


class DraftNotReadyError(StoreError):
    """The wizard's step 2 was submitted without a completed step 1."""


class InvalidGrantError(StoreError):
    """An authorization code cannot be redeemed; the message is the ``error_description``."""


class IdpStore:
    """All mutable state of one IdP mock instance."""

    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        # Requests that failed inside the mock (answered 500), for the harness to report.
        self.server_errors = ServerErrors(clock)
        # Client registrations survive reset(): the harness registers the
        # platform once at start-up, while tests reset between scenarios.
        self._clients: dict[str, OidcClient] = {}
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, IdpSession] = {}
        self._captchas: dict[str, Captcha] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._drafts: dict[str, RegistrationDraft] = {}
        self._recoveries: dict[str, PasswordRecovery] = {}
        self._reauths: dict[str, ReauthRequest] = {}
        # Failed logins on names that are no account: (failures in a row, locked until).
        self._unknown_strikes: dict[str, tuple[int, datetime | None]] = {}
        self._faults = Faults()
        # Codes for 找回密码's 步骤2, sent to an account's registered mobile; it has a lock of its own.
        self.sms = SmsService(clock, sender=SMS_SENDER)

    def reset(self) -> None:
        """Forget everything a test can change, and put the clock back to real time."""
        with self._lock:
            self._accounts.clear()
            self._sessions.clear()
            self._captchas.clear()
            self._codes.clear()
            self._tokens.clear()
            self._drafts.clear()
            self._recoveries.clear()
            self._reauths.clear()
            self._unknown_strikes.clear()
            self._faults = Faults()
        self.sms.reset()
        self.server_errors.clear()
        self.clock.reset()

    # --- OIDC clients -------------------------------------------------------

    def register_client(self, client: OidcClient) -> None:
        with self._lock:
            self._clients[client.client_id] = client

    def get_client(self, client_id: str) -> OidcClient | None:
        with self._lock:
            return self._clients.get(client_id)

    # --- faults -------------------------------------------------------------

    def get_faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> Faults:
        with self._lock:
            self._faults = faults
            return faults

    def add_token_failure(self) -> Faults:
        """Make one more of the next token requests fail; the faults as they are now."""
        with self._lock:
            self._faults = replace(self._faults, pending_token_failures=self._faults.pending_token_failures + 1)
            return self._faults

    def take_token_failure(self) -> bool:
        """Use up one pending token-request failure: True when this request is the one to fail."""
        # Checked and counted down under the lock: two token requests racing each other
        # must not both fail for one queued failure (or both pass for two).
        with self._lock:
            if self._faults.pending_token_failures == 0:
                return False
            self._faults = replace(self._faults, pending_token_failures=self._faults.pending_token_failures - 1)
            return True

    # --- captchas -----------------------------------------------------------

    def issue_captcha(self, answer: str, browser_id: str) -> Captcha:
        """A new captcha for the page ``browser_id`` is shown: only that browser can answer it."""
        now = self.clock.now()
        captcha = Captcha(
            captcha_id=secrets.token_urlsafe(16), answer=answer, expires_at=now + CAPTCHA_TTL, browser_id=browser_id
        )
        with self._lock:
            _drop_expired(self._captchas, before=now - _RETENTION)
            # Dicts keep insertion order: beyond the cap, drop the oldest.
            while len(self._captchas) >= _MAX_CAPTCHAS:
                del self._captchas[next(iter(self._captchas))]
            self._captchas[captcha.captcha_id] = captcha
        return captcha

    def get_captcha(self, captcha_id: str) -> Captcha | None:
        with self._lock:
            return self._captchas.get(captcha_id)

    def consume_captcha(self, captcha_id: str, answer: str, browser_id: str) -> bool:
        """Check a canonical answer from ``browser_id``; any attempt uses the captcha up, right or wrong (single use).

        A captcha shown to another browser is not this one's to answer (nor to use up): solved
        elsewhere and posted here, it would prove nothing about who is at this browser.
        """
        now = self.clock.now()
        with self._lock:
            captcha = self._captchas.get(captcha_id)
            if captcha is None or not hmac.compare_digest(captcha.browser_id.encode(), browser_id.encode()):
                return False
            self._captchas[captcha_id] = replace(captcha, used=True)
            return (
                not captcha.used
                and now < captcha.expires_at
                and hmac.compare_digest(answer.encode(), captcha.answer.encode())
            )

    # --- accounts -----------------------------------------------------------

    def add_account(
        self, *, account: str, password: str | None, mobile: str, identity: LegalIdentity, reviewed: bool
    ) -> Account:
        """Seed an account directly (control interface); rule R4 is not applied to seeds."""
        now = self.clock.now()
        with self._lock:
            return self._insert_account(
                account=account, password=password, mobile=mobile, identity=identity, now=now, reviewed=reviewed
            )

    def get_account(self, account: str) -> Account | None:
        now = self.clock.now()
        with self._lock:
            found = self._accounts.get(account_key(account))
            return None if found is None else self._lift_expired_lock(found, now)

    def has_password_account(self, credit_code: str, legal_person_id_number: str) -> bool:
        """Rule R4's question, for a canonical credit code and ID number."""
        with self._lock:
            return self._has_password_account(credit_code, legal_person_id_number)

    def attempt_login(self, account: str, password: str) -> tuple[LoginResult, Account | None]:
        """Apply the password-login rules that come after the captcha, atomically.

        An unknown account, a wrong password and an account without a password
        all answer BAD_CREDENTIALS.  Wrong passwords on an existing account are
        counted; the fifth in a row locks it (that attempt still answers
        BAD_CREDENTIALS, the following ones LOCKED).  A right password breaks
        the streak, even when the account is still under review.
        """
        now = self.clock.now()
        key = account_key(account)
        with self._lock:
            found = self._accounts.get(key)
            if found is None:
                return self._strike_unknown_account(key, now), None
            found = self._lift_expired_lock(found, now)
            if found.is_locked(now):
                return LoginResult.LOCKED, found
            if found.password_hash is None or not found.password_hash.matches(password):
                failures = found.failed_logins + 1
                locked_until = now + LOCKOUT_DURATION if failures >= LOCKOUT_THRESHOLD else None
                self._accounts[key] = replace(found, failed_logins=failures, locked_until=locked_until)
                return LoginResult.BAD_CREDENTIALS, None
            found = replace(found, failed_logins=0)
            self._accounts[key] = found
            if not found.is_reviewed(now):
                return LoginResult.PENDING_REVIEW, found
            return LoginResult.OK, found

    # --- 找回密码 -------------------------------------------------------------

    def start_recovery(self, account: str, legal_person_id_number: str) -> PasswordRecovery | None:
        """步骤1 验证身份: a new recovery when the account and the (canonical) ID number match, else None.

        The id is always new: an id a browser sent is never taken over (it could be one
        an attacker planted), so a fresh cookie is issued with every passed 步骤1.
        """
        now = self.clock.now()
        key = account_key(account)
        with self._lock:
            found = self._accounts.get(key)
            if found is None or not hmac.compare_digest(
                found.legal_person_id_number.encode(), legal_person_id_number.encode()
            ):
                return None
            _drop_expired(self._recoveries, before=now)
            recovery = PasswordRecovery(
                recovery_id=secrets.token_urlsafe(32), account_key=key, expires_at=now + RECOVERY_TTL
            )
            self._recoveries[recovery.recovery_id] = recovery
            return recovery

    def get_recovery(self, recovery_id: str | None) -> tuple[PasswordRecovery, Account] | None:
        """A live recovery and its account (None: no cookie, unknown or expired id, or the account is gone)."""
        if not recovery_id:
            return None
        now = self.clock.now()
        with self._lock:
            recovery = self._recoveries.get(recovery_id)
            if recovery is None:
                return None
            found = self._accounts.get(recovery.account_key)
            if found is None or now >= recovery.expires_at:
                del self._recoveries[recovery_id]
                return None
            return recovery, found

    def end_recovery(self, recovery_id: str | None) -> None:
        if recovery_id:
            with self._lock:
                self._recoveries.pop(recovery_id, None)

    def complete_recovery(self, recovery_id: str, new_password: str) -> Account | None:
        """步骤2 done (the SMS code was right): set the password, and end the recovery; None if it ended meanwhile.

        The reset lifts a lockout (proving who you are is the usual way out of one) and
        ends the account's IdP sessions: whoever knew the old password is signed out.
        """
        password_hash = PasswordHash.of(new_password)
        now = self.clock.now()
        with self._lock:
            recovery = self._recoveries.pop(recovery_id, None)
            if recovery is None or now >= recovery.expires_at:
                return None
            found = self._accounts.get(recovery.account_key)
            if found is None:
                return None
            updated = replace(found, password_hash=password_hash, failed_logins=0, locked_until=None)
            self._accounts[recovery.account_key] = updated
            for session_id in [s.session_id for s in self._sessions.values() if s.account_key == recovery.account_key]:
                del self._sessions[session_id]
            return updated

    def _insert_account(
        self,
        *,
        account: str,
        password: str | None,
        mobile: str,
        identity: LegalIdentity,
        now: datetime,
        reviewed: bool,
    ) -> Account:
        key = account_key(account)
        if key in self._accounts:
            raise AccountExistsError(f"an account named {self._accounts[key].account!r} already exists")
        created = Account(
            subject=str(uuid.uuid5(_SUBJECT_NAMESPACE, key)),
            account=account,
            password_hash=None if password is None else PasswordHash.of(password),
            mobile=mobile,
            enterprise_name=identity.enterprise_name.strip(),
            credit_code=identity.credit_code,
            legal_person_name=identity.legal_person_name.strip(),
            legal_person_id_type=identity.legal_person_id_type,
            legal_person_id_number=identity.legal_person_id_number,
            registered_at=now,
            review_due=None if reviewed else add_working_days(now, REVIEW_WORKING_DAYS),
        )
        self._accounts[key] = created
        return created

    def _has_password_account(self, credit_code: str, legal_person_id_number: str) -> bool:
        unit = unit_key(credit_code)
        return any(
            a.password_hash is not None
            and unit_key(a.credit_code) == unit
            and a.legal_person_id_number == legal_person_id_number
            for a in self._accounts.values()
        )

    def _strike_unknown_account(self, key: str, now: datetime) -> LoginResult:
        """Count and lock failures on names that are no account, exactly like real ones (caller holds the lock).

        Otherwise the lock message would appear only for real accounts and tell
        an attacker which names exist (R5).
        """
        failures, locked_until = self._unknown_strikes.get(key, (0, None))
        if locked_until is not None and now < locked_until:
            return LoginResult.LOCKED
        if locked_until is not None:
            failures = 0
        failures += 1
        self._unknown_strikes[key] = (failures, now + LOCKOUT_DURATION if failures >= LOCKOUT_THRESHOLD else None)
        return LoginResult.BAD_CREDENTIALS

    def _lift_expired_lock(self, found: Account, now: datetime) -> Account:
        """A lockout that has run out is forgotten, failure count included (caller holds the lock)."""
        if found.locked_until is None or now < found.locked_until:
            return found
        lifted = replace(found, failed_logins=0, locked_until=None)
        self._accounts[account_key(found.account)] = lifted
        return lifted

    # --- registration wizard ------------------------------------------------

    def save_identity(self, draft_id: str | None, identity: LegalIdentity) -> RegistrationDraft:
        """Record a passed step 1 in a new draft, under a new id; the draft ``draft_id`` named ends.

        The id a browser sent is never taken over: it could be one an attacker planted there
        (a cookie a sibling subdomain set), and the attacker would then finish 创建账号 with
        its own password and mobile for this browser's enterprise and legal representative.
        """
        with self._lock:
            if draft_id is not None:
                self._drafts.pop(draft_id, None)
            draft = RegistrationDraft(draft_id=secrets.token_urlsafe(32), identity=identity)
            self._drafts[draft.draft_id] = draft
            return draft

    def get_draft(self, draft_id: str | None) -> RegistrationDraft | None:
        if draft_id is None:
            return None
        with self._lock:
            return self._drafts.get(draft_id)

    def complete_registration(self, draft_id: str | None, *, account: str, password: str, mobile: str) -> Account:
        """Step 2: create the account, pending one working day of review.

        Rule R4 is checked again here, under the same lock as the insert: two
        browsers could both have passed step 1 for the same person.
        """
        now = self.clock.now()
        with self._lock:
            draft = self._drafts.get(draft_id) if draft_id is not None else None
            if draft is None or draft.identity is None or draft.registered_account is not None:
                raise DraftNotReadyError("step 1 (法人身份鉴证) has not been completed in this browser")
            identity = draft.identity
            if account_key(account) in self._accounts:
                raise AccountExistsError(f"an account named {account!r} already exists")
            if self._has_password_account(identity.credit_code, identity.legal_person_id_number):
                raise HandlerAlreadyRegisteredError("this legal representative already has a password account")
            created = self._insert_account(
                account=account, password=password, mobile=mobile, identity=identity, now=now, reviewed=False
            )
            self._drafts[draft.draft_id] = replace(draft, registered_account=created.account)
            return created

    # --- sessions -----------------------------------------------------------

    def create_session(self, account: Account) -> IdpSession:
        now = self.clock.now()
        session = IdpSession(
            session_id=secrets.token_urlsafe(32),
            account_key=account_key(account.account),
            auth_time=now,
            last_used=now,
        )
        with self._lock:
            # Ended sessions nobody came back for go here, so a long run does not keep them all.
            _drop_expired(self._sessions, before=now)
            self._sessions[session.session_id] = session
        return session

    def session_account(self, session_id: str | None, *, use: bool = False) -> tuple[IdpSession, Account] | None:
        """The live session and its account, or None (no cookie, unknown id, ended, or the account is gone).

        A session ends 30 minutes after its last use or 120 minutes after login, whichever
        comes first; an ended session is forgotten on the spot, so the clock can never bring
        it back.  ``use``: this request is answered from the session (an authorize request),
        which restarts the idle time.
        """
        if not session_id:
            return None
        now = self.clock.now()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now >= session.expires_at:
                del self._sessions[session_id]
                return None
            found = self._accounts.get(session.account_key)
            if found is None:
                return None
            if use:
                session = replace(session, last_used=now)
                self._sessions[session_id] = session
            return session, found

    def end_session(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def request_reauth(self, client_id: str) -> ReauthRequest:
        """An authorize request of ``client_id`` needs a login from now on: its ticket for the login page's goto."""
        now = self.clock.now()
        reauth = ReauthRequest(
            ticket=secrets.token_urlsafe(24), client_id=client_id, requested_at=now, expires_at=now + REAUTH_TTL
        )
        with self._lock:
            _drop_expired(self._reauths, before=now)
            self._reauths[reauth.ticket] = reauth
        return reauth

    def reauth_done(self, ticket: str | None, client_id: str, session: IdpSession) -> bool:
        """True if ``session`` logged in after the request behind ``ticket`` (of this client) asked for it.

        A ticket answers once: it is forgotten when it is done, and when it has expired.
        """
        if not ticket:
            return False
        now = self.clock.now()
        with self._lock:
            reauth = self._reauths.get(ticket)
            if reauth is None or reauth.client_id != client_id:
                return False
            if now >= reauth.expires_at:
                del self._reauths[ticket]
                return False
            if session.auth_time < reauth.requested_at:
                return False
            del self._reauths[ticket]
            return True

    # --- authorization codes and access tokens ------------------------------

    def issue_code(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        scope: str,
        code_challenge: str,
        nonce: str | None,
        session: IdpSession,
    ) -> AuthorizationCode:
        now = self.clock.now()
        code = AuthorizationCode(
            code=secrets.token_urlsafe(32),
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=scope,
            code_challenge=code_challenge,
            nonce=nonce,
            account_key=session.account_key,
            auth_time=session.auth_time,
            expires_at=now + CODE_TTL,
        )
        with self._lock:
            _drop_expired(self._codes, before=now - _RETENTION)
            self._codes[code.code] = code
        return code

    def take_code(self, code: str, client_id: str) -> tuple[AuthorizationCode, Account]:
        """Redeem a code once.  Any redemption by its own client uses it up, even one
        that then fails on redirect_uri or code_verifier: a code that survived
        a failed attempt would let an attacker keep guessing verifiers.
        """
        now = self.clock.now()
        with self._lock:
            found = self._codes.get(code)
            if found is None:
                raise InvalidGrantError("authorization code is unknown")
            if found.client_id != client_id:
                # Not consumed: another client must not be able to burn someone's code.
                raise InvalidGrantError("authorization code was issued to another client")
            self._codes[code] = replace(found, used=True)
            if found.used:
                # RFC 6749 section 4.1.2: a code presented twice is a sign of theft; the
                # tokens already issued for it should be revoked.
                for token in [t for t in self._tokens.values() if t.code == code]:
                    del self._tokens[token.token]
                raise InvalidGrantError("authorization code has already been used")
            if now >= found.expires_at:
                raise InvalidGrantError("authorization code has expired")
            account = self._accounts.get(found.account_key)
            if account is None:
                raise InvalidGrantError("the account behind this authorization code no longer exists")
            return found, account

    def issue_access_token(self, code: AuthorizationCode) -> AccessToken:
        now = self.clock.now()
        token = AccessToken(
            token=secrets.token_urlsafe(32),
            client_id=code.client_id,
            scope=code.scope,
            account_key=code.account_key,
            expires_at=now + ACCESS_TOKEN_TTL,
            code=code.code,
        )
        with self._lock:
            # Unlike captchas and codes, no view shows a token: it goes as soon as it expires.
            _drop_expired(self._tokens, before=now)
            self._tokens[token.token] = token
        return token

    def access_token_account(self, token: str) -> tuple[AccessToken, Account] | None:
        now = self.clock.now()
        with self._lock:
            found = self._tokens.get(token)
            if found is None or now >= found.expires_at:
                return None
            account = self._accounts.get(found.account_key)
            return None if account is None else (found, account)
