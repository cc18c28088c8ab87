"""`mine --engine ray`: the same rows as the local engine, from Ray tasks on a session-scoped
local Ray instance with 2 CPUs; reruns, a broken repository, a worker killed mid-task, the
CLI joining a running cluster, and an unreachable one."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.gitrepo import GitRepo, isolated_env
from tests.test_mine_cli import build_history
from tests.test_parts_store import part_ids

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

TASK_PROCESS = "ray::mine_part"  # the name Ray gives a worker while it runs our task


@dataclass(frozen=True)
class Cluster:
    address: str
    env: dict[str, str]  # what a driver in another process needs to join it


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A local Ray instance for the whole session. Its workers inherit an isolated HOME, git
    config and SELFWARE_HOME (and Ray's token file lands in that HOME, not the real one)."""
    home = tmp_path_factory.mktemp("ray-home")
    env = isolated_env(home)
    with pytest.MonkeyPatch.context() as patch:
        for key in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "SELFWARE_HOME"):
            patch.setenv(key, env[key])
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    token = home / ".ray" / "auth_token"
    yield Cluster(
        ray.get_runtime_context().gcs_address,
        {"RAY_AUTH_TOKEN_PATH": str(token)} if token.exists() else {},
    )
    ray.shutdown()


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory, demo_store: Path) -> dict[str, Path]:
    """The demo repository (hooks, every kind of correction), a plain history with agent
    trailers, and a folder that is no repository."""
    root = tmp_path_factory.mktemp("ray-repos")
    env = isolated_env(root / "home")
    demo = root / "demo-repo"
    shutil.copytree(demo_store.parent / "demo-repo", demo)
    history = GitRepo.init(root / "history", env)
    build_history(history, 6, hooks=False)
    broken = root / "broken"
    broken.mkdir()
    return {"demo": demo, "history": history.path, "broken": broken}


def run_engine(engine: object, repos: list[Path], out: Path):
    from selfware_git.miner.engines.clones import parse_source
    from selfware_git.miner.engines.mine_parts import mine_parts
    from selfware_git.miner.mine import MineOptions
    from selfware_git.miner.parts import PartsStore

    sources = [parse_source(str(path)) for path in repos]
    return mine_parts(sources, PartsStore(out), MineOptions(), engine)


def ray_engine():
    from selfware_git.miner.engines.ray_engine import RayEngine

    return RayEngine(None)  # Ray is set up already: the session's instance is used


def local_engine():
    from selfware_git.miner.engines.local import LocalEngine

    return LocalEngine(1)


def test_ray_gives_the_local_engines_rows_and_reports_a_broken_repo(
    ray_cluster: Cluster, repos: dict[str, Path], tmp_path: Path, demo_store: Path
) -> None:
    order = [repos["demo"], repos["broken"], repos["history"]]
    on_ray = run_engine(ray_engine(), order, tmp_path / "ray")
    local = run_engine(local_engine(), order, tmp_path / "local")
    assert [r.status for r in on_ray.reports] == ["mined", "error", "mined"]
    assert "not inside a git repository" in on_ray.reports[1].message
    assert part_ids(tmp_path / "ray") == part_ids(tmp_path / "local")
    assert len(part_ids(tmp_path / "ray", "pairs")) == 6 + 6
    demo_ids = {
        json.loads(line)["metadata"]["id"]
        for path in (demo_store, demo_store.with_name("preferences.unpaired.jsonl"))
        for line in path.read_text().splitlines()
    }
    assert (
        part_ids(tmp_path / "ray", part="repo=demo-repo-*") == demo_ids
    )  # what the demo's own (local, JSONL) run stored
    for a, b in zip(on_ray.reports, local.reports, strict=True):
        assert a.as_dict() == b.as_dict()
    assert (on_ray.added_pairs, on_ray.added_unpaired) == (local.added_pairs, local.added_unpaired)


def test_ray_output_loads_in_datasets_and_a_rerun_adds_nothing(
    ray_cluster: Cluster, repos: dict[str, Path], tmp_path: Path
) -> None:
    import datasets

    out = tmp_path / "parts"
    run_engine(ray_engine(), [repos["demo"], repos["history"]], out)
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    again = run_engine(ray_engine(), [repos["demo"], repos["history"]], out)
    assert [r.status for r in again.reports] == ["up_to_date", "up_to_date"]
    assert again.added_pairs == again.added_unpaired == 0
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    pairs = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))["train"]
    assert pairs.num_rows == 12 and None not in pairs["chosen"]
    assert sorted(meta["id"] for meta in pairs["metadata"]) == sorted(part_ids(out, "pairs"))


def test_a_worker_killed_mid_task_leaves_no_partial_file_and_the_rerun_completes(
    ray_cluster: Cluster, tmp_path: Path
) -> None:
    import psutil

    env = isolated_env(tmp_path / "home")
    big = GitRepo.init(tmp_path / "big", env)
    build_history(big, 120, hooks=False)
    clean = tmp_path / "clean"
    run_engine(local_engine(), [big.path], clean)
    out = tmp_path / "parts"
    killed: list[int] = []

    def kill_the_task() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for proc in psutil.process_iter(["pid", "name"]):
                if proc.info["name"] == TASK_PROCESS:
                    time.sleep(0.5)  # well inside the task: mining takes seconds
                    os.kill(proc.info["pid"], signal.SIGKILL)
                    killed.append(proc.info["pid"])
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_task)
    killer.start()
    summary = run_engine(ray_engine(), [big.path], out)
    killer.join()
    assert killed, "the task's worker was never seen running"
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))
    for path in out.glob("repo=*/*.parquet"):
        pq.read_table(path)  # whole files only
    assert summary.reports[0].status == "mined"  # Ray ran the task again on a new worker
    rerun = run_engine(ray_engine(), [big.path], out)
    assert rerun.reports[0].status == "up_to_date"
    assert part_ids(out) == part_ids(clean) and len(part_ids(out)) == 120


def test_cli_joins_a_running_cluster_and_prints_the_local_summary(
    ray_cluster: Cluster, repos: dict[str, Path], tmp_path: Path
) -> None:
    repo = GitRepo(repos["history"], {**isolated_env(tmp_path / "home"), **ray_cluster.env})
    args = [str(repos["demo"]), str(repos["history"])]
    join = ["--engine", "ray", "--address", ray_cluster.address]
    on_ray = repo.cli("mine", *join, "--out", str(tmp_path / "r"), *args)
    local = repo.cli("mine", "--out", str(tmp_path / "l"), *args)
    assert "demo-repo: 11 commits, 6 by agents" in on_ray.stdout
    same = on_ray.stdout.replace(str(tmp_path / "r"), "D")
    assert same == local.stdout.replace(str(tmp_path / "l"), "D")
    rerun = repo.cli("mine", *join, "--out", str(tmp_path / "r"), "--json", *args)
    report = json.loads(rerun.stdout)
    assert [r["status"] for r in report["repositories"]] == ["up_to_date", "up_to_date"]


def test_an_unreachable_cluster_is_an_error_at_once(tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    repo = GitRepo.init(tmp_path / "repo", env)
    build_history(repo, 1)
    out = tmp_path / "parts"
    for address in ("127.0.0.1:9", "ray://127.0.0.1:9"):
        start = time.monotonic()
        proc = repo.cli(
            "mine", "--engine", "ray", "--address", address, "--out", str(out), check=False
        )
        assert time.monotonic() - start < 20
        assert proc.returncode == 1 and "cannot reach the Ray cluster" in proc.stderr
        assert "Traceback" not in proc.stderr and not out.exists()


def test_no_address_starts_a_fresh_local_instance_whatever_ray_address_says(
    tmp_path: Path,
) -> None:
    env = {**isolated_env(tmp_path / "home"), "RAY_ADDRESS": "127.0.0.1:9"}  # nothing there
    repo = GitRepo.init(tmp_path / "repo", env)
    build_history(repo, 2, hooks=False)
    out = tmp_path / "parts"
    proc = repo.cli("mine", "--engine", "ray", "--out", str(out), "--json")
    assert json.loads(proc.stdout)["added_pairs"] == 2
    assert len(part_ids(out, "pairs")) == 2
