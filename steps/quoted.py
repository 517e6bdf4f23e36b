"""Reading lists out of step text: "证书登录"、"口令登录"和"电子证照" → [证书登录, 口令登录, 电子证照]."""

from __future__ import annotations

import re

_QUOTED = re.compile(r'"([^"]+)"')


def quoted_list(text: str) -> list[str]:
    items = _QUOTED.findall(text)
    if not items:
        raise ValueError(f'expected one or more "quoted" items in {text!r}')
    return items
