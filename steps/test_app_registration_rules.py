"""R7 APP 注册校验, on an iPhone and an Android phone (features/app_registration_rules.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("app_registration_rules.feature")
