"""Every commit of the walk with the files it changed, from one `git log --raw` stream: git's
own tree diff, in C and in its own process beside the miner, instead of a tree diff per
commit in this one. The commits come in the order the walk gives them (`--no-walk=unsorted
--stdin`), so the rows do not depend on git's own ordering; a merge's files are those it
changed against its first parent."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from selfware_git.hooks.errors import UserError

Changes = list[tuple[str, str | None, str | None]]

SUBMODULE_MODE = "160000"
_NULL_ID = "0" * 40
_CHUNK = 1 << 16
# Variables that would point git at another repository, index or object store.
_REDIRECTS = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
)  # fmt: skip


def log_command(git_dir: Path) -> list[str]:
    """The one git command the walk reads: the commits named on stdin, in that order, with
    full ids, no rename detection, a root's files as added, merges against their first
    parent, NUL-separated paths, no replace refs; user configuration that would change the
    output is overridden."""
    return [
        "git",
        "--no-replace-objects",
        f"--git-dir={git_dir}",
        "-c", f"safe.directory={git_dir}",
        "-c", "log.showSignature=false",
        "-c", "diff.relative=false",
        "log", "--no-walk=unsorted", "--stdin", "--raw", "--no-abbrev", "--no-renames", "--root",
        "--no-color", "--diff-merges=first-parent", "-z", "--format=%H",
    ]  # fmt: skip


def commits_with_changes(
    git_dir: Path, commits: Iterable[str], skips: Counter
) -> Iterator[tuple[str, Changes]]:
    """(commit id, its file changes) for each of `commits`, in their order; submodule entries
    are counted, not listed. A git that cannot read the history is a UserError saying what
    git said."""
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env["GIT_NO_LAZY_FETCH"] = "1"  # a partial clone never fetches behind the user's back
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(
                log_command(git_dir),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=env,
            )
        except OSError as exc:
            raise UserError(f"cannot run git: {exc}", "install git 2.31 or newer") from exc
        try:
            _name_all(proc.stdin, commits)  # git reads them all before it writes a line
            yield from _parse(_fields(proc.stdout), skips)
        finally:  # also when the walk stops early: git is not left running
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            last = said[-1] if said else f"exit status {proc.returncode}"
            raise UserError(f"git log could not read the history of {git_dir}: {last}")


def _name_all(stdin: IO[bytes], commits: Iterable[str]) -> None:
    try:
        for sha in commits:
            stdin.write(sha.encode("ascii") + b"\n")
        stdin.close()
    except BrokenPipeError:
        pass  # git stopped early; its exit status says why


def _fields(stream) -> Iterator[bytes]:  # noqa: ANN001 - a pipe's binary file object
    """The NUL-separated fields of the stream, read in chunks."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _parse(fields: Iterator[bytes], skips: Counter) -> Iterator[tuple[str, Changes]]:
    sha: str | None = None
    changes: Changes = []
    for field in fields:
        field = field.lstrip(b"\n")
        if not field:
            continue
        if field.startswith(b":"):
            path = os.fsdecode(next(fields))  # as libgit2 paths are: surrogate escapes
            old_mode, new_mode, old_id, new_id, status = field[1:].decode("ascii").split(" ")
            if SUBMODULE_MODE in (old_mode, new_mode):
                skips["submodule"] += 1
            elif status.startswith("T"):  # file and symlink swapped: a deletion, an addition
                changes += [(path, old_id, None), (path, None, new_id)]
            else:
                old = None if old_id == _NULL_ID else old_id
                changes.append((path, old, None if new_id == _NULL_ID else new_id))
            continue
        if sha is not None:
            yield sha, changes
        sha, changes = field.decode("ascii"), []
    if sha is not None:
        yield sha, changes
