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


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.tiny_models import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pairs file of a real `selfware-git demo` run: six pairs in four languages (one from
    agent edit snapshots) and an unpaired rejection, from real hooks and real git."""
    import subprocess

    from tests.gitrepo import CLI

    root = tmp_path_factory.mktemp("demo")
    env = isolated_env(root / "home")
    subprocess.run(
        [*CLI, "demo", "--dir", str(root / "demo")], env=env, check=True, capture_output=True
    )
    return root / "demo" / "preferences.jsonl"


@pytest.fixture(autouse=True)
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the tests may reach a model or dataset hub."""
    for key in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(key, "1")
    monkeypatch.setenv("WANDB_MODE", "disabled")
