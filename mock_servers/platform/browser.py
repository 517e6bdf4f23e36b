"""Which browsers the platform recommends (谷歌浏览器 or 360安全浏览器极速模式).

The guide's step 1 recommends them; the home page shows a hint to anyone else.  Decided from
the User-Agent only, as the real site would: Edge and Opera also say "Chrome/", so they are
excluded by their own tokens, and 360's markers count even without "Chrome/".
"""

from __future__ import annotations

_CHROME_TOKEN = "Chrome/"  # also matches "HeadlessChrome/", which is Chrome
_NOT_CHROME_TOKENS = ("Edg/", "OPR/", "Firefox/")
_360_TOKENS = ("360SE", "360EE", "QIHU")

BROWSER_HINT = "您当前使用的浏览器可能无法正常使用本平台的部分功能，建议使用谷歌浏览器或者360安全浏览器极速模式访问。"


def is_recommended_browser(user_agent: str | None) -> bool:
    agent = user_agent or ""
    if any(token in agent for token in _360_TOKENS):
        return True
    return _CHROME_TOKEN in agent and not any(token in agent for token in _NOT_CHROME_TOKENS)
