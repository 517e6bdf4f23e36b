"""Bundled mocks of the platform (北京市中小企业公共服务平台) and the identity provider (一证通).

This module is the mocks' public interface for the harness: start both servers
wired to each other, and get typed clients for their control interfaces.
Nothing here imports from the harness (pages/, steps/, fixtures/).

The names are imported when first used (PEP 562): the servers pull in FastAPI, uvicorn, Authlib
and the templates, about half a second of imports that a pytest run would otherwise pay while
collecting, and that importing a light part such as ``mock_servers.common.csrf`` should not cost.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_servers.common.control import ControlError, SmsView
    from mock_servers.common.server import PortInUseError
    from mock_servers.idp.client import IdpControl
    from mock_servers.pair import MockServers, start_mock_servers
    from mock_servers.platform.client import PlatformControl

_WHERE = {
    "ControlError": "mock_servers.common.control",
    "SmsView": "mock_servers.common.control",
    "PortInUseError": "mock_servers.common.server",
    "IdpControl": "mock_servers.idp.client",
    "MockServers": "mock_servers.pair",
    "start_mock_servers": "mock_servers.pair",
    "PlatformControl": "mock_servers.platform.client",
}

__all__ = [
    "ControlError",
    "IdpControl",
    "MockServers",
    "PlatformControl",
    "PortInUseError",
    "SmsView",
    "start_mock_servers",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
