"""``python -m mock_servers``: starts both mocks and says where, or says clearly why not."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from mock_servers import PortInUseError, start_mock_servers
from mock_servers.common.server import bind_socket
from tests.harness.ports import port_is_free

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 30


def _run_module(*args: str) -> subprocess.Popen[bytes]:
    # Unbuffered bytes: select() must see every line that has not been read yet, and a
    # buffered reader would hide the lines it has already pulled from the pipe.
    return subprocess.Popen(
        [sys.executable, "-m", "mock_servers", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    sock = bind_socket(port=0)
    yield sock.getsockname()[1]
    sock.close()


def test_busy_port_says_what_to_do(busy_port: int) -> None:
    process = _run_module("--platform-port", str(busy_port), "--idp-port", "0")
    stderr = process.communicate(timeout=TIMEOUT_S)[1].decode()
    assert process.returncode == 2
    assert f"port {busy_port}" in stderr
    assert "already in use" in stderr
    assert "port 0" in stderr


def test_busy_port_in_the_api_is_a_typed_error(busy_port: int) -> None:
    with pytest.raises(PortInUseError, match="already in use"):
        start_mock_servers(idp_port=busy_port)


def test_bad_port_is_refused_by_the_argument_parser() -> None:
    process = _run_module("--idp-port", "seventy")
    stderr = process.communicate(timeout=TIMEOUT_S)[1].decode()
    assert process.returncode == 2
    assert "not a port number: 'seventy'" in stderr


def _printed_urls(process: subprocess.Popen[bytes], count: int) -> dict[str, str]:
    """The first ``count`` "name  URL" lines the process prints, waiting at most TIMEOUT_S for each."""
    assert process.stdout is not None
    urls: dict[str, str] = {}
    while len(urls) < count:
        ready, _, _ = select.select([process.stdout], [], [], TIMEOUT_S)
        line = process.stdout.readline().decode() if ready else ""
        if not line:
            process.kill()
            pytest.fail(f"python -m mock_servers printed {len(urls)} of {count} URLs: {process.communicate()}")
        if "http://127.0.0.1:" in line:
            urls[line.split()[0]] = line.split()[-1]
    return urls


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_starts_both_prints_their_urls_and_stops_cleanly_on_a_signal(signal_number: signal.Signals) -> None:
    process = _run_module("--platform-port", "0", "--idp-port", "0")
    urls = _printed_urls(process, 4)
    ports = {urlsplit(url).port for url in urls.values()}
    # A browser exploring the mocks keeps its connections open; stopping must not wait for them.
    with httpx.Client() as browser:
        try:
            platform_home = urls["北京市中小企业公共服务平台"]
            idp_login = urls["北京市统一身份认证平台"]
            assert "北京市中小企业公共服务平台" in browser.get(platform_home).text
            assert "请您登录" in browser.get(idp_login).text
            assert browser.get(urls["platform"]).status_code == 200  # the control interface's docs
        finally:
            # To the process group, as a terminal's Ctrl-C or a container's stop reaches it.
            os.killpg(process.pid, signal_number)
            _, stderr = process.communicate(timeout=TIMEOUT_S)
    assert process.returncode == 0, stderr.decode()
    assert stderr.decode() == ""
    assert len(ports) == 2
    assert all(port is not None and port_is_free(port) for port in ports), ports
