"""What `selfware-git status` reports: the hooks in place, and what they have captured so far."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from selfware_git.hooks.agent_settings import agent_hook_states
from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import RepoPaths
from selfware_git.hooks.install import hook_states, hooks_dir_is_shared, is_global_folder
from selfware_git.hooks.journal import RefRecord, is_zero
from selfware_git.hooks.switch import is_enabled

from .repository import decode, lookup_commit, open_repository
from .snapshot_sessions import sessions
from .store import selfware_home
from .trail import Trail, revert_target


def _last_error(errors_log: Path) -> str | None:
    try:
        lines = errors_log.read_text(errors="replace").strip().splitlines()
    except OSError:
        return None
    return lines[-1] if lines else None


def global_hooks_folder() -> Path:
    """Where `install-hooks --global` puts the hooks that the global core.hooksPath names."""
    return selfware_home() / "hooks"


def install_state(paths: RepoPaths, hooks: dict[str, dict[str, bool]]) -> dict[str, Any]:
    """How the hooks reach this repository: `repository` (its own hooks folder), `shared`
    (a core.hooksPath folder serving several), `global` (`install-hooks --global`) or `none`;
    and, where a global install exists but this repository's own core.hooksPath wins, which."""
    from selfware_git.hooks.global_install import global_hooks_path

    configured = global_hooks_path()
    global_folder = Path(configured).expanduser() if configured else None
    installed = all(state["installed"] for state in hooks.values())
    if is_global_folder(paths.hooks_dir):
        mode = "global"
    elif not installed:
        mode = "none"
    else:
        mode = "shared" if hooks_dir_is_shared(paths) else "repository"
    state: dict[str, Any] = {"mode": mode, "global_hooks_path": configured}
    if global_folder and is_global_folder(global_folder) and mode != "global":
        state["shadowed_by"] = str(paths.hooks_dir)
    return state


def gather_status(paths: RepoPaths) -> dict[str, Any]:
    """Status as plain data, for the terminal and for `--json` alike."""
    journal_size = paths.journal.stat().st_size if paths.journal.exists() else 0
    hooks = hook_states(paths)
    status: dict[str, Any] = {
        "repository": str(paths.worktree or paths.common_dir),
        "hooks_dir": str(paths.hooks_dir),
        "hooks": hooks,
        "install": install_state(paths, hooks),
        "journal": {"path": str(paths.journal), "bytes": journal_size},
        "last_error": _last_error(paths.errors_log),
        "enabled": is_enabled(paths),
        "agent_hooks": agent_hook_states(paths.worktree),
    }
    try:
        repo = open_repository(paths.common_dir)
    except UserError as exc:
        status["history_unreadable"] = exc.message
        return status
    trail = Trail(repo, paths.selfware_dir)
    status["journal"].update(
        records=len(trail.records), unreadable_lines=trail.journal_stats.unreadable
    )
    agents = trail.agent_commits()
    corrections = Counter(c.kind for c in trail.corrections())
    corrections.update(_reverts_seen(trail, agents))
    status["agent_commits"] = len(agents)
    status["agents"] = dict(Counter(agents.values()))
    status["corrections"] = dict(sorted(corrections.items()))
    status["pinned_commits"] = len(trail.pinned())
    status["snapshot_sessions"] = len(sessions(repo))
    return status


def _reverts_seen(trail: Trail, agents: dict[str, str]) -> Counter:
    """Reverts of agent commits among the commits the hooks saw being made."""
    count: Counter = Counter()
    made = {r.new for r in trail.records if isinstance(r, RefRecord) and not is_zero(r.new)}
    for sha in made:
        commit = lookup_commit(trail.repo, sha)
        target = revert_target(decode(commit.raw_message)) if commit is not None else None
        if target and any(agent.startswith(target) for agent in agents) and sha not in agents:
            count["revert"] += 1
    return count
