"""Rules of 一证通注册: R1 表单校验, R2 境外法人, R3 一个工作日审核, R4 一个办事人一个账号
(features/yzt_registration_rules.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("yzt_registration_rules.feature")
