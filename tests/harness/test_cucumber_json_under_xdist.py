"""reports/cucumber.json must list every scenario, also when xdist runs the suite.

pytest-bdd 9 writes an empty report under ``-n`` unless fixtures.bdd_report_xdist
carries the scenario data from the workers to the controller.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: zh-CN
功能: 报告
  @W1
  场景: 通过的场景
    假如一个步骤
    那么它通过

  场景: 失败的场景
    假如一个步骤
    那么它失败

  场景大纲: 大纲
    假如一个步骤
    那么它<结果>

    @W2
    例子:
      | 结果 |
      | 通过 |
"""

STEPS = """\
from pytest_bdd import given, scenarios, then

scenarios("report.feature")

@given("一个步骤")
def a_step() -> None:
    pass

@then("它通过")
def passes() -> None:
    pass

@then("它失败")
def fails() -> None:
    raise AssertionError("boom")
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *plugin_args: str) -> list[dict[str, object]]:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makefile(".feature", report=FEATURE)
    pytester.makepyfile(test_report=STEPS)
    pytester.makeini("[pytest]\nmarkers =\n    W1: spec item\n    W2: spec item\n")
    report = pytester.path / "cucumber.json"
    result = pytester.runpytest_subprocess(
        "-n", "2", "-p", "no:cacheprovider", *plugin_args, f"--cucumberjson={report}"
    )
    result.assert_outcomes(passed=2, failed=1)
    features: list[dict[str, object]] = json.loads(report.read_text(encoding="utf-8"))
    return features


def test_scenarios_reach_the_report_under_xdist(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    features = _run(pytester, monkeypatch, "-p", "fixtures.bdd_report_xdist", "-p", "fixtures.bdd_report_tags")
    [feature] = features
    elements = feature["elements"]
    assert isinstance(elements, list)
    by_name = {element["name"]: element for element in elements}
    assert set(by_name) == {"通过的场景", "失败的场景", "大纲"}
    passed_steps = [step["result"]["status"] for step in by_name["通过的场景"]["steps"]]
    failed_steps = [step["result"]["status"] for step in by_name["失败的场景"]["steps"]]
    assert passed_steps == ["passed", "passed"]
    assert failed_steps[-1] == "failed"
    assert {"name": "W1", "line": 3} in by_name["通过的场景"]["tags"]
    # An outline's run carries its 例子 block's tag, as pytest-bdd marks it (fixtures.bdd_report_tags).
    assert "W2" in {tag["name"] for tag in by_name["大纲"]["tags"]}


def test_without_the_plugin_the_report_is_empty(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # Guards the test above: if pytest-bdd ever fixes this itself, this fails and
    # the plugin can go.
    assert _run(pytester, monkeypatch) == []
