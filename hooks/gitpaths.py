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


NOT_A_REPO_HINT = "run it inside a git repository, or give the repository's path"


def locate(repo: Path, check_store: bool = True) -> RepoPaths:
    """Resolve the repository that contains `repo`, or say that there is none; with
    `check_store`, also say so when something else stands where our folder and files go."""
    if not Path(repo).exists():
        raise UserError(f"{repo} does not exist", NOT_A_REPO_HINT)
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
        raise UserError(f"{repo} is not inside a git repository", NOT_A_REPO_HINT)
    git_dir, common_dir, hooks_dir, bare = proc.stdout.splitlines()[:4]
    worktree = None
    if bare != "true":
        top = run_git(repo, "rev-parse", "--show-toplevel").strip()
        worktree = Path(top) if top else None
    paths = RepoPaths(Path(git_dir), Path(common_dir), Path(hooks_dir), worktree)
    if check_store:
        check_selfware_dir(paths)
    return paths


def check_selfware_dir(paths: RepoPaths) -> None:
    """Our folder is a folder and the journal and error log are files, where they exist; a
    UserError names whatever is in the way (the hooks meanwhile record nothing there)."""
    folder = paths.selfware_dir
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise UserError(
            f"{folder} is not a folder: selfware-git keeps its journal there",
            f"move it away (mv {folder} {folder}.bad), then run `selfware-git install-hooks`",
        )
    for file in (paths.journal, paths.errors_log):
        if file.is_dir():
            raise UserError(
                f"{file} is a folder, not a file: the hooks cannot record there",
                f"move it away (mv {file} {file}.bad), then run `selfware-git install-hooks`",
            )
