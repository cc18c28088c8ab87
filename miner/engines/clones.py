"""Where a repository to mine comes from: a path (on this machine, or on storage every worker
sees) or a clone URL, which the worker clones into its own scratch space for the one task.
Only a URL the person passes opens a network connection; a path never does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selfware_git.hooks.errors import UserError

from ..mine import repo_name
from ..parts import part_id

# scheme://… (https, ssh, git, file) or scp-like user@host:path, as `git clone` reads them.
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\s:@]+@[^/\s:]+:")


@dataclass(frozen=True)
class Source:
    key: str  # an absolute path, or the URL as given: what identifies the repository
    is_url: bool

    @property
    def name(self) -> str:
        tail = self.key.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        return repo_name(Path(tail)) if tail else "repo"

    @property
    def part_id(self) -> str:
        return part_id(self.name, self.key)

    @contextmanager
    def local_copy(self) -> Iterator[Path]:
        """The repository as a path: the path itself, or a bare clone that is removed after."""
        if not self.is_url:
            yield Path(self.key)
            return
        scratch = Path(tempfile.mkdtemp(prefix="selfware-clone-"))
        try:
            yield clone(self.key, scratch / f"{self.name}.git")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def parse_source(text: str) -> Source:
    if URL.match(text):
        return Source(text, is_url=True)
    return Source(str(Path(text).resolve()), is_url=False)


def clone(url: str, target: Path) -> Path:
    """A bare clone with every blob (mining reads old versions), every branch as a local
    branch, and no hooks of ours or anyone's running in it. No prompt for credentials: a
    worker has no terminal."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "SELFWARE_DISABLE": "1"}
    proc = subprocess.run(
        [
            "git",
            "-c",
            f"core.hooksPath={os.devnull}",
            "clone",
            "--bare",
            "--quiet",
            "--",
            url,
            str(target),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["git clone failed"])[-1]
        raise UserError(f"cannot clone {url}: {reason}", "check the URL and your access to it")
    return target
