"""A feature file saved with a UTF-8 byte-order mark (old Windows editors) is refused before the run, by name and
with the fix, instead of pytest-bdd's "TokenError: Unexpected token found" (fixtures.bdd_feature_check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.bdd_feature_check import features_with_byte_order_mark

REPO = Path(__file__).resolve().parents[2]
FEATURE = "# language: zh-CN\n功能: 带BOM的功能\n  场景: 一个场景\n    那么它通过\n"
STEPS = """\
from pytest_bdd import scenarios, then

scenarios("bom.feature")


@then("它通过")
def passes() -> None:
    pass
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *plugins: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    (pytester.path / "bom.feature").write_bytes(b"\xef\xbb\xbf" + FEATURE.encode("utf-8"))
    pytester.makepyfile(test_bom=STEPS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *plugins)


def test_a_byte_order_mark_is_refused_by_name_with_the_fix(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(pytester, monkeypatch, "-p", "fixtures.bdd_feature_check")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*byte-order mark*bom.feature*UTF-8 without BOM*sed -i*bom.feature*"])


def test_without_the_check_pytest_bdd_says_only_token_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Guards the check above: if pytest-bdd ever reads past the mark itself, this fails and the check can go.
    result = _run(pytester, monkeypatch)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*TokenError: Unexpected token found*"])


def test_the_repository_has_none() -> None:
    assert features_with_byte_order_mark(REPO / "features") == []
