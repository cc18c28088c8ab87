"""Opening a repository for reading with pygit2, and the few facts of a commit we read often."""

from __future__ import annotations

from pathlib import Path

import pygit2

from selfware_git.hooks.agents import CommitFacts
from selfware_git.hooks.errors import UserError


def open_repository(path: Path) -> pygit2.Repository:
    """A pygit2 repository, or a UserError that says why it cannot be read."""
    found = pygit2.discover_repository(str(path))
    if found is None:
        raise UserError(f"{path} is not inside a git repository", "pass the path of a repository")
    try:
        return pygit2.Repository(found)
    except pygit2.GitError as exc:
        if "sha256" in str(exc):
            raise UserError(
                f"{path} uses SHA-256 object names, which pygit2 cannot read yet",
                "the hooks still capture in it; mining waits for SHA-256 support in libgit2",
            ) from exc
        raise UserError(f"cannot open {path}: {exc}") from exc


def decode(raw: bytes) -> str:
    """Text from bytes in history, which need not be UTF-8."""
    return raw.decode("utf-8", errors="replace")


def printable(path: str) -> str:
    """A path from git as text: bytes that are not UTF-8 (kept by pygit2 as surrogates for
    lookups) shown as U+FFFD, so rows stay valid JSON and UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def commit_facts(commit: pygit2.Commit) -> CommitFacts:
    return CommitFacts(
        author_name=decode(commit.author.raw_name),
        author_email=decode(commit.author.raw_email),
        message=decode(commit.raw_message),
    )


def lookup_commit(repo: pygit2.Repository, sha: str) -> pygit2.Commit | None:
    """The commit named `sha`, or None where it is missing (pruned, partial or shallow clone)."""
    try:
        obj = repo.get(sha)
    except (ValueError, pygit2.GitError):
        return None
    return obj if isinstance(obj, pygit2.Commit) else None


def config_values(repo: pygit2.Repository, key: str) -> list[str]:
    """Every value of a multi-valued git config key, from all config levels."""
    try:
        return list(repo.config.get_multivar(key))
    except (KeyError, pygit2.GitError):
        return []


def config_flag(repo: pygit2.Repository, key: str, default: bool) -> bool:
    """A git boolean (true/yes/on/1, false/no/off/0) from any config level."""
    try:
        return repo.config.get_bool(key)
    except (KeyError, pygit2.GitError, ValueError):
        return default
