"""make soak: run the scenarios again and again, in several modes, and report the flake rate of each.

A mode is a way the suite runs in real life: one worker (``serial``), two workers (``parallel``, -n 2),
and one worker while every core is kept busy by a spinning process (``loaded``: a CI machine shared
with other jobs). Each mode repeats the whole scenario suite (``pytest steps``) until at least
``--runs`` scenario runs were made in it; each pass gets a new test data seed (printed in its junit
file), so a flake can be replayed. No reruns: a scenario that fails once is a flake, named in the
report with the pass, seed and the first line of its failure.

    .venv/bin/python scripts/soak.py                    # 300 scenario runs in each mode
    .venv/bin/python scripts/soak.py --runs 50 --modes serial

Writes ``reports/soak/<mode>-<pass>.xml`` (junit of each pass) and ``reports/soak.json``; prints a table.
Exits 1 if any scenario failed in any mode.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_ENV = "E2E_SEED"  # fixtures.test_data's variable: the seed of the run's generated test data

MODES: dict[str, list[str]] = {
    "serial": [],
    "parallel": ["-n", "2"],
    "loaded": [],
}


@dataclass
class Flake:
    mode: str
    run: int
    seed: int
    test: str
    message: str


@dataclass
class ModeResult:
    mode: str
    passes: int = 0
    scenario_runs: int = 0
    failures: int = 0
    seconds: float = 0.0
    flakes: list[Flake] = field(default_factory=list)

    @property
    def flake_rate(self) -> float:
        return self.failures / self.scenario_runs if self.scenario_runs else 0.0


def _spin() -> None:  # pragma: no cover - runs in a child process until it is terminated
    while True:
        pass


@contextmanager
def cores_kept_busy() -> Iterator[None]:
    """One spinning process per core for as long as the block runs."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(os.cpu_count() or 1)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
        for spinner in spinners:
            spinner.join()


def _junit_cases(path: Path) -> Iterator[tuple[str, str | None]]:
    """(test id, first line of its failure or error, or None) for each test case of a junit file."""
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        if case.find("skipped") is not None:
            continue
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            yield test, None
        else:
            text = (problem.get("message") or problem.text or "").strip()
            yield test, text.splitlines()[0] if text else "(no message)"


def soak_mode(mode: str, runs: int, extra: list[str], reports: Path) -> ModeResult:
    result = ModeResult(mode)
    started = time.perf_counter()
    out = reports / "soak"
    out.mkdir(parents=True, exist_ok=True)
    while result.scenario_runs < runs:
        result.passes += 1
        seed = random.randrange(1, 2**31)
        junit = out / f"{mode}-{result.passes}.xml"
        command = [sys.executable, "-m", "pytest", "steps", "-q", "-p", "no:cacheprovider", *MODES[mode], *extra]
        command += [f"--junitxml={junit}"]
        print(f"soak: {mode} pass {result.passes} ({SEED_ENV}={seed}) …", flush=True)
        completed = subprocess.run(command, cwd=REPO, env={**os.environ, SEED_ENV: str(seed)}, check=False)
        if not junit.is_file():
            raise SystemExit(f"soak: pytest wrote no {junit} (exit {completed.returncode}): see its output above")
        cases = list(_junit_cases(junit))
        if not cases:
            raise SystemExit(f"soak: {junit} has no test cases: did the selection match nothing?")
        for test, problem in cases:
            result.scenario_runs += 1
            if problem is not None:
                result.failures += 1
                result.flakes.append(Flake(mode, result.passes, seed, test, problem))
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300, help="scenario runs per mode, at least (default 300)")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)} (default: all)"
    )
    parser.add_argument("--reports", type=Path, default=REPO / "reports", help="where to write (default reports/)")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest, e.g. -m app (after --)")
    options = parser.parse_args(argv)
    modes = [mode.strip() for mode in options.modes.split(",") if mode.strip()]
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or options.runs < 1:
        parser.error(f"unknown mode(s) {unknown}; choose from {list(MODES)}" if unknown else "--runs must be ≥ 1")

    results = []
    for mode in modes:
        if mode == "loaded":
            with cores_kept_busy():
                results.append(soak_mode(mode, options.runs, options.pytest_args, options.reports))
        else:
            results.append(soak_mode(mode, options.runs, options.pytest_args, options.reports))

    print(f"\n{'mode':<10}{'passes':>8}{'runs':>8}{'failed':>8}{'flake rate':>12}{'seconds':>10}")
    for result in results:
        print(
            f"{result.mode:<10}{result.passes:>8}{result.scenario_runs:>8}{result.failures:>8}"
            f"{result.flake_rate:>11.2%}{result.seconds:>10}"
        )
    for result in results:
        for flake in result.flakes:
            print(f"FLAKE {flake.mode} pass {flake.run} ({SEED_ENV}={flake.seed}): {flake.test}: {flake.message}")
    summary = [{**asdict(result), "flake_rate": result.flake_rate} for result in results]
    written = options.reports / "soak.json"
    written.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"soak: {written}")
    return 1 if any(result.failures for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
