"""The device comes from the scenario: @app scenarios run on both phones, the rest on the desktop (fixtures.devices)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from fixtures.devices import PHONES, DeviceProfile, desktop_context_args, phones_for

REPO = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: zh-CN
功能: 设备
  @app
  场景: 手机上的场景
    那么浏览器是一部手机

  @app @iphone
  场景: 只在iPhone上的场景
    那么浏览器是一部手机

  场景: 电脑上的场景
    那么浏览器是一台电脑

  场景大纲: 电脑上的某种浏览器
    那么浏览器说它是<浏览器>

    例子:
      | 浏览器     |
      | 火狐浏览器 |
"""

STEPS = """\
from pytest_bdd import parsers, scenarios, then

from fixtures.devices import DESKTOP_USER_AGENTS, PHONES

scenarios("devices.feature")


@then("浏览器是一部手机")
def a_phone(page, playwright, device_profile):
    descriptor = playwright.devices[PHONES[device_profile.key]]
    assert page.viewport_size == descriptor["viewport"]
    assert page.evaluate("navigator.userAgent") == descriptor["user_agent"]
    assert page.evaluate("navigator.maxTouchPoints") > 0
    # A second browser of the same scenario is the same phone.
    other = page.context.browser.contexts[-1]
    assert other is page.context


@then("浏览器是一台电脑")
def a_computer(page):
    assert page.viewport_size == {"width": 1366, "height": 900}
    assert page.evaluate("navigator.maxTouchPoints") == 0


@then(parsers.parse("浏览器说它是{name}"))
def a_named_browser(page, name):
    assert page.evaluate("navigator.userAgent") == DESKTOP_USER_AGENTS[name]
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makefile(".feature", devices=FEATURE)
    pytester.makepyfile(test_devices=STEPS)
    pytester.makeini(
        "[pytest]\ndisable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n"
        "markers =\n    app: app\n    iphone: iPhone\n    android: Android\n"
    )
    # As in the harness's root conftest: registered after pytest-playwright, so these fixtures override its own.
    pytester.makeconftest(
        'pytest_plugins = ["fixtures.devices", "fixtures.browser", "fixtures.bdd_report_xdist", '
        '"fixtures.bdd_report_tags"]'
    )
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", *args)


def test_app_scenarios_run_on_each_phone_and_the_rest_on_the_desktop(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = pytester.path / "cucumber.json"
    result = _run(pytester, monkeypatch, f"--cucumberjson={report}")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines_random(
        [
            "PASSED test_devices.py::test_手机上的场景[[]iphone[]]",
            "PASSED test_devices.py::test_手机上的场景[[]android[]]",
            "PASSED test_devices.py::test_只在iphone上的场景[[]iphone[]]",
            "PASSED test_devices.py::test_电脑上的场景",
            "PASSED test_devices.py::test_电脑上的某种浏览器[[]火狐浏览器[]]",
        ]
    )
    [feature] = json.loads(report.read_text(encoding="utf-8"))
    phone_runs = {e["id"]: e for e in feature["elements"] if e["name"] == "手机上的场景"}
    iphone = phone_runs["test_手机上的场景[iphone]"]
    assert {"name": "iphone", "line": iphone["line"] - 1} in iphone["tags"]
    assert iphone["description"].startswith("设备：iPhone 15（Chromium")
    android = phone_runs["test_手机上的场景[android]"]
    assert "Pixel 7" in android["description"]


def test_one_phone_is_selected_by_its_marker(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "-m", "android")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["PASSED test_devices.py::test_手机上的场景[[]android[]]"])


def test_pytest_playwright_device_option_is_refused_with_what_to_do(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(pytester, monkeypatch, "--device", "iPhone 15")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*the scenario chooses its device*@app*"])


def test_phones_follow_the_tags() -> None:
    assert phones_for({"W1"}) == []
    assert phones_for({"app", "A1"}) == list(PHONES)
    assert phones_for({"app", "android"}) == ["android"]


def test_a_phone_run_on_another_engine_says_so() -> None:
    stand_in = DeviceProfile("iphone", "iPhone 15", {}, engine="chromium", wanted_engine="webkit")
    assert stand_in.describe() == "设备：iPhone 15（Chromium 模拟；未安装 WebKit）"
    native = DeviceProfile("iphone", "iPhone 15", {}, engine="webkit", wanted_engine="webkit")
    assert native.describe() == "设备：iPhone 15（WebKit）"


def test_the_desktop_arguments_replace_every_key_a_phone_sets(playwright: Playwright) -> None:
    for name in PHONES.values():
        phone_keys = set(playwright.devices[name]) - {"default_browser_type"}
        assert phone_keys <= set(desktop_context_args()), f"{name} sets keys a desktop context would keep"
