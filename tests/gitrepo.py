"""A real git repository in a temp dir, driven by real git commands, for the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "selfware_git.miner"]


class GitRepo:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    @classmethod
    def init(cls, path: Path, env: dict[str, str], *init_args: str) -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "init", "-q", "-b", "main", *init_args, str(path)], env=env, check=True
        )
        return cls(path, env)

    def git(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        check: bool = True,
        input: str | None = None,
    ) -> subprocess.CompletedProcess:
        merged = {**self.env, **(env or {})}
        proc = subprocess.run(
            ["git", *args], cwd=self.path, env=merged, capture_output=True, text=True, input=input
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}{proc.stdout}")
        return proc

    def write(self, rel: str, text: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text)
        return target

    def commit(
        self,
        message: str,
        files: dict[str, str | bytes] | None = None,
        agent: str | None = None,
        task: str | None = None,
        env: dict[str, str] | None = None,
        amend: bool = False,
    ) -> str:
        for rel, text in (files or {}).items():
            self.write(rel, text)
        self.git("add", "-A")
        extra = dict(env or {})
        if agent:
            extra["SELFWARE_AGENT"] = agent
        if task:
            extra["SELFWARE_TASK"] = task
        args = ["commit", "-q", "--allow-empty", "-m", message] + (["--amend"] if amend else [])
        self.git(*args, env=extra)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()

    def cli(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [*CLI, *args],
            cwd=self.path,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"selfware-git {' '.join(args)} failed: {proc.stderr}")
        return proc

    @property
    def journal(self) -> Path:
        return self.path / ".git" / "selfware" / "journal"

    def journal_lines(self) -> list[str]:
        return self.journal.read_text().splitlines() if self.journal.exists() else []


def isolated_env(home: Path) -> dict[str, str]:
    """An environment whose HOME, global git config and selfware store are all temporary."""
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Pat Person\n\temail = pat@example.com\n"
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SELFWARE_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        SELFWARE_HOME=str(home / ".selfware"),
        GIT_EDITOR="true",
        PATH=os.environ["PATH"],
    )
    return env


def git_bin_dir() -> str:
    return str(Path(shutil.which("git")).parent)
