"""`selfware-git report`: mine the repositories (in memory; the store is not touched), follow
every agent-written function to its outcome, and write the page and the figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfware_git.hooks.errors import UserError

from ..mine import MineOptions, mine_repository
from ..store import atomic_write
from ..training.evaluation_text import one_line
from ..training.training_run import latest_evaluation
from .outcomes import AgentFunction, agent_functions
from .report_data import figures
from .report_html import render


def build_report(repos: list[Path]) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """Figures, rows and the problems met (a repository that could not be read)."""
    functions: list[AgentFunction] = []
    rows: list[dict[str, Any]] = []
    names, problems = [], []
    for path in repos:
        result = mine_repository(path, MineOptions(), previous=None)
        if result.report.status != "mined":
            problems.append(f"{path}: {result.report.message}")
            continue
        names.append(result.report.repo)
        rows += [*result.pairs, *result.unpaired]
        functions += agent_functions(path, result)
    if not names:
        raise UserError("no repository could be read", "; ".join(problems))
    data = figures(names, functions, rows)
    data["evaluation"] = latest_evaluation()  # the newest adapter's, when one was evaluated
    return data, rows, problems


def write_report(out: Path, data: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    atomic_write(out, render(data, rows).encode("utf-8"))


def summary(data: dict[str, Any]) -> str:
    survival = data["survival"]
    share = survival["share_kept"]
    kept = f"{share:.0%} kept untouched" if share is not None else "none found"
    events = ", ".join(f"{k}: {v}" for k, v in data["corrections"]["by_event"].items()) or "none"
    tasks = ", ".join(f"{k}: {v}" for k, v in list(data["corrections"]["by_task"].items())[:5])
    median = data["time_to_correction"]["median_hours"]
    evaluation = data.get("evaluation")
    return "\n".join(
        [
            f"{survival['agent_functions']} agent-written functions, {kept}",
            f"corrections: {events}",
            f"most corrected tasks: {tasks or 'none'}",
            f"median time to correction: {median:.1f} h"
            if median is not None
            else "median time to correction: –",
            *([one_line(evaluation)] if evaluation else []),
        ]
    )
