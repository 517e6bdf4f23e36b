"""``--walkthrough``: the illustrated guide (fixtures/walkthrough.py, its plan fixtures/walkthrough_plan.py).

Three kinds of checks:

- the plan against its sources: the guide's own words, the guide's order, the feature files (a
  collection with the option selects every planned run exactly once), and the split of the whole
  journey across 方式一 步骤1–4 (every step in exactly one section);
- what the guide says about runs that failed or did not run, from made-up records (no browser);
- one real run, under xdist, of two planned scenarios — the app's 方式二 步骤2 on the iPhone, which
  also uses the computer, and a Q1b website scenario broken on purpose at one step
  (``tests/harness/walkthrough_breaker.py``) — read back from the HTML it writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Playwright
from pytest_bdd.feature import get_feature

from fixtures.devices import DESKTOP_VIEWPORT, PHONES
from fixtures.walkthrough import (
    INDEX,
    MARKER,
    ScenarioRecord,
    StepRecord,
    build_guide,
    png_size,
    prepare_folder,
    render_guide,
    step_span,
)
from fixtures.walkthrough_plan import GUIDE, JOURNEY, JOURNEY_SPLIT, PlannedRun, journey_part, planned_runs
from tests.harness.walkthrough_breaker import BREAK_AT_ENV, REASON

REPO = Path(__file__).resolve().parents[2]
FEATURES = REPO / "features"
SOURCE_GUIDE = REPO.parent / "shared" / "seed" / "enterprise-certification-guide.zh.txt"
GUIDE_ORDER = [
    "方式一 步骤1",
    "方式一 步骤2",
    "方式一 步骤3",
    "方式一 步骤4",
    "方式二 步骤1",
    "方式二 步骤2",
    "常见问题 Q1a",
    "常见问题 Q1b",
    "常见问题 Q2",
    "常见问题 Q3",
    "常见问题 Q4",
]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _keyword_and_text(run: PlannedRun) -> list[tuple[str, str]]:
    """The run's steps from its feature file (background first)."""
    template = get_feature(str(FEATURES), run.feature).scenarios[run.scenario]
    return [(step.keyword, step.name) for step in template.render(dict(run.example)).steps]


def _steps_of(run: PlannedRun) -> list[str]:
    """The run's steps as the guide shows them: keyword, then text."""
    return [keyword + text for keyword, text in _keyword_and_text(run)]


# --- The plan --------------------------------------------------------------------------------------


def test_the_sections_follow_the_guide() -> None:
    assert [section.key for section in GUIDE] == GUIDE_ORDER


@pytest.mark.skipif(not SOURCE_GUIDE.is_file(), reason=f"the source guide is not at {SOURCE_GUIDE}")
def test_every_quote_is_the_guides_own_words() -> None:
    guide = _squeeze(SOURCE_GUIDE.read_text(encoding="utf-8"))
    misquoted = [quote for section in GUIDE for quote in section.quotes if _squeeze(quote) not in guide]
    assert misquoted == []


def test_app_scenarios_run_on_the_iphone_only() -> None:
    runs = planned_runs()
    assert {run.phone for run in runs} == {None, "iphone"}
    assert len({run.key for run in runs}) == len(runs)


def test_the_journey_is_split_across_the_four_steps_of_way_one() -> None:
    texts = [step.name for step in get_feature(str(FEATURES), JOURNEY.feature).scenarios[JOURNEY.scenario].steps]
    spans = [step_span(journey_part(key), texts) for key in JOURNEY_SPLIT]
    # Every step of the journey in exactly one section, in order, none empty.
    assert [index for span in spans for index in span] == list(range(len(texts)))
    assert all(len(span) > 0 for span in spans)
    assert list(JOURNEY_SPLIT) == GUIDE_ORDER[:4]


def test_with_the_option_only_the_planned_runs_are_collected(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "steps", "--collect-only", "-q", "--walkthrough", str(tmp_path / "guide")],
        cwd=REPO,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = [line for line in result.stdout.splitlines() if line.startswith("steps/")]
    assert len(collected) == len(planned_runs()), result.stdout
    assert not any("[android" in line for line in collected)


def test_a_folder_that_is_not_a_walkthrough_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(pytest.UsageError, match="not empty"):
        prepare_folder(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_an_earlier_walkthrough_is_replaced(tmp_path: Path) -> None:
    prepare_folder(tmp_path)
    (tmp_path / INDEX).write_text("old")
    (tmp_path / "old-01-desktop.png").write_bytes(b"old")
    prepare_folder(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".records", MARKER]


# --- Failures and gaps, from made-up records --------------------------------------------------------


def _journey_record(stopped_at: int | None, failure: str) -> ScenarioRecord:
    """The whole journey, passed up to step ``stopped_at`` (1-based), which failed; None: failed before any step."""
    steps = [
        StepRecord(number=number, keyword=keyword, text=text)
        for number, (keyword, text) in enumerate(_keyword_and_text(JOURNEY), start=1)
    ]
    for step in steps:
        if stopped_at is not None and step.number < stopped_at:
            step.status = "passed"
        elif step.number == stopped_at:
            step.status = "failed"
            step.note = "原因"
    return ScenarioRecord(
        run_key=JOURNEY.key,
        nodeid="steps/test_website_certification.py::test_journey",
        feature_name="方式一",
        scenario_name=JOURNEY.scenario,
        outcome="failed",
        failure=failure,
        steps=steps,
    )


def test_a_journey_that_fails_in_step_two_of_the_guide_says_so_there_and_after() -> None:
    # Step 3 of the scenario is in 方式一 步骤2 (步骤1 is its first step only).
    guide = build_guide(GUIDE, {JOURNEY.key: _journey_record(3, "在第 3 步失败：原因")})
    states = {view.section.key: view.illustrations[0].state for _, views in guide.parts for view in views}
    assert [states[key] for key in GUIDE_ORDER[:4]] == ["passed", "failed", "stopped_before", "stopped_before"]
    assert guide.summary.failed == 1
    assert guide.summary.failures == [("section-2", JOURNEY.scenario, "在第 3 步失败：原因")]
    html = render_guide(guide, datetime(2026, 1, 1))
    assert "在第 3 步失败：原因" in html
    assert "场景在这一步失败" in html


def test_a_scenario_whose_set_up_failed_is_shown_failed_at_its_first_section() -> None:
    guide = build_guide(GUIDE, {JOURNEY.key: _journey_record(None, "准备阶段出错，场景没有走完：boom")})
    states = [view.illustrations[0].state for _, views in guide.parts for view in views][:4]
    assert states == ["failed", "stopped_before", "stopped_before", "stopped_before"]


def test_runs_that_did_not_happen_are_named_not_hidden() -> None:
    guide = build_guide(GUIDE, {})
    assert guide.summary.passed == guide.summary.failed == 0
    assert guide.summary.not_run == len(planned_runs())
    html = render_guide(guide, datetime(2026, 1, 1))
    assert html.count("本次运行没有包含这个场景") == sum(len(section.illustrations) for section in GUIDE)


# --- One real run, read back from its HTML ------------------------------------------------------------

APP_RUN = next(
    illustration.run
    for section in GUIDE
    if section.key == "方式二 步骤2"
    for illustration in section.illustrations
    if "已有一证通账号" in illustration.run.scenario
)
BROKEN_RUN = next(section for section in GUIDE if section.key == "常见问题 Q1b").illustrations[0].run
BROKEN_STEP = '平台提示"该企业已被其他用户绑定"，不能重新认证'
ON_THE_COMPUTER = '我在电脑上用同一个账户登录平台网站，打开"个人主页"'


@dataclass
class ShownStep:
    number: int
    status: str
    text: str = ""
    pictures: list[tuple[str, int, str]] = field(default_factory=list)  # (file, width, where)


@dataclass
class ShownScenario:
    state: str
    name: str = ""
    text: str = ""
    steps: list[ShownStep] = field(default_factory=list)


@dataclass
class ShownSection:
    key: str
    scenarios: list[ShownScenario] = field(default_factory=list)


class GuideReader(HTMLParser):
    """Reads the guide back through the data-* attributes the template puts there for this test."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[ShownSection] = []
        self.links: list[str] = []
        self._in: str | None = None  # "name" inside a scenario's h4, "step" inside a step's text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in ("src", "href"):
            if name in attributes:
                self.links.append(attributes[name])
        if tag == "section" and "data-key" in attributes:
            self.sections.append(ShownSection(attributes["data-key"]))
        elif tag == "article" and "data-state" in attributes:
            self.sections[-1].scenarios.append(ShownScenario(attributes["data-state"]))
        elif tag == "h4" and self.sections and self.sections[-1].scenarios:
            self._in = "name"
        elif tag == "li" and "data-step" in attributes:
            self._scenario.steps.append(ShownStep(int(attributes["data-step"]), attributes["class"]))
        elif tag == "p" and attributes.get("class") == "step-text":
            self._in = "step"
        elif tag == "img" and "data-where" in attributes:
            picture = (attributes["src"], int(attributes["width"]), attributes["data-where"])
            self._scenario.steps[-1].pictures.append(picture)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h4", "p"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if not (self.sections and self.sections[-1].scenarios):
            return
        self._scenario.text += data
        if self._in == "name":
            self._scenario.name += data
        elif self._in == "step":
            self._scenario.steps[-1].text += data

    @property
    def _scenario(self) -> ShownScenario:
        return self.sections[-1].scenarios[-1]


@dataclass(frozen=True)
class WalkthroughRun:
    folder: Path
    result: subprocess.CompletedProcess[str]
    html: str
    sections: list[ShownSection]
    links: list[str]

    def shown(self, run: PlannedRun) -> ShownScenario:
        """The run's steps as the guide shows them, joined across the sections that show a part each."""
        parts = [
            scenario
            for section in self.sections
            for scenario in section.scenarios
            if scenario.name.startswith(f"场景：{run.scenario}")
        ]
        assert parts, f"{run.scenario} is not in the guide"
        return ShownScenario(
            parts[0].state, parts[0].name, "".join(p.text for p in parts), [s for p in parts for s in p.steps]
        )


def _environment(**extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    return {**environment, **extra}


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> WalkthroughRun:
    folder = tmp_path_factory.mktemp("walkthrough") / "guide"
    selection = " or ".join(
        re.sub(r"\W", "", name).lower()  # as pytest-bdd names the test function
        for name in (APP_RUN.scenario, BROKEN_RUN.scenario)
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "steps",
            "-p",
            "tests.harness.walkthrough_breaker",
            "-n",
            "2",
            "-k",
            selection,
            "--walkthrough",
            str(folder),
        ],
        cwd=REPO,
        env=_environment(**{BREAK_AT_ENV: BROKEN_STEP}),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    index = folder / INDEX
    assert index.is_file(), result.stdout + result.stderr
    html = index.read_text(encoding="utf-8")
    reader = GuideReader()
    reader.feed(html)
    return WalkthroughRun(folder, result, html, reader.sections, reader.links)


def test_the_run_fails_for_the_broken_scenario_only(walkthrough: WalkthroughRun) -> None:
    output = walkthrough.result.stdout
    assert walkthrough.result.returncode == 1, output + walkthrough.result.stderr
    assert re.search(r"\b1 failed, 1 passed\b|\b1 passed, 1 failed\b", output), output
    assert f"{walkthrough.folder / INDEX}: of {len(planned_runs())} planned scenarios 1 passed, 1 failed" in output


def test_one_guide_with_every_section_in_the_guides_order(walkthrough: WalkthroughRun) -> None:
    assert [section.key for section in walkthrough.sections] == GUIDE_ORDER
    assert all(section.scenarios for section in walkthrough.sections)
    # Self-contained: the page and its pictures, nothing fetched, nothing left over from the run.
    assert not [link for link in walkthrough.links if re.match(r"^[a-z]+:", link)]
    assert "<script" not in walkthrough.html
    assert "<link" not in walkthrough.html
    leftovers = {path.name for path in walkthrough.folder.iterdir() if path.suffix != ".png"}
    assert leftovers == {INDEX, MARKER}


def test_every_step_of_the_app_scenario_is_shown_with_its_pictures(walkthrough: WalkthroughRun) -> None:
    shown = walkthrough.shown(APP_RUN)
    assert shown.state == "passed"
    assert [step.text for step in shown.steps] == _steps_of(APP_RUN)
    assert all(step.status == "passed" for step in shown.steps)
    first, *rest = shown.steps
    # Set up backstage before the scenario opens any page: nothing to photograph, and it says so.
    assert first.pictures == []
    assert "还没有打开页面" in shown.text
    for step in rest:
        # The guide says why a picture is missing (e.g. 截图失败：…): show it with the failure.
        assert step.pictures, f"no picture after step {step.number}; the guide says: {shown.text}"
        for file, width, _ in step.pictures:
            path = walkthrough.folder / file
            assert path.is_file(), file
            assert png_size(path.read_bytes())[0] == width


def test_phone_pictures_are_as_wide_as_the_phone(walkthrough: WalkthroughRun, playwright: Playwright) -> None:
    # The session's Playwright: a second sync Playwright in this process is refused once the first one runs.
    phone_width = playwright.devices[PHONES["iphone"]]["viewport"]["width"]
    phone_pictures = [p for step in walkthrough.shown(APP_RUN).steps for p in step.pictures if p[2] == "phone"]
    assert phone_pictures
    assert {width for _, width, _ in phone_pictures} == {phone_width}


def test_a_step_on_the_computer_shows_the_computer_too(walkthrough: WalkthroughRun) -> None:
    steps = walkthrough.shown(APP_RUN).steps
    on_computer = [step for step in steps if step.text.endswith(ON_THE_COMPUTER)]
    assert len(on_computer) == 1
    [step] = on_computer
    assert [where for _, _, where in step.pictures] == ["computer", "phone"]
    assert step.pictures[0][1] == DESKTOP_VIEWPORT["width"]
    # Before the user turns to the computer, only the phone is shown.
    assert all(where == "phone" for s in steps[: step.number - 1] for _, _, where in s.pictures)


def test_a_failed_scenario_shows_where_it_stopped(walkthrough: WalkthroughRun) -> None:
    shown = walkthrough.shown(BROKEN_RUN)
    expected = _steps_of(BROKEN_RUN)
    assert [step.text for step in shown.steps] == expected
    broken = next(index for index, text in enumerate(expected) if text.endswith(BROKEN_STEP))
    assert [step.status for step in shown.steps] == (
        ["passed"] * broken + ["failed"] + ["not_run"] * (len(expected) - broken - 1)
    )
    assert shown.state == "failed"
    assert shown.steps[broken].pictures, "the failed step keeps its screenshot"
    assert all(not step.pictures for step in shown.steps[broken + 1 :])
    assert REASON in shown.text
    assert f"在第 {broken + 1} 步" in shown.text
    # The summary at the top names it, and the sections it did not reach say they were not run.
    assert walkthrough.html.index(BROKEN_RUN.scenario) < walkthrough.html.index('<nav class="toc">')
    assert walkthrough.shown(JOURNEY).state == "not_run"
