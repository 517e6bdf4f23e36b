"""Tell a phone from a computer by its User-Agent header, as the real sites behind the mocks do.

The platform's app (北京通企服版 APP) opens the IdP in a web view on the phone, and the
IdP then shows its mobile pages: a phone layout, and "please do this on a PC" instead of
the registration wizard and password recovery (常见问题 Q3, Q4).  Sniffing the
User-Agent is crude, but it is what such government sites do, and it is what a
browser test controls with Playwright's device descriptors.
"""

from __future__ import annotations

import re
from typing import Final

# The tokens that phones' browsers and web views send: iOS Safari and WKWebView
# ("iPhone … Mobile/15E148"), Android Chrome and WebView ("Android 14; Pixel 7 …
# Mobile Safari"), Firefox for Android ("Android 14; Mobile; rv:…").  Desktop
# Chrome, Firefox, Edge and Safari, and HeadlessChrome, send none of them.
# Android tablets ("Android" without "Mobile") and iPads ("Mobile/15E148") count as
# phones too: the app runs on them and the mobile pages serve them as well.
_PHONE_TOKENS: Final = re.compile(r"iPhone|Android|Mobile")


def is_phone(user_agent: str | None) -> bool:
    """True when ``user_agent`` (a ``User-Agent`` header, possibly absent) is a phone's browser or web view."""
    return user_agent is not None and _PHONE_TOKENS.search(user_agent) is not None
