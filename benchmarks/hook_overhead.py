"""Added time per `git commit` from the capture hooks, measured side by side in one run, and
the time of deleting many branches at once.

Two repositories, one with the hooks and one without, get N commits each, interleaved so that
machine noise hits both alike. Prints the median ms per commit for each and the difference.

Mass delete: `git branch -D` of B branches (loose, then packed by `git pack-refs`) with no
hooks, with a do-nothing hook (`cat >/dev/null`) and with ours. Git before 2.44 runs
reference-transaction several times per branch on such a delete, so the do-nothing hook is
the floor any hook pays there; ours aims at no more than 1.5 times that.

    python benchmarks/hook_overhead.py [-n 200] [--branches 300] [--rounds 3]
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


DO_NOTHING = "#!/bin/sh\ncat >/dev/null\n"


def install_do_nothing(repo: Path) -> None:
    for name in ("reference-transaction", "post-rewrite"):
        hook = repo / ".git" / "hooks" / name
        hook.write_text(DO_NOTHING)
        hook.chmod(0o755)


def timed_mass_delete(repo: Path, branches: int, packed: bool, env: dict[str, str]) -> float:
    names = [f"b{i}" for i in range(branches)]
    refs = "".join(f"create refs/heads/{name} HEAD\n" for name in names)
    subprocess.run(
        ["git", "update-ref", "--stdin"],
        cwd=repo,
        env={**env, "SELFWARE_INTERNAL": "1"},  # setting up is not what is measured
        input=refs.encode(),
        check=True,
    )
    if packed:
        git(repo, "pack-refs", "--all", env=env)
    start = time.perf_counter()
    git(repo, "branch", "-q", "-D", *names, env=env)
    return time.perf_counter() - start


def mass_delete(root: Path, env: dict[str, str], branches: int, rounds: int) -> None:
    repos = {
        "no hooks": make_repo(root, "md-plain", env, hooks=False),
        "do-nothing hook": make_repo(root, "md-cat", env, hooks=False),
        "selfware hooks": make_repo(root, "md-ours", env, hooks=True),
    }
    install_do_nothing(repos["do-nothing hook"])
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\nmass delete: git branch -D of {branches} branches ({version}), best of {rounds}")
    for packed in (False, True):
        best = {label: float("inf") for label in repos}
        for _ in range(rounds):
            for label, repo in repos.items():
                best[label] = min(best[label], timed_mass_delete(repo, branches, packed, env))
        kind = "packed" if packed else "loose"
        for label, seconds in best.items():
            print(f"  {kind:<6} {label:<16} {seconds:6.2f} s")
        ratio = best["selfware hooks"] / best["do-nothing hook"]
        print(f"  {kind:<6} selfware / do-nothing: {ratio:.2f}x")
    journal = repos["selfware hooks"] / ".git" / "selfware"
    errors = (journal / "errors.log").read_text()
    pins = subprocess.run(
        ["git", "for-each-ref", "refs/selfware/pin"],
        cwd=repos["selfware hooks"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    print(f"  pinned commits: {len(pins)}; errors.log: {errors.strip() or 'empty'}")


def bench_env(root: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1"}
    env["GIT_CONFIG_GLOBAL"] = str(root / "gitconfig")
    (root / "gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n")
    return env


def commits(root: Path, env: dict[str, str], n: int) -> None:
    plain = make_repo(root, "plain", env, hooks=False)
    hooked = make_repo(root, "hooked", env, hooks=True)
    agent_env = {**env, "SELFWARE_AGENT": "bench-agent", "SELFWARE_TASK": "benchmark task"}
    times: dict[str, list[float]] = {
        "plain": [],
        "hooked": [],
        "plain agent": [],
        "hooked agent": [],
    }
    for i in range(n):
        times["plain"].append(timed_commit(plain, f"p{i}", env))
        times["hooked"].append(timed_commit(hooked, f"p{i}", env))
        if i % 4 == 0:
            times["plain agent"].append(timed_commit(plain, f"a{i}", agent_env))
            times["hooked agent"].append(timed_commit(hooked, f"a{i}", agent_env))
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"commits per repository: {n} (+{len(times['plain agent'])} agent commits)")
    for key, value in medians.items():
        print(f"median ms per commit, {key:<13} {value:7.2f}")
    for kind in ("", " agent"):
        added = medians[f"hooked{kind}"] - medians[f"plain{kind}"]
        ratio = medians[f"hooked{kind}"] / medians[f"plain{kind}"]
        label = "agent" if kind else "person"
        print(f"added ms per {label} commit: {added:6.2f}  (ratio {ratio:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="commits per repository (0: skip)")
    parser.add_argument("--branches", type=int, default=300, help="branches deleted at once")
    parser.add_argument("--rounds", type=int, default=3, help="mass deletes per variant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp))
        if args.n:
            commits(Path(tmp), env, args.n)
        if args.branches:
            mass_delete(Path(tmp), env, args.branches, args.rounds)


if __name__ == "__main__":
    main()
