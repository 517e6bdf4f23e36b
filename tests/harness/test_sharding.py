"""CI shards (``make regression SHARD=i/n``): every test runs in exactly one shard, balanced by ``.test_durations``.

``SHARD=i/n`` means pytest-split's ``--splits n --group i``. Each shard is a separate machine that collects
the whole suite and keeps its own part, so the parts must be a partition of the collection: a test in
no shard would silently never run in CI, a test in two would run twice. These checks collect the real
suite (``steps`` and ``tests``) once whole and once per shard, each in its own pytest process as a CI
machine would, and compare the sets of test ids.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DURATIONS = REPO / ".test_durations"
SUITE = ("steps", "tests")
# least_duration assigns each test, longest first, to the shard with the least time so far: better balanced
# than pytest-split's default (duration_based_chunks cuts the collection order into consecutive runs, and
# the last one takes whatever is left). Like the default it needs every shard machine to collect the same
# tests in the same order (ties are broken by it), which holds here: nothing randomizes the order, and
# ``-p no:randomly`` keeps it so if pytest-randomly is ever installed. The Makefile passes the same option.
ALGORITHM = "least_duration"
# Below this share of the collected tests with a recorded duration, the shards are balanced mostly
# on guesses (the average): time to refresh the file.
MIN_COVERAGE = 0.9
TIMEOUT_S = 300


def _environment() -> dict[str, str]:
    """This process's environment without what would change the inner collection.

    PYTEST_ADDOPTS may carry the outer run's selection or ``-n`` (``PYTEST_ADDOPTS='-m W5' make test``),
    which would make the inner sessions collect something else than the suite.
    """
    return {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}


def _start_collection(durations: Path, shard: tuple[int, int] | None) -> subprocess.Popen[str]:
    split = [] if shard is None else ["--splits", str(shard[1]), "--group", str(shard[0])]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            *SUITE,
            "--collect-only",
            "-q",
            "-p",
            "no:randomly",
            "--durations-path",
            str(durations),
            "--splitting-algorithm",
            ALGORITHM,
            *split,
        ],
        cwd=REPO,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _test_ids(process: subprocess.Popen[str]) -> list[str]:
    stdout, stderr = process.communicate(timeout=TIMEOUT_S)
    assert process.returncode == 0, f"collection failed ({process.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}"
    # ``-q --collect-only`` prints one test id per line, then a summary line after a blank one.
    return [line for line in stdout.splitlines() if "::" in line]


def _collect_shards(durations: Path, splits: Sequence[int]) -> dict[tuple[int, int], list[str]]:
    """Each shard's collection, keyed by (group, n), for every n in ``splits``.

    The pytest processes run side by side: one collection of the suite takes a few seconds, and ten
    in a row would make this check the slowest of the harness's own.
    """
    shards = [(group, n) for n in splits for group in range(1, n + 1)]
    started = {shard: _start_collection(durations, shard) for shard in shards}
    return {shard: _test_ids(process) for shard, process in started.items()}


@pytest.fixture(scope="module")
def whole() -> list[str]:
    """The whole suite's test ids, collected once for this module's checks (durations do not change it)."""
    return _test_ids(_start_collection(DURATIONS, None))


def _assert_partition(whole: list[str], shards: Mapping[tuple[int, int], list[str]], n: int) -> None:
    parts = [shards[(group, n)] for group in range(1, n + 1)]
    counts = Counter(test_id for part in parts for test_id in part)
    in_two = sorted(test_id for test_id, count in counts.items() if count > 1)
    in_none = sorted(set(whole) - set(counts))
    unknown = sorted(set(counts) - set(whole))
    assert not in_two, f"n={n}: {len(in_two)} tests in more than one shard, e.g. {in_two[:5]}"
    assert not in_none, f"n={n}: {len(in_none)} tests in no shard, e.g. {in_none[:5]}"
    assert not unknown, f"n={n}: shards ran tests the whole collection does not have, e.g. {unknown[:5]}"
    assert all(parts), f"n={n}: an empty shard: {[len(part) for part in parts]}"


def test_the_recorded_durations_split_the_suite_into_disjoint_shards_that_cover_it(whole: list[str]) -> None:
    shards = _collect_shards(DURATIONS, splits=(2, 3))
    assert len(whole) == len(set(whole)), "the collection itself repeats a test id"
    for n in (2, 3):
        _assert_partition(whole, shards, n)


def test_tests_missing_from_the_durations_file_still_land_in_exactly_one_shard(
    whole: list[str], tmp_path: Path
) -> None:
    """A new scenario has no recorded duration until the file is refreshed: it must still run, once."""
    recorded: dict[str, float] = json.loads(DURATIONS.read_text(encoding="utf-8"))
    # Forget every third test, including the first scenario and the first harness check, so that
    # both directories have tests only known by pytest-split's average.
    forgotten = {test_id for index, test_id in enumerate(sorted(recorded)) if index % 3 == 0}
    forgotten |= {min(test_id for test_id in recorded if test_id.startswith(f"{root}/")) for root in SUITE}
    pruned = tmp_path / "durations.json"
    pruned.write_text(json.dumps({k: v for k, v in recorded.items() if k not in forgotten}), encoding="utf-8")

    # Three shards only: the two-shard split is the same algorithm with fewer boundaries, and every
    # further pytest process costs a collection of the whole suite.
    shards = _collect_shards(pruned, splits=(3,))
    _assert_partition(whole, shards, 3)
    for test_id in forgotten & set(whole):
        assert sum(test_id in shards[(group, 3)] for group in range(1, 4)) == 1, test_id


def test_the_durations_file_covers_the_suite(whole: list[str]) -> None:
    """``.test_durations`` is kept in the repository; a suite that outgrew it is split on guesses.

    A test that is not in it yet is no error (it gets the average duration): only a file that has fallen
    well behind fails, with how to refresh it.
    """
    recorded = set(json.loads(DURATIONS.read_text(encoding="utf-8")))
    known = recorded & set(whole)
    covered = len(known) / len(set(whole))
    assert any(test_id.startswith("steps/") for test_id in known), "no scenario has a duration"
    assert any(test_id.startswith("tests/") for test_id in known), "no harness check has a duration"
    assert covered >= MIN_COVERAGE, (
        f"only {covered:.0%} of the collected tests have a recorded duration in {DURATIONS.name}: "
        "refresh it with `make durations`"
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_regression_turns_shard_into_pytest_splits_options() -> None:
    """``make regression SHARD=2/3`` runs pytest with ``--splits 3 --group 2`` on the recorded durations."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    if "SHARD" not in makefile:
        pytest.skip("the Makefile does not take SHARD yet")
    # -n prints the recipes without running them (no install, no browser, no tests).
    dry_run = subprocess.run(
        ["make", "-n", "regression", "SHARD=2/3"],
        cwd=REPO,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    ).stdout
    [pytest_line] = [line for line in dry_run.splitlines() if re.search(r"-m pytest\b", line)]
    assert re.search(r"--splits[ =]3\b", pytest_line), pytest_line
    assert re.search(r"--group[ =]2\b", pytest_line), pytest_line
    assert ".test_durations" in pytest_line, pytest_line
    assert f"--splitting-algorithm {ALGORITHM}" in pytest_line or f"--splitting-algorithm={ALGORITHM}" in pytest_line
