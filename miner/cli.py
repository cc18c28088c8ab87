"""The `selfware-git` command line: one small function per command, the work done elsewhere.
Mining, export and their heavy libraries (tree-sitter, pyarrow, pandas, detect-secrets) are
imported inside the commands that use them, so that `status` and `--help` start fast."""

from __future__ import annotations

import calendar
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import RepoPaths, locate
from selfware_git.hooks.install import HOOK_NAMES, install, uninstall
from selfware_git.hooks.switch import set_enabled

from .formats import FORMATS, STYLES
from .selection import Filters
from .status import gather_status
from .store import Store, default_pairs_path, selfware_home

repo_option = click.option(
    "--repo",
    "repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The git repository (any folder inside it).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="selfware-git")
def cli() -> None:
    """Keep the corrections people make to AI coding agents' commits, as training data.

    \b
    Typical use:
      selfware-git install-hooks      # once per repository; capture is automatic from then on
      selfware-git status             # what has been captured
      selfware-git mine               # turn the trail into rejected/chosen pairs
    """


@cli.command("install-hooks")
@repo_option
def install_hooks_cmd(repo: Path) -> None:
    """Install the capture hooks (reference-transaction and post-rewrite).

    Hooks already there are kept and run after ours; running this twice changes nothing.
    """
    paths = locate(repo)
    result = install(paths)
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


@cli.command("uninstall-hooks")
@repo_option
def uninstall_hooks_cmd(repo: Path) -> None:
    """Remove the capture hooks and put back any hooks they had chained.

    What was captured stays; nothing in .git/selfware or refs/selfware is deleted.
    """
    result = uninstall(locate(repo))
    if not result.removed:
        click.echo("No selfware-git hooks were installed; nothing changed.")
        return
    click.echo(f"Removed {', '.join(result.removed)} from {result.hooks_dir}.")
    for name in result.restored:
        click.echo(f"  restored your own {name} hook.")


@cli.command("disable")
@repo_option
def disable_cmd(repo: Path) -> None:
    """Stop capturing and mining in this repository (hooks stay installed; data is kept)."""
    set_enabled(locate(repo), enabled=False)
    click.echo("selfware-git is off for this repository: nothing is captured or mined.")
    click.echo("Turn it back on with `selfware-git enable`.")


@cli.command("enable")
@repo_option
def enable_cmd(repo: Path) -> None:
    """Capture and mine in this repository again after `disable`."""
    set_enabled(locate(repo), enabled=True)
    click.echo("selfware-git is on for this repository.")


@cli.command("status")
@repo_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status_cmd(repo: Path, as_json: bool) -> None:
    """Show the hooks and what they have captured."""
    status = gather_status(locate(repo))
    if as_json:
        click.echo(json.dumps(status, indent=2, sort_keys=True))
        return
    click.echo(_format_status(status))


def _format_status(status: dict[str, Any]) -> str:
    lines = [f"Repository: {status['repository']}"]
    if not status["enabled"]:
        lines.append("Capture: OFF (`selfware-git enable` turns it back on)")
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
    lines.append(f"Last error: {status['last_error'] or 'none'}")
    return "\n".join(lines)


@cli.command("mine")
@click.argument("repos", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Pairs file (JSONL). Default: $SELFWARE_HOME/feedback/preferences.jsonl, "
    "SELFWARE_HOME defaulting to ~/.selfware.",
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
    default=1,
    show_default=True,
    help="Repositories mined in parallel.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar, no summary (errors still show).")
def mine_cmd(
    repos: tuple[Path, ...],
    out: Path | None,
    since: Any,
    window: int,
    rebuild: bool,
    remotes: bool,
    jobs: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Turn agent commits and the person's corrections into rejected/chosen pairs.

    Reads the captured trail (hooks) and the plain history of each REPO (default: the current
    one). Pairs go to the JSONL store, unpaired rejections (for KTO) beside it. Rerunning
    adds only what is new.
    """
    from .mine import MineOptions, mine_all
    from .report_text import format_summary

    options = MineOptions(
        window=window,
        rebuild=rebuild,
        remotes=remotes,
        since=calendar.timegm(since.timetuple()) if since else None,
        progress=not quiet and not as_json and sys.stderr.isatty(),
    )
    store = Store(out or default_pairs_path())
    summary = mine_all([*repos] or [Path(".")], store, options, jobs)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    elif not quiet:
        click.echo(format_summary(summary))
    errors = [r for r in summary.reports if r.status == "error"]
    for report in errors:
        click.echo(f"error: {report.path}: {report.message}", err=True)
    if errors:
        sys.exit(1)


store_option = click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The pairs file `mine` wrote (default: $SELFWARE_HOME/feedback/preferences.jsonl).",
)


def _filters(options: dict[str, Any]) -> Filters:
    return Filters(
        tasks=frozenset(options["task"]),
        agents=frozenset(options["agent"]),
        languages=frozenset(options["language"]),
        repos=frozenset(options["repo"]),
        since=options["since"],
        until=options["until"],
        max_chars=options["max_chars"],
    )


@cli.command("export")
@store_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="parquet", show_default=True)
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
    help="Dataset folder (default: $SELFWARE_HOME/feedback/dataset-<style>).",
)
@click.option("--system", default=None, help="A system message (conversational style only).")
@click.option("--task", multiple=True, help="Only this task tag (repeatable).")
@click.option("--agent", multiple=True, help="Only this agent (repeatable).")
@click.option("--language", multiple=True, help="Only this language (repeatable).")
@click.option("--repo", multiple=True, help="Only this repository name (repeatable).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Leave out rows whose prompt, chosen and rejected exceed this many characters.",
)
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
    from .export import ExportRequest, export

    out = out or selfware_home() / "feedback" / f"dataset-{style}"
    request = ExportRequest(
        Store(store or default_pairs_path()),
        out,
        fmt,
        style,
        test_split,
        system,
        _filters(filter_options),
    )
    result = export(request)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "out": str(result.out),
                    "counts": result.counts,
                    "files": {k: str(v) for k, v in result.files.items()},
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


@cli.command("stats")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def stats_cmd(store: Path | None, as_json: bool) -> None:
    """Count the stored pairs by task, agent, language, event and repository."""
    from .stats import format_stats, gather_stats

    selected = Store(store or default_pairs_path())
    if not selected.pairs.exists() and not selected.unpaired.exists():
        raise UserError(f"no store at {selected.pairs}", "run `selfware-git mine` first")
    stats = gather_stats(selected)
    click.echo(json.dumps(stats, indent=2) if as_json else format_stats(stats))


@cli.command("forget")
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Only this repository: its rows, and its journal and pinned refs.",
)
@click.option("--path", "path_glob", default=None, help="Only rows of files matching this glob.")
@click.option("--commit", default=None, help="Only rows, journal lines and refs of this commit.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Everything in scope (with --repo: that repository's trail too).",
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
    path_glob: str | None,
    commit: str | None,
    everything: bool,
    dry_run: bool,
    store: Path | None,
    exports: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Remove captured data: rows from the store and exports, journal records, pinned refs."""
    from .forget import ForgetReport, ForgetRequest, forget_rows, forget_trail
    from .mine import repo_name

    if not (repo or path_glob or commit or everything):
        raise UserError("say what to forget", "pass --repo, --path, --commit or --all")
    if commit and not re.fullmatch(r"[0-9a-f]{4,64}", commit):
        raise UserError(f"{commit!r} is not a commit id", "pass at least 4 hex digits")
    paths = locate(repo) if repo else _current_repo(commit)
    request = ForgetRequest(
        repo_name=repo_name(paths.worktree or paths.common_dir) if repo and paths else None,
        path_glob=path_glob,
        commit=commit,
        everything=everything,
        dry_run=dry_run,
    )
    chosen = Store(store or default_pairs_path())
    folders = [*exports] or sorted(chosen.pairs.parent.glob("dataset-*"))
    with chosen.locked():
        report = ForgetReport(rows=forget_rows(chosen, folders, request))
    if paths is not None and not path_glob:
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
    """The repository around the current folder, for `--commit` without `--repo`."""
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
]


def with_variant_options(command: Any) -> Any:
    for option in reversed(variant_options):
        command = option(command)
    return command


def _write_axolotl_config(
    base_model: str | None,
    variant: str,
    dataset: Path | None,
    out: Path | None,
    overrides: tuple[str, ...],
) -> Path:
    from .axolotl_config import VARIANTS, ConfigRequest, generate, write_config

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
    )
    generated = generate(request)
    out = out or feedback / "axolotl" / f"{variant}.yml"
    write_config(generated, out)
    for note in generated.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"Wrote {out} (checked with Axolotl's schema where installed).")
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
    dataset: Path | None,
    out: Path | None,
) -> None:
    """Write an Axolotl config (DPO LoRA, DPO QLoRA or KTO LoRA) for the exported data.

    Nothing is written unless the config passes Axolotl's own schema (when Axolotl is
    installed) and our checks: data present with the right columns, a base model, a
    writable output folder. Then: axolotl train <the written file>.
    """
    path = _write_axolotl_config(base_model, _variant(qlora, kto), dataset, out, overrides)
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
def fine_tune_cmd(
    config: Path | None,
    base_model: str | None,
    qlora: bool,
    kto: bool,
    overrides: tuple[str, ...],
    store: Path | None,
    launcher: str,
) -> None:
    """Train a LoRA adapter on your corrections with Axolotl.

    Without --config: exports the store, writes the config (as axolotl-config does), then
    runs `axolotl train` on it. Needs the train extra: pip install 'selfware-git[train]'.
    """
    from .export import ExportRequest, export
    from .fine_tune import require_axolotl, run_training

    require_axolotl()
    if config is None:
        from .axolotl_config import VARIANTS

        variant = _variant(qlora, kto)
        style = VARIANTS[variant][1]
        folder = selfware_home() / "feedback" / f"dataset-{style}"
        export(ExportRequest(Store(store or default_pairs_path()), folder, style=style))
        config = _write_axolotl_config(base_model, variant, folder, None, overrides)
    adapter = run_training(config, launcher)
    click.echo(f"Adapter written to {adapter} (adapter_model.safetensors, adapter_config.json).")


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
    from .report import build_report, summary, write_report

    data, rows, problems = build_report([*repos] or [Path(".")])
    out = out or selfware_home() / "feedback" / "report.html"
    write_report(out, data, rows)
    for problem in problems:
        click.echo(f"warning: skipped {problem}", err=True)
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
    """Entry point: user mistakes end in one clear message and exit status 1, not a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
