"""The `selfware-git` command line: the group, its commands (one module each in `commands/`,
the work done by the stages) and the one place where errors become one `error:` line.
Mining, export and their heavy libraries (tree-sitter, pyarrow, pandas, detect-secrets) are
imported inside the commands that use them, so that `status` and `--help` start fast.

One language throughout: repositories are positional `REPO` arguments (default: the current
one), `--store` is the pairs file `mine` writes and everything else reads, `--out` is what a
command writes, and the filters (`--task`, `--agent`, `--language`, `--repo-name`, `--since`,
`--until`) mean the same wherever they appear. The spellings of the previous release (`--repo
PATH`, `mine --out`, `export --repo NAME`) still work, hidden, with a note, for one release."""

from __future__ import annotations

import sys

import click

from selfware_git.hooks.errors import UserError, describe_os_error

from .commands.axolotl_config import axolotl_config_cmd
from .commands.demo import demo_cmd
from .commands.evaluate import evaluate_cmd
from .commands.export import export_cmd
from .commands.fine_tune import fine_tune_cmd
from .commands.forget import forget_cmd
from .commands.install_uninstall import install_hooks_cmd, uninstall_hooks_cmd
from .commands.merge_adapter import merge_adapter_cmd
from .commands.mine import mine_cmd
from .commands.options import CONTEXT
from .commands.pairs import pairs_cmd
from .commands.report import report_cmd
from .commands.snapshot import snapshot_cmd
from .commands.stats import stats_cmd
from .commands.status import status_cmd
from .commands.switch import disable_cmd, enable_cmd

COMMANDS = (
    install_hooks_cmd,
    uninstall_hooks_cmd,
    snapshot_cmd,
    disable_cmd,
    enable_cmd,
    status_cmd,
    mine_cmd,
    export_cmd,
    stats_cmd,
    pairs_cmd,
    forget_cmd,
    axolotl_config_cmd,
    fine_tune_cmd,
    evaluate_cmd,
    merge_adapter_cmd,
    report_cmd,
    demo_cmd,
)


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(package_name="selfware-git")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Keep the corrections people make to AI coding agents' commits, as training data.

    \b
    Typical use:
      selfware-git install-hooks      # once per repository (or --global, once for all)
      selfware-git status             # what has been captured
      selfware-git mine               # turn the trail into rejected/chosen pairs
      selfware-git pairs              # look at them before training
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Entry point: user mistakes and conditions of the machine (a file in the way, a folder
    that cannot be written) end in one `error:` line and exit status 1, not a traceback;
    usage mistakes in click's usage text and exit status 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"Try '{exc.ctx.command_path} --help' for help.", err=True)
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)  # the reader (`| head`) has all it wanted
    except OSError as exc:
        click.echo(f"error: {describe_os_error(exc)}", err=True)
        sys.exit(1)
