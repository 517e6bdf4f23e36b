"""``python -m flows``: the journeys as automation, against the bundled mocks, and no secret in what it leaves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from fixtures.backstage import Backstage
from fixtures.test_data import TestDataBuilder
from mock_servers import MockServers, start_mock_servers

REPO = Path(__file__).resolve().parents[2]
SECRET_PASSWORD = "Zq8SecretPw91x"


@pytest.fixture(scope="module")
def mocks() -> Iterator[MockServers]:
    servers = start_mock_servers()
    yield servers
    servers.stop()


def _flows(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("E2E_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "flows", *args],
        cwd=cwd,
        env=environment | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_help_speaks_chinese_and_english() -> None:
    result = _flows("--help")
    assert result.returncode == 0
    assert "走一遍企业认证流程" in result.stdout
    assert "Walk a journey of the guide" in result.stdout
    assert "website-certified" in result.stdout


def test_it_provisions_a_certified_platform_account_and_prints_its_credentials(
    mocks: MockServers, tmp_path: Path
) -> None:
    result = _flows(
        "website-certified",
        "--platform-url",
        mocks.platform_url,
        "--idp-url",
        mocks.idp_url,
        "--seed",
        "7",
        "--evidence",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"步骤 7 .* … ok", result.stdout), result.stdout
    username = re.search(r"平台账户 用户名 \(platform username\)\s+(\S+)", result.stdout)
    assert username, result.stdout
    # The account it printed exists on the platform and is certified for the enterprise it printed.
    enterprise = mocks.platform_control.get_user(username.group(1)).enterprise
    assert enterprise is not None
    assert enterprise.credit_code in result.stdout
    assert sorted(p.suffix for p in tmp_path.iterdir()).count(".png") == 7
    assert (tmp_path / "trace-pc.zip").is_file()


def test_a_journey_that_needs_the_control_interface_says_so_on_a_target_without_one(mocks: MockServers) -> None:
    env = {"E2E_PLATFORM_URL": mocks.platform_url, "E2E_IDP_URL": mocks.idp_url, "E2E_CONTROL": "false"}
    result = _flows("website-certified", env=env)
    assert result.returncode == 2
    assert "needs the mocks' control interface" in result.stderr


def _files_under(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in folder.rglob("*"):
        if path.is_file():
            yield str(path), path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        yield f"{path}!{name}", archive.read(name)


def test_a_configured_password_reaches_no_output_trace_screenshot_or_report(mocks: MockServers, tmp_path: Path) -> None:
    data = TestDataBuilder(11)
    account = data.platform_account().model_copy(update={"password": SECRET_PASSWORD})
    enterprise = data.enterprise()
    backstage = Backstage(platform=mocks.platform_control, idp=mocks.idp_control)
    backstage.open_platform_account(account)
    backstage.bind(enterprise, account)
    env = {
        "E2E_NAME": "staging-like",
        "E2E_PLATFORM_URL": mocks.platform_url,
        "E2E_IDP_URL": mocks.idp_url,
        "E2E_CONTROL": "false",
        "E2E_PLATFORM_USERNAME": account.username,
        "E2E_PLATFORM_PASSWORD": SECRET_PASSWORD,
    }
    evidence = tmp_path / "evidence"
    result = _flows("check-account", "--evidence", str(evidence), env=env)
    assert result.returncode == 0, result.stderr
    assert "已认证" in result.stdout
    assert enterprise.name in result.stdout
    # The scenarios' reports, with the same secret in the settings: a run against that target.
    reports = tmp_path / "reports"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "steps",
            "-m",
            "W1",
            "-p",
            "no:randomly",
            f"--cucumberjson={reports / 'cucumber.json'}",
            f"--junitxml={reports / 'junit.xml'}",
            "--tracing=on",
            f"--output={reports / 'artifacts'}",
            "-o",
            "log_cli=true",
        ],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("E2E_")} | env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "target: staging-like" in run.stdout
    secret = SECRET_PASSWORD.encode()
    leaks = [name for name, content in _files_under(tmp_path) if secret in content]
    leaks += [
        stream
        for stream, text in (("flows stdout", result.stdout), ("flows stderr", result.stderr))
        if SECRET_PASSWORD in text
    ]
    leaks += [
        stream
        for stream, text in (("pytest stdout", run.stdout), ("pytest stderr", run.stderr))
        if SECRET_PASSWORD in text
    ]
    assert leaks == [], f"the password appears in {leaks}"
    # The check really looked at traces with the account's typing in them.
    assert any(name.endswith("trace.trace") for name, _ in _files_under(evidence))


def test_the_secret_typing_is_what_keeps_it_out_of_the_trace(
    mocks: MockServers, browser: Browser, tmp_path: Path
) -> None:
    """Guards the test above: Playwright's plain fill would put the password into the trace."""
    context = browser.new_context()
    context.tracing.start(snapshots=True)
    page = context.new_page()
    page.goto(mocks.platform_url + "/login")
    page.get_by_label("密码", exact=True).fill(SECRET_PASSWORD)
    context.tracing.stop(path=tmp_path / "trace.zip")
    context.close()
    assert any(SECRET_PASSWORD.encode() in content for _, content in _files_under(tmp_path))
