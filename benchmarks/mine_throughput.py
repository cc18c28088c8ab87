"""Mining throughput against `git log -p` and PyDriller, and peak memory, in one run.

Generates a repository with git fast-import (agent and person commits mixed, Python,
JavaScript, Go and Rust files; agents marked by Claude Code trailers), then times on the
same repository: `git log -p` over all history, `selfware-git mine` over all history, and
PyDriller traversing commits with their modified files (where PyDriller is installed).
Peak RSS of mine is measured on a prefix and on the whole history, to show it stays flat.

    python benchmarks/mine_throughput.py [--commits 5000] [--pydriller-commits 500]
    python benchmarks/mine_throughput.py --repo PATH   # a real history (a bare clone is fine)

With `--repo`, both sides read the same refs (HEAD and every local branch, what `mine`
walks): `git log -p --no-color --full-history HEAD --branches`, skipping blobs a snapshot may
lack (`-- . ':(exclude)*.mp4' …`), against `mine` on a fresh store, serial (`--jobs 1`) and
with a worker per core (`--jobs` = cores), checking both write the same rows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selfware_git.miner.cores import available_cores

TRAILER = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
FILES = [f"src/mod{i}.{ext}" for i in range(10) for ext in ("py", "js", "go", "rs")]


def function(path: str, name: str, value: int) -> str:
    if path.endswith(".py"):
        return f"def {name}(x):\n    y = x + {value}\n    return y * 2\n\n"
    if path.endswith(".js"):
        return f"function {name}(x) {{\n  const y = x + {value};\n  return y * 2;\n}}\n\n"
    if path.endswith(".go"):
        return f"func {name}(x int) int {{\n\ty := x + {value}\n\treturn y * 2\n}}\n\n"
    return f"fn {name}(x: i64) -> i64 {{\n    let y = x + {value};\n    y * 2\n}}\n\n"


def render(path: str, values: list[int]) -> bytes:
    header = "package main\n\n" if path.endswith(".go") else ""
    return (header + "".join(function(path, f"f{i}", v) for i, v in enumerate(values))).encode()


def fast_import_stream(commits: int, seed: int = 7) -> bytes:
    """A history where about a third of the commits are an agent's and the person often
    edits a function the agent just wrote."""
    rng = random.Random(seed)
    state = {path: [0] * 12 for path in FILES}
    out = []
    when = 1_700_000_000
    for n in range(commits):
        when += 60
        is_agent = n % 3 == 0
        author = "Agent <agent@example.com>" if is_agent else "Pat <pat@example.com>"
        message = f"change {n}" + (TRAILER if is_agent else "\n")
        touched = rng.sample(FILES, rng.randint(1, 3))
        out.append(f"commit refs/heads/main\nmark :{n + 1}\n")
        out.append(f"author {author} {when} +0000\ncommitter {author} {when} +0000\n")
        data = message.encode()
        out.append(f"data {len(data)}\n{message}\n")
        if n:
            out.append(f"from :{n}\n")
        for path in touched:
            values = state[path]
            values[rng.randrange(len(values))] = n
            blob = render(path, values)
            out.append(f"M 100644 inline {path}\ndata {len(blob)}\n{blob.decode()}\n")
    return "".join(out).encode()


def make_repo(path: Path, commits: int, env: dict[str, str]) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=path,
        input=fast_import_stream(commits),
        check=True,
        env=env,
    )
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True, env=env)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and the peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {status}")
    return elapsed, usage.ru_maxrss


PYDRILLER = """
import sys
from pydriller import Repository
count = 0
for commit in Repository(sys.argv[1], order="reverse").traverse_commits():
    for modified in commit.modified_files:
        modified.diff
    count += 1
    if count >= int(sys.argv[2]):
        break
"""


CORES = available_cores()
LARGE_MEDIA = [f":(exclude)*.{ext}" for ext in ("mp4", "mov", "gif", "png", "jpg", "zip", "pdf")]


def missing_blobs(repo: Path, env: dict[str, str]) -> list[str]:
    """Exclude pathspecs for the paths whose blobs a snapshot lacks (large files left out of
    it): `git log -p` stops at the first blob it cannot read, `mine` counts it and goes on."""
    raw = subprocess.run(
        ["git", "-C", str(repo), "log", "HEAD", "--branches", "--raw", "--no-abbrev",
         "--no-renames", "--format=", "-z"],
        capture_output=True, check=True, env=env,
    ).stdout.split(b"\0")  # fmt: skip
    paths: dict[str, set[str]] = {}
    fields = iter(raw)
    for field in fields:
        meta = field.lstrip(b"\n")
        if not meta.startswith(b":"):
            continue
        path = next(fields, b"").decode("utf-8", "replace")
        _old_mode, new_mode, _old_id, new_id, _status = meta[1:].decode().split(" ")
        if new_mode != "160000" and new_id.strip("0"):  # a submodule or a deletion: no blob
            paths.setdefault(new_id, set()).add(path)
    checked = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch-check"],
        input="\n".join(paths).encode(), capture_output=True, check=True, env=env,
    ).stdout.decode().splitlines()  # fmt: skip
    lost = sorted(
        {path for line in checked if line.endswith(" missing") for path in paths[line.split()[0]]}
    )
    return [f":(exclude,literal){path}" for path in lost]


def real_history(repo: Path, env: dict[str, str], store: Path) -> None:
    """git log -p against mine on the same refs of a real repository."""
    count = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--count", "HEAD", "--branches"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    log = ["git", "log", "-p", "--no-color", "--full-history", "HEAD", "--branches"]
    log_s, _ = timed([*log, "--", ".", *LARGE_MEDIA, *missing_blobs(repo, env)], repo, env)
    print(f"{repo}: {count} commits on HEAD and local branches")
    print(f"git log -p:                 {log_s:8.2f} s")
    figures = {}
    for jobs in sorted({1, CORES}):
        out = store.with_name(f"jobs{jobs}.jsonl")
        mine = [sys.executable, "-m", "selfware_git.miner", "mine", "--quiet", "--jobs", str(jobs)]
        seconds, rss = timed([*mine, "--store", str(out), str(repo)], repo, env)
        figures[jobs] = out.read_bytes() if out.exists() else b""
        print(
            f"selfware-git mine --jobs {jobs}: {seconds:8.2f} s, ratio {log_s / seconds:.2f}"
            f" (goal 0.35), peak RSS {rss / 1024:.0f} MiB (parent)"
        )
    pairs = len(figures[1].splitlines())
    same = len(set(figures.values())) == 1
    print(f"{pairs} pairs; every --jobs gave the same rows: {'yes' if same else 'NO'}")
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"largest process of any run (a worker or a parent): {workers / 1024:.0f} MiB")


def isolated_env(root: Path) -> dict[str, str]:
    """The environment for git and mine in a scratch folder: no real home, git config or
    selfware store is read or written."""
    return {
        **os.environ,
        "HOME": str(root),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "SELFWARE_HOME": str(root / "home"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--pydriller-commits", type=int, default=500)
    parser.add_argument("--repo", type=Path, default=None, help="a real repository instead")
    args = parser.parse_args()
    if args.repo is not None:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "SELFWARE_HOME": tmp}
            real_history(args.repo.resolve(), env, Path(tmp) / "real.jsonl")
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = isolated_env(root)
        full, prefix = root / "full", root / "prefix"
        make_repo(full, args.commits, env)
        make_repo(prefix, args.commits // 5, env)
        mine = [sys.executable, "-m", "selfware_git.miner", "mine", "--quiet", "--jobs", "1"]
        mine.append("--store")

        log_s, _ = timed(["git", "log", "-p", "main"], full, env)
        mine_s, mine_rss = timed([*mine, str(root / "full.jsonl")], full, env)
        _, prefix_rss = timed([*mine, str(root / "prefix.jsonl")], prefix, env)
        pairs = len((root / "full.jsonl").read_text().splitlines())
        print(f"commits: {args.commits}, pairs mined: {pairs}")
        print(f"git log -p:        {args.commits / log_s:9.0f} commits/s ({log_s:.2f} s)")
        print(f"selfware-git mine: {args.commits / mine_s:9.0f} commits/s ({mine_s:.2f} s)")
        print(f"ratio mine / git log -p: {log_s / mine_s:.2f}  (goal: at least 0.5)")
        if CORES > 1:
            wide = [*mine[:-2], str(CORES), "--store", str(root / "wide.jsonl")]
            wide_s, _ = timed(wide, full, env)
            same = (root / "wide.jsonl").read_bytes() == (root / "full.jsonl").read_bytes()
            rate = args.commits / wide_s
            print(
                f"selfware-git mine --jobs {CORES}: {rate:6.0f} commits/s ({wide_s:.2f} s), "
                f"ratio {log_s / wide_s:.2f}, same rows: {'yes' if same else 'NO'}"
            )
        try:
            import pydriller  # noqa: F401
        except ImportError:
            print("PyDriller not installed: `pip install pydriller` for that comparison")
        else:
            n = min(args.pydriller_commits, args.commits)
            pyd_s, _ = timed([sys.executable, "-c", PYDRILLER, str(full), str(n)], full, env)
            pyd_rate = n / pyd_s
            print(f"PyDriller:         {pyd_rate:9.0f} commits/s ({n} commits, {pyd_s:.2f} s)")
            print(f"ratio mine / PyDriller: {args.commits / mine_s / pyd_rate:.1f}  (goal: 10)")
        print(
            f"peak RSS of mine: {prefix_rss / 1024:.0f} MiB on {args.commits // 5} commits, "
            f"{mine_rss / 1024:.0f} MiB on {args.commits} commits"
        )


if __name__ == "__main__":
    main()
