"""The feature files keep the house rules: Chinese, every scenario tied to the SPEC, every tag registered,
and every SPEC item of the journeys so far covered (the app's on both phones).

Tags are read the way pytest-bdd applies them: a scenario gets its feature's, its rule's and its own
tags, and each run of an outline also its 例子 block's; an @app scenario runs once per phone.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from fixtures.devices import PHONES, phones_for

REPO = Path(__file__).resolve().parents[2]
FEATURES = sorted((REPO / "features").rglob("*.feature"))
SPEC_ITEM = re.compile(r"^(W|A|Q|R)\d+[a-z]?$")
# The items of the journeys and Q&A cases built so far: on the desktop, and on every phone.
WEBSITE_ITEMS = {"W1", "W2", "W3", "W4", "W5", "Q1", "Q1b", "Q2"}
APP_ITEMS = {"A1", "A2", "Q1", "Q1a", "Q1b", "Q2", "Q3", "Q4", "R7"}


@dataclass(frozen=True)
class Run:
    """One run of a scenario as pytest-bdd collects it: an outline's 例子 block, on one device."""

    name: str
    tags: frozenset[str]
    device: str  # "desktop" or a key of PHONES


def _registered_markers() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers: list[str] = config["tool"]["pytest"]["ini_options"]["markers"]
    return {marker.split(":", 1)[0].strip() for marker in markers}


def _tags(node: dict[str, Any]) -> set[str]:
    return {tag["name"].lstrip("@") for tag in node.get("tags", [])}


def runs(document: dict[str, Any]) -> list[Run]:
    """Every run of every scenario in a parsed feature, with the tags pytest-bdd gives it."""
    feature = document["feature"]
    found: list[Run] = []

    def add(name: str, tags: set[str]) -> None:
        for device in phones_for(tags) or ["desktop"]:
            found.append(Run(name, frozenset(tags), device))

    def walk(children: list[dict[str, Any]], inherited: set[str]) -> None:
        for child in children:
            if "rule" in child:
                walk(child["rule"]["children"], inherited | _tags(child["rule"]))
            elif "scenario" in child:
                scenario = child["scenario"]
                tags = inherited | _tags(scenario)
                for examples in scenario.get("examples") or [{}]:
                    add(scenario["name"], tags | _tags(examples))

    walk(feature["children"], _tags(feature))
    return found


def _parse(path: Path) -> dict[str, Any]:
    # gherkin's GherkinDocument is a TypedDict; the walk above reads it as plain JSON.
    document: dict[str, Any] = dict(Parser().parse(path.read_text(encoding="utf-8")))
    return document


def _all_runs() -> list[Run]:
    return [run for path in FEATURES for run in runs(_parse(path))]


def test_there_are_features() -> None:
    assert FEATURES, "no feature files under features/"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_feature_is_written_in_chinese(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# language: zh-CN\n")
    assert _parse(path)["feature"]["language"] == "zh-CN"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_every_scenario_names_the_spec_items_it_covers(path: Path) -> None:
    untagged = {run.name for run in runs(_parse(path)) if not any(SPEC_ITEM.match(tag) for tag in run.tags)}
    assert untagged == set(), f"scenarios without a SPEC tag (@W1, @Q2, …) in {path.name}"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_every_tag_is_a_registered_marker(path: Path) -> None:
    used = set().union(*(run.tags for run in runs(_parse(path))))
    assert used - _registered_markers() == set(), "register these in pyproject.toml [tool.pytest.ini_options] markers"


def test_the_website_items_are_all_covered_on_the_desktop() -> None:
    covered = set().union(*(run.tags for run in _all_runs() if run.device == "desktop"))
    assert WEBSITE_ITEMS - covered == set()


@pytest.mark.parametrize("phone", list(PHONES))
def test_the_app_items_are_all_covered_on_each_phone(phone: str) -> None:
    covered = set().union(*(run.tags for run in _all_runs() if run.device == phone))
    assert APP_ITEMS - covered == set(), f"not covered on {PHONES[phone]}"


SAMPLE = """\
# language: zh-CN
@app
功能: 样例
  规则: 规则
    @A1
    场景大纲: 大纲
      那么<结果>

      @Q3
      例子:
        | 结果 |
        | 一   |

      例子:
        | 结果 |
        | 二   |
"""


def test_tags_are_read_as_pytest_bdd_applies_them() -> None:
    sample = runs(dict(Parser().parse(SAMPLE)))
    assert {(run.device, "Q3" in run.tags) for run in sample} == {(phone, flag) for phone in PHONES for flag in (1, 0)}
    assert all({"app", "A1"} <= run.tags for run in sample)
