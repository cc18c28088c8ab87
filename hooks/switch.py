"""Turning capture and mining off and on for one repository. The hooks read a flag file (a
shell test, no git call on the hot path); `mine` reads `selfware.enabled` from git config."""

from __future__ import annotations

from .gitpaths import RepoPaths, run_git
from .install import prepare_store

FLAG = "disabled"


def set_enabled(paths: RepoPaths, enabled: bool) -> None:
    prepare_store(paths)
    flag = paths.selfware_dir / FLAG
    run_git(paths.common_dir, "config", "selfware.enabled", "true" if enabled else "false")
    if enabled:
        flag.unlink(missing_ok=True)
    else:
        flag.touch(mode=0o600)


def is_enabled(paths: RepoPaths) -> bool:
    return not (paths.selfware_dir / FLAG).exists()
