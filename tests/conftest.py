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


@pytest.fixture
def mine(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Mine a repository in-process (real git, real parses) into a temp store; return rows."""
    from selfware_git.miner.mine import MineOptions, mine_all
    from selfware_git.miner.store import Store, read_rows

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    counter = iter(range(1000))

    def run(repo: GitRepo, window: int = 10) -> tuple[list[dict], dict]:
        store = Store(tmp_path / f"store-{next(counter)}" / "preferences.jsonl")
        summary = mine_all([repo.path], store, MineOptions(window=window), jobs=1)
        rows = [*read_rows(store.pairs), *read_rows(store.unpaired)]
        return rows, summary.reports[0].as_dict()

    return run
