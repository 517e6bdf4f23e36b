"""``E2E_BROWSER_SERVER``: the suite's browsers come from a remote Playwright browser server instead of a launch.

The production server is ``npx playwright run-server`` in the official ``mcr.microsoft.com/playwright``
container; here the same protocol is served on loopback by ``python -m playwright launch-server`` with
this machine's Chromium (Playwright's own browser download is not available everywhere the harness runs).
Real scenarios of the suite then run through it in a separate pytest process, and three things show that
their pages were the server's: the client process tree never held a Chromium (and the Chromium it would
have launched is a trap that records being started), the server's Chromium started renderers during
the run, and the server logged the client's connection.
"""

from __future__ import annotations

import json
import os
import select
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from fixtures.browser import (
    BROWSER_ENV,
    BROWSER_SERVER_ENV,
    QUIET_NETWORK_ARGS,
    BrowserNotFoundError,
    BrowserServerError,
    browser_server_endpoint,
    choose_chromium,
    pytest_report_header,
    server_unreachable_message,
    server_version,
)

REPO = Path(__file__).resolve().parents[2]
PROC = Path("/proc")
START_TIMEOUT_S = 60
RUN_TIMEOUT_S = 600
SAMPLE_EVERY_S = 0.1
# A few real scenarios: the website journey's W1 runs on the desktop, and a phone's app journey shows
# that device descriptors (viewport, touch, User-Agent) travel over the connection too.
SELECTION = "W1 or (smoke and android)"

pytestmark = pytest.mark.skipif(not PROC.is_dir(), reason="reads the process tree from /proc (Linux)")


@dataclass(frozen=True)
class BrowserServer:
    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path  # the server's DEBUG=pw:server log


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name (field 2) is in parentheses and may hold spaces; the parent's id follows it.
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended while being read
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _command_line(pid: int) -> list[str]:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _descendants(pid: int) -> dict[int, list[str]]:
    """Every process below ``pid``, with its command line."""
    tree = _children()
    found: dict[int, list[str]] = {}
    pending = list(tree.get(pid, []))
    while pending:
        child = pending.pop()
        found[child] = _command_line(child)
        pending.extend(tree.get(child, []))
    return found


def _is_chromium(command: list[str]) -> bool:
    """A Chromium process of any kind (browser, renderer, GPU …): by its executable's name.

    Chromium rewrites the command line of the processes its zygote forks as one space-separated
    string, so the executable is the first word of the first argument, not the whole argument.
    """
    return bool(command) and bool(command[0].split()) and "chrom" in Path(command[0].split()[0]).name.lower()


def _is_renderer(command: list[str]) -> bool:
    return _is_chromium(command) and "--type=renderer" in " ".join(command).split()


def _read_endpoint(process: subprocess.Popen[bytes]) -> str:
    """The ws:// endpoint the server prints on its first line, waiting at most START_TIMEOUT_S."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    output = b""
    while b"\n" not in output:
        remaining = deadline - time.monotonic()
        readable, _, _ = select.select([process.stdout], [], [], max(remaining, 0))
        if not readable:
            pytest.fail(f"the browser server printed no endpoint within {START_TIMEOUT_S} s")
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            pytest.fail(f"the browser server exited ({process.wait()}) before printing its endpoint")
        output += chunk
    endpoint = output.split(b"\n", 1)[0].decode().strip()
    assert endpoint.startswith("ws://127.0.0.1:"), endpoint
    return endpoint


@pytest.fixture
def browser_server(tmp_path: Path, playwright: Playwright) -> Iterator[BrowserServer]:
    """A Playwright browser server on loopback, running the Chromium the harness would have launched."""
    # Not the chosen_browser fixture: it ends the whole session when there is no Chromium, which is
    # normal on a runner whose own browsers are remote (E2E_BROWSER_SERVER); this check then has none to serve.
    try:
        chosen = choose_chromium(playwright.chromium.executable_path)
    except BrowserNotFoundError as error:
        pytest.skip(f"no local Chromium to serve: {error}")
    config: dict[str, object] = {"headless": True, "host": "127.0.0.1", "port": 0, "args": QUIET_NETWORK_ARGS}
    if chosen.executable is not None:
        config["executablePath"] = str(chosen.executable)
    config_file = tmp_path / "launch-server.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    log = tmp_path / "browser-server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "playwright", "launch-server", "--browser=chromium", f"--config={config_file}"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=log_file,
            # pw:server logs each client connection: evidence that the scenarios came through here.
            env={**os.environ, "DEBUG": "pw:server"},
            # Its own process group, so that the server, its driver and its Chromium all end with it.
            start_new_session=True,
        )
    try:
        yield BrowserServer(_read_endpoint(process), process, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def _suite(*args: str) -> list[str]:
    """A pytest run of the suite's scenarios, as its own process (what a CI runner would start)."""
    return [sys.executable, "-m", "pytest", "steps", "-p", "no:randomly", "-q", *args]


def _client_environment(**settings: str) -> dict[str, str]:
    """This environment plus ``settings``, less PYTEST_ADDOPTS (the outer run's ``-m`` or ``-n`` is not the inner's)."""
    return {**{key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}, **settings}


def _trap_browser(tmp_path: Path) -> tuple[Path, Path]:
    """An executable that records being started and fails: the harness's local Chromium for the inner run."""
    marker = tmp_path / "local-chromium-was-started"
    trap = tmp_path / "trap-chromium"
    trap.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n", encoding="utf-8")
    trap.chmod(trap.stat().st_mode | stat.S_IXUSR)
    return trap, marker


def test_scenarios_run_on_the_browser_server_not_on_a_local_browser(
    browser_server: BrowserServer, tmp_path: Path
) -> None:
    trap, marker = _trap_browser(tmp_path)
    junit = tmp_path / "junit.xml"
    server_before = _descendants(browser_server.process.pid)
    assert any(_is_chromium(command) for command in server_before.values()), "the server has no Chromium"

    client = subprocess.Popen(
        _suite("-m", SELECTION, f"--junitxml={junit}", f"--output={tmp_path / 'test-results'}"),
        cwd=REPO,
        env=_client_environment(**{BROWSER_SERVER_ENV: browser_server.endpoint, BROWSER_ENV: str(trap)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Watch both process trees while the scenarios run: renderers live only as long as their pages.
    client_chromium: dict[int, list[str]] = {}
    server_renderers: set[int] = set()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while client.poll() is None and time.monotonic() < deadline:
        client_chromium |= {pid: c for pid, c in _descendants(client.pid).items() if _is_chromium(c)}
        server_now = _descendants(browser_server.process.pid)
        server_renderers |= {pid for pid, c in server_now.items() if _is_renderer(c) and pid not in server_before}
        time.sleep(SAMPLE_EVERY_S)
    output = client.communicate(timeout=RUN_TIMEOUT_S)[0]

    assert client.returncode == 0, output[-5000:]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["tests"] >= 2, counts
    assert (counts["failures"], counts["errors"], counts["skipped"]) == (0, 0, 0), output[-5000:]

    assert not marker.exists(), "the client started its local Chromium"
    assert not client_chromium, f"the client ran a browser of its own: {client_chromium}"
    assert server_renderers, "the server's Chromium rendered no page during the run"
    log = browser_server.log.read_text(errors="replace")
    assert "engaged pre-launched (browser) mode" in log, log[-3000:]


def test_an_unreachable_server_stops_the_run_with_what_to_do(tmp_path: Path) -> None:
    """One clear failure, then the run stops: not every scenario failing alike, and never a local launch."""
    trap, marker = _trap_browser(tmp_path)
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    endpoint = "ws://127.0.0.1:9/playwright"
    client = subprocess.run(
        _suite("-m", "W1", f"--output={tmp_path / 'test-results'}"),
        cwd=REPO,
        env=_client_environment(**{BROWSER_SERVER_ENV: endpoint, BROWSER_ENV: str(trap)}),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert client.returncode == pytest.ExitCode.INTERRUPTED, client.stdout[-5000:]
    assert f"Cannot connect to the Playwright browser server {BROWSER_SERVER_ENV}={endpoint}" in client.stdout
    assert "ECONNREFUSED" in client.stdout
    assert "run-server" in client.stdout, "the message says how to start a server"
    assert "1 failed" in client.stdout, client.stdout[-3000:]
    assert not marker.exists(), "the client fell back to a local Chromium"


def test_the_setting_must_be_a_websocket_url() -> None:
    assert browser_server_endpoint({}) is None
    assert browser_server_endpoint({BROWSER_SERVER_ENV: "  "}) is None
    assert browser_server_endpoint({BROWSER_SERVER_ENV: " ws://grid:3000/ "}) == "ws://grid:3000/"
    assert browser_server_endpoint({BROWSER_SERVER_ENV: "wss://grid.example/pw"}) == "wss://grid.example/pw"
    for wrong in ("http://grid:3000/", "grid:3000", "ws:///path"):
        with pytest.raises(BrowserServerError, match="not a ws:// or wss:// URL"):
            browser_server_endpoint({BROWSER_SERVER_ENV: wrong})


def test_a_malformed_setting_is_refused_before_the_run() -> None:
    client = subprocess.run(
        _suite("-m", "W1"),
        cwd=REPO,
        env=_client_environment(**{BROWSER_SERVER_ENV: "http://grid:3000/"}),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert client.returncode == pytest.ExitCode.USAGE_ERROR, client.stdout + client.stderr
    assert f"{BROWSER_SERVER_ENV}='http://grid:3000/' is not a ws:// or wss:// URL" in client.stderr


def test_the_run_header_names_the_server(pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI log shows at its top that the browsers were remote, and where."""
    monkeypatch.delenv(BROWSER_SERVER_ENV, raising=False)
    assert pytest_report_header(pytestconfig) is None
    monkeypatch.setenv(BROWSER_SERVER_ENV, "ws://grid:3000/")
    assert (
        pytest_report_header(pytestconfig)
        == f"browsers: Playwright browser server ws://grid:3000/ ({BROWSER_SERVER_ENV})"
    )


def test_the_message_for_an_unreachable_server_says_what_to_do() -> None:
    message = server_unreachable_message("ws://grid:3000/", RuntimeError("connect ECONNREFUSED\n  Call log: …"))
    assert "ws://grid:3000/" in message
    assert "ECONNREFUSED" in message
    assert "mcr.microsoft.com/playwright" in message
    assert f"unset {BROWSER_SERVER_ENV}" in message


def test_the_advice_names_a_server_release_the_client_accepts() -> None:
    """Playwright refuses a server of another major.minor: the suggested container must not be one."""
    client = metadata.version("playwright").split(".")[:2]
    assert server_version().split(".")[:2] == client
    assert f"mcr.microsoft.com/playwright:v{server_version()}-noble" in server_unreachable_message("ws://x/", OSError())
