"""The pieces one platform mock instance is made of, handed to its routers."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.templating import Jinja2Templates

from mock_servers.common.clock import MockClock
from mock_servers.common.csrf import CsrfTokens
from mock_servers.common.server_errors import ServerErrors
from mock_servers.common.sms import SmsService
from mock_servers.platform.certification import Certification
from mock_servers.platform.sso import OidcClient
from mock_servers.platform.state import PlatformStore


@dataclass(frozen=True)
class PlatformContext:
    base_url: str
    store: PlatformStore
    clock: MockClock
    oidc: OidcClient
    certification: Certification
    templates: Jinja2Templates
    # The app's SMS codes (获取验证码) and their outbox.
    sms: SmsService
    # The forms' CSRF tokens, bound to the session id (``mock_servers.common.csrf``).
    csrf: CsrfTokens
    # Requests that failed inside the mock (answered 500), for the harness to report.
    server_errors: ServerErrors

    @property
    def redirect_uri(self) -> str:
        return self.oidc.redirect_uri

    @property
    def secure_cookies(self) -> bool:
        # Loopback runs over plain http; a Secure cookie would never come back there.
        return self.base_url.startswith("https://")
