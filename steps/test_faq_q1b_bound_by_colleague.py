"""常见问题 Q1b 同事已绑定 (features/faq_q1b_bound_by_colleague.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("faq_q1b_bound_by_colleague.feature")
