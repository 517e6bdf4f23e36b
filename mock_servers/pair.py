"""Both mocks, wired to each other: the IdP, the platform as its OIDC client, and their control clients."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from mock_servers.common.server import LOOPBACK, RunningServer
from mock_servers.idp.client import IdpControl
from mock_servers.idp.server import start_idp
from mock_servers.platform.client import PlatformControl
from mock_servers.platform.server import start_platform

PLATFORM_CLIENT_ID = "smebj-platform"


@dataclass
class MockServers:
    """The platform and the identity provider, running and registered with each other."""

    platform: RunningServer
    idp: RunningServer
    platform_control: PlatformControl
    idp_control: IdpControl

    @property
    def platform_url(self) -> str:
        return self.platform.url

    @property
    def idp_url(self) -> str:
        return self.idp.url

    def reset(self) -> None:
        """Forget everything a test changed (accounts, sessions, bindings, clock, faults)."""
        self.platform_control.reset()
        self.idp_control.reset()

    def stop(self) -> None:
        """Stop both servers; if one does not stop, the other is still stopped before the error is raised."""
        self.platform_control.close()
        self.idp_control.close()
        self.platform.request_stop()
        self.idp.request_stop()
        try:
            self.platform.stop()
        finally:
            self.idp.stop()


def start_mock_servers(host: str = LOOPBACK, platform_port: int = 0, idp_port: int = 0) -> MockServers:
    """Start the IdP, then the platform as its OIDC client, and register the client at the IdP.

    Port 0 lets the system pick free ports, which is what parallel test workers need.
    """
    idp = start_idp(host=host, port=idp_port)
    client_secret = secrets.token_urlsafe(24)
    try:
        platform = start_platform(
            idp_url=idp.url,
            client_id=PLATFORM_CLIENT_ID,
            client_secret=client_secret,
            host=host,
            port=platform_port,
        )
    except BaseException:
        idp.stop()
        raise
    idp_control = IdpControl(idp.url)
    idp_control.register_client(
        client_id=PLATFORM_CLIENT_ID,
        client_secret=client_secret,
        redirect_uris=[platform.extras["redirect_uri"]],
    )
    return MockServers(
        platform=platform,
        idp=idp,
        platform_control=PlatformControl(platform.url),
        idp_control=idp_control,
    )
