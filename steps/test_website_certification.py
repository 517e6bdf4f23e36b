"""方式一: the website journey (features/website_certification.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("website_certification.feature")
