"""make bench: where the suite's time goes, measured side by side in one run.

    .venv/bin/python scripts/bench.py            # all of it (about 8 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --quick    # the floor, the mocks and the suite on one worker only

In one run, on this machine:

- ``mocks_ready_ms``: start both mock servers and get one answer from each (median of several starts);
- ``floor_ms``: the cheapest scenario the harness can run (benchmarks/floor.feature: open a page, click,
  expect), median of its runs, set-up + call + teardown — what every scenario pays at least;
- every scenario of ``steps/`` on one worker: its own cost (set-up + call + teardown, and the call alone),
  median and 90th percentile, the whole suite's wall time, how long after pytest started the first
  scenario began, and the CPU the *machine* spent (from /proc/stat: Chromium's renderers are not
  children of pytest, so pytest's own rusage misses most of it);
- the same suite with ``-n auto`` (one worker per core).

Prints a table with the targets of the speed issue beside the figures, and writes ``reports/bench.json``.
It measures; it does not fail on a target (a loaded machine would make it flaky).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PHASES_DIR_ENV = "BENCH_PHASES_DIR"  # benchmarks/phase_times.py reads it
PHASES_PLUGIN = "benchmarks.phase_times"
MOCK_STARTS = 7


@dataclass
class Run:
    wall_s: float
    busy_cpu_s: float  # machine-wide
    pytest_cpu_s: float  # pytest and its children that waited for (rusage)
    first_scenario_after_s: float | None
    first_result_after_s: float | None
    tests: dict[str, dict[str, float]]
    returncode: int


def _busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent not idle, from /proc/stat (all cores)."""
    fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_pytest(args: list[str]) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        environment = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
        environment[PHASES_DIR_ENV] = folder
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", PHASES_PLUGIN, *args]
        print(f"bench: {' '.join(command[2:])}", flush=True)
        before_children = os.times()
        cpu_before = _busy_cpu_seconds()
        started_at = time.time()
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO, env=environment, stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - started
        busy = _busy_cpu_seconds() - cpu_before
        after_children = os.times()
        pytest_cpu = (after_children.children_user - before_children.children_user) + (
            after_children.children_system - before_children.children_system
        )
        tests: dict[str, dict[str, float]] = {}
        firsts: list[float] = []
        results: list[float] = []
        for path in Path(folder).glob("*.json"):
            record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            tests.update(record["tests"])
            if record["first_setup_at"] is not None:
                firsts.append(record["first_setup_at"])
            if record.get("first_result_at") is not None:
                results.append(record["first_result_at"])
    first = min(firsts) - started_at if firsts else None
    result = min(results) - started_at if results else None
    return Run(round(wall, 2), round(busy, 2), round(pytest_cpu, 2), first, result, tests, completed.returncode)


def mocks_ready_ms() -> float:
    """Start both mocks and get an answer from each; the median of several starts."""
    import httpx

    sys.path.insert(0, str(REPO))
    from mock_servers import start_mock_servers

    times = []
    with httpx.Client() as client:
        for _ in range(MOCK_STARTS):
            started = time.perf_counter()
            servers = start_mock_servers()
            try:
                client.get(servers.platform.url).raise_for_status()
                client.get(servers.idp.url + "/.well-known/openid-configuration").raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            finally:
                servers.stop()
    return round(statistics.median(times), 1)


def _scenario_ms(phases: dict[str, float]) -> float:
    return (phases.get("setup", 0) + phases.get("call", 0) + phases.get("teardown", 0)) * 1000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the run with -n auto")
    parser.add_argument("--output", type=Path, default=REPO / "reports" / "bench.json")
    options = parser.parse_args(argv)

    ready = mocks_ready_ms()
    floor_run = run_pytest(["benchmarks/test_floor.py"])
    serial = run_pytest(["steps"])
    workers = os.cpu_count() or 1
    parallel = None if options.quick else run_pytest(["steps", "-n", str(workers)])

    for name, run in (("floor", floor_run), ("serial", serial), ("parallel", parallel)):
        if run is not None and (run.returncode != 0 or not run.tests):
            print(f"bench: the {name} run failed (exit {run.returncode}); its figures would mean nothing")
            return 1
    floor = statistics.median(_scenario_ms(phases) for phases in floor_run.tests.values())
    costs = [_scenario_ms(phases) for phases in serial.tests.values()]
    calls = [phases.get("call", 0) * 1000 for phases in serial.tests.values()]
    scenarios = len(serial.tests)
    result: dict[str, Any] = {
        "scenarios": scenarios,
        "mocks_ready_ms": ready,
        "floor_ms": round(floor, 1),
        "median_scenario_ms": round(statistics.median(costs), 1),
        "p90_scenario_ms": _percentile(costs, 0.9),
        "median_scenario_call_ms": round(statistics.median(calls), 1),
        "serial_s": serial.wall_s,
        "serial_s_per_scenario": round(serial.wall_s / scenarios, 2),
        "first_scenario_after_s": round(serial.first_scenario_after_s, 2)
        if serial.first_scenario_after_s is not None
        else None,
        "first_result_after_s": round(serial.first_result_after_s, 2)
        if serial.first_result_after_s is not None
        else None,
        "cpu_utilisation_serial": round(serial.busy_cpu_s / serial.wall_s, 2),
        "pytest_cpu_utilisation_serial": round(serial.pytest_cpu_s / serial.wall_s, 2),
        "machine_cpu_s_per_scenario": round(serial.busy_cpu_s / scenarios, 2),
        "parallel_s": parallel.wall_s if parallel else None,
        "workers": workers,
        "cpu_utilisation_parallel": round(parallel.busy_cpu_s / parallel.wall_s, 2) if parallel else None,
        "slowest": [
            {"test": test, "ms": round(_scenario_ms(phases), 1)}
            for test, phases in sorted(serial.tests.items(), key=lambda item: -_scenario_ms(item[1]))[:10]
        ],
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    rows = [
        ("scenario runs", f"{scenarios}", ""),
        ("mocks ready", f"{ready} ms", "< 100 ms"),
        ("floor scenario", f"{result['floor_ms']} ms", ""),
        ("median scenario", f"{result['median_scenario_ms']} ms", f"≤ 2 × floor = {2 * floor:.0f} ms"),
        ("p90 scenario", f"{result['p90_scenario_ms']} ms", ""),
        ("suite, 1 worker", f"{serial.wall_s} s ({result['serial_s_per_scenario']} s each)", "≤ 1 s per scenario"),
        ("first scenario after", f"{result['first_scenario_after_s']} s", "≤ 1.5 s"),
        ("first scenario's outcome after", f"{result['first_result_after_s']} s", "(mocks, browser, the scenario)"),
        ("machine CPU, 1 worker", f"{result['cpu_utilisation_serial']} cores busy", ""),
        ("machine CPU per scenario", f"{result['machine_cpu_s_per_scenario']} s", "≤ half of 4 s"),
        ("pytest's own CPU, 1 worker", f"{result['pytest_cpu_utilisation_serial']} cores", ""),
    ]
    if parallel:
        rows.append((f"suite, -n {workers}", f"{parallel.wall_s} s", f"never slower than 1 worker ({serial.wall_s} s)"))
    width = max(len(name) for name, _, _ in rows) + 2
    print()
    for name, figure, target in rows:
        print(f"{name:<{width}}{figure:<34}{target}")
    print(f"\nbench: {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
