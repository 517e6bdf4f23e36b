"""Typed client of the platform mock's control interface (used by the harness's fixtures)."""

from __future__ import annotations

from typing import overload
from urllib.parse import quote

from mock_servers.common.control import ControlClientBase, SmsView
from mock_servers.platform.control import Binding, FaultsView, NewBinding, SeedUser, SmsRequest, UserView
from mock_servers.platform.sso import IDP_TIMEOUT_S
from mock_servers.platform.state import UserType


class PlatformControl(ControlClientBase):
    """One method per endpoint of ``/_control``; clock and ``reset()`` come from the base class.

    Failed calls raise :class:`mock_servers.common.control.ControlError` naming the call
    and the mock's answer (``.status``: 404 for an unknown account, 409 for a taken username,
    422 for data the registration rules refuse, 429 for an SMS rate limit).
    """

    mock_name = "platform mock"

    @overload
    def create_user(
        self,
        username: str,
        mobile: str,
        password: str,
        *,
        nickname: str | None = None,
        user_type: UserType | None = None,
    ) -> UserView: ...

    @overload
    def create_user(
        self,
        username: None = None,
        *,
        mobile: str,
        password: str,
        nickname: str,
        user_type: UserType,
    ) -> UserView: ...

    def create_user(
        self,
        username: str | None = None,
        mobile: str | None = None,
        password: str | None = None,
        *,
        nickname: str | None = None,
        user_type: UserType | None = None,
    ) -> UserView:
        """A platform account, as if registered on the website (用户注册) or, without a username, in the app (注册).

        An app account's username is its mobile number, and it needs a nickname and a user type.
        409 if the username or mobile is taken, 422 if the registration rules refuse the data.
        """
        if mobile is None or password is None:
            raise TypeError("create_user needs mobile and password")
        body = SeedUser(username=username, mobile=mobile, password=password, nickname=nickname, user_type=user_type)
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

    def send_sms_code(self, mobile: str, purpose: str = "register") -> SmsView:
        """Send a code as 获取验证码 would, same rules and rate limits (429 when refused); the message sent."""
        body = SmsRequest(mobile=mobile, purpose=purpose)
        return SmsView.model_validate(self._call("POST", "/sms", json=body.model_dump()))

    def get_faults(self) -> FaultsView:
        return FaultsView.model_validate(self._call("GET", "/faults"))

    def set_faults(self, *, down: bool = False, idp_timeout_seconds: float = IDP_TIMEOUT_S) -> FaultsView:
        body = FaultsView(down=down, idp_timeout_seconds=idp_timeout_seconds)
        return FaultsView.model_validate(self._call("PUT", "/faults", json=body.model_dump()))
