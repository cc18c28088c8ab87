"""`selfware-git snapshot`: an agent edit snapshot, as the agents' hooks take it."""

from __future__ import annotations

import click

from .agent_hooks import run_snapshot


@click.command("snapshot")
@click.option(
    "--agent", "agent", required=True, help="The agent, as detection names it: claude, cursor."
)
@click.option(
    "--event", type=click.Choice(["pre", "post", "prompt"]), required=True, help="Which hook call."
)
def snapshot_cmd(agent: str, event: str) -> None:
    """Store an agent edit snapshot of the working tree (pre, post) or a prompt, reading the
    agent's hook payload (JSON) on stdin. Silent, never fails: errors go to errors.log.

    The agent settings call the same sh script by its absolute path, with no Python start.
    """
    run_snapshot(agent, event)
