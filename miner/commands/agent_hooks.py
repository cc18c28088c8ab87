"""The commands around agent edit snapshots: `snapshot` (the sh hot path, for people and
scripts), and `install-hooks --agent` / `uninstall-hooks --agent` (the agent's settings)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import click

from selfware_git.hooks.agent_settings import AGENTS, install_agent, uninstall_agent
from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import locate

from ..store import selfware_home

AGENT_CHOICE = click.Choice(sorted(AGENTS))


def script_folder() -> Path:
    """Where the settings' absolute path to the snapshot script points."""
    return selfware_home() / "bin"


def run_snapshot(agent: str, event: str) -> None:
    """Become the sh snapshot script, stdin and all: the same code the agents' hooks run."""
    script = str(resources.files("selfware_git.hooks").joinpath("selfware-snapshot.sh"))
    os.execv("/bin/sh", ["sh", script, "--agent", agent, "--event", event])


def _project(repo: Path | None, everywhere: bool) -> Path | None:
    if everywhere:
        if repo is not None:
            raise UserError("--global is for every project", "leave out REPO")
        return None
    paths = locate(repo or Path("."))
    if paths.worktree is None:
        raise UserError("agent hooks need a work tree, and this repository is bare")
    return paths.worktree


def install_agent_hooks(agent: str, repo: Path | None, everywhere: bool) -> None:
    spec = AGENTS[agent]
    result = install_agent(spec, _project(repo, everywhere), script_folder())
    if not result.changed:
        click.echo(f"{agent} hooks already in {result.settings}; nothing changed.")
        return
    events = ", ".join(spec.events.values())
    click.echo(f"Added selfware-git snapshot hooks ({events}) to {result.settings}.")
    click.echo(
        f"They run {result.script} on every tool call and prompt: your edits between the\n"
        "agent's become `edit` pairs at the next `selfware-git mine`. Other hooks there are kept.\n"
        f"Undo with `selfware-git uninstall-hooks --agent {agent}"
        f"{' --global' if everywhere else ''}`."
    )


def uninstall_agent_hooks(agent: str, repo: Path | None, everywhere: bool) -> None:
    result = uninstall_agent(AGENTS[agent], _project(repo, everywhere), script_folder())
    if not result.changed:
        click.echo(f"No selfware-git hooks in {result.settings}; nothing changed.")
        return
    click.echo(f"Removed the selfware-git snapshot hooks from {result.settings}.")
