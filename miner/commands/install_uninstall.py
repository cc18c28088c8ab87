"""`selfware-git install-hooks` and `uninstall-hooks`: in one repository, globally (--global),
or in an agent's own hook settings (--agent)."""

from __future__ import annotations

from pathlib import Path

import click

from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import locate
from selfware_git.hooks.install import install, uninstall

from ..status import global_hooks_folder
from .agent_hooks import AGENT_CHOICE, install_agent_hooks, uninstall_agent_hooks
from .options import one_repo, repo_argument


@click.command("install-hooks")
@repo_argument
@click.option(
    "--global",
    "everywhere",
    is_flag=True,
    help="Capture in every repository of this user: sets core.hooksPath in the global git "
    "config to a folder of ours that still runs each repository's own hooks. With --agent: "
    "the agent's user-level settings file.",
)
@click.option(
    "--agent",
    type=AGENT_CHOICE,
    default=None,
    help="Instead: add edit snapshot hooks to this agent's own hook settings (README: agent "
    "edit hooks).",
)
def install_hooks_cmd(
    repo: Path | None, repo_alias: Path | None, everywhere: bool, agent: str | None
) -> None:
    """Install the capture hooks (reference-transaction and post-rewrite) in REPO.

    Hooks already there are kept and run after ours; running this twice changes nothing.
    """
    if agent:
        install_agent_hooks(agent, one_repo(repo, repo_alias, default=None), everywhere)
        return
    if everywhere:
        _install_global(one_repo(repo, repo_alias, default=None))
        return
    paths = locate(one_repo(repo, repo_alias))
    result = install(paths)
    if result.global_install:
        click.echo(f"Hooks already installed globally in {result.hooks_dir}; nothing changed.")
        return
    if not result.written:
        click.echo(f"Hooks already installed in {result.hooks_dir}; nothing changed.")
    else:
        click.echo(f"Installed {', '.join(result.written)} in {result.hooks_dir}.")
    for name in result.chained:
        click.echo(f"  your existing {name} hook is kept and runs after ours.")
    if not result.written:
        return
    if result.shared_hooks_dir:
        click.echo(
            "  note: this hooks directory is shared with other repositories (core.hooksPath);"
            " each repository keeps its own journal."
        )
    click.echo(
        "Captured from now on: commits made by coding agents (SELFWARE_AGENT or known markers),\n"
        "their task text, and your amends, rebases, reverts, resets and cherry-picks of them.\n"
        f"Stored only in this repository: {paths.selfware_dir} and refs/selfware/*.\n"
        "Pause with SELFWARE_DISABLE=1; remove with `selfware-git uninstall-hooks`."
    )


def _install_global(repo: Path | None) -> None:
    from selfware_git.hooks.global_install import install_global

    if repo is not None:
        raise UserError("--global installs for every repository", "leave out REPO")
    result = install_global(global_hooks_folder())
    if not result.changed:
        click.echo(f"Hooks already installed globally in {result.folder}; nothing changed.")
        return
    runs = (
        f"the hooks of {result.previous} (your previous global core.hooksPath)"
        if result.previous
        else "each repository's own hooks in .git/hooks"
    )
    click.echo(
        f"Installed globally: core.hooksPath in your global git config → {result.folder}.\n"
        f"Every repository captures from now on, and {runs} still run.\n"
        "A repository with its own core.hooksPath (husky, lefthook) keeps it: run\n"
        "`selfware-git install-hooks` there. Undo with `selfware-git uninstall-hooks --global`."
    )


@click.command("uninstall-hooks")
@repo_argument
@click.option(
    "--global",
    "everywhere",
    is_flag=True,
    help="Undo `install-hooks --global`: the global core.hooksPath goes back to what it was.",
)
@click.option(
    "--agent",
    type=AGENT_CHOICE,
    default=None,
    help="Instead: take our snapshot hooks out of this agent's settings, leaving its others.",
)
def uninstall_hooks_cmd(
    repo: Path | None, repo_alias: Path | None, everywhere: bool, agent: str | None
) -> None:
    """Remove the capture hooks from REPO and put back any hooks they had chained.

    What was captured stays; nothing in .git/selfware or refs/selfware is deleted.
    """
    if agent:
        uninstall_agent_hooks(agent, one_repo(repo, repo_alias, default=None), everywhere)
        return
    if everywhere:
        _uninstall_global(one_repo(repo, repo_alias, default=None))
        return
    result = uninstall(locate(one_repo(repo, repo_alias), check_store=False))
    if not result.removed:
        click.echo("No selfware-git hooks were installed; nothing changed.")
        return
    click.echo(f"Removed {', '.join(result.removed)} from {result.hooks_dir}.")
    for name in result.restored:
        click.echo(f"  restored your own {name} hook.")


def _uninstall_global(repo: Path | None) -> None:
    from selfware_git.hooks.global_install import uninstall_global

    if repo is not None:
        raise UserError("--global uninstalls for every repository", "leave out REPO")
    result = uninstall_global(global_hooks_folder())
    if not result.changed:
        click.echo("No global selfware-git hooks were installed; nothing changed.")
        return
    if result.config_left:
        click.echo(
            f"Removed {result.folder}. The global core.hooksPath ({result.config_left}) was "
            "changed since the install and is left as it is."
        )
    elif result.restored:
        click.echo(
            f"Removed {result.folder}; the global core.hooksPath is {result.restored} again."
        )
    else:
        click.echo(f"Removed {result.folder} and the global core.hooksPath setting.")
