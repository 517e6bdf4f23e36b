"""R6 SSO 完整性 as a user sees it (features/sso_integrity.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("sso_integrity.feature")
