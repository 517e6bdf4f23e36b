"""The platform mock's control interface through its typed client, against a real loopback server.

One server for the module (``start_platform`` is what the harness uses), reset before
each test, which is also how the harness isolates scenarios.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from mock_servers.common.clock import BEIJING
from mock_servers.common.control import ControlError
from mock_servers.common.server import RunningServer
from mock_servers.platform.client import PlatformControl
from mock_servers.platform.control import EnterpriseView, FaultsView
from mock_servers.platform.server import redirect_uri_for, start_platform

CODE_A = "91110108MA01ABCD2H"
CODE_B = "91110108MA01ABCD3L"


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


def test_start_platform_reports_its_url_and_redirect_uri(platform: RunningServer) -> None:
    assert platform.name == "platform mock"
    assert platform.url.startswith("http://127.0.0.1:")
    assert platform.extras["redirect_uri"] == platform.url + "/auth/yzt/callback"
    assert redirect_uri_for(platform.url + "/") == platform.extras["redirect_uri"]
    assert httpx.get(platform.url + "/").status_code == 200


def test_control_interface_has_its_own_openapi(platform: RunningServer) -> None:
    schema = httpx.get(platform.url + "/_control/openapi.json").json()
    assert {"/reset", "/users", "/users/{username}", "/bindings", "/bindings/{credit_code}", "/faults"} <= set(
        schema["paths"]
    )
    assert "/clock/advance" in schema["paths"]
    assert httpx.get(platform.url + "/_control/docs").status_code == 200
    assert httpx.get(platform.url + "/openapi.json").status_code == 404


def test_seed_and_read_a_user(control: PlatformControl) -> None:
    user = control.create_user("zhangsan01", "13812341234", "abc12345")
    assert user.username == "zhangsan01"
    assert user.mobile == "13812341234"
    assert user.enterprise is None
    assert control.get_user("ZHANGSAN01") == user


def test_seeded_user_can_log_in_on_the_website(platform: RunningServer, control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    with httpx.Client(base_url=platform.url) as browser:
        response = browser.post("/login", data={"login_id": "zhangsan01", "password": "abc12345"})
        assert response.status_code == 303
        assert "zhangsan01" in browser.get("/user/center").text


@pytest.mark.parametrize(
    ("username", "mobile", "password", "reason"),
    [
        ("zhangsan01", "13812341234", "abc12345", "409"),
        ("wangwu01", "13812341234", "abc12345", "409"),
        ("1bad", "13900000000", "abc12345", "422"),
        ("wangwu01", "23900000000", "abc12345", "422"),
        ("wangwu01", "13900000000", "onlyletters", "422"),
    ],
    ids=["username-taken", "mobile-taken", "bad-username", "bad-mobile", "bad-password"],
)
def test_seeding_obeys_the_registration_rules(
    control: PlatformControl, username: str, mobile: str, password: str, reason: str
) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    with pytest.raises(ControlError, match=f"answered {reason}"):
        control.create_user(username, mobile, password)


def test_unknown_user_is_a_clear_404(control: PlatformControl) -> None:
    with pytest.raises(ControlError, match=r"404.*no platform account named 'nobody'"):
        control.get_user("nobody")


def test_bind_list_and_read_bindings(control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    control.set_clock(datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING))
    binding = control.create_binding(CODE_A.lower(), "北京示例科技有限公司", "zhangsan01")
    assert binding.credit_code == CODE_A
    assert binding.username == "zhangsan01"
    assert abs(binding.bound_at - datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)) < timedelta(seconds=5)
    assert control.list_bindings() == [binding]
    assert control.get_binding(CODE_A) == binding
    assert control.get_user("zhangsan01").enterprise == EnterpriseView(
        name="北京示例科技有限公司", credit_code=CODE_A, certified_at=binding.bound_at
    )
    # Binding the same pair again is not an error and changes nothing.
    assert control.create_binding(CODE_A, "北京示例科技有限公司", "zhangsan01") == binding


def test_binding_rules(control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    control.create_user("lisi_2026", "13900001111", "abc12345")
    first = control.create_binding(CODE_A, "北京示例科技有限公司", "zhangsan01")
    with pytest.raises(ControlError, match=r"409.*bound to account 'zhangsan01'"):
        control.create_binding(CODE_A, "北京示例科技有限公司", "lisi_2026")
    with pytest.raises(ControlError, match=r"409.*is bound to enterprise"):
        control.create_binding(CODE_B, "北京另一家有限公司", "zhangsan01")
    with pytest.raises(ControlError, match=r"404.*no platform account named 'nobody'"):
        control.create_binding(CODE_B, "北京另一家有限公司", "nobody")
    assert control.list_bindings() == [first]


def test_unbinding(control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    control.create_binding(CODE_A, "北京示例科技有限公司", "zhangsan01")
    control.delete_binding(CODE_A)
    assert control.list_bindings() == []
    assert control.get_user("zhangsan01").enterprise is None
    with pytest.raises(ControlError, match=r"404.*no binding for credit code"):
        control.delete_binding(CODE_A)
    with pytest.raises(ControlError, match="404"):
        control.get_binding(CODE_A)


def test_delete_binding_status_codes(platform: RunningServer, control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    control.create_binding(CODE_A, "北京示例科技有限公司", "zhangsan01")
    assert httpx.delete(f"{platform.url}/_control/bindings/{CODE_A}").status_code == 204
    assert httpx.delete(f"{platform.url}/_control/bindings/{CODE_A}").status_code == 404


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


def test_reset_forgets_everything_a_test_changed(platform: RunningServer, control: PlatformControl) -> None:
    control.create_user("zhangsan01", "13812341234", "abc12345")
    control.create_binding(CODE_A, "北京示例科技有限公司", "zhangsan01")
    control.set_faults(down=True)
    control.advance_clock(timedelta(days=30))
    with httpx.Client(base_url=platform.url) as browser:
        control.set_faults(down=False)
        browser.post("/login", data={"login_id": "zhangsan01", "password": "abc12345"})
        control.reset()
        # The session died with the account.
        assert browser.get("/user/center").status_code == 303
    with pytest.raises(ControlError, match="404"):
        control.get_user("zhangsan01")
    assert control.list_bindings() == []
    assert control.get_faults() == FaultsView(down=False)
    assert abs(control.now() - datetime.now(BEIJING)) < timedelta(seconds=5)


def test_bad_control_requests_get_json_errors(platform: RunningServer) -> None:
    response = httpx.post(platform.url + "/_control/users", json={"username": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    response = httpx.post(platform.url + "/_control/bindings", content=b"not json")
    assert response.status_code == 422
    assert httpx.get(platform.url + "/_control/nothing").status_code == 404


def test_client_reports_an_unreachable_mock_clearly() -> None:
    client = PlatformControl("http://127.0.0.1:9", timeout_s=1)
    with pytest.raises(ControlError, match="Is the mock running"):
        client.list_bindings()
    client.close()
