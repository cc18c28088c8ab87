"""The `selfware-git` command line: one small function per command, the work done elsewhere.
Mining, export and their heavy libraries (tree-sitter, pyarrow, pandas, detect-secrets) are
imported inside the commands that use them, so that `status` and `--help` start fast.

One language throughout: repositories are positional `REPO` arguments (default: the current
one), `--store` is the pairs file `mine` writes and everything else reads, `--out` is what a
command writes, and the filters (`--task`, `--agent`, `--language`, `--repo-name`, `--since`,
`--until`) mean the same wherever they appear. The spellings of the previous release (`--repo
PATH`, `mine --out`, `export --repo NAME`) still work, hidden, with a note, for one release."""

from __future__ import annotations

import calendar
import json
import re
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import click

from selfware_git.hooks.errors import UserError, describe_os_error
from selfware_git.hooks.gitpaths import RepoPaths, locate
from selfware_git.hooks.install import HOOK_NAMES, install, uninstall
from selfware_git.hooks.switch import set_enabled

from .commands.agent_hooks import (
    AGENT_CHOICE,
    install_agent_hooks,
    run_snapshot,
    uninstall_agent_hooks,
)
from .cores import available_cores
from .dataset.formats import FORMATS, STYLES
from .dataset.selection import Filters
from .engines import ENGINES
from .status import gather_status, global_hooks_folder
from .store import Store, default_pairs_path, selfware_home

CONTEXT = {"help_option_names": ["-h", "--help"]}


def note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _old_spelling(old: str, new: str) -> None:
    note(f"{old} is now {new}; the old spelling goes in the next release")


def repo_argument(command: Any) -> Any:
    """`[REPO]`, the repository (any folder inside it), and the hidden `--repo PATH` of the
    previous release."""
    command = click.option(
        "--repo", "repo_alias", type=click.Path(file_okay=False, path_type=Path), hidden=True
    )(command)
    return click.argument("repo", required=False, type=click.Path(file_okay=False, path_type=Path))(
        command
    )


def _one_repo(repo: Path | None, alias: Path | None, default: Path | None = Path(".")) -> Any:
    if alias is not None:
        _old_spelling("--repo PATH", "a REPO argument")
        if repo is not None and repo != alias:
            raise UserError("two repositories given", "name one REPO")
        return alias
    return repo if repo is not None else default


def store_option(command: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(path_type=Path),
        default=None,
        help="The pairs file (default: $SELFWARE_HOME/feedback/preferences.jsonl, "
        "SELFWARE_HOME defaulting to ~/.selfware), or a folder `mine --out` wrote.",
    )(command)


def _store(path: Path | None) -> Any:
    """The JSONL store, or the folder of Parquet parts where `path` is a folder."""
    if path is not None and path.is_dir():
        from .parts import PartsStore, is_parts_folder

        if not is_parts_folder(path):
            raise UserError(
                f"{path} is a folder but no store of pairs",
                "pass --store with the pairs file, or with a folder `mine --out` wrote",
            )
        return PartsStore(path)
    return Store(path or default_pairs_path())


def with_options(options: list[Any]) -> Any:
    """One decorator for a list of click options, in the order listed."""

    def apply(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


# The row filters of `export` and `pairs`.
filter_options = with_options(
    [
        click.option("--task", multiple=True, help="Only this task tag (repeatable)."),
        click.option("--agent", multiple=True, help="Only this agent (repeatable)."),
        click.option("--language", multiple=True, help="Only this language (repeatable)."),
        click.option(
            "--repo-name",
            "repo_name",
            multiple=True,
            help="Only this repository, by the name `stats` shows (repeatable).",
        ),
        click.option("--repo", "repo_name_alias", multiple=True, hidden=True),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only rows mined from corrections on or after this day (YYYY-MM-DD).",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only rows mined from corrections on or before this day (YYYY-MM-DD).",
        ),
        click.option(
            "--max-chars",
            type=click.IntRange(min=1),
            default=None,
            help="Leave out rows whose prompt, chosen and rejected exceed this many characters.",
        ),
    ]
)


def _filters(options: dict[str, Any]) -> Filters:
    names = options.pop("repo_name")
    if options.get("repo_name_alias"):
        _old_spelling("--repo NAME", "--repo-name NAME")
    names = (*names, *options.pop("repo_name_alias", ()))
    return Filters(
        tasks=frozenset(options.pop("task")),
        agents=frozenset(options.pop("agent")),
        languages=frozenset(options.pop("language")),
        repos=frozenset(names),
        since=options.pop("since"),
        until=options.pop("until"),
        max_chars=options.pop("max_chars"),
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


@cli.command("install-hooks")
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
        install_agent_hooks(agent, _one_repo(repo, repo_alias, default=None), everywhere)
        return
    if everywhere:
        _install_global(_one_repo(repo, repo_alias, default=None))
        return
    paths = locate(_one_repo(repo, repo_alias))
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


@cli.command("uninstall-hooks")
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
        uninstall_agent_hooks(agent, _one_repo(repo, repo_alias, default=None), everywhere)
        return
    if everywhere:
        _uninstall_global(_one_repo(repo, repo_alias, default=None))
        return
    result = uninstall(locate(_one_repo(repo, repo_alias), check_store=False))
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


@cli.command("snapshot")
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


@cli.command("disable")
@repo_argument
def disable_cmd(repo: Path | None, repo_alias: Path | None) -> None:
    """Stop capturing and mining in REPO (hooks stay installed; data is kept)."""
    set_enabled(locate(_one_repo(repo, repo_alias)), enabled=False)
    click.echo("selfware-git is off for this repository: nothing is captured or mined.")
    click.echo("Turn it back on with `selfware-git enable`.")


@cli.command("enable")
@repo_argument
def enable_cmd(repo: Path | None, repo_alias: Path | None) -> None:
    """Capture and mine in REPO again after `disable`."""
    set_enabled(locate(_one_repo(repo, repo_alias)), enabled=True)
    click.echo("selfware-git is on for this repository.")


@cli.command("status")
@repo_argument
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status_cmd(repo: Path | None, repo_alias: Path | None, as_json: bool) -> None:
    """Show the hooks of REPO and what they have captured."""
    status = gather_status(locate(_one_repo(repo, repo_alias)))
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


@cli.command("mine")
@click.argument("repos", nargs=-1)
@store_option
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="A folder of Parquet parts, one per repository (DIR/repo=<id>/), instead of the "
    "JSONL store; either engine writes it.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: this machine (--jobs); ray: one Ray task per repository (needs --out DIR).",
)
@click.option(
    "--address",
    default=None,
    metavar="ADDR",
    help="The Ray cluster to join: auto, HOST:PORT or ray://HOST:PORT "
    "(default: a fresh local instance).",
)
@click.option(
    "--since",
    type=click.DateTime(),
    default=None,
    help="Leave out corrections made before this date (YYYY-MM-DD).",
)
@click.option(
    "--window",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="A person's edit of an agent's lines is a fix up to this many commits after the "
    "agent commit, counted along ancestry (`git rev-list --count --ancestry-path`).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Replace each repository's rows, even where they were mined under the current rules.",
)
@click.option(
    "--remotes",
    is_flag=True,
    help="Walk remote-tracking branches too (default: HEAD and every local branch).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    show_default="the machine's cores",
    help="Processes: repositories mined side by side, or for a single repository, workers "
    "building its rows while its history is walked (same rows either way).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar, no summary (errors still show).")
def mine_cmd(
    repos: tuple[str, ...],
    store: Path | None,
    out: Path | None,
    engine: str,
    address: str | None,
    since: Any,
    window: int,
    rebuild: bool,
    remotes: bool,
    jobs: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Turn agent commits and the person's corrections into rejected/chosen pairs.

    Reads the captured trail (hooks) and the plain history of each REPO (default: the current
    one). Pairs go to the store, unpaired rejections (for KTO) beside it. Rerunning adds only
    what is new. With --out DIR, a REPO may be a clone URL, cloned into scratch space.
    """
    from .mine import MineOptions, mine_all
    from .report_text import format_summary

    if out is not None and (out.suffix == ".jsonl" or out.is_file()):
        _old_spelling("mine --out FILE", "--store FILE")
        store, out = store or out, None
    elif out is None and store is not None and store.is_dir():
        out = store
    options = MineOptions(
        window=window,
        rebuild=rebuild,
        remotes=remotes,
        since=calendar.timegm(since.timetuple()) if since else None,
        progress=not quiet and not as_json and sys.stderr.isatty(),
    )
    if out is not None:
        from .engines import engine_for
        from .engines.clones import parse_source
        from .engines.mine_parts import mine_parts
        from .parts import PartsStore

        chosen: Any = PartsStore(out)
        runner = engine_for(engine, jobs, address)
        sources = [parse_source(text) for text in repos or (".",)]
        if engine == "local" and len(sources) == 1:
            options = replace(options, workers=jobs or available_cores())  # workers inside it
        summary = mine_parts(sources, chosen, options, runner)
    else:
        from .engines.mine_parts import local_paths

        if engine != "local" or address is not None:
            raise UserError("--engine ray writes a folder of Parquet parts", "pass --out DIR")
        chosen = _store(store)
        chosen.check()
        paths = local_paths([*repos] or ["."])
        summary = mine_all(paths, chosen, options, jobs or available_cores())
    errors = [r for r in summary.reports if r.status == "error"]
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    elif not quiet and len(errors) < len(summary.reports):
        text = format_summary(summary)
        if not chosen.exists():
            text = text.rsplit("\n", 1)[0] + "\nNo pairs found; nothing was written."
        click.echo(text)
    for report in errors:
        click.echo(f"error: {report.path}: {report.message}", err=True)
    if errors:
        sys.exit(1)


@cli.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="parquet",
    show_default=True,
    help="File format of the splits.",
)
@click.option(
    "--style",
    type=click.Choice(STYLES),
    default="standard",
    show_default=True,
    help="standard: prompt/chosen/rejected strings; conversational: message lists; "
    "kto: prompt/completion/label rows, unpaired rejections included.",
)
@click.option(
    "--test-split",
    type=click.FloatRange(0, 0.9),
    default=0.1,
    show_default=True,
    help="Share of functions held out for the test split (grouped by function).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dataset folder (default: dataset-<style> beside the store).",
)
@click.option("--system", default=None, help="A system message (conversational style only).")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def export_cmd(
    store: Path | None,
    fmt: str,
    style: str,
    test_split: float,
    out: Path | None,
    system: str | None,
    as_json: bool,
    **filter_options: Any,
) -> None:
    """Write the pairs as a dataset for Hugging Face datasets, TRL and Axolotl."""
    from .dataset.export import ExportRequest, export

    chosen = _store(store)
    out = out or chosen.home / f"dataset-{style}"
    request = ExportRequest(chosen, out, fmt, style, test_split, system, _filters(filter_options))
    result = export(request)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "out": str(result.out),
                    "counts": result.counts,
                    "files": {k: str(v) for k, v in result.files.items()},
                    "notes": result.notes,
                },
                indent=2,
            )
        )
        return
    for split, path in result.files.items():
        click.echo(f"{split}: {result.counts[split]} rows → {path}")
    click.echo(f"Dataset card: {result.out / 'README.md'}")
    click.echo(
        f'Load it: datasets.load_dataset("{fmt if fmt == "parquet" else "json"}", '
        f'data_dir="{result.out}")'
    )
    for message in result.notes:
        note(message)


@cli.command("stats")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def stats_cmd(store: Path | None, as_json: bool) -> None:
    """Count the stored pairs by task, agent, language, event and repository."""
    from .dataset.stats import format_stats, gather_stats

    selected = _store(store)
    if not selected.exists():
        raise UserError(f"no store at {selected.label}", "run `selfware-git mine` first")
    stats = gather_stats(selected)
    click.echo(json.dumps(stats, indent=2) if as_json else format_stats(stats))


@cli.group("pairs", context_settings=CONTEXT, invoke_without_command=True)
@store_option
@filter_options
@click.option("--event", multiple=True, help="Only this event: amend, fix, reset… (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON row a line, as stored.")
@click.pass_context
def pairs_cmd(
    ctx: click.Context,
    store: Path | None,
    event: tuple[str, ...],
    limit: int | None,
    as_json: bool,
    **filter_options: Any,
) -> None:
    """List the stored pairs (and unpaired rejections), newest last; `pairs show ID` prints one.

    Filters as in `export`. Look before you train, and `forget --id ID` what should not be there.
    """
    from .dataset.browse import list_line, select_rows

    if ctx.invoked_subcommand is not None:
        ctx.obj = {"store": store}
        return
    rows, unreadable = select_rows(_store(store), _filters(filter_options), set(event), limit)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False) if as_json else list_line(row))
    if not as_json:
        click.echo(f"{len(rows)} row(s); `selfware-git pairs show ID` prints one", err=True)
    if unreadable:
        warning(f"{unreadable} unreadable line(s) in the store skipped")


@pairs_cmd.command("show", context_settings=CONTEXT)
@click.argument("row_id")
@store_option
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored row as JSON.")
@click.pass_context
def pairs_show_cmd(
    ctx: click.Context, row_id: str, store: Path | None, color: bool | None, as_json: bool
) -> None:
    """Print one pair: its provenance, its prompt, and the diff from rejected to chosen.

    ROW_ID is the id `pairs` lists, or any unique start of it (at least 4 characters).
    """
    from .dataset.browse import find_row, render_row

    row = find_row(_store(store or (ctx.obj or {}).get("store")), row_id)
    if as_json:
        click.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    click.echo(render_row(row), color=color)


@cli.command("forget")
@repo_argument
@click.option("--path", "path_glob", default=None, help="Only rows of files matching this glob.")
@click.option("--commit", default=None, help="Only rows, journal lines and refs of this commit.")
@click.option(
    "--id", "row_id", default=None, help="Only the row with this id (as `pairs` lists it)."
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Everything in scope (with REPO: that repository's trail too).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@store_option
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dataset folders to clean too (default: every dataset-* beside the store).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def forget_cmd(
    repo: Path | None,
    repo_alias: Path | None,
    path_glob: str | None,
    commit: str | None,
    row_id: str | None,
    everything: bool,
    dry_run: bool,
    store: Path | None,
    exports: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Remove captured data: rows from the store and exports, journal records, pinned refs.

    With REPO, only that repository's rows, and its journal and pinned refs.
    """
    from .forget import ForgetReport, ForgetRequest, forget_rows, forget_trail
    from .mine import repo_name

    repo = _one_repo(repo, repo_alias, default=None)
    if not (repo or path_glob or commit or row_id or everything):
        raise UserError(
            "say what to forget", "name a REPO, or pass --path, --commit, --id or --all"
        )
    if commit and not re.fullmatch(r"[0-9a-f]{4,64}", commit):
        raise UserError(f"{commit!r} is not a commit id", "pass at least 4 hex digits")
    if row_id and not re.fullmatch(r"[0-9a-f]{4,64}", row_id):
        raise UserError(f"{row_id!r} is not a row id", "pass the id `selfware-git pairs` lists")
    paths = locate(repo) if repo else _current_repo(commit)
    request = ForgetRequest(
        repo_name=repo_name(paths.worktree or paths.common_dir) if repo and paths else None,
        path_glob=path_glob,
        commit=commit,
        row_id=row_id,
        everything=everything,
        dry_run=dry_run,
    )
    chosen = _store(store)
    folders = [*exports] or sorted(chosen.home.glob("dataset-*"))
    with chosen.locked():
        report = ForgetReport(rows=forget_rows(chosen, folders, request))
    if paths is not None and not path_glob and not row_id:
        report.journal_lines, report.refs = forget_trail(paths, request)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **asdict(report)}, indent=2))
        return
    verb = "Would remove" if dry_run else "Removed"
    for file, count in report.rows.items():
        click.echo(f"{verb} {count} row(s) from {file}")
    if report.journal_lines:
        click.echo(f"{verb} {report.journal_lines} journal line(s)")
    if report.refs:
        click.echo(f"{verb} {len(report.refs)} ref(s) under refs/selfware/")
    if not (report.rows or report.journal_lines or report.refs):
        click.echo("Nothing matched; nothing removed.")


def _current_repo(commit: str | None) -> RepoPaths | None:
    """The repository around the current folder, for `--commit` without REPO."""
    if not commit:
        return None
    try:
        return locate(Path("."))
    except UserError:
        return None


def _variant(qlora: bool, kto: bool) -> str:
    if qlora and kto:
        raise UserError("--qlora and --kto do not go together", "KTO runs with a LoRA adapter")
    return "dpo-qlora" if qlora else "kto-lora" if kto else "dpo-lora"


variant_options = [
    click.option(
        "--base-model", default=None, help="Model to adapt: a Hugging Face name or a folder."
    ),
    click.option(
        "--qlora", is_flag=True, help="DPO with a 4-bit QLoRA adapter (needs a CUDA GPU)."
    ),
    click.option("--kto", is_flag=True, help="KTO on unpaired rows instead of DPO on pairs."),
    click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override any config key (YAML value; dots for nesting), e.g. lora_r=32.",
    ),
    click.option(
        "--verbose", is_flag=True, help="Show the warnings torch, torchao and Axolotl print."
    ),
]


with_variant_options = with_options(variant_options)


def _write_axolotl_config(
    base_model: str | None,
    variant: str,
    dataset: Path | None,
    out: Path | None,
    overrides: tuple[str, ...],
    verbose: bool,
) -> Path:
    from .training.axolotl_config import VARIANTS, ConfigRequest, generate, write_config

    if not base_model:
        raise UserError("no base model given", "pass --base-model with a model name or folder")
    feedback = selfware_home() / "feedback"
    style = VARIANTS[variant][1]
    request = ConfigRequest(
        base_model,
        variant,
        dataset or feedback / f"dataset-{style}",
        feedback / "runs" / variant,
        list(overrides),
        verbose,
    )
    generated = generate(request)
    out = out or feedback / "axolotl" / f"{variant}.yml"
    write_config(generated, out)
    for message in generated.notes:
        note(message)
    click.echo(f"Wrote {out} ({generated.checked_with}).")
    return out


@cli.command("axolotl-config")
@with_variant_options
@click.option(
    "--dataset",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder `export` wrote (default: $SELFWARE_HOME/feedback/dataset-<style>).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file to write (default: $SELFWARE_HOME/feedback/axolotl/<variant>.yml).",
)
def axolotl_config_cmd(
    base_model: str | None,
    qlora: bool,
    kto: bool,
    overrides: tuple[str, ...],
    verbose: bool,
    dataset: Path | None,
    out: Path | None,
) -> None:
    """Write an Axolotl config (DPO LoRA, DPO QLoRA or KTO LoRA) for the exported data.

    Nothing is written unless the config passes Axolotl's own schema (when Axolotl is
    installed; the output says when it is not) and our checks: data present with the right
    columns, a base model, a writable output folder, known keys and sensible values. Then:
    axolotl train <the written file>.
    """
    variant = _variant(qlora, kto)
    path = _write_axolotl_config(base_model, variant, dataset, out, overrides, verbose)
    click.echo(f"Train with: axolotl train {path}")


@cli.command("fine-tune")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An Axolotl config to train (default: export and write one).",
)
@with_variant_options
@store_option
@click.option(
    "--launcher",
    type=click.Choice(["python", "accelerate", "torchrun"]),
    default="python",
    show_default=True,
    help="How Axolotl starts training; accelerate or torchrun for several GPUs.",
)
@click.option(
    "--evaluate/--no-evaluate",
    default=True,
    show_default=True,
    help="Evaluate base against base + adapter on the test split afterwards.",
)
def fine_tune_cmd(
    config: Path | None,
    base_model: str | None,
    qlora: bool,
    kto: bool,
    overrides: tuple[str, ...],
    verbose: bool,
    store: Path | None,
    launcher: str,
    evaluate: bool,
) -> None:
    """Train a LoRA adapter on your corrections with Axolotl.

    Without --config: exports the store (to dataset-<style> beside it), writes the config (as
    axolotl-config does), then runs `axolotl train` on it, then `evaluate` on the export's
    test split. Needs the train extra: pip install 'selfware-git[train]'.
    """
    from .dataset.export import ExportRequest, export
    from .training.fine_tune import require_axolotl, run_training

    require_axolotl()
    if config is None:
        from .training.axolotl_config import VARIANTS

        variant = _variant(qlora, kto)
        style = VARIANTS[variant][1]
        chosen = _store(store)
        folder = chosen.home / f"dataset-{style}"
        export(ExportRequest(chosen, folder, style=style))
        config = _write_axolotl_config(base_model, variant, folder, None, overrides, verbose)
    adapter = run_training(config, launcher)
    click.echo(f"Adapter written to {adapter} (adapter_model.safetensors, adapter_config.json).")
    if evaluate:
        _evaluate_after_training(adapter, config, verbose)


def _evaluate_after_training(adapter: Path, config: Path, verbose: bool) -> None:
    """Base against base + adapter on the export's test split; without one, say so and score
    nothing (the training pairs would only say how well it memorised them)."""
    from .training.evaluate import EvaluateRequest, evaluate
    from .training.evaluation_text import format_evaluation
    from .training.training_run import load_run, split_file

    try:
        split_file(load_run(adapter, config).data_dir, "test")
    except UserError as exc:
        note(f"nothing evaluated: {exc.message}")
        return
    request = EvaluateRequest(adapter, config=config, progress=sys.stderr.isatty(), verbose=verbose)
    try:
        result = evaluate(request)
    except UserError as exc:  # the adapter is trained and saved: that is not undone
        warning(f"the adapter is saved, but evaluating it failed: {exc}")
        return
    click.echo(format_evaluation(result))
    click.echo(f"Saved to {adapter / 'evaluation.json'}.")


adapter_options = with_options(
    [
        click.option(
            "--adapter",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="The adapter folder (default: the newest one fine-tune wrote).",
        ),
        click.option(
            "--base-model",
            default=None,
            help="The model it adapts (default: the one its training config names).",
        ),
        click.option(
            "--config",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            default=None,
            help="The Axolotl config it was trained with (default: found by its output_dir).",
        ),
        click.option(
            "--verbose", is_flag=True, help="Show the warnings torch and transformers print."
        ),
    ]
)


@cli.command("evaluate")
@adapter_options
@click.option(
    "--data",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="An export folder or a split file (default: the export the run trained on).",
)
@click.option("--split", default="test", show_default=True, help="The split of --data to score.")
@click.option("--max-pairs", type=click.IntRange(min=1), default=None, help="Score at most N.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_cmd(
    adapter: Path | None,
    base_model: str | None,
    config: Path | None,
    verbose: bool,
    data: Path | None,
    split: str,
    max_pairs: int | None,
    as_json: bool,
) -> None:
    """How often base and base + adapter prefer the person's version on held-out pairs.

    Scores the text exactly as training saw it (chat template, prompt/completion split, EOS),
    by per-token mean and summed log-likelihood, and the adapter's implicit DPO reward
    (TRL's rewards/accuracies and margins, the base as reference), each with a 95 % interval;
    by task, language and agent where there are enough pairs. Saves evaluation.json beside
    the adapter. Uses a CUDA GPU when there is one.
    """
    from .training.evaluate import EvaluateRequest, evaluate
    from .training.evaluation_text import format_evaluation

    progress = not as_json and sys.stderr.isatty()
    request = EvaluateRequest(
        adapter, base_model, config, data, split, max_pairs, progress, verbose
    )
    result = evaluate(request)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(format_evaluation(result))
        click.echo(f"Saved to {Path(result['adapter']) / 'evaluation.json'}.")


@cli.command("merge-adapter")
@adapter_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The model folder to write (default: merged/ beside the adapter folder).",
)
@click.option("--force", is_flag=True, help="Replace --out when it exists.")
def merge_adapter_cmd(
    adapter: Path | None,
    base_model: str | None,
    config: Path | None,
    verbose: bool,
    out: Path | None,
    force: bool,
) -> None:
    """Write the base model with the adapter merged in, as a standard Hugging Face folder
    (what vLLM, llama.cpp's converter, Ollama or transformers load without peft)."""
    from .training.merge_adapter import merge_adapter
    from .training.training_run import load_run

    run = load_run(adapter, config, base_model)
    written = merge_adapter(run, out or run.adapter.parent / "merged", force, verbose)
    click.echo(f"Merged model written to {written} (base {run.base_model} + {run.adapter}).")


@cli.command("report")
@click.argument("repos", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The page to write (default: $SELFWARE_HOME/feedback/report.html).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def report_cmd(repos: tuple[Path, ...], out: Path | None, open_page: bool, as_json: bool) -> None:
    """How the agents' code fares: a self-contained HTML page (charts and the pairs, with
    diffs) for the REPOs (default: the current one), and the same figures as --json."""
    from .report.report import build_report, summary, write_report

    data, rows, problems = build_report([*repos] or [Path(".")])
    out = out or selfware_home() / "feedback" / "report.html"
    write_report(out, data, rows)
    for problem in problems:
        warning(f"skipped {problem}")
    if as_json:
        click.echo(json.dumps({**data, "report": str(out)}, indent=2))
    else:
        click.echo(summary(data))
        click.echo(f"Report: {out}")
    if open_page:
        import webbrowser

        webbrowser.open(out.resolve().as_uri())


@cli.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to build the demo (default: a new temp folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the mined rows as JSON lines.")
def demo_cmd(directory: Path | None, as_json: bool) -> None:
    """Build a throwaway repository, play an agent and a person through every kind of
    correction with the real hooks, mine it and show the pairs."""
    from .demo import format_row, run_demo
    from .report_text import format_summary

    try:
        summary, rows, root = run_demo(directory)
    except FileExistsError as exc:
        raise UserError(str(exc), "pass --dir with a new or empty folder") from exc
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        click.echo(format_row(row))
    click.echo(format_summary(summary))
    click.echo(f"Demo repository: {root / 'demo-repo'} (look around: git log, selfware-git status)")


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
