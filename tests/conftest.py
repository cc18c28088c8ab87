from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitrepo import GitRepo, isolated_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path / "home")


@pytest.fixture
def repo(tmp_path: Path, env: dict[str, str]) -> GitRepo:
    return GitRepo.init(tmp_path / "repo", env)


@pytest.fixture
def hooked(repo: GitRepo) -> GitRepo:
    """A repository with one base commit and the capture hooks installed."""
    repo.cli("install-hooks")
    repo.commit("base", {"app.py": "def parse(text):\n    return text\n"})
    return repo
