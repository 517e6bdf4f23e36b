"""make soak (scripts/soak.py): it counts every scenario run of every pass, and names each flake with its seed.

Run on one small scenario outline (3 runs a pass) so that each check takes seconds; the broken run
fails one of its steps with tests/harness/walkthrough_breaker.py, as a flaky page would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fixtures.test_data import SEED_ENV
from tests.harness.walkthrough_breaker import BREAK_AT_ENV, REASON

REPO = Path(__file__).resolve().parents[2]
SOAK = REPO / "scripts" / "soak.py"
SELECTION = ["-k", "一证通的页面页面给出联系方式号码"]
RUNS_PER_PASS = 3  # the outline's example rows
BROKEN_STEP = '页面给出技术咨询电话"010-58511090"'


def _soak(reports: Path, runs: int, **env: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    options = ["--runs", str(runs), "--modes", "serial", "--reports", str(reports)]
    pytest_args = [*SELECTION, "-p", "tests.harness.walkthrough_breaker"]
    completed = subprocess.run(
        [sys.executable, str(SOAK), *options, "--", *pytest_args],
        cwd=REPO,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary_file = reports / "soak.json"
    assert summary_file.is_file(), completed.stdout + completed.stderr
    return completed, json.loads(summary_file.read_text(encoding="utf-8"))


def test_the_seed_it_sets_is_the_one_the_test_data_reads() -> None:
    assert f'SEED_ENV = "{SEED_ENV}"' in SOAK.read_text(encoding="utf-8")


def test_a_steady_selection_soaks_without_failures(tmp_path: Path) -> None:
    completed, [serial] = _soak(tmp_path, RUNS_PER_PASS + 1)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    # Passes repeat until at least --runs scenario runs: 4 runs need two passes of 3.
    assert (serial["mode"], serial["passes"], serial["scenario_runs"], serial["failures"]) == ("serial", 2, 6, 0)
    assert sorted(path.name for path in (tmp_path / "soak").iterdir()) == ["serial-1.xml", "serial-2.xml"]


def test_every_failed_run_is_a_flake_named_with_its_pass_and_seed(tmp_path: Path) -> None:
    completed, [serial] = _soak(tmp_path, 1, **{BREAK_AT_ENV: BROKEN_STEP})
    assert completed.returncode == 1, completed.stdout + completed.stderr
    # Two of the three example rows show the phone number; both fail, the e-mail row passes.
    assert (serial["scenario_runs"], serial["failures"]) == (3, 2)
    assert serial["flake_rate"] == 2 / 3
    [first, second] = serial["flakes"]
    assert first["run"] == second["run"] == 1
    assert first["seed"] > 0
    assert REASON in first["message"]
    assert f"FLAKE serial pass 1 ({SEED_ENV}={first['seed']}): {first['test']}" in completed.stdout
