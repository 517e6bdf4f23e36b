"""Posting forms to an in-process mock (Starlette's ``TestClient``) with the page's CSRF token.

The in-process half of ``fixtures.form_client``: only the mocks' own tests use it, so the harness
(steps, ``python -m flows``) never imports Starlette's test client and its deprecation warning.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from fixtures.form_client import FormTokens


class FormTestClient(FormTokens, TestClient):
    """Starlette's ``TestClient`` (in-process apps) that posts forms with their token."""

    def __init__(self, app: Any, *, token_page: str, no_forms: tuple[str, ...] = (), **kwargs: Any) -> None:
        TestClient.__init__(self, app, **kwargs)
        self.token_page = token_page
        self.no_forms = no_forms
