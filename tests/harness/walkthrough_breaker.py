"""A pytest plugin for tests/harness/test_walkthrough.py: fails one step of a real scenario on purpose.

``WALKTHROUGH_BREAK_AT`` names a step by its text; that step fails the way a broken page would (an
AssertionError inside the step, so pytest-bdd reports it as the step's error) and the walkthrough
has to show where the scenario stopped. Loaded only by that test, with ``-p``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

BREAK_AT_ENV = "WALKTHROUGH_BREAK_AT"
REASON = "为测试而中断的步骤"


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., Any],
    step_func_args: dict[str, Any],
) -> None:
    # Raised inside pytest-bdd's try block, so pytest_bdd_step_error sees it like any failed step.
    if step.name == os.environ.get(BREAK_AT_ENV):
        raise AssertionError(REASON)
