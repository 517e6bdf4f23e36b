"""The platform mock's control interface through its typed client, against a real loopback server.

One server for the module (``start_platform`` is what the harness uses), reset before
each test, which is also how the harness isolates scenarios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from fixtures.form_client import FormClient
from fixtures.test_data import Enterprise, PlatformAccount
from mock_servers.common.clock import BEIJING
from mock_servers.common.control import ControlError
from mock_servers.common.server import RunningServer
from mock_servers.platform.client import PlatformControl
from mock_servers.platform.control import EnterpriseView, FaultsView, UserView
from mock_servers.platform.server import redirect_uri_for, start_platform

# How a candidate account is made from the one already seeded and a fresh valid one.
Candidate = Callable[[PlatformAccount, PlatformAccount], PlatformAccount]


@pytest.fixture(scope="module")
def platform() -> Iterator[RunningServer]:
    # No IdP is needed for these tests; the platform only contacts it during 企业认证.
    server = start_platform(idp_url="http://127.0.0.1:9", client_id="smebj-platform", client_secret="unused")
    yield server
    server.stop()


@pytest.fixture
def control(platform: RunningServer) -> Iterator[PlatformControl]:
    client = PlatformControl(platform.url)
    client.reset()
    yield client
    client.close()


def fresh_with(**changes: str) -> Candidate:
    """The fresh account with ``changes`` typed in instead (so only that field is wrong)."""
    return lambda seeded, fresh: fresh.model_copy(update=changes)


def seed(control: PlatformControl, account: PlatformAccount) -> None:
    control.create_user(account.username, account.mobile, account.password)


def test_start_platform_reports_its_url_and_redirect_uri(platform: RunningServer) -> None:
    assert platform.name == "platform mock"
    assert platform.url.startswith("http://127.0.0.1:")
    assert platform.extras["redirect_uri"] == platform.url + "/auth/yzt/callback"
    assert redirect_uri_for(platform.url + "/") == platform.extras["redirect_uri"]
    assert httpx.get(platform.url + "/").status_code == 200


def test_control_interface_has_its_own_openapi(platform: RunningServer) -> None:
    schema = httpx.get(platform.url + "/_control/openapi.json").json()
    assert {"/reset", "/users", "/users/{username}", "/bindings", "/bindings/{credit_code}", "/faults", "/sms"} <= set(
        schema["paths"]
    )
    assert "/clock/advance" in schema["paths"]
    assert httpx.get(platform.url + "/_control/docs").status_code == 200
    assert httpx.get(platform.url + "/openapi.json").status_code == 404


def test_seed_and_read_a_user(control: PlatformControl, platform_account: PlatformAccount) -> None:
    user = control.create_user(platform_account.username, platform_account.mobile, platform_account.password)
    assert user.username == platform_account.username
    assert user.mobile == platform_account.mobile
    assert user.enterprise is None
    assert control.get_user(platform_account.username.upper()) == user


def test_seeded_user_can_log_in_on_the_website(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount
) -> None:
    seed(control, platform_account)
    with FormClient(token_page="/login", base_url=platform.url) as browser:
        login = {"login_id": platform_account.username, "password": platform_account.password}
        assert browser.post("/login", data=login).status_code == 303
        assert platform_account.username in browser.get("/user/center").text


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        pytest.param(lambda seeded, fresh: seeded, "409", id="username-taken"),
        pytest.param(
            lambda seeded, fresh: fresh.model_copy(update={"mobile": seeded.mobile}), "409", id="mobile-taken"
        ),
        pytest.param(fresh_with(username="1bad"), "422", id="bad-username"),
        pytest.param(fresh_with(mobile="23900000000"), "422", id="bad-mobile"),
        pytest.param(fresh_with(password="onlyletters"), "422", id="bad-password"),
    ],
)
def test_seeding_obeys_the_registration_rules(
    control: PlatformControl,
    platform_account: PlatformAccount,
    colleague: PlatformAccount,
    candidate: Candidate,
    reason: str,
) -> None:
    seed(control, platform_account)
    account = candidate(platform_account, colleague)
    with pytest.raises(ControlError, match=f"answered {reason}"):
        control.create_user(account.username, account.mobile, account.password)


def test_unknown_user_is_a_clear_404(control: PlatformControl) -> None:
    with pytest.raises(ControlError, match=r"404.*no platform account named 'nobody'") as raised:
        control.get_user("nobody")
    assert raised.value.status == 404


def test_bind_list_and_read_bindings(
    control: PlatformControl, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    seed(control, platform_account)
    username, code = platform_account.username, enterprise.credit_code
    control.set_clock(datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING))
    binding = control.create_binding(code.lower(), enterprise.name, username)
    assert binding.credit_code == code
    assert binding.username == username
    assert abs(binding.bound_at - datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)) < timedelta(seconds=5)
    assert control.list_bindings() == [binding]
    assert control.get_binding(code) == binding
    assert control.get_user(username).enterprise == EnterpriseView(
        name=enterprise.name, credit_code=code, certified_at=binding.bound_at
    )
    # Binding the same pair again is not an error and changes nothing.
    assert control.create_binding(code, enterprise.name, username) == binding


def test_binding_rules(
    control: PlatformControl,
    platform_account: PlatformAccount,
    colleague: PlatformAccount,
    enterprise: Enterprise,
    other_enterprise: Enterprise,
) -> None:
    seed(control, platform_account)
    seed(control, colleague)
    username = platform_account.username
    first = control.create_binding(enterprise.credit_code, enterprise.name, username)
    with pytest.raises(ControlError, match=rf"409.*bound to account '{username}'"):
        control.create_binding(enterprise.credit_code, enterprise.name, colleague.username)
    with pytest.raises(ControlError, match=r"409.*is bound to enterprise"):
        control.create_binding(other_enterprise.credit_code, other_enterprise.name, username)
    with pytest.raises(ControlError, match=r"404.*no platform account named 'nobody'"):
        control.create_binding(other_enterprise.credit_code, other_enterprise.name, "nobody")
    assert control.list_bindings() == [first]


def test_unbinding(control: PlatformControl, platform_account: PlatformAccount, enterprise: Enterprise) -> None:
    seed(control, platform_account)
    control.create_binding(enterprise.credit_code, enterprise.name, platform_account.username)
    control.delete_binding(enterprise.credit_code)
    assert control.list_bindings() == []
    assert control.get_user(platform_account.username).enterprise is None
    with pytest.raises(ControlError, match=r"404.*no binding for credit code"):
        control.delete_binding(enterprise.credit_code)
    with pytest.raises(ControlError, match="404"):
        control.get_binding(enterprise.credit_code)


def test_delete_binding_status_codes(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    seed(control, platform_account)
    control.create_binding(enterprise.credit_code, enterprise.name, platform_account.username)
    assert httpx.delete(f"{platform.url}/_control/bindings/{enterprise.credit_code}").status_code == 204
    assert httpx.delete(f"{platform.url}/_control/bindings/{enterprise.credit_code}").status_code == 404


def test_faults(platform: RunningServer, control: PlatformControl) -> None:
    assert control.get_faults() == FaultsView(down=False)
    assert control.set_faults(down=True) == FaultsView(down=True)
    response = httpx.get(platform.url + "/login")
    assert response.status_code == 503
    assert "平台维护中" in response.text
    control.set_faults(down=False)
    assert httpx.get(platform.url + "/login").status_code == 200


def test_clock(control: PlatformControl) -> None:
    before = control.now()
    after = control.advance_clock(timedelta(days=3))
    assert timedelta(days=3) <= after - before < timedelta(days=3, seconds=5)
    moment = datetime(2026, 11, 27, 9, 0, tzinfo=BEIJING)
    assert abs(control.set_clock(moment) - moment) < timedelta(seconds=5)


def test_reset_forgets_everything_a_test_changed(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount, enterprise: Enterprise
) -> None:
    control.send_sms_code(platform_account.mobile)  # before the number has an account
    seed(control, platform_account)
    control.create_binding(enterprise.credit_code, enterprise.name, platform_account.username)
    control.set_faults(down=True)
    control.advance_clock(timedelta(days=30))
    with FormClient(token_page="/login", base_url=platform.url) as browser:
        control.set_faults(down=False)
        browser.post("/login", data={"login_id": platform_account.username, "password": platform_account.password})
        control.reset()
        # The session died with the account.
        assert browser.get("/user/center").status_code == 303
    with pytest.raises(ControlError, match="404"):
        control.get_user(platform_account.username)
    assert control.list_bindings() == []
    assert control.sms_outbox() == []
    control.send_sms_code(platform_account.mobile)  # no cooldown left over either
    assert control.get_faults() == FaultsView(down=False)
    assert abs(control.now() - datetime.now(BEIJING)) < timedelta(seconds=5)


# --- app accounts and SMS ---------------------------------------------------------------------


def test_seed_an_app_account(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount
) -> None:
    mobile, password = platform_account.mobile, platform_account.password
    user = control.create_user(mobile=mobile, password=password, nickname="王小明", user_type="personal")
    assert user == UserView(username=mobile, mobile=mobile, nickname="王小明", user_type="personal", enterprise=None)
    assert control.get_user(mobile) == user
    with FormClient(token_page="/login", base_url=platform.url) as phone:
        assert phone.post("/m/login", data={"mobile": mobile, "password": password}).status_code == 303
        assert '<p class="profile__name">王小明</p>' in phone.get("/m/me").text
    with pytest.raises(ControlError, match="该手机号码已注册") as raised:
        control.create_user(mobile=mobile, password=password, nickname="别人", user_type="enterprise")
    assert raised.value.status == 409


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        pytest.param({}, {"nickname", "user_type"}, id="nickname-and-type-missing"),
        pytest.param({"nickname": "x" * 21, "user_type": "personal"}, {"nickname"}, id="nickname-too-long"),
        pytest.param({"nickname": "小王", "user_type": "personal", "password": "abc"}, {"password"}, id="bad-password"),
    ],
)
def test_app_accounts_obey_the_apps_rules(
    platform: RunningServer, control: PlatformControl, body: dict[str, str], fields: set[str]
) -> None:
    seed = {"mobile": "13912345678", "password": "abc12345", **body}
    response = httpx.post(platform.url + "/_control/users", json=seed)
    assert response.status_code == 422
    assert set(response.json()["detail"]["errors"]) == fields
    assert "app account" in response.json()["detail"]["hint"]  # says what makes a valid seed
    with pytest.raises(ControlError):
        control.get_user("13912345678")


def test_seed_a_website_account_with_a_nickname(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount
) -> None:
    account = platform_account
    user = control.create_user(account.username, account.mobile, account.password, nickname="小李")
    assert (user.username, user.nickname, user.user_type) == (account.username, "小李", None)
    with FormClient(token_page="/login", base_url=platform.url) as browser:
        browser.post("/login", data={"login_id": account.username, "password": account.password})
        assert '>小李<span class="caret"' in browser.get("/").text
    with pytest.raises(ControlError, match="昵称不能超过20个字符") as raised:
        control.create_user("another1", "13700001111", "abc12345", nickname="x" * 21)
    assert raised.value.status == 422


def test_send_and_read_sms_codes(control: PlatformControl) -> None:
    first = control.send_sms_code("13912345678")
    assert first.mobile == "13912345678"
    assert first.purpose == "register"
    assert first.text == f"【北京通企服版】您的验证码为{first.code}，5分钟内有效。如非本人操作，请忽略本短信。"
    other = control.send_sms_code("13700001111")
    assert control.sms_outbox("13912345678") == [first]
    with pytest.raises(ControlError, match="验证码发送过于频繁，请60秒后再试") as raised:
        control.send_sms_code("13912345678")
    assert raised.value.status == 429
    assert "clock/advance" in str(raised.value)
    control.advance_clock(timedelta(seconds=60))
    second = control.send_sms_code("13912345678")
    assert control.sms_outbox("13912345678") == [second, first]
    assert control.sms_outbox() == [second, other, first]


def test_sms_codes_follow_the_registration_rules(
    platform: RunningServer, control: PlatformControl, platform_account: PlatformAccount
) -> None:
    seed(control, platform_account)
    with pytest.raises(ControlError, match="该手机号码已注册") as raised:
        control.send_sms_code(platform_account.mobile)
    assert raised.value.status == 409
    with pytest.raises(ControlError, match="手机号码应为11位") as raised:
        control.send_sms_code("12345")
    assert raised.value.status == 422
    with pytest.raises(ControlError, match="手机号码格式不正确") as raised:
        control.send_sms_code("23912345678")
    assert raised.value.status == 422
    with pytest.raises(ControlError, match="unknown purpose") as raised:
        control.send_sms_code("13912345678", purpose="reset_password")
    assert raised.value.status == 422
    assert control.sms_outbox() == []


def test_bad_control_requests_get_json_errors(platform: RunningServer) -> None:
    response = httpx.post(platform.url + "/_control/users", json={"username": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    response = httpx.post(platform.url + "/_control/bindings", content=b"not json")
    assert response.status_code == 422
    assert httpx.get(platform.url + "/_control/nothing").status_code == 404


def test_client_reports_an_unreachable_mock_clearly() -> None:
    client = PlatformControl("http://127.0.0.1:9", timeout_s=1)
    with pytest.raises(ControlError, match="Is the mock running") as raised:
        client.list_bindings()
    assert raised.value.status is None
    client.close()
