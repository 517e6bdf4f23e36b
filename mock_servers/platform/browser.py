"""Which browsers the platform recommends (谷歌浏览器 or 360安全浏览器极速模式).

The guide's step 1 recommends them; the home page shows a hint to anyone else.  Decided from
the User-Agent only, as the real site would: Edge and Opera also say "Chrome/", so they are
excluded by their own tokens.  360's markers (360SE, 360EE, QIHU) count even without "Chrome/"
(some 极速模式 versions leave it out), but only on Chrome's engine: its 兼容模式 sends the same
markers from Internet Explorer's engine (Trident, MSIE), which the guide does not recommend.
"""

from __future__ import annotations

_CHROME_TOKEN = "Chrome/"  # also matches "HeadlessChrome/", which is Chrome
_NOT_CHROME_TOKENS = ("Edg/", "OPR/", "Firefox/")
_360_TOKENS = ("360SE", "360EE", "QIHU")
_IE_ENGINE_TOKENS = ("Trident/", "MSIE ")

BROWSER_HINT = "您当前使用的浏览器可能无法正常使用本平台的部分功能，建议使用谷歌浏览器或者360安全浏览器极速模式访问。"


def is_recommended_browser(user_agent: str | None) -> bool:
    agent = user_agent or ""
    if any(token in agent for token in _IE_ENGINE_TOKENS):
        return False  # Internet Explorer, or 360's 兼容模式 on its engine
    if any(token in agent for token in _360_TOKENS):
        return True
    return _CHROME_TOKEN in agent and not any(token in agent for token in _NOT_CHROME_TOKENS)
