"""A pytest plugin that ``tests/harness/test_clean_exit.py`` loads (``-p``) into the run it interrupts.

It reports over a pipe (the file descriptor in ``E2E_CLEAN_EXIT_PROBE_FD``), one JSON line each:

- ``{"mid_scenario": …}`` once a scenario has a page open on a mock, then it parks that scenario in a
  Playwright wait that never ends, where an interruption finds a real run: the browser, its driver
  and both mocks up, the main thread inside a Playwright call;
- ``{"threads_left": […]}`` as pytest unconfigures, after every fixture's teardown: the threads still
  alive in the process (a mock's server thread among them means its teardown never stopped it).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

PROBE_FD_ENV = "E2E_CLEAN_EXIT_PROBE_FD"

_parked = False


def _report(message: dict[str, Any]) -> None:
    fd = int(os.environ[PROBE_FD_ENV])
    os.write(fd, (json.dumps(message, ensure_ascii=False) + "\n").encode())


def pytest_bdd_after_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Callable[..., Any],
    step_func_args: dict[str, Any],
) -> None:
    global _parked
    page: Page = request.getfixturevalue("page")
    if _parked or not page.url.startswith("http"):
        return
    _parked = True
    mocks = request.getfixturevalue("mock_servers")
    _report(
        {
            "mid_scenario": scenario.name,
            "step": step.name,
            "page": page.url,
            "pid": os.getpid(),
            "mock_urls": [mocks.platform_url, mocks.idp_url],
        }
    )
    # The page never satisfies this; the scenario waits here until the run is interrupted.
    page.wait_for_function("() => false", polling=1000, timeout=0)


def pytest_unconfigure(config: pytest.Config) -> None:
    _report(
        {"threads_left": [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]}
    )
