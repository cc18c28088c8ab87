"""Install, chain and uninstall the capture hooks, pre-commit style: the user's own hook is
moved aside and called by ours, and uninstall puts back exactly what was there."""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import UserError, describe_os_error
from .gitpaths import RepoPaths

HOOK_NAMES = ("post-rewrite", "reference-transaction")
MARKER = "selfware-git-hook v1"
CHAINED_SUFFIX = ".selfware-chained"
MANIFEST = "install.json"
GLOBAL_MANIFEST = "selfware-global.json"  # in the folder `install-hooks --global` writes


@dataclass
class InstallResult:
    hooks_dir: Path
    written: list[str] = field(default_factory=list)
    chained: list[str] = field(default_factory=list)
    shared_hooks_dir: bool = False
    global_install: bool = False


@dataclass
class UninstallResult:
    hooks_dir: Path
    removed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)


def is_ours(path: Path) -> bool:
    """Our hook is recognised by the marker inside it, never by its name."""
    try:
        return path.is_file() and MARKER in path.read_text(errors="replace")[:400]
    except OSError:
        return False


def is_global_folder(folder: Path) -> bool:
    """The folder `install-hooks --global` wrote (its manifest beside our hooks)."""
    return (folder / GLOBAL_MANIFEST).is_file() and is_ours(folder / HOOK_NAMES[0])


def hooks_dir_is_shared(paths: RepoPaths) -> bool:
    """A hooks directory outside this repository (a global `core.hooksPath`) serves others too."""
    inside = [paths.common_dir, paths.git_dir] + ([paths.worktree] if paths.worktree else [])
    return not any(paths.hooks_dir.resolve().is_relative_to(p.resolve()) for p in inside)


def render_hook(paths: RepoPaths, shared: bool) -> str:
    template = resources.files("selfware_git.hooks").joinpath("selfware-hook.sh")
    selfware_dir = "''" if shared else shlex.quote(str(paths.selfware_dir))
    return template.read_text().replace("@SELFWARE_DIR@", selfware_dir).replace("@CHAIN@", "''")


def prepare_store(paths: RepoPaths) -> None:
    """Create the journal and error log private to the user before any hook writes them."""
    paths.selfware_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for file in (paths.journal, paths.errors_log):
        fd = os.open(file, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
        os.close(fd)


def _manifest(paths: RepoPaths) -> dict:
    try:
        return json.loads((paths.selfware_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def install(paths: RepoPaths) -> InstallResult:
    """Install our hooks; running it again changes nothing. A folder or file that cannot be
    written is a UserError naming it; what was done before it stays, and a rerun completes."""
    try:
        return _install(paths)
    except OSError as exc:
        raise UserError(
            f"cannot install the hooks: {describe_os_error(exc)}",
            "check that folder's owner, mode and attributes (ls -ld, lsattr; chattr -i),"
            " then run install-hooks again",
        ) from exc


def _install(paths: RepoPaths) -> InstallResult:
    shared = hooks_dir_is_shared(paths)
    result = InstallResult(paths.hooks_dir, shared_hooks_dir=shared)
    prepare_store(paths)
    if is_global_folder(paths.hooks_dir):
        result.global_install = True  # `install-hooks --global` serves this repository already
        return result
    manifest = _manifest(paths)
    if not paths.hooks_dir.exists():
        paths.hooks_dir.mkdir(parents=True)
        manifest["created_hooks_dir"] = str(paths.hooks_dir)
    content = render_hook(paths, shared)
    for name in HOOK_NAMES:
        hook = paths.hooks_dir / name
        chained = paths.hooks_dir / (name + CHAINED_SUFFIX)
        if is_ours(hook):
            if hook.read_text() == content:
                continue
        elif hook.exists() or hook.is_symlink():
            if chained.exists() or chained.is_symlink():
                raise UserError(
                    f"{hook} exists and so does {chained.name}; refusing to overwrite either",
                    "move one of them away, then run install-hooks again",
                )
            os.rename(hook, chained)
            result.chained.append(name)
        write_executable(hook, content)
        result.written.append(name)
    (paths.selfware_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return result


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """The file replaced in one step (its folder made where missing): a reader sees the old
    bytes or the new, never half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".selfware-tmp")
    tmp.write_bytes(data)
    if mode is not None:
        tmp.chmod(mode)
    os.replace(tmp, path)


def write_executable(path: Path, content: str) -> None:
    atomic_write(path, content.encode(), 0o755)


def uninstall(paths: RepoPaths) -> UninstallResult:
    """Remove our hooks and put the user's own back under their own names, untouched."""
    try:
        return _uninstall(paths)
    except OSError as exc:
        raise UserError(
            f"cannot remove the hooks: {describe_os_error(exc)}",
            "check that folder's owner, mode and attributes (ls -ld, lsattr; chattr -i),"
            " then run uninstall-hooks again",
        ) from exc


def _uninstall(paths: RepoPaths) -> UninstallResult:
    result = UninstallResult(paths.hooks_dir)
    if is_global_folder(paths.hooks_dir):
        raise UserError(
            f"this repository's hooks are the global ones in {paths.hooks_dir}",
            "`selfware-git uninstall-hooks --global` removes them for every repository",
        )
    for name in HOOK_NAMES:
        hook = paths.hooks_dir / name
        chained = paths.hooks_dir / (name + CHAINED_SUFFIX)
        if not is_ours(hook):
            continue
        hook.unlink()
        result.removed.append(name)
        if chained.exists() or chained.is_symlink():
            os.rename(chained, hook)
            result.restored.append(name)
    manifest = _manifest(paths)
    created = manifest.pop("created_hooks_dir", None)
    if created and Path(created).is_dir() and not any(Path(created).iterdir()):
        Path(created).rmdir()
    if paths.selfware_dir.is_dir():
        (paths.selfware_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return result


def hook_states(paths: RepoPaths) -> dict[str, dict[str, bool]]:
    """For each hook we own: is ours in place, and is a user's hook chained behind it."""
    states = {}
    for name in HOOK_NAMES:
        chained = paths.hooks_dir / (name + CHAINED_SUFFIX)
        states[name] = {
            "installed": is_ours(paths.hooks_dir / name),
            "chained": chained.exists() or chained.is_symlink(),
        }
    return states
