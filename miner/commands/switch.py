"""`selfware-git disable` and `enable`: capture and mining off and on in a repository."""

from __future__ import annotations

from pathlib import Path

import click

from selfware_git.hooks.gitpaths import locate
from selfware_git.hooks.switch import set_enabled

from .options import one_repo, repo_argument


@click.command("disable")
@repo_argument
def disable_cmd(repo: Path | None, repo_alias: Path | None) -> None:
    """Stop capturing and mining in REPO (hooks stay installed; data is kept)."""
    set_enabled(locate(one_repo(repo, repo_alias)), enabled=False)
    click.echo("selfware-git is off for this repository: nothing is captured or mined.")
    click.echo("Turn it back on with `selfware-git enable`.")


@click.command("enable")
@repo_argument
def enable_cmd(repo: Path | None, repo_alias: Path | None) -> None:
    """Capture and mine in REPO again after `disable`."""
    set_enabled(locate(one_repo(repo, repo_alias)), enabled=True)
    click.echo("selfware-git is on for this repository.")
