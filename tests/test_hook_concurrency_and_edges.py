"""Many committers at once, and repositories at the edges: empty, detached, SHA-256, odd paths."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from selfware_git.hooks.journal import CommitRecord, RefRecord, parse_line
from tests.gitrepo import GitRepo

WORKTREES = 8
COMMITS = 50

LOOP = """
i=0
while [ $i -lt {n} ]; do
    echo "$i" > "file-{w}.txt"
    git add "file-{w}.txt"
    if [ $((i % 5)) = 0 ]; then
        SELFWARE_AGENT=agent-{w} git commit -q -m "agent {w} $i"
    else
        git commit -q -m "person {w} $i"
    fi
    i=$((i + 1))
done
"""


def test_concurrent_committers_in_linked_worktrees(hooked: GitRepo, tmp_path: Path) -> None:
    trees = []
    for w in range(WORKTREES):
        tree = tmp_path / f"wt-{w}"
        hooked.git("worktree", "add", "-q", "-b", f"branch-{w}", str(tree))
        trees.append(tree)
    before = len(hooked.journal_lines())

    def run(w: int) -> int:
        script = LOOP.format(n=COMMITS, w=w)
        return subprocess.run(["sh", "-c", script], cwd=trees[w], env=hooked.env).returncode

    with ThreadPoolExecutor(WORKTREES) as pool:
        assert list(pool.map(run, range(WORKTREES))) == [0] * WORKTREES

    lines = hooked.journal_lines()[before:]
    records = [parse_line(line) for line in lines]
    assert None not in records, "a torn or garbled journal line"
    refs = [r for r in records if isinstance(r, RefRecord)]
    agents = [r for r in records if isinstance(r, CommitRecord)]
    assert len(refs) == WORKTREES * COMMITS * 2  # HEAD and the branch, every commit
    assert len(agents) == WORKTREES * COMMITS // 5
    assert len({r.sha for r in agents}) == len(agents)
    pinned = hooked.git("for-each-ref", "refs/selfware/agent").stdout.splitlines()
    assert len(pinned) == len(agents)


def test_first_commit_of_an_empty_repository(repo: GitRepo) -> None:
    repo.cli("install-hooks")
    sha = repo.commit("first", {"a.py": "x = 1\n"}, agent="aider", task="start")
    assert json.loads(repo.cli("status", "--json").stdout)["agents"] == {"aider": 1}
    assert f"\tcommit\t{sha}\t" in repo.journal.read_text()


def test_status_of_an_empty_repository(repo: GitRepo) -> None:
    repo.cli("install-hooks")
    report = json.loads(repo.cli("status", "--json").stdout)
    assert report["agent_commits"] == 0
    assert report["corrections"] == {}


def test_detached_head(hooked: GitRepo) -> None:
    hooked.git("checkout", "-q", "--detach")
    agent_sha = hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude", task="t")
    hooked.git("reset", "-q", "--hard", "HEAD~1")
    hooked.git("checkout", "-q", "main")
    report = json.loads(hooked.cli("status", "--json").stdout)
    assert report["corrections"] == {"reset": 1}
    assert hooked.git("cat-file", "-t", agent_sha).stdout.strip() == "commit"


def test_sha256_repository(tmp_path: Path, env: dict) -> None:
    repo = GitRepo.init(tmp_path / "sha256", env, "--object-format=sha256")
    repo.cli("install-hooks")
    sha = repo.commit("agent", {"a.py": "x = 1\n"}, agent="claude", task="t")
    assert len(sha) == 64
    repo.commit("fix", {"a.py": "x = 2\n"}, amend=True)
    journal = repo.journal.read_text()
    assert f"\tcommit\t{sha}\tclaude\t" in journal
    assert f"\trewrite\tamend\t{sha}\t" in journal
    assert repo.git("rev-parse", f"refs/selfware/pin/{sha}").stdout.strip() == sha
    report = json.loads(repo.cli("status", "--json").stdout)
    assert "SHA-256" in report["history_unreadable"]


def test_non_ascii_and_spaces_in_paths(tmp_path: Path, env: dict) -> None:
    repo = GitRepo.init(tmp_path / "dépôt avec espaces $HOME 'q'", env)
    repo.cli("install-hooks")
    sha = repo.commit("agent", {"ünï cödé/fïlé name.py": "x = 1\n"}, agent="claude", task="t")
    repo.commit("fix", {"ünï cödé/fïlé name.py": "x = 2\n"}, amend=True)
    report = json.loads(repo.cli("status", "--json").stdout)
    assert report["corrections"] == {"amend": 1}
    assert f"\tcommit\t{sha}\t" in repo.journal.read_text()
