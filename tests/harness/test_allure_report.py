"""The Allure results (fixtures/allure_report.py over allure-pytest-bdd) and the HTML report made from them.

Each test runs a tiny feature in an inner pytest session, as the harness runs the real ones: a
scenario that fails in the browser, one that fails once and passes on its rerun, an ``@app`` one on
both phones, and one whose set-up breaks. The plugins are registered through a conftest.py, as the
root conftest registers them, so their fixtures override pytest-playwright's and their report hook
runs where it must (after pytest-playwright's, before allure-pytest-bdd's).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: zh-CN
@web
功能: 报告里的场景
  作为产品负责人
  我希望在报告里读到每个场景

  规则: 失败要看得见
    @W5
    场景: 在浏览器里失败的场景
      假如我打开一个页面
      那么页面显示"已认证"

    @W1
    场景: 重跑后才通过的场景
      假如我打开一个页面
      那么第一次运行时失败

  规则: 每部手机各跑一次
    @app @A2
    场景: 手机上的场景
      假如我打开一个页面
      那么页面显示"未认证"

    场景: 准备时就出错的场景
      假如准备工作出错
      那么页面显示"未认证"
"""

STEPS = """\
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then

scenarios("report.feature")


@pytest.fixture(autouse=True)
def _setup_that_breaks(request):
    # Breaks before the scenario starts, as a mock that does not come up would.
    if "准备时就出错" in request.node.name:
        raise RuntimeError("模拟服务没有启动")


@given("我打开一个页面")
def open_page(page):
    page.set_content("<h1>未认证</h1>")


@given("准备工作出错")
def never_reached():
    raise AssertionError("not reached: the set-up failed")


@then(parsers.parse('页面显示"{text}"'))
def shows(page, text):
    expect(page.get_by_role("heading", name=text)).to_be_visible(timeout=500)


@then("第一次运行时失败")
def fails_the_first_time():
    marker = Path("attempted")
    if not marker.exists():
        marker.write_text("1")
        raise AssertionError("第一次运行失败")
"""

# Stands in for pytest-playwright's --video, which needs Playwright's own ffmpeg (a download that
# machines without the internet cannot make): lists a video for a failed test the way
# pytest-playwright does, from a wrapper inside this module's own.
FAKE_VIDEO_PLUGIN = """\
from pathlib import Path

import pytest


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "teardown" and getattr(item, "rep_call", None) is not None and item.rep_call.failed:
        video = Path("test-results") / "video.webm"
        video.parent.mkdir(exist_ok=True)
        video.write_bytes(b"\\x1a\\x45\\xdf\\xa3 not really a video")
        report.user_properties.append(("playwright_video", str(video)))
    return report
"""

# Opens the report from disk in a Chromium that may not reach anything but file:// URLs, and reads it as a
# person would. It runs in a process of its own: a Playwright started here would outlive this test (the
# session's Playwright) and break tests that start theirs with sync_playwright() in this process.
OPEN_REPORT = """\
import re
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from fixtures.browser import QUIET_NETWORK_ARGS, choose_chromium

report = Path(sys.argv[1])
outside = []


def file_only(route):
    if route.request.url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()


with sync_playwright() as playwright:
    chosen = choose_chromium(playwright.chromium.executable_path)
    launch = {"executable_path": str(chosen.executable)} if chosen.executable else {}
    browser = playwright.chromium.launch(args=QUIET_NETWORK_ARGS, **launch)
    # An English browser: the report is in Chinese because it says so, not because its reader's browser is.
    context = browser.new_context(locale="en-US")
    context.route("**/*", file_only)
    page = context.new_page()
    page.goto(report.as_uri())

    expect(page).to_have_title("企业身份认证 端到端回归测试")
    expect(page.get_by_placeholder("搜索测试")).to_be_visible()
    # Both shards, one report: five scenario runs (a rerun's earlier attempts are its retries, not runs).
    expect(page.get_by_test_id("metadata-item-total")).to_have_text(re.compile(r"总计\\s*5"))
    # The tree: 功能 → 规则 → 场景, in the feature's words.
    expect(page.get_by_text("报告里的场景", exact=True)).to_be_visible()
    expect(page.get_by_text("失败要看得见", exact=True)).to_be_visible()
    expect(page.get_by_text("在浏览器里失败的场景", exact=True)).to_be_visible()
    expect(page.get_by_text("手机上的场景（iPhone 15）", exact=True)).to_be_visible()
    # The rerun that passed: flaky, its failed attempt a retry, not a plain pass. Rerun at all: that one,
    # and the two that failed both times (their last attempt is the test).
    expect(page.get_by_test_id("metadata-item-flaky")).to_have_text(re.compile(r"不稳定的测试\\s*1"))
    expect(page.get_by_test_id("metadata-item-retries")).to_have_text(re.compile(r"重跑测试\\s*3"))
    page.get_by_text("重跑后才通过的场景", exact=True).click()
    expect(page.get_by_text("不稳定", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("test-result-tab-retries")).to_have_text(re.compile(r"重试\\s*1"))
    browser.close()
print("requests that left the file:", outside)
"""

# What a ``trylast`` report wrapper registered from a conftest sees at teardown (the way the hook
# could have been written): the keys of the teardown report's user_properties, one line per test.
TRYLAST_PROBE_PLUGIN = """\
from pathlib import Path

import pytest


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "teardown":
        with Path("trylast-saw").open("a", encoding="utf-8") as seen:
            seen.write(f"{item.name} {sorted(key for key, _ in report.user_properties)}\\n")
    return report
"""

PLUGINS = [
    "fixtures.devices",
    "fixtures.browser",
    "fixtures.test_data",
    "fixtures.bdd_failures",
    "fixtures.allure_report",
    "fixtures.bdd_reruns",
]

Result = dict[str, Any]


def _run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, extra_plugin: str | None = None
) -> Path:
    """Run the feature with ``--alluredir`` and the harness's failure evidence options; the results directory.

    ``extra_plugin``: the source of one more plugin, registered last by the conftest.
    """
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("E2E_SEED", "4242")
    pytester.makefile(".feature", report=FEATURE)
    pytester.makepyfile(test_report=STEPS)
    pytester.makeini(
        "[pytest]\ndisable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n"
        "markers =\n    web: w\n    app: a\n    iphone: i\n    android: a\n    W1: w\n    W5: w\n    A2: a\n"
    )
    plugins = [*PLUGINS, "extra_plugin"] if extra_plugin else PLUGINS
    if extra_plugin:
        pytester.makepyfile(extra_plugin=extra_plugin)
    pytester.makeconftest(f"pytest_plugins = {plugins!r}")
    results = pytester.path / "allure-results"
    outcome = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--alluredir={results}", "--screenshot=only-on-failure", *args
    )
    # 在浏览器里失败 fails, 准备时就出错 errors at set-up; the rest pass (重跑后才通过 only with --reruns).
    assert outcome.ret == pytest.ExitCode.TESTS_FAILED, outcome.stdout.str()
    return results


def _results(results: Path) -> list[Result]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(results.glob("*-result.json"))]


def _labels(result: Result, name: str) -> list[str]:
    return [label["value"] for label in result["labels"] if label["name"] == name]


def _parameters(result: Result) -> dict[str, str]:
    return {parameter["name"]: parameter["value"] for parameter in result.get("parameters", [])}


def _properties(text: str) -> dict[str, str]:
    """Java properties as fixtures.allure_report writes them: ``\\uXXXX`` and backslash escapes."""

    def unescape(escaped: str) -> str:
        return re.sub(r"\\u([0-9a-f]{4})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], escaped)

    pairs = (re.split(r"(?<!\\)=", line, maxsplit=1) for line in text.splitlines() if line)
    return {unescape(key): unescape(value) for key, value in pairs}


def _one(results: list[Result], name: str) -> Result:
    [result] = [result for result in results if result["name"] == name]
    return result


def test_a_failed_scenario_carries_its_evidence_and_reads_like_the_feature(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    results_dir = _run(pytester, monkeypatch, "--tracing=retain-on-failure", extra_plugin=FAKE_VIDEO_PLUGIN)
    results = _results(results_dir)

    failed = _one(results, "在浏览器里失败的场景")
    assert failed["status"] == "failed"
    attachments = {attachment["type"]: attachment for attachment in failed["attachments"]}
    assert set(attachments) == {"image/png", "application/vnd.allure.playwright-trace", "video/webm"}
    screenshot = results_dir / attachments["image/png"]["source"]
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert (results_dir / attachments["application/vnd.allure.playwright-trace"]["source"]).read_bytes()[:2] == b"PK"
    # It opens with the feature's own words (fixtures.bdd_failures), then Playwright's.
    message: str = failed["statusDetails"]["message"]
    assert message.startswith("功能: 报告里的场景\n场景: 在浏览器里失败的场景\n")
    assert '失败的步骤: 那么页面显示"已认证"' in message
    # Playwright's page snapshot is left to the traceback, which keeps it.
    assert "Aria snapshot:" not in message
    assert message.endswith("（页面的无障碍树快照 Aria snapshot 见下方堆栈）")
    assert "Aria snapshot:" in failed["statusDetails"]["trace"]

    assert _labels(failed, "epic") == _labels(failed, "feature") == ["报告里的场景"]
    assert _labels(failed, "story") == ["失败要看得见"]
    assert {"web", "W5"} <= set(_labels(failed, "tag"))
    assert _labels(failed, "设备") == ["桌面浏览器"]
    assert _labels(failed, "浏览器引擎") == ["Chromium"]
    assert _parameters(failed)["测试 ID"] == "test_report.py::test_在浏览器里失败的场景"

    # The passing runs carry no evidence.
    phone_runs = [result for result in results if result["name"].startswith("手机上的场景")]
    assert all("attachments" not in result for result in phone_runs)


def test_a_trylast_report_hook_from_a_conftest_would_run_before_pytest_playwright_listed_its_artifacts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Why fixtures/allure_report.py's report hook is not trylast (its docstring, "Ordering"): pluggy runs
    # the trylast wrapper registered last innermost, so a conftest's finishes before pytest-playwright's.
    # If this starts failing, pytest-playwright or pluggy changed, and that reasoning wants a new look.
    results_dir = _run(pytester, monkeypatch, extra_plugin=TRYLAST_PROBE_PLUGIN)

    seen = (pytester.path / "trylast-saw").read_text(encoding="utf-8")
    assert "test_在浏览器里失败的场景 ['browser_engine', 'device']" in seen.splitlines()
    failed = _one(_results(results_dir), "在浏览器里失败的场景")
    assert [attachment["type"] for attachment in failed["attachments"]] == ["image/png"]


def test_each_phone_run_is_its_own_result_told_apart_by_device_and_test_id(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _results(_run(pytester, monkeypatch))

    phone_runs = {_parameters(result)["测试 ID"]: result for result in results if "A2" in _labels(result, "tag")}
    iphone_id, android_id = "test_report.py::test_手机上的场景[iphone]", "test_report.py::test_手机上的场景[android]"
    assert set(phone_runs) == {iphone_id, android_id}
    iphone, android = phone_runs[iphone_id], phone_runs[android_id]
    assert iphone["name"] == "手机上的场景（iPhone 15）"
    assert _parameters(iphone)["设备"].startswith("iPhone 15（")
    assert {"app", "iphone"} <= set(_labels(iphone, "tag"))
    assert _labels(android, "设备") == ["Pixel 7"]
    assert _labels(iphone, "story") == ["每部手机各跑一次"]
    # Two runs, two histories: Allure must not take one phone's run for a retry of the other's.
    assert iphone["historyId"] != android["historyId"]


def test_a_scenario_whose_set_up_broke_is_reported_broken_not_left_out(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _results(_run(pytester, monkeypatch))

    broken = _one(results, "准备时就出错的场景")
    assert broken["status"] == "broken"
    assert "模拟服务没有启动" in broken["statusDetails"]["message"]
    assert [step["status"] for step in broken["steps"]] == ["skipped", "skipped"]
    assert _labels(broken, "story") == ["每部手机各跑一次"]


def test_results_are_complete_under_xdist(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    results_dir = _run(pytester, monkeypatch, "-n", "2", "--clean-alluredir")
    results = _results(results_dir)

    # One result per run: two desktop scenarios, two phone runs, the broken one.
    names = sorted(result["name"] for result in results)
    assert names == sorted(
        [
            "在浏览器里失败的场景",
            "重跑后才通过的场景",
            "手机上的场景（iPhone 15）",
            "手机上的场景（Pixel 7）",
            "准备时就出错的场景",
        ]
    )
    failed = _one(results, "在浏览器里失败的场景")
    assert {attachment["type"] for attachment in failed["attachments"]} == {"image/png"}
    assert all((results_dir / attachment["source"]).is_file() for attachment in failed["attachments"])
    # The environment is written once, by the controller, with what the workers ran.
    environment = _properties((results_dir / "environment.properties").read_text(encoding="ascii"))
    assert environment["测试数据种子"] == "4242（重放：E2E_SEED=4242）"
    assert environment["浏览器"].startswith("Chromium ")
    assert environment["并行"] == "pytest-xdist，2 个进程"
    assert json.loads((results_dir / "executor.json").read_text(encoding="utf-8"))["buildName"] == "E2E_SEED=4242"


def test_a_scenario_that_passed_on_its_rerun_is_flaky_with_its_failed_attempt_kept(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _results(_run(pytester, monkeypatch, "--reruns=2"))

    attempts = sorted((r for r in results if r["name"] == "重跑后才通过的场景"), key=lambda result: result["start"])
    assert [attempt["status"] for attempt in attempts] == ["failed", "passed"]
    first, last = attempts
    assert last["statusDetails"]["flaky"] is True
    assert "第 2 次运行才通过" in last["statusDetails"]["message"]
    # Allure 3 takes results with the same test case and parameters for attempts of one test: the
    # last is the test, the others its retries.
    assert first["testCaseId"] == last["testCaseId"]
    assert first["historyId"] == last["historyId"]
    assert first["parameters"] == last["parameters"]
    # The failed attempt keeps its own evidence.
    assert [attachment["type"] for attachment in first["attachments"]] == ["image/png"]


def test_the_html_report_is_one_file_in_chinese_that_opens_offline(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if not (REPO / "node_modules" / ".bin" / "allure").is_file():
        missing = "node_modules/ is absent: run scripts/ensure_node.sh (make regression and make test run it)"
        # make test installs it first: in CI its absence is a broken set-up, not a reason to skip.
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    results_dir = _run(pytester, monkeypatch, "--reruns=1")
    # Two shards of one run, as CI jobs would leave them: the passed results in a directory of their own.
    shard = tmp_path / "shard-2"
    shard.mkdir()
    for path in results_dir.glob("*-result.json"):
        if json.loads(path.read_text(encoding="utf-8"))["status"] == "passed":
            path.rename(shard / path.name)
    html_dir = tmp_path / "html"

    generated = subprocess.run(
        [str(REPO / "scripts" / "html_report.sh"), str(results_dir), str(shard)],
        env={**os.environ, "REPORT_HTML_DIR": str(html_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert generated.returncode == 0, generated.stderr
    report = Path(generated.stdout.strip())
    assert report == html_dir / "index.html"
    assert [path.name for path in html_dir.iterdir() if path.suffix == ".html"] == ["index.html"]

    opened = subprocess.run(
        [sys.executable, "-c", OPEN_REPORT, str(report)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "requests that left the file: []"


def test_reruns_leave_one_cucumber_entry_per_scenario_its_last_attempt(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pytest-bdd's cucumber JSON writer stopped the run at the first rerun (INTERNALERROR: Unknown test outcome
    # rerun) until fixtures/bdd_reruns.py kept rerun attempts from it.
    _run(pytester, monkeypatch, "--reruns=1", "--cucumberjson=cucumber.json")

    [feature] = json.loads((pytester.path / "cucumber.json").read_text(encoding="utf-8"))
    runs = {element["name"]: element for element in feature["elements"] if "手机上的场景" not in element["name"]}
    assert sorted(runs) == ["在浏览器里失败的场景", "重跑后才通过的场景"]
    assert {step["result"]["status"] for step in runs["重跑后才通过的场景"]["steps"]} == {"passed"}
    assert "failed" in {step["result"]["status"] for step in runs["在浏览器里失败的场景"]["steps"]}
