"""企业认证: the round trip to the 一证通 IdP and the binding of the enterprise to the account.

Pages call :meth:`Certification.begin` (where to send the browser) and
:meth:`Certification.complete` (what came back), and render the :data:`Outcome` their own
way: the website and the app's H5 pages share this logic and differ only in looks.  Each
outcome carries the ``channel`` its request came from (``"web"`` or ``"app"``), so that the
one shared callback can answer in the layout the user started from.

The pending request (state, nonce, code_verifier) is kept server-side in the browser's
session, keyed by state, and taken out on the first callback that names it: a replayed or
forged callback, a callback in another browser, or one after logging in as someone else
finds nothing and gets :class:`StateInvalid`.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_servers.common.clock import MockClock
from mock_servers.platform.sso import (
    IdpRejectedError,
    IdpUnavailableError,
    InvalidIdTokenError,
    OidcClient,
)
from mock_servers.platform.state import Binding, BindOutcome, Channel, PendingAuthorization, PlatformStore

MSG_CERTIFIED = "企业认证成功"


@dataclass(frozen=True)
class Certified:
    """Bound (or bound already, to this same account): go to ``return_to``."""

    binding: Binding
    return_to: str
    newly_bound: bool
    channel: Channel


@dataclass(frozen=True)
class StateInvalid:
    """No pending request matches the callback (absent, unknown, used, or another session's).

    ``channel`` is known only when the request was found but its session no longer has an
    account; otherwise nobody knows where the browser came from (the page then asks the
    User-Agent).
    """

    channel: Channel | None = None


@dataclass(frozen=True)
class ProviderError:
    """The IdP said no: ``error`` at the callback, or an OAuth error from the token endpoint."""

    error: str
    description: str
    channel: Channel


@dataclass(frozen=True)
class ProviderUnavailable:
    """The IdP is down, failing (5xx) or slower than the platform waits."""

    detail: str
    channel: Channel


@dataclass(frozen=True)
class TokenRejected:
    """The ID token failed validation (signature, iss, aud, exp, nonce …)."""

    reason: str
    channel: Channel


@dataclass(frozen=True)
class BoundToOther:
    """该企业已被其他用户绑定: the enterprise belongs to another platform account (left untouched).

    ``holder`` is that account's username.  It is never shown (the guide never names who holds
    an enterprise); the app's result page only asks whether it was used on the same phone (Q1a).
    """

    credit_code: str
    enterprise_name: str
    holder: str
    channel: Channel


@dataclass(frozen=True)
class AccountHasOtherEnterprise:
    """This account is already certified for a different enterprise (left untouched)."""

    binding: Binding
    channel: Channel


Outcome = (
    Certified
    | StateInvalid
    | ProviderError
    | ProviderUnavailable
    | TokenRejected
    | BoundToOther
    | AccountHasOtherEnterprise
)


class Certification:
    def __init__(self, store: PlatformStore, oidc: OidcClient, clock: MockClock) -> None:
        self._store = store
        self._oidc = oidc
        self._clock = clock

    def begin(self, session_id: str, *, return_to: str, channel: Channel = "web") -> str:
        """The IdP authorization URL for this session; raises :class:`IdpUnavailableError`."""
        request = self._oidc.begin()
        self._store.add_pending_authorization(
            session_id,
            PendingAuthorization(
                state=request.state,
                nonce=request.nonce,
                code_verifier=request.code_verifier,
                return_to=return_to,
                created_at=self._clock.now(),
                channel=channel,
            ),
        )
        return request.url

    def complete(
        self,
        session_id: str | None,
        *,
        state: str | None,
        code: str | None,
        error: str | None = None,
        error_description: str | None = None,
    ) -> Outcome:
        # State first: until it matches, nothing in the callback (not even its error) is trusted.
        username = self._store.session_username(session_id)
        pending = self._store.take_pending_authorization(session_id, state) if state else None
        if pending is None:
            return StateInvalid()
        channel = pending.channel
        if username is None:
            return StateInvalid(channel=channel)
        if error:
            return ProviderError(error=error, description=error_description or "", channel=channel)
        if not code:
            return ProviderError(error="invalid_request", description="回调中没有授权码", channel=channel)
        try:
            identity = self._oidc.exchange(code=code, code_verifier=pending.code_verifier, nonce=pending.nonce)
        except IdpUnavailableError as unavailable:
            return ProviderUnavailable(detail=str(unavailable), channel=channel)
        except IdpRejectedError as rejected:
            return ProviderError(error=rejected.error, description=rejected.description, channel=channel)
        except InvalidIdTokenError as invalid:
            return TokenRejected(reason=str(invalid), channel=channel)

        result = self._store.bind(identity.credit_code, identity.enterprise_name, username, self._clock.now())
        if result.outcome is BindOutcome.TAKEN_BY_OTHER:
            return BoundToOther(
                credit_code=identity.credit_code,
                enterprise_name=identity.enterprise_name,
                holder=result.binding.username,
                channel=channel,
            )
        if result.outcome is BindOutcome.USER_HAS_OTHER_ENTERPRISE:
            return AccountHasOtherEnterprise(binding=result.binding, channel=channel)
        if session_id is not None:
            self._store.push_flash(session_id, MSG_CERTIFIED)
        return Certified(
            binding=result.binding,
            return_to=pending.return_to,
            newly_bound=result.outcome is BindOutcome.BOUND,
            channel=channel,
        )
