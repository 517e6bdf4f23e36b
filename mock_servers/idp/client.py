"""Typed Python client of the IdP mock's control interface, for the harness's fixtures."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from mock_servers.common.control import ControlClientBase
from mock_servers.idp.control import (
    AccountView,
    CaptchaView,
    ClientRegistration,
    ClientView,
    FaultSettings,
    SeedAccount,
)
from mock_servers.idp.validation import IdType


class IdpControl(ControlClientBase):
    """``IdpControl(idp.url)``; every method is one call to ``/_control`` and raises ControlError on failure."""

    mock_name = "一证通 identity provider mock"

    def seed_account(
        self,
        *,
        account: str,
        password: str | None,
        mobile: str,
        enterprise_name: str,
        credit_code: str,
        legal_person_name: str,
        legal_person_id_number: str,
        legal_person_id_type: IdType = "resident_id",
        reviewed: bool = True,
    ) -> AccountView:
        """Create an account directly; ``password=None`` is an account opened another way.

        The data must pass the registration form's rules (a valid 统一社会信用代码/组织机构代码
        and ID number): SeedAccount checks them here, before any call, and raises
        pydantic's ValidationError.  A taken name is the mock's 409, a ControlError.
        """
        body = SeedAccount(
            account=account,
            password=password,
            mobile=mobile,
            enterprise_name=enterprise_name,
            credit_code=credit_code,
            legal_person_name=legal_person_name,
            legal_person_id_type=legal_person_id_type,
            legal_person_id_number=legal_person_id_number,
            reviewed=reviewed,
        )
        return self.create_account(body)

    def create_account(self, body: SeedAccount) -> AccountView:
        """``seed_account`` for a ready-made :class:`SeedAccount`."""
        return AccountView.model_validate(self._call("POST", "/accounts", json=body.model_dump(mode="json")))

    def get_account(self, account: str) -> AccountView:
        return AccountView.model_validate(self._call("GET", f"/accounts/{quote(account, safe='')}"))

    def get_captcha(self, captcha_id: str) -> CaptchaView:
        return CaptchaView.model_validate(self._call("GET", f"/captchas/{quote(captcha_id, safe='')}"))

    def captcha_answer(self, captcha_id: str) -> str:
        """The answer to type for the captcha whose id the page carries in its hidden ``captcha_id`` input."""
        return self.get_captcha(captcha_id).answer

    def register_client(self, client_id: str, client_secret: str, redirect_uris: Sequence[str]) -> ClientView:
        body = ClientRegistration(client_id=client_id, client_secret=client_secret, redirect_uris=list(redirect_uris))
        return ClientView.model_validate(self._call("POST", "/clients", json=body.model_dump()))

    def set_faults(self, *, down: bool = False, delay_seconds: float = 0.0) -> FaultSettings:
        """Replace the faults: down, slow, or neither (this also drops pending token-request failures)."""
        body = FaultSettings(down=down, delay_seconds=delay_seconds)
        return FaultSettings.model_validate(self._call("PUT", "/faults", json=body.model_dump()))

    def fail_next_token_request(self) -> None:
        """Make the next request to the token endpoint answer 503 ``temporarily_unavailable``.

        Each call queues one more failure; the request after them works again.  An
        outage (``set_faults(down=True)``) answers first and leaves them queued.
        """
        self._call("POST", "/faults/fail-next-token-request")

    def get_faults(self) -> FaultSettings:
        return FaultSettings.model_validate(self._call("GET", "/faults"))
