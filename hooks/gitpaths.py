"""Where git keeps things for one repository, asked of git itself so that worktrees,
`core.hooksPath`, bare repositories and `GIT_DIR` are honoured exactly as git honours them."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError


@dataclass(frozen=True)
class RepoPaths:
    """The directories of one repository that capture and mining need."""

    git_dir: Path
    common_dir: Path
    hooks_dir: Path
    worktree: Path | None

    @property
    def selfware_dir(self) -> Path:
        """Shared by every linked worktree, so that all of them write one journal."""
        return self.common_dir / "selfware"

    @property
    def journal(self) -> Path:
        return self.selfware_dir / "journal"

    @property
    def errors_log(self) -> Path:
        return self.selfware_dir / "errors.log"


def run_git(repo: Path, *args: str, check: bool = True) -> str:
    """Run git in `repo` and return its stdout; a failure becomes a UserError naming the command."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise UserError("git is not installed or not on PATH", "install git 2.28 or newer") from exc
    if check and proc.returncode != 0:
        raise UserError(f"git {' '.join(args)} failed in {repo}: {proc.stderr.strip()}")
    return proc.stdout


def locate(repo: Path) -> RepoPaths:
    """Resolve the repository that contains `repo`, or say that there is none."""
    if not Path(repo).exists():
        raise UserError(f"{repo} does not exist", "pass --repo with the path of a git repository")
    proc = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "rev-parse",
            "--path-format=absolute",
            "--git-dir",
            "--git-common-dir",
            "--git-path",
            "hooks",
            "--is-bare-repository",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise UserError(
            f"{repo} is not inside a git repository",
            "run the command inside a repository or pass --repo PATH",
        )
    git_dir, common_dir, hooks_dir, bare = proc.stdout.splitlines()[:4]
    worktree = None
    if bare != "true":
        top = run_git(repo, "rev-parse", "--show-toplevel").strip()
        worktree = Path(top) if top else None
    return RepoPaths(Path(git_dir), Path(common_dir), Path(hooks_dir), worktree)
