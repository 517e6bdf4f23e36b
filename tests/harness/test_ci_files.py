"""The CI definitions (GitHub Actions and GitLab CI) are valid, work offline to check, and agree on the shards.

Neither CI can be run from here, so what can be checked locally is: each file against its CI's
published schema (check-jsonschema's builtin copies, which need no network: the check runs with
Python's sockets disabled to prove it), and that the two files split the suite the same way.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
GITHUB_WORKFLOW = REPO / ".github/workflows/regression.yml"
GITLAB_CI = REPO / ".gitlab-ci.yml"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
TIMEOUT_S = 120
SCHEMAS = [
    pytest.param("vendor.github-workflows", GITHUB_WORKFLOW, id="github"),
    pytest.param("vendor.gitlab-ci", GITLAB_CI, id="gitlab"),
]
# The shards' evidence that the report job and people need (README, "Reports and failures").
SHARD_ARTIFACTS = ["reports/allure-results/", "reports/junit.xml", "reports/cucumber.json", "test-results/"]

# Loaded by every Python process started with this directory on PYTHONPATH: any attempt to open a
# connection or resolve a name fails loudly, and a marker file shows that the guard was in place.
NO_NETWORK = """\
import socket
from pathlib import Path

Path({marker!r}).touch()


def _refuse(*args, **kwargs):
    raise OSError("network access attempted while checking a CI file offline")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return document


def _check_offline(schema: str, path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.is_file():
        pytest.fail(f"{CHECK_JSONSCHEMA} is missing: install the dev dependencies (requirements.lock)")
    guard = tmp_path / "no-network"
    guard.mkdir(exist_ok=True)
    marker = guard / "guard-was-loaded"
    (guard / "sitecustomize.py").write_text(NO_NETWORK.format(marker=str(marker)), encoding="utf-8")
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(guard), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert marker.exists(), "the network guard was not loaded, so the check proves nothing about the network"
    assert "network access attempted" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.mark.parametrize(("schema", "path"), SCHEMAS)
def test_the_ci_file_is_valid_against_its_schema_checked_offline(schema: str, path: Path, tmp_path: Path) -> None:
    result = _check_offline(schema, path, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("schema", "path"), SCHEMAS)
def test_the_schema_check_rejects_a_broken_file(schema: str, path: Path, tmp_path: Path) -> None:
    """The check is not vacuous: a job with a `when` the CI does not know is refused."""
    text = path.read_text(encoding="utf-8")
    if path == GITHUB_WORKFLOW:  # a workflow's jobs live under `jobs`
        text = text.replace("\njobs:\n", "\njobs:\n  broken:\n    runs-on: ubuntu-24.04\n    when: sometimes\n")
    else:  # a GitLab job is any top-level key
        text += "\nbroken:\n  script: [true]\n  when: sometimes\n"
    broken = tmp_path / path.name
    broken.write_text(text, encoding="utf-8")
    result = _check_offline(schema, broken, tmp_path)
    assert result.returncode != 0, result.stdout


def _github_shards() -> list[int]:
    shards: list[int] = _load(GITHUB_WORKFLOW)["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    return shards


def test_github_and_gitlab_run_the_same_number_of_shards() -> None:
    shards = _github_shards()
    gitlab_parallel = _load(GITLAB_CI)["regression"]["parallel"]
    # The matrix lists every shard once, numbered as pytest-split's --group counts (from 1).
    assert shards == list(range(1, len(shards) + 1)), shards
    assert len(shards) == gitlab_parallel, f"GitHub runs {len(shards)} shards, GitLab {gitlab_parallel}"
    assert gitlab_parallel > 1


def test_each_shard_runs_its_own_part_through_the_makefile() -> None:
    """SHARD=i/n from each CI's own numbering, so the count is written once per file (the matrix, `parallel`)."""
    github_steps = _load(GITHUB_WORKFLOW)["jobs"]["shard"]["steps"]
    github_runs = [step["run"] for step in github_steps if "run" in step]
    assert "make regression SHARD=${{ matrix.shard }}/${{ strategy.job-total }}" in github_runs
    assert _load(GITLAB_CI)["regression"]["script"] == ["make regression SHARD=$CI_NODE_INDEX/$CI_NODE_TOTAL"]


def test_github_shards_upload_their_reports_and_evidence_and_the_report_merges_them() -> None:
    workflow = _load(GITHUB_WORKFLOW)["jobs"]
    [upload] = [step for step in workflow["shard"]["steps"] if str(step.get("uses", "")).startswith("actions/upload")]
    assert upload["if"] == "${{ !cancelled() }}", "a failed shard's evidence must be uploaded too"
    assert upload["with"]["path"].split() == SHARD_ARTIFACTS
    report_runs = [step["run"] for step in workflow["report"]["steps"] if "run" in step]
    assert report_runs == ["scripts/html_report.sh shards/regression-shard-*/reports/allure-results"]
