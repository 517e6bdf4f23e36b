"""常见问题 Q2 没有口令密码 (features/faq_q2_no_password.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("faq_q2_no_password.feature")
