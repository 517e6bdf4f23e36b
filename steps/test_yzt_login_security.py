"""R5 登录安全 on the 一证通 口令登录 page (features/yzt_login_security.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("yzt_login_security.feature")
