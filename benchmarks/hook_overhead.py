"""Added time per `git commit` from the capture hooks, measured side by side in one run.

Two repositories, one with the hooks and one without, get N commits each, interleaved so that
machine noise hits both alike. Prints the median ms per commit for each and the difference.

    python benchmarks/hook_overhead.py [-n 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def make_repo(root: Path, name: str, env: dict[str, str], hooks: bool) -> Path:
    repo = root / name
    subprocess.run(["git", "init", "-q", str(repo)], env=env, check=True)
    if hooks:
        cli = [sys.executable, "-m", "selfware_git.miner", "install-hooks", "--repo", str(repo)]
        subprocess.run(cli, env=env, check=True, capture_output=True)
    (repo / "f.txt").write_text("0\n")
    git(repo, "add", "f.txt", env=env)
    git(repo, "commit", "-q", "-m", "base", env=env)
    return repo


def timed_commit(repo: Path, label: str, env: dict[str, str]) -> float:
    (repo / "f.txt").write_text(f"{label}\n")
    git(repo, "add", "f.txt", env=env)
    start = time.perf_counter()
    git(repo, "commit", "-q", "-m", f"change {label}", env=env)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="commits per repository")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "HOME": tmp, "GIT_CONFIG_NOSYSTEM": "1"}
        env["GIT_CONFIG_GLOBAL"] = str(root / "gitconfig")
        (root / "gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n")
        plain = make_repo(root, "plain", env, hooks=False)
        hooked = make_repo(root, "hooked", env, hooks=True)
        agent_env = {**env, "SELFWARE_AGENT": "bench-agent", "SELFWARE_TASK": "benchmark task"}
        times: dict[str, list[float]] = {
            "plain": [],
            "hooked": [],
            "plain agent": [],
            "hooked agent": [],
        }
        for i in range(args.n):
            times["plain"].append(timed_commit(plain, f"p{i}", env))
            times["hooked"].append(timed_commit(hooked, f"p{i}", env))
            if i % 4 == 0:
                times["plain agent"].append(timed_commit(plain, f"a{i}", agent_env))
                times["hooked agent"].append(timed_commit(hooked, f"a{i}", agent_env))
        medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"commits per repository: {args.n} (+{len(times['plain agent'])} agent commits)")
    for key, value in medians.items():
        print(f"median ms per commit, {key:<13} {value:7.2f}")
    for kind in ("", " agent"):
        added = medians[f"hooked{kind}"] - medians[f"plain{kind}"]
        ratio = medians[f"hooked{kind}"] / medians[f"plain{kind}"]
        label = "agent" if kind else "person"
        print(f"added ms per {label} commit: {added:6.2f}  (ratio {ratio:.2f})")


if __name__ == "__main__":
    main()
