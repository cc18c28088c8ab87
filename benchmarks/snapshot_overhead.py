"""What an agent's tool call waits for: p50/p90 of the exact snapshot command that
`install-hooks --agent claude-code` writes into the agent's settings, run through a shell
with a Claude Code payload on stdin, on a generated repository of 1,000 files. Each tool call
is a pre and a post; the agent edits one file in between. Target: median ≤ 50 ms.

    python benchmarks/snapshot_overhead.py [--files 1000] [--calls 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from selfware_git.hooks.agent_settings import AGENTS, install_agent


def make_repo(root: Path, files: int) -> Path:
    repo = root / "repo"
    repo.mkdir()
    for i in range(files):
        path = repo / f"pkg{i % 25}" / f"module_{i}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"def function_{i}(x):\n    return x + {i}\n" * 20)
    env = {**os.environ, "GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@example.com"}
    env.update(GIT_COMMITTER_NAME="B", GIT_COMMITTER_EMAIL="b@example.com")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo


def commands(root: Path, repo: Path) -> dict[str, str]:
    """The commands in the settings file, as the agent would read them."""
    install_agent(AGENTS["claude-code"], repo, root / "bin")
    settings = json.loads((repo / ".claude/settings.local.json").read_text())["hooks"]
    return {
        event: settings[name][0]["hooks"][0]["command"]
        for event, name in (("pre", "PreToolUse"), ("post", "PostToolUse"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        repo = make_repo(root, args.files)
        run = commands(root, repo)
        timings: dict[str, list[float]] = {"pre": [], "post": []}
        for call in range(args.calls):
            event = "pre" if call % 2 == 0 else "post"
            if event == "post":  # the agent's edit, between its pre and post
                target = repo / f"pkg{call % 25}" / f"module_{call % args.files}.py"
                target.write_text(target.read_text() + f"# edit {call}\n")
            payload = json.dumps(
                {
                    "session_id": "bench-session",
                    "hook_event_name": "PreToolUse" if event == "pre" else "PostToolUse",
                    "tool_name": "Edit",
                    "tool_input": {"file_path": "x.py", "old_string": "a", "new_string": "b"},
                }
            )
            started = time.perf_counter()
            subprocess.run(["sh", "-c", run[event]], cwd=repo, input=payload.encode(), check=True)
            timings[event].append((time.perf_counter() - started) * 1000)
        both = timings["pre"] + timings["post"]
        chain = subprocess.run(
            ["git", "rev-list", "--count", "refs/selfware/snapshot/claude/bench-session"],
            cwd=repo,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"repository: {args.files} files; {args.calls} calls; {chain} snapshots stored")
        for name, values in (("pre", timings["pre"]), ("post", timings["post"]), ("all", both)):
            q = statistics.quantiles(values, n=10)
            print(f"{name:>5}: p50 {statistics.median(values):6.1f} ms   p90 {q[8]:6.1f} ms")
        print(f"command: {run['pre']}")


if __name__ == "__main__":
    main()
