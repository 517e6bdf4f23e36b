"""A pytest plugin for scripts/bench.py: each test's set-up, call and teardown times, when the first began and
when its outcome was known.

Loaded with ``-p benchmarks.phase_times``; writes ``$BENCH_PHASES_DIR/<worker>.json`` at the end of
the session (one file per xdist worker, ``main`` without xdist).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

PHASES_DIR_ENV = "BENCH_PHASES_DIR"

_phases: dict[str, dict[str, float]] = {}
_first_setup: list[float] = []
_first_result: list[float] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _first_setup:
        _first_setup.append(time.time())  # wall clock: comparable with the time bench.py started pytest


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and not _first_result:
        _first_result.append(time.time())  # the first scenario's outcome is known: what a person waits for
    _phases.setdefault(report.nodeid, {})[report.when] = report.duration
    if report.failed:
        _phases[report.nodeid]["failed"] = 1.0


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get(PHASES_DIR_ENV)
    if not folder:
        return
    worker: Any = getattr(session.config, "workerinput", {}).get("workerid", "main")
    record = {
        "first_setup_at": _first_setup[0] if _first_setup else None,
        "first_result_at": _first_result[0] if _first_result else None,
        "tests": _phases,
    }
    Path(folder, f"{worker}.json").write_text(json.dumps(record), encoding="utf-8")
