"""The feature files keep the house rules: Chinese, every scenario tied to the SPEC, every tag registered."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

REPO = Path(__file__).resolve().parents[2]
FEATURES = sorted((REPO / "features").rglob("*.feature"))
SPEC_ITEM = re.compile(r"^(W|A|Q|R)\d+[a-z]?$")
# The items the website journey (issue: the foundation) must cover.
WEBSITE_ITEMS = {"W1", "W2", "W3", "W4", "W5"}


def _registered_markers() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers: list[str] = config["tool"]["pytest"]["ini_options"]["markers"]
    return {marker.split(":", 1)[0].strip() for marker in markers}


def _scenarios(document: dict[str, Any]) -> list[tuple[str, set[str]]]:
    """(name, tags) of every scenario, with the feature's and rule's tags inherited."""
    feature = document["feature"]
    feature_tags = {tag["name"].lstrip("@") for tag in feature["tags"]}
    found: list[tuple[str, set[str]]] = []

    def walk(children: list[dict[str, Any]], inherited: set[str]) -> None:
        for child in children:
            if "rule" in child:
                rule = child["rule"]
                walk(rule["children"], inherited | {tag["name"].lstrip("@") for tag in rule.get("tags", [])})
            elif "scenario" in child:
                scenario = child["scenario"]
                found.append((scenario["name"], inherited | {tag["name"].lstrip("@") for tag in scenario["tags"]}))

    walk(feature["children"], feature_tags)
    return found


def _parse(path: Path) -> dict[str, Any]:
    # gherkin's GherkinDocument is a TypedDict; the walk above reads it as plain JSON.
    document: dict[str, Any] = dict(Parser().parse(path.read_text(encoding="utf-8")))
    return document


def test_there_are_features() -> None:
    assert FEATURES, "no feature files under features/"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_feature_is_written_in_chinese(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# language: zh-CN\n")
    assert _parse(path)["feature"]["language"] == "zh-CN"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_every_scenario_names_the_spec_items_it_covers(path: Path) -> None:
    untagged = [name for name, tags in _scenarios(_parse(path)) if not any(SPEC_ITEM.match(tag) for tag in tags)]
    assert untagged == [], f"scenarios without a SPEC tag (@W1, @Q2, …) in {path.name}"


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_every_tag_is_a_registered_marker(path: Path) -> None:
    used = set().union(*(tags for _, tags in _scenarios(_parse(path))))
    assert used - _registered_markers() == set(), "register these in pyproject.toml [tool.pytest.ini_options] markers"


def test_the_website_items_are_all_covered() -> None:
    covered = set().union(*(tags for path in FEATURES for _, tags in _scenarios(_parse(path))))
    assert covered >= WEBSITE_ITEMS
