"""Which Chromium the harness launches, and what it says when there is none."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from fixtures.browser import BROWSER_ENV, BrowserNotFoundError, choose_chromium


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    binary = _executable(tmp_path / "my-chromium")
    chosen = choose_chromium(str(_executable(tmp_path / "bundled")), env={BROWSER_ENV: str(binary)})
    assert chosen.executable == binary


def test_a_bad_environment_variable_is_an_error_not_ignored(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFoundError, match=f"{BROWSER_ENV}=.*not an executable"):
        choose_chromium("", env={BROWSER_ENV: str(tmp_path / "missing")})


def test_playwrights_own_chromium_comes_before_the_system_one(tmp_path: Path) -> None:
    chosen = choose_chromium(str(_executable(tmp_path / "chrome")), env={})
    assert chosen.executable is None
    assert "bundled" in chosen.source


def test_system_chromium_when_playwrights_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = _executable(tmp_path / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    chosen = choose_chromium(str(tmp_path / "not-installed"), env={})
    assert chosen.executable == system


def test_a_headless_run_prefers_the_systems_headless_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _executable(tmp_path / "chromium")
    shell = _executable(tmp_path / "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(tmp_path))
    chosen = choose_chromium(str(tmp_path / "not-installed"), env={})
    assert chosen.executable == shell
    assert "headless shell" in chosen.describe()


def test_a_headed_run_needs_the_full_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = _executable(tmp_path / "chromium")
    _executable(tmp_path / "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_chromium(str(tmp_path / "not-installed"), env={}, headless=False).executable == system


def test_no_browser_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserNotFoundError, match="make browser") as error:
        choose_chromium(str(tmp_path / "not-installed"), env={})
    assert BROWSER_ENV in str(error.value)


def test_headed_without_a_display_stops_the_run_with_what_to_do(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    # A conftest, as the harness's own: plugins named there come after pytest-playwright's and override it.
    pytester.makeconftest('pytest_plugins = ["fixtures.devices", "fixtures.browser"]')
    pytester.makepyfile(test_page="def test_needs_a_browser(page):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--headed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["*--headed needs a display*xvfb-run*"])
