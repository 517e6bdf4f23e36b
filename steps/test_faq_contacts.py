"""The guide's contacts on the pages where people need them (features/faq_contacts.feature)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("faq_contacts.feature")
