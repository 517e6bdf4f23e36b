"""常见问题 Q1a 一部手机多个账号, on both phones (features/faq_q1a_one_phone_many_accounts.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("faq_q1a_one_phone_many_accounts.feature")
