"""方式二: the app journey, on an iPhone and an Android phone (features/app_certification.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("app_certification.feature")
