"""`selfware-git status`: the hooks in place and what they have captured, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from selfware_git.hooks.gitpaths import locate
from selfware_git.hooks.install import HOOK_NAMES

from ..status import gather_status
from .options import one_repo, repo_argument


@click.command("status")
@repo_argument
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status_cmd(repo: Path | None, repo_alias: Path | None, as_json: bool) -> None:
    """Show the hooks of REPO and what they have captured."""
    status = gather_status(locate(one_repo(repo, repo_alias)))
    if as_json:
        click.echo(json.dumps(status, indent=2, sort_keys=True))
        return
    click.echo(_format_status(status))


INSTALL_WORDS = {
    "repository": "in this repository",
    "shared": "in a hooks folder shared with other repositories (core.hooksPath)",
    "global": "globally (`install-hooks --global`: core.hooksPath in the global git config)",
    "none": "no",
}


def _format_status(status: dict[str, Any]) -> str:
    lines = [f"Repository: {status['repository']}"]
    if not status["enabled"]:
        lines.append("Capture: OFF (`selfware-git enable` turns it back on)")
    install_state = status["install"]
    lines.append(f"Installed: {INSTALL_WORDS[install_state['mode']]}")
    if install_state.get("shadowed_by"):
        lines.append(
            f"  the global install does not reach here: this repository's core.hooksPath "
            f"({install_state['shadowed_by']}) takes precedence; run `selfware-git install-hooks`"
        )
    lines.append(f"Hooks ({status['hooks_dir']}):")
    for name in HOOK_NAMES:
        state = status["hooks"][name]
        text = "installed" if state["installed"] else "not installed"
        if state["chained"]:
            text += ", chaining your previous hook"
        lines.append(f"  {name:<22} {text}")
    journal = status["journal"]
    lines.append(f"Journal: {journal['path']} ({journal['bytes']} bytes)")
    if "history_unreadable" in status:
        lines.append(f"History: {status['history_unreadable']}")
    else:
        if journal.get("unreadable_lines"):
            lines.append(f"  {journal['unreadable_lines']} unreadable line(s) skipped")
        agents = ", ".join(f"{a}: {n}" for a, n in sorted(status["agents"].items())) or "none"
        lines.append(f"Agent commits captured: {status['agent_commits']} ({agents})")
        kinds = ", ".join(f"{k}: {n}" for k, n in status["corrections"].items()) or "none yet"
        lines.append(f"Corrections: {kinds}")
        lines.append(f"Pinned commits (refs/selfware/pin): {status['pinned_commits']}")
        lines.append(f"Agent edit snapshot sessions: {status['snapshot_sessions']}")
    lines.extend(_format_agent_hooks(status["agent_hooks"]))
    lines.append(f"Last error: {status['last_error'] or 'none'}")
    return "\n".join(lines)


def _format_agent_hooks(states: dict[str, Any]) -> list[str]:
    lines = ["Agent edit hooks:"]
    for agent, files in states.items():
        for scope, found in files.items():
            events = ", ".join(found["events"]) or "not installed"
            lines.append(f"  {agent:<12} {scope:<8} {events} ({found['path']})")
    return lines
