"""`selfware-git mine` end to end: the CLI, the store, reruns, kills and awkward repositories."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.gitrepo import CLI, GitRepo
from tests.scenario import agent, person, py

TRAILER = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>"


def build_history(repo: GitRepo, rounds: int, hooks: bool = True) -> None:
    """Rounds of: the agent writes a function, the person fixes it in the next commit. With
    hooks the agent says who it is in SELFWARE_AGENT; without, in a commit trailer."""
    if hooks:
        repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    for i in range(rounds):
        path = f"pkg/mod_{i % 7}.py"
        if hooks:
            agent(repo, {path: py(f"fn_{i}", f"return x + {i}")}, task=f"add fn_{i}")
        else:
            repo.commit(f"add fn_{i}{TRAILER}", {path: py(f"fn_{i}", f"return x + {i}")})
        person(repo, {path: py(f"fn_{i}", f"return x * {i} + 1")}, f"fix fn_{i}")


def mine_json(repo: GitRepo, out: Path, *extra: str) -> dict:
    return json.loads(repo.cli("mine", "--out", str(out), "--json", *extra).stdout)


def store_lines(out: Path) -> list[str]:
    return out.read_text().splitlines() if out.exists() else []


def test_mine_writes_rows_that_load_as_json(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 5)
    out = tmp_path / "prefs.jsonl"
    report = mine_json(repo, out)
    assert report["added_pairs"] == 5
    rows = [json.loads(line) for line in store_lines(out)]
    assert {r["metadata"]["function"] for r in rows} == {f"fn_{i}" for i in range(5)}
    for row in rows:
        assert set(row) == {"prompt", "chosen", "rejected", "task", "timestamp", "metadata"}
        assert row["prompt"].startswith("add fn_")
        assert "File: pkg/mod_" in row["prompt"]
        meta = row["metadata"]
        assert meta["agent"] == "claude" and meta["event"] == "fix"
        assert meta["corrected_by"] == "Pat Person"
        assert len(meta["rejected_commit"]) == 40 and len(meta["chosen_commit"]) == 40
    assert (out.stat().st_mode & 0o777) == 0o600


def test_default_store_is_under_selfware_home(repo: GitRepo) -> None:
    build_history(repo, 1)
    repo.cli("mine", "--quiet")
    store = Path(repo.env["SELFWARE_HOME"]) / "feedback" / "preferences.jsonl"
    assert len(store_lines(store)) == 1


def test_rerun_adds_nothing_and_is_fast(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 5)
    out = tmp_path / "prefs.jsonl"
    mine_json(repo, out)
    before = out.read_bytes()
    start = time.perf_counter()
    report = mine_json(repo, out)
    elapsed = time.perf_counter() - start
    assert report["repositories"][0]["status"] == "up_to_date"
    assert report["added_pairs"] == 0
    assert out.read_bytes() == before
    assert elapsed < 5  # a whole CLI start; the mining part is a fingerprint check


def test_new_history_is_mined_incrementally_without_duplicates(repo: GitRepo, tmp_path) -> None:
    build_history(repo, 3)
    out = tmp_path / "prefs.jsonl"
    mine_json(repo, out)
    agent(repo, {"late.py": py("late", "return 0")}, task="late")
    person(repo, {"late.py": py("late", "return 1")})
    report = mine_json(repo, out)
    assert report["added_pairs"] == 1
    ids = [json.loads(line)["metadata"]["id"] for line in store_lines(out)]
    assert len(ids) == len(set(ids)) == 4


def test_killed_runs_then_rerun_equal_a_clean_run(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 60)
    clean = tmp_path / "clean.jsonl"
    mine_json(repo, clean)
    out = tmp_path / "killed.jsonl"
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        proc = subprocess.Popen(
            [*CLI, "mine", "--quiet", "--out", str(out)], cwd=repo.path, env=repo.env
        )
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for line in store_lines(out):
            json.loads(line)  # never a torn line
    mine_json(repo, out)
    assert sorted(store_lines(out)) == sorted(store_lines(clean))
    assert not list(tmp_path.glob(".killed.jsonl.*.tmp"))


def test_several_repositories_in_parallel(tmp_path: Path, env: dict) -> None:
    repos = []
    for name in ("one", "two", "three"):
        repo = GitRepo.init(tmp_path / name, env)
        build_history(repo, 2)
        repos.append(repo)
    out = tmp_path / "prefs.jsonl"
    proc = repos[0].cli(
        "mine", "--jobs", "3", "--json", "--out", str(out), *(str(r.path) for r in repos)
    )
    report = json.loads(proc.stdout)
    assert [r["repo"] for r in report["repositories"]] == ["one", "two", "three"]
    assert report["added_pairs"] == 2  # the same pairs in each repository are stored once


def test_since_leaves_out_older_corrections(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 2)
    report = mine_json(repo, tmp_path / "p.jsonl", "--since", "2999-01-01")
    assert report["added_pairs"] == 0


def test_not_a_repository_is_a_clear_error(tmp_path: Path, env: dict) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    proc = subprocess.run(
        [*CLI, "mine", str(plain), "--out", str(tmp_path / "p.jsonl")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "not inside a git repository" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "p.jsonl").exists()


def test_empty_repository(repo: GitRepo, tmp_path: Path) -> None:
    report = mine_json(repo, tmp_path / "p.jsonl")
    assert report["repositories"][0]["commits"] == 0
    assert not (tmp_path / "p.jsonl").exists()


def test_sha256_repository_is_reported_not_crashed(tmp_path: Path, env: dict) -> None:
    repo = GitRepo.init(tmp_path / "s", env, "--object-format=sha256")
    repo.commit("x", {"a.py": "x = 1\n"})
    proc = repo.cli("mine", "--out", str(tmp_path / "p.jsonl"), check=False)
    assert proc.returncode == 1
    assert "SHA-256" in proc.stderr and "Traceback" not in proc.stderr


def test_shallow_clone_bare_clone_and_detached_head(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 4, hooks=False)
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "3", f"file://{repo.path}", str(shallow)],
        env=repo.env,
        check=True,
    )
    report = mine_json(GitRepo(shallow, repo.env), tmp_path / "s.jsonl")
    assert report["repositories"][0]["skips"].get("shallow_history") == 1
    assert report["added_pairs"] == 1  # only the last round is inside the shallow history
    bare = tmp_path / "bare.git"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(repo.path), str(bare)], env=repo.env, check=True
    )
    assert mine_json(GitRepo(bare, repo.env), tmp_path / "b.jsonl")["added_pairs"] == 4
    tip = repo.head()
    repo.git("checkout", "-q", "--detach", "HEAD~2")
    repo.git("branch", "-q", "-f", "main", "HEAD")
    assert mine_json(repo, tmp_path / "d.jsonl")["added_pairs"] == 3  # HEAD's line only now
    repo.git("branch", "-q", "other", tip)  # every local branch is walked, not only HEAD's
    assert mine_json(repo, tmp_path / "d2.jsonl")["added_pairs"] == 4


def test_partial_clone_with_missing_blobs(repo: GitRepo, tmp_path: Path) -> None:
    build_history(repo, 3, hooks=False)
    repo.git("config", "uploadpack.allowFilter", "true")
    partial = tmp_path / "partial"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--no-checkout",
            "--filter=blob:none",
            f"file://{repo.path}",
            str(partial),
        ],
        env=repo.env,
        check=True,
    )
    report = mine_json(GitRepo(partial, repo.env), tmp_path / "p.jsonl")
    assert report["repositories"][0]["status"] == "mined"
    assert report["repositories"][0]["skips"].get("missing_object", 0) >= 1


def test_submodule_entries_are_skipped(repo: GitRepo, tmp_path: Path, env: dict) -> None:
    sub = GitRepo.init(tmp_path / "sub", env)
    sub.commit("s", {"s.py": "x = 1\n"})
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.path), "sub")
    agent(repo, {"a.py": py("f", "return 1")})
    report = mine_json(repo, tmp_path / "p.jsonl")
    assert report["repositories"][0]["status"] == "mined"


def test_odd_file_names(repo: GitRepo, tmp_path: Path) -> None:
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    odd = "dir with space/ünïcode ñame\tTAB.py"
    agent(repo, {odd: py("f", "return 1")})
    person(repo, {odd: py("f", "return 2")})
    report = mine_json(repo, tmp_path / "p.jsonl")
    assert report["added_pairs"] == 1
    row = json.loads(store_lines(tmp_path / "p.jsonl")[0])
    assert row["metadata"]["path"] == odd


def test_demo_shows_every_kind_of_correction(tmp_path: Path, env: dict) -> None:
    proc = subprocess.run(
        [*CLI, "demo", "--dir", str(tmp_path / "demo"), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    events = {r["metadata"]["event"] for r in rows}
    assert events == {"amend", "rebase", "reset", "fix", "revert", "edit"}
    assert {r["metadata"]["language"] for r in rows} >= {"python", "javascript", "go", "rust"}
    assert any(r["task"] == "naming" for r in rows)
    assert any(r["chosen"] is None for r in rows)
