"""A run does not start when a feature's step has no definition, or more than one (fixtures.bdd_step_check)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: zh-CN
功能: 步骤
  场景: 一个场景
    假如一个步骤
    当我点击"注册"
    那么它通过
"""

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("steps.feature")

@given("一个步骤")
def a_step() -> None:
    pass

@when(parsers.re(r'我点击"(?P<name>[^"]+)"'))
def click_anything(name: str) -> None:
    pass
{extra}
@then("它通过")
def passes() -> None:
    pass
"""

SECOND_DEFINITION = """
@when('我点击"注册"')
def click_register() -> None:
    pass
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, steps: str, *args: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makefile(".feature", steps=FEATURE)
    pytester.makepyfile(test_steps=steps)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "fixtures.bdd_step_check", *args)


def test_a_run_with_one_definition_per_step_goes_ahead(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(pytester, monkeypatch, STEPS.format(extra="")).assert_outcomes(passed=1)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_two_definitions_for_one_step_stop_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: list[str]
) -> None:
    result = _run(pytester, monkeypatch, STEPS.format(extra=SECOND_DEFINITION), *workers)
    assert result.ret != 0
    result.stdout.no_fnmatch_line("*1 passed*")
    output = "\n".join(result.outlines + result.errlines)
    assert 'steps.feature:5  当我点击"注册"' in output
    assert "test_steps.py:9 (click_anything)" in output
    assert "test_steps.py:13 (click_register)" in output


def test_a_step_without_definition_stops_the_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, STEPS.format(extra="").replace('"它通过"', '"它没通过"'))
    assert result.ret != 0
    output = "\n".join(result.outlines + result.errlines)
    assert "没有步骤定义的步骤" in output
    assert "steps.feature:6  那么它通过" in output
