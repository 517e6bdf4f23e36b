"""Interrupting a run (Ctrl-C, or a CI runner's SIGTERM) leaves nothing behind.

Each test starts ``python -m pytest`` on the website's smoke scenarios in its own session (its own
process group, as a terminal or a CI runner starts it). The probe plugin (``clean_exit_probe``) tells
over a pipe when a scenario is really under way — a page open on a mock, the main thread inside a
Playwright call — and parks it there; the test notes every process descended from the run, sends the
signal, and then checks that the run ended as pytest's own interruption (after its fixtures'
teardown), that none of those processes (Chromium, Playwright's driver) is left, that the mocks'
server threads were stopped, and that their ports are free.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from mock_servers.idp.server import SERVER_NAME as IDP_SERVER_NAME
from mock_servers.platform.server import SERVER_NAME as PLATFORM_SERVER_NAME
from tests.harness.clean_exit_probe import PROBE_FD_ENV
from tests.harness.ports import port_is_free

REPO = Path(__file__).resolve().parents[2]
# Collection, a browser's start-up and the first step on a busy 2-core machine.
MID_SCENARIO_TIMEOUT_S = 120
EXIT_TIMEOUT_S = 60
# The mocks' server threads, by the names start_platform / start_idp give them.
MOCK_THREAD_NAMES = (PLATFORM_SERVER_NAME, IDP_SERVER_NAME)


@dataclass(frozen=True)
class Proc:
    pid: int
    name: str
    state: str
    parent: int
    group: int
    start_ticks: int  # since boot: tells a process from a later one that reuses its pid

    @classmethod
    def read(cls, pid: int) -> Proc | None:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            return None
        # The name is in parentheses and may itself hold spaces or parentheses: split after the last one.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        return cls(pid, name, fields[0], int(fields[1]), int(fields[2]), int(fields[19]))

    def still_alive(self) -> bool:
        """The same process is still there and not a zombie (a zombie has exited; only its reaping is left)."""
        now = Proc.read(self.pid)
        return now is not None and now.start_ticks == self.start_ticks and now.state != "Z"


def all_processes() -> list[Proc]:
    found = (Proc.read(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [proc for proc in found if proc is not None]


def descendants(root: int) -> list[Proc]:
    """Every process whose chain of parents leads to ``root``, or that is in its process group.

    Playwright starts Chromium in a process group of its own, so the parent chain is what finds it.
    """
    processes = all_processes()
    children: dict[int, list[Proc]] = {}
    for proc in processes:
        children.setdefault(proc.parent, []).append(proc)
    found: dict[int, Proc] = {}
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child.pid not in found:
                found[child.pid] = child
                pending.append(child.pid)
    found.update({proc.pid: proc for proc in processes if proc.group == root and proc.pid != root})
    return list(found.values())


def tail(output: str, lines: int = 40) -> str:
    """The end of a run's output, where pytest reports the interruption and any teardown error."""
    return "\n".join(output.splitlines()[-lines:])


class Run:
    """A ``python -m pytest`` run in its own session, with the probe's pipe."""

    def __init__(self, folder: Path) -> None:
        read_fd, write_fd = os.pipe()
        # Its output goes to a file: a pipe nobody reads until the end could fill up and stall the run.
        self._output = folder / "output.txt"
        output_file = self._output.open("wb")
        environment = {
            key: value for key, value in os.environ.items() if key not in ("PYTEST_ADDOPTS", "E2E_BROWSER_SERVER")
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "steps/test_website_certification.py",
                "-m",
                "smoke",
                "-p",
                "tests.harness.clean_exit_probe",
                f"--output={folder / 'test-results'}",
                "-q",
            ],
            cwd=REPO,
            env=environment | {PROBE_FD_ENV: str(write_fd), "PYTHONUNBUFFERED": "1"},
            pass_fds=(write_fd,),
            stdout=output_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(write_fd)
        output_file.close()  # the run has its own copy
        self._pipe = os.fdopen(read_fd, "rb", buffering=0)
        self._buffer = b""

    def next_report(self, timeout_s: float) -> dict[str, Any] | None:
        """The probe's next JSON line, or None when the run closed the pipe (exited) first."""
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._pipe], [], [], max(remaining, 0))
            if not ready:
                self.kill()
                pytest.fail(f"the run sent no report within {timeout_s} s; its output:\n{self.output()}")
            chunk = self._pipe.read(4096)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        report: dict[str, Any] = json.loads(line)
        return report

    def output(self) -> str:
        return self._output.read_text(errors="replace")

    def kill(self) -> None:
        """Whatever is left of the run, its own process group and Chromium's groups included."""
        for proc in descendants(self.process.pid):
            if proc.still_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(EXIT_TIMEOUT_S)

    def close(self) -> None:
        self._pipe.close()


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    started = Run(tmp_path)
    yield started
    if started.process.poll() is None:
        started.kill()
    started.close()


@pytest.mark.parametrize(
    ("signal_number", "to_group"),
    [
        pytest.param(signal.SIGINT, True, id="Ctrl-C (SIGINT to the process group)"),
        pytest.param(signal.SIGTERM, True, id="SIGTERM to the process group"),
        pytest.param(signal.SIGTERM, False, id="SIGTERM to pytest"),
    ],
)
def test_an_interrupted_run_leaves_nothing_behind(run: Run, signal_number: signal.Signals, to_group: bool) -> None:
    started = run.next_report(MID_SCENARIO_TIMEOUT_S)
    assert started is not None, f"the run ended before a scenario got under way:\n{run.output()}"
    assert started["pid"] == run.process.pid
    ports = [urlsplit(url).port for url in started["mock_urls"]]
    left_running = descendants(run.process.pid)
    assert any("chrom" in proc.name for proc in left_running), (
        f"no Chromium under the run: {left_running}"
    )  # else the test proves nothing

    if to_group:
        os.killpg(run.process.pid, signal_number)
    else:
        run.process.send_signal(signal_number)

    finished = run.next_report(EXIT_TIMEOUT_S)
    run.process.wait(EXIT_TIMEOUT_S)
    output = tail(run.output())
    problems = []
    if run.process.returncode != pytest.ExitCode.INTERRUPTED:
        problems.append(f"pytest exited with {run.process.returncode}, not as interrupted (2) after its teardown")
    if finished is None:
        problems.append("the run never reached pytest_unconfigure (it was killed, not interrupted)")
    elif set(finished["threads_left"]) & set(MOCK_THREAD_NAMES):
        problems.append(f"mock server threads still running after teardown: {finished['threads_left']}")
    left_behind = [proc for proc in left_running if proc.still_alive()] + descendants(run.process.pid)
    if left_behind:
        problems.append(f"processes left behind: {left_behind}")
    if busy := [port for port in ports if port is None or not port_is_free(port)]:
        problems.append(f"mock ports still bound: {busy}")
    if "Error" in output.split("KeyboardInterrupt", 1)[-1]:
        problems.append("errors after the interruption (in teardown)")
    assert not problems, "\n".join([*problems, "the run's output ends:", output])
