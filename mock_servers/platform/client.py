"""Typed client of the platform mock's control interface (used by the harness's fixtures)."""

from __future__ import annotations

from urllib.parse import quote

from mock_servers.common.control import ControlClientBase
from mock_servers.platform.control import Binding, FaultsView, NewBinding, SeedUser, UserView
from mock_servers.platform.sso import IDP_TIMEOUT_S


class PlatformControl(ControlClientBase):
    """One method per endpoint of ``/_control``; clock and ``reset()`` come from the base class.

    Failed calls raise :class:`mock_servers.common.control.ControlError` naming the call
    and the mock's answer (e.g. 404 for an unknown account, 409 for a taken username).
    """

    mock_name = "platform mock"

    def create_user(self, username: str, mobile: str, password: str) -> UserView:
        """A platform account, as if registered through 用户注册 (409 if the username or mobile is taken)."""
        body = SeedUser(username=username, mobile=mobile, password=password)
        return UserView.model_validate(self._call("POST", "/users", json=body.model_dump()))

    def get_user(self, username: str) -> UserView:
        return UserView.model_validate(self._call("GET", f"/users/{quote(username, safe='')}"))

    def list_bindings(self) -> list[Binding]:
        return [Binding.model_validate(item) for item in self._call("GET", "/bindings")]

    def get_binding(self, credit_code: str) -> Binding:
        return Binding.model_validate(self._call("GET", f"/bindings/{quote(credit_code, safe='')}"))

    def create_binding(self, credit_code: str, enterprise_name: str, username: str) -> Binding:
        body = NewBinding(credit_code=credit_code, enterprise_name=enterprise_name, username=username)
        return Binding.model_validate(self._call("POST", "/bindings", json=body.model_dump()))

    def delete_binding(self, credit_code: str) -> None:
        """解绑, as the call center would do it."""
        self._call("DELETE", f"/bindings/{quote(credit_code, safe='')}")

    def get_faults(self) -> FaultsView:
        return FaultsView.model_validate(self._call("GET", "/faults"))

    def set_faults(self, *, down: bool = False, idp_timeout_seconds: float = IDP_TIMEOUT_S) -> FaultsView:
        body = FaultsView(down=down, idp_timeout_seconds=idp_timeout_seconds)
        return FaultsView.model_validate(self._call("PUT", "/faults", json=body.model_dump()))
