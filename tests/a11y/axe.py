"""axe-core in a Playwright page: run it, keep what matters, say it so a person can fix it.

axe-core is Deque's engine itself, from npm, pinned (with its integrity hash) by ``package-lock.json``
and installed into ``node_modules/`` by ``scripts/ensure_node.sh``, like the report generator.
It is injected into the page under test and run there; nothing else is needed in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# The impacts a page may not have: axe's two highest of minor, moderate, serious, critical.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# axe.run's options: only violations are wanted back (passes and incomplete results cost time
# and are not read). Every rule axe enables by default runs; none is turned off.
_RUN_AXE = """async () => await axe.run(document, { resultTypes: ["violations"] })"""


class AxeNotInstalledError(RuntimeError):
    """node_modules/axe-core is missing: the message says how to get it."""


@dataclass(frozen=True)
class Violation:
    """One axe rule a page breaks, and where."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # CSS selectors of the failing elements
    summaries: tuple[str, ...]  # axe's "fix any of the following" per element, in the same order

    @classmethod
    def from_axe(cls, raw: dict[str, Any]) -> Violation:
        nodes: list[dict[str, Any]] = raw.get("nodes", [])
        return cls(
            rule=str(raw["id"]),
            impact=str(raw.get("impact") or "unknown"),
            help=str(raw.get("help", "")),
            help_url=str(raw.get("helpUrl", "")),
            targets=tuple(_selector(node.get("target", [])) for node in nodes),
            summaries=tuple(_summary(str(node.get("failureSummary", ""))) for node in nodes),
        )

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING_IMPACTS

    def describe(self) -> str:
        lines = [f"- {self.rule} ({self.impact}): {self.help}  <{self.help_url}>"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            lines.append(f"    {target}")
            if summary:
                lines.append(f"      {summary}")
        return "\n".join(lines)


def _selector(target: list[Any]) -> str:
    """axe names an element by a list of selectors, one per frame or shadow root on the way to it."""
    return " >>> ".join(" ".join(map(str, part)) if isinstance(part, list) else str(part) for part in target)


def _summary(failure_summary: str) -> str:
    """axe's "Fix any of the following:" and its checks' messages (one a line) on one line."""
    heading, *messages = [line.strip() for line in failure_summary.splitlines() if line.strip()] or [""]
    return f"{heading} {'; '.join(messages)}".strip()


def run_axe(page: Page) -> list[Violation]:
    """Every axe violation of the page as it is now (all impacts; see :attr:`Violation.blocking`)."""
    if not AXE_JS.is_file():
        raise AxeNotInstalledError(
            f"axe-core is not installed ({AXE_JS} is missing): run scripts/ensure_node.sh "
            "(npm ci of package-lock.json), or `make test`, which runs it."
        )
    page.add_script_tag(path=AXE_JS)
    results: dict[str, Any] = page.evaluate(_RUN_AXE)
    return [Violation.from_axe(raw) for raw in results["violations"]]


def report(where: str, violations: list[Violation]) -> str:
    """The failure message: which page, then each violation with its rule, impact, help and elements."""
    return "\n".join(
        [
            f"{where}: {len(violations)} serious or critical accessibility violation(s)",
            *(v.describe() for v in violations),
        ]
    )
