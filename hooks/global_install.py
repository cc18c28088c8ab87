"""`install-hooks --global`: capture in every repository of this user, with no install in each.

Git's own mechanism for that is `core.hooksPath` in the global config: it is set to a folder
of ours holding the two capture hooks and, for every other hook git knows, a dispatcher, so
that each repository's own hooks in `.git/hooks` still run (or, where a global
`core.hooksPath` was set before, the hooks of that folder). `init.templateDir` was the other
candidate; it reaches only repositories created or cloned afterwards, and leaves copies in
each that no uninstall can find again. `uninstall-hooks --global` puts the global setting back
exactly as it was and removes the folder. A repository with its own `core.hooksPath` (husky,
a team folder) overrides the global one: there, `install-hooks` in that repository is needed.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import UserError, describe_os_error
from .install import GLOBAL_MANIFEST as MANIFEST
from .install import HOOK_NAMES, MARKER, is_global_folder, is_ours, write_executable

# Every hook git runs (githooks(5)); the ones not ours get a dispatcher.
GIT_HOOKS = (
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
)
DISPATCHER = f"""#!/bin/sh
# selfware-git dispatcher (marker: {MARKER}), written by `selfware-git install-hooks --global`.
# Git runs this instead of the repository's own hook; it runs that hook, as git would have.
CHAIN=@CHAIN@
if [ "$CHAIN" != repository ]; then
    dir=$CHAIN
elif [ -z "$GIT_DIR$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -e .git/commondir ]; then
    dir=.git/hooks
else
    dir=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/hooks || exit 0
fi
[ -x "$dir/${{0##*/}}" ] || exit 0
exec "$dir/${{0##*/}}" "$@"
"""


@dataclass
class GlobalResult:
    folder: Path
    changed: bool
    previous: str | None  # the global core.hooksPath before the install, if any
    restored: str | None = None  # uninstall: what core.hooksPath went back to
    config_left: str | None = None  # uninstall: core.hooksPath pointed elsewhere; left alone


def _git_global(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(
            ["git", "config", "--global", *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise UserError("git is not installed or not on PATH") from exc
    if check and proc.returncode not in (0, 1, 5):
        raise UserError(f"git config --global {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc


def global_hooks_path() -> str | None:
    """`core.hooksPath` in the global git config, or None."""
    proc = _git_global("--get", "core.hooksPath")
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def _render(chain: str) -> tuple[str, str]:
    template = resources.files("selfware_git.hooks").joinpath("selfware-hook.sh").read_text()
    capture = template.replace("@SELFWARE_DIR@", "''").replace("@CHAIN@", chain)
    return capture, DISPATCHER.replace("@CHAIN@", chain)


def install_global(folder: Path) -> GlobalResult:
    """Point the global `core.hooksPath` at `folder`, filled with our hooks; again: no-op."""
    previous = global_hooks_path()
    folder = folder.absolute()
    if previous and Path(previous).expanduser().absolute() == folder and is_global_folder(folder):
        return GlobalResult(folder, changed=False, previous=_manifest(folder).get("previous"))
    if previous and not Path(previous).expanduser().is_dir():
        raise UserError(
            f"the global core.hooksPath is {previous}, which is not a folder",
            "fix or unset it (git config --global --unset core.hooksPath), then try again",
        )
    chain = shlex.quote(str(Path(previous).expanduser().absolute())) if previous else "repository"
    capture, dispatcher = _render(chain)
    foreign = [n for n in GIT_HOOKS if (folder / n).exists() and not is_ours(folder / n)]
    if foreign:
        raise UserError(
            f"{folder} already holds hooks that are not ours ({', '.join(foreign)})",
            "move them away, or set SELFWARE_HOME to another folder",
        )
    try:
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
        (folder / MANIFEST).write_text(json.dumps({"previous": previous}, indent=2) + "\n")
        for name in GIT_HOOKS:
            write_executable(folder / name, capture if name in HOOK_NAMES else dispatcher)
    except OSError as exc:
        raise UserError(
            f"cannot write the global hooks folder: {describe_os_error(exc)}",
            "check that folder's owner, mode and attributes, or set SELFWARE_HOME elsewhere",
        ) from exc
    _git_global("core.hooksPath", str(folder))
    return GlobalResult(folder, changed=True, previous=previous)


def uninstall_global(folder: Path) -> GlobalResult:
    """Put the global `core.hooksPath` back as it was and remove our folder."""
    folder = folder.absolute()
    if not is_global_folder(folder):
        return GlobalResult(folder, changed=False, previous=None)
    previous = _manifest(folder).get("previous")
    current = global_hooks_path()
    result = GlobalResult(folder, changed=True, previous=previous)
    if current and Path(current).expanduser().absolute() == folder:
        if previous:
            _git_global("core.hooksPath", previous)
        else:
            _git_global("--unset", "core.hooksPath")
        result.restored = previous
    else:
        result.config_left = current
    try:
        for name in GIT_HOOKS:
            if is_ours(folder / name):
                (folder / name).unlink()
        (folder / MANIFEST).unlink()
        if not any(folder.iterdir()):
            folder.rmdir()
    except OSError as exc:
        raise UserError(f"cannot remove the global hooks: {describe_os_error(exc)}") from exc
    return result


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
