"""Repositories per second: `mine --engine ray` on a local Ray instance against the local
engine's `--jobs` on the same machine, all writing a folder of Parquet parts.

Generates REPOS repositories with git fast-import (the history of mine_throughput.py, agent
commits marked by Claude Code trailers, COMMITS commits each), then times, each on a fresh
output folder:

* `selfware-git mine --jobs N --out DIR` (N = the machine's CPUs, and 1);
* `selfware-git mine --engine ray --out DIR`, the whole command, Ray's start-up included;
* the same Ray tasks on an instance already running (what a long-lived cluster costs).

    python benchmarks/ray_engine.py [--repos 16] [--commits 300] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine_throughput import CORES, isolated_env, make_repo  # noqa: E402

MINE = [sys.executable, "-m", "selfware_git.miner", "mine", "--quiet"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def ray_tasks_on_a_running_instance(repos: list[Path], out: Path, cpus: int) -> tuple[float, float]:
    """Seconds to start Ray, and seconds for the tasks alone once it runs."""
    import ray

    from selfware_git.miner.engines.clones import parse_source
    from selfware_git.miner.engines.mine_parts import mine_parts
    from selfware_git.miner.engines.ray_engine import RayEngine
    from selfware_git.miner.mine import MineOptions
    from selfware_git.miner.parts import PartsStore

    start = time.perf_counter()
    ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    started = time.perf_counter() - start
    try:
        sources = [parse_source(str(path)) for path in repos]
        start = time.perf_counter()
        mine_parts(sources, PartsStore(out), MineOptions(), RayEngine(None))
        return started, time.perf_counter() - start
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=16)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=CORES)
    args = parser.parse_args()
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = isolated_env(root)
        os.environ.update(HOME=tmp, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        repos = [root / f"repo{i:03d}" for i in range(args.repos)]
        for path in repos:
            make_repo(path, args.commits, env)
        names = [str(path) for path in repos]
        print(
            f"{args.repos} repositories of {args.commits} commits, {os.cpu_count()} CPUs; "
            "repositories/s (seconds)"
        )
        runs = {
            f"local --jobs {args.jobs}": [*MINE, "--jobs", str(args.jobs)],
            "local --jobs 1": [*MINE, "--jobs", "1"],
            "ray, local instance (start-up included)": [*MINE, "--engine", "ray"],
        }
        for n, (label, cmd) in enumerate(runs.items()):
            seconds = timed([*cmd, "--out", str(root / f"out{n}"), *names], env)
            print(f"  {label:<42} {args.repos / seconds:7.2f}  ({seconds:.1f} s)")
        started, seconds = ray_tasks_on_a_running_instance(repos, root / "out-ray", args.jobs)
        print(
            f"  {'ray tasks on a running instance':<42} {args.repos / seconds:7.2f}  "
            f"({seconds:.1f} s; the instance took {started:.1f} s to start)"
        )


if __name__ == "__main__":
    main()
