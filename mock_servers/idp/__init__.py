"""Mock of 北京市统一身份认证平台 (一证通), the identity provider behind 北京市企业认证.

Start it with :func:`start_idp` (or build the ASGI app with :func:`create_app`)
and drive its state with :class:`IdpControl`.  It keeps the real site's URL
shape (``/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8&goto=…``) and speaks
OAuth 2.0 authorization code + PKCE with OpenID Connect ID tokens.
"""

from __future__ import annotations

from mock_servers.common.control import SmsView
from mock_servers.idp.client import IdpControl
from mock_servers.idp.control import AccountView, CaptchaView, ClientView, FaultSettings, SeedAccount
from mock_servers.idp.server import SERVER_NAME, create_app, start_idp

__all__ = [
    "SERVER_NAME",
    "AccountView",
    "CaptchaView",
    "ClientView",
    "FaultSettings",
    "IdpControl",
    "SeedAccount",
    "SmsView",
    "create_app",
    "start_idp",
]
