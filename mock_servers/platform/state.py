"""In-memory state of the platform mock: accounts, browser sessions, enterprise bindings, faults.

Everything a test can change lives in one :class:`PlatformStore` guarded by one lock, so
that the control interface, the website and the app pages see one consistent
picture even when uvicorn serves requests from several threads.  Values handed out are
frozen dataclasses: a caller can keep them without racing later changes.

The binding rule (企业认证绑定) is enforced here, in :meth:`PlatformStore.bind`, because
"is this enterprise bound already?" and "bind it" must happen under the same lock.

Identifiers are stored and compared in their canonical form (``mock_servers.common.identifiers``):
usernames by :func:`~mock_servers.common.identifiers.account_key`, mobile numbers by
:func:`~mock_servers.common.identifiers.mobile`, credit codes by
:func:`~mock_servers.common.identifiers.credit_code`.  The store applies them itself, so
that no caller (a page, the control interface, the SSO client) can store or miss a variant.

The app's devices (常见问题 Q1a) live here too: which random device ids the platform issued,
and which accounts logged in to the app on each (``app_devices`` decides what that means).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal

from mock_servers.common import identifiers
from mock_servers.common.passwords import PasswordHash
from mock_servers.platform.sso import IDP_TIMEOUT_S

# A user may click 北京市企业认证 in several tabs; each tab's round trip must still find its
# authorization request.  A few are plenty, and the cap keeps a session from growing without end.
MAX_PENDING_AUTHORIZATIONS = 5
# 常见问题 Q1a asks only "did that account log in on this phone?": the last few accounts are
# enough to answer it, and the cap keeps a phone that tries many accounts from growing without end.
MAX_ACCOUNTS_PER_DEVICE = 10
# Every cookie-less client (a script, a fresh private window) gets a device id; the oldest ids
# are forgotten past this many, so that such clients cannot fill the mock's memory.
MAX_DEVICES = 10_000

# 请选择用户类型 on the app's 注册 form: ○个人用户 ○企业用户.
UserType = Literal["personal", "enterprise"]
# Where a 企业认证 round trip was started: the website or the app's H5 pages.  Each shows
# its own result page, in its own layout.
Channel = Literal["web", "app"]


@dataclass(frozen=True)
class User:
    """A platform account (平台账户), not to be confused with a 一证通 account at the IdP.

    An account registered in the app has its mobile number as username, a nickname and a
    user type; one registered on the website has neither (unless seeded with them).
    """

    username: str
    mobile: str
    password_hash: PasswordHash
    registered_at: datetime
    nickname: str | None = None
    user_type: UserType | None = None

    @property
    def display_name(self) -> str:
        """The name the pages greet the user by (website header, the app's 我的)."""
        return self.nickname or self.username


@dataclass(frozen=True)
class Binding:
    """An enterprise bound to a platform account: the account is 已认证 for that enterprise."""

    credit_code: str
    enterprise_name: str
    username: str
    bound_at: datetime


@dataclass(frozen=True)
class PendingAuthorization:
    """What the platform remembers between sending the browser to the IdP and its return.

    ``return_to`` is where the browser lands after success, and ``channel`` which front end's
    page explains a failure, so that the website and the app pages can share one callback.
    """

    state: str
    nonce: str
    code_verifier: str
    return_to: str
    created_at: datetime
    channel: Channel = "web"


@dataclass(frozen=True)
class Faults:
    """Faults injected through the control interface."""

    down: bool = False
    # How long the platform waits for the IdP before showing its friendly error. Real sites
    # wait seconds; a test of a slow IdP shortens it instead of waiting that long.
    idp_timeout_seconds: float = IDP_TIMEOUT_S


@dataclass
class _Session:
    username: str | None
    flashes: list[str] = field(default_factory=list)
    # Insertion-ordered, so the oldest request is the one dropped when the cap is reached.
    pending: dict[str, PendingAuthorization] = field(default_factory=dict)


class UserConflictError(Exception):
    """The username or the mobile number already belongs to an account."""

    def __init__(self, field_name: str) -> None:
        super().__init__(f"{field_name} already registered")
        self.field_name = field_name


class UnknownUserError(Exception):
    """No account with that username."""


class BindOutcome(Enum):
    BOUND = "bound"
    ALREADY_BOUND = "already_bound"
    TAKEN_BY_OTHER = "taken_by_other"
    USER_HAS_OTHER_ENTERPRISE = "user_has_other_enterprise"


@dataclass(frozen=True)
class BindResult:
    """The outcome, and the binding that decided it (new, the user's own, or the other account's)."""

    outcome: BindOutcome
    binding: Binding


class PlatformStore:
    """All mutable state of one platform mock instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        self._sessions: dict[str, _Session] = {}
        self._bindings: dict[str, Binding] = {}
        # Device id -> account keys that logged in to the app on it, oldest first.  Ordered by
        # the device's last use, so that the least recently seen device is the one forgotten.
        self._devices: OrderedDict[str, list[str]] = OrderedDict()
        self._faults = Faults()

    def reset(self) -> None:
        """Forget accounts, sessions, bindings, devices and faults."""
        with self._lock:
            self._users.clear()
            self._sessions.clear()
            self._bindings.clear()
            self._devices.clear()
            self._faults = Faults()

    # --- accounts -------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        mobile: str,
        password_hash: PasswordHash,
        now: datetime,
        *,
        nickname: str | None = None,
        user_type: UserType | None = None,
    ) -> User:
        """Store a new account, identifiers canonical; :class:`UserConflictError` if the username or mobile is taken."""
        name = identifiers.account_name(username)
        number = identifiers.mobile(mobile)
        with self._lock:
            if identifiers.account_key(name) in self._users:
                raise UserConflictError("username")
            if any(user.mobile == number for user in self._users.values()):
                raise UserConflictError("mobile")
            user = User(
                username=name,
                mobile=number,
                password_hash=password_hash,
                registered_at=now,
                nickname=nickname,
                user_type=user_type,
            )
            self._users[identifiers.account_key(name)] = user
            return user

    def get_user(self, username: str) -> User | None:
        with self._lock:
            return self._users.get(identifiers.account_key(username))

    def find_user_by_mobile(self, mobile: str) -> User | None:
        number = identifiers.mobile(mobile)
        with self._lock:
            return next((user for user in self._users.values() if user.mobile == number), None)

    # --- sessions -------------------------------------------------------------------------

    def create_session(self, username: str | None = None) -> str:
        """A new session under a fresh random id (the cookie value)."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[session_id] = _Session(username=username)
        return session_id

    def session_exists(self, session_id: str) -> bool:
        with self._lock:
            return session_id in self._sessions

    def session_username(self, session_id: str | None) -> str | None:
        """The logged-in account of a session, or None (anonymous, unknown or absent session)."""
        user = self.session_user(session_id)
        return user.username if user else None

    def session_user(self, session_id: str | None) -> User | None:
        """The logged-in account of a session, or None (anonymous, unknown or absent session)."""
        if session_id is None:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None or session.username is None:
                return None
            # The account may have been removed by a reset since the session was made.
            return self._users.get(identifiers.account_key(session.username))

    def delete_session(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def push_flash(self, session_id: str, message: str) -> None:
        """A one-time message for the next page this session sees."""
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.flashes.append(message)

    def pop_flashes(self, session_id: str | None) -> list[str]:
        if session_id is None:
            return []
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return []
            flashes, session.flashes = session.flashes, []
            return flashes

    def add_pending_authorization(self, session_id: str, pending: PendingAuthorization) -> None:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return
            while len(session.pending) >= MAX_PENDING_AUTHORIZATIONS:
                del session.pending[next(iter(session.pending))]
            session.pending[pending.state] = pending

    def take_pending_authorization(self, session_id: str | None, state: str) -> PendingAuthorization | None:
        """Remove and return the request with this state: a state is good for one callback only."""
        if session_id is None:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            return session.pending.pop(state, None)

    # --- the app's devices (常见问题 Q1a) --------------------------------------------------

    def issue_device(self) -> str:
        """A new device id under a fresh random value (the app's device cookie)."""
        device_id = secrets.token_urlsafe(32)
        with self._lock:
            self._devices[device_id] = []
            while len(self._devices) > MAX_DEVICES:
                self._devices.popitem(last=False)
        return device_id

    def device_known(self, device_id: str) -> bool:
        """Whether this platform issued ``device_id`` and still knows it; a known id counts as used now."""
        with self._lock:
            if device_id not in self._devices:
                return False
            self._devices.move_to_end(device_id)
            return True

    def remember_device_login(self, device_id: str, username: str) -> None:
        """``username`` logged in to the app on ``device_id`` (ids the platform did not issue are ignored)."""
        key = identifiers.account_key(username)
        with self._lock:
            accounts = self._devices.get(device_id)
            if accounts is None:
                return
            if key in accounts:
                accounts.remove(key)
            accounts.append(key)
            del accounts[:-MAX_ACCOUNTS_PER_DEVICE]
            self._devices.move_to_end(device_id)

    def logged_in_on_device(self, device_id: str, username: str) -> bool:
        """Whether ``username`` is among the accounts that last logged in to the app on ``device_id``."""
        with self._lock:
            return identifiers.account_key(username) in self._devices.get(device_id, ())

    # --- bindings -------------------------------------------------------------------------

    def bind(self, credit_code: str, enterprise_name: str, username: str, now: datetime) -> BindResult:
        """Bind an enterprise to an account, unless that would break a rule.

        One enterprise is bound to at most one platform account (the guide's "该企业已被其他用户绑定"),
        and one account shows one enterprise in its 认证信息.  A refused bind changes nothing.
        Binding again the same pair is not an error: the user simply certified twice.
        """
        code = identifiers.credit_code(credit_code)
        with self._lock:
            user = self._users.get(identifiers.account_key(username))
            if user is None:
                raise UnknownUserError(username)
            existing = self._bindings.get(code)
            if existing is not None:
                if identifiers.account_key(existing.username) == identifiers.account_key(user.username):
                    return BindResult(BindOutcome.ALREADY_BOUND, existing)
                return BindResult(BindOutcome.TAKEN_BY_OTHER, existing)
            own = self._binding_of(user.username)
            if own is not None:
                return BindResult(BindOutcome.USER_HAS_OTHER_ENTERPRISE, own)
            binding = Binding(credit_code=code, enterprise_name=enterprise_name, username=user.username, bound_at=now)
            self._bindings[code] = binding
            return BindResult(BindOutcome.BOUND, binding)

    def binding_for_user(self, username: str) -> Binding | None:
        with self._lock:
            return self._binding_of(username)

    def _binding_of(self, username: str) -> Binding | None:
        key = identifiers.account_key(username)
        return next((b for b in self._bindings.values() if identifiers.account_key(b.username) == key), None)

    def get_binding(self, credit_code: str) -> Binding | None:
        with self._lock:
            return self._bindings.get(identifiers.credit_code(credit_code))

    def bindings(self) -> list[Binding]:
        with self._lock:
            return sorted(self._bindings.values(), key=lambda b: (b.bound_at, b.credit_code))

    def unbind(self, credit_code: str) -> bool:
        """解绑 (done by the call center): True if there was a binding."""
        with self._lock:
            return self._bindings.pop(identifiers.credit_code(credit_code), None) is not None

    # --- faults ---------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> Faults:
        with self._lock:
            self._faults = faults
            return faults
