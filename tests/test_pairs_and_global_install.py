"""Looking at the data before training (`pairs`, `pairs show`, `forget --id`), and capture in
every repository from one global install, undone exactly."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.gitrepo import CLI, GitRepo


def run_cli(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, cwd=cwd)


def stored(store: Path) -> list[dict]:
    return [json.loads(line) for line in store.read_text().splitlines()]


def test_pairs_lists_filters_and_shows_one(demo_store: Path, env: dict) -> None:
    rows = stored(demo_store)
    proc = run_cli(env, "pairs", "--store", str(demo_store))
    assert proc.returncode == 0, proc.stderr
    listed = proc.stdout.splitlines()
    unpaired = demo_store.with_name("preferences.unpaired.jsonl")
    assert len(listed) == len(rows) + len(stored(unpaired))
    for row in rows:
        assert any(line.startswith(row["metadata"]["id"][:12]) for line in listed)
    python = run_cli(env, "pairs", "--store", str(demo_store), "--language", "python", "--json")
    python_rows = [json.loads(line) for line in python.stdout.splitlines()]
    assert python_rows and {r["metadata"]["language"] for r in python_rows} == {"python"}
    amend = run_cli(env, "pairs", "--store", str(demo_store), "--event", "amend", "--json")
    assert {json.loads(line)["metadata"]["event"] for line in amend.stdout.splitlines()} == {
        "amend"
    }

    row = next(r for r in rows if r["metadata"]["event"] == "amend")
    row_id = row["metadata"]["id"]
    shown = run_cli(env, "pairs", "show", row_id[:8], "--store", str(demo_store))
    assert shown.returncode == 0, shown.stderr
    assert row_id in shown.stdout and row["metadata"]["path"] in shown.stdout
    assert row["prompt"].splitlines()[0] in shown.stdout
    assert "--- rejected (agent)" in shown.stdout and "+++ chosen (person)" in shown.stdout
    assert "\x1b[" not in shown.stdout  # no colour codes into a pipe
    coloured = run_cli(env, "pairs", "show", row_id, "--store", str(demo_store), "--color")
    assert "\x1b[31m" in coloured.stdout and "\x1b[32m" in coloured.stdout

    missing = run_cli(env, "pairs", "show", "ffffffff", "--store", str(demo_store))
    assert missing.returncode == 1 and missing.stderr.startswith("error: no row with id")


def test_forget_one_row_by_id(demo_store: Path, tmp_path: Path, env: dict) -> None:
    store = tmp_path / "feedback" / "preferences.jsonl"
    store.parent.mkdir()
    store.write_bytes(demo_store.read_bytes())
    run_cli(env, "export", "--store", str(store), "--format", "jsonl", "--test-split", "0")
    victim = stored(store)[0]["metadata"]["id"]
    proc = run_cli(env, "forget", "--id", victim[:10], "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert victim not in store.read_text()
    assert len(stored(store)) == len(stored(demo_store)) - 1
    export = store.parent / "dataset-standard" / "train.jsonl"  # the export beside the store
    assert victim not in export.read_text()
    proc = run_cli(env, "pairs", "show", victim, "--store", str(store))
    assert proc.returncode == 1


def global_config(env: dict) -> str:
    return Path(env["GIT_CONFIG_GLOBAL"]).read_text()


def test_global_install_captures_everywhere_and_uninstall_undoes_it(
    tmp_path: Path, env: dict
) -> None:
    before = global_config(env)
    proc = run_cli(env, "install-hooks", "--global")
    assert proc.returncode == 0, proc.stderr
    assert "core.hooksPath" in proc.stdout
    folder = Path(env["SELFWARE_HOME"]) / "hooks"
    assert f"hooksPath = {folder}" in global_config(env)
    assert "nothing changed" in run_cli(env, "install-hooks", "--global").stdout

    existing = GitRepo.init(tmp_path / "existing", env)  # never had an install of its own
    own_hook = existing.path / ".git" / "hooks" / "pre-commit"
    own_hook.write_text("#!/bin/sh\necho own-pre-commit-ran >> hook.out\n")
    own_hook.chmod(0o755)
    sha = existing.commit("agent", {"a.py": "x = 1\n"}, agent="claude", task="t")
    assert f"\tcommit\t{sha}\tclaude\t" in existing.journal.read_text()
    assert (existing.path / "hook.out").read_text() == "own-pre-commit-ran\n"
    existing.commit("fix", {"a.py": "x = 2\n"}, amend=True)
    assert f"\trewrite\tamend\t{sha}\t" in existing.journal.read_text()
    status = json.loads(existing.cli("status", "--json").stdout)
    assert status["install"]["mode"] == "global"
    assert "Installed: globally" in existing.cli("status").stdout

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(existing.path), str(clone)], env=env, check=True)
    cloned = GitRepo(clone, env)
    sha2 = cloned.commit("agent", {"b.py": "y = 1\n"}, agent="aider")
    assert f"\tcommit\t{sha2}\taider\t" in cloned.journal.read_text()

    husky = GitRepo.init(tmp_path / "husky", env)
    husky.git("config", "core.hooksPath", ".husky")
    status = json.loads(husky.cli("status", "--json").stdout)
    assert status["install"]["mode"] == "none" and status["install"]["shadowed_by"]
    assert "takes precedence" in husky.cli("status").stdout

    uninstall = existing.cli("uninstall-hooks", check=False)
    assert uninstall.returncode == 1 and "--global" in uninstall.stderr
    proc = run_cli(env, "uninstall-hooks", "--global")
    assert proc.returncode == 0, proc.stderr
    assert global_config(env) == before or "hooksPath" not in global_config(env)
    assert not folder.exists()
    sha3 = existing.commit("after", {"a.py": "x = 3\n"}, agent="claude")
    assert sha3 not in existing.journal.read_text()
    assert (existing.path / "hook.out").read_text().count("own-pre-commit-ran") == 3
    assert "nothing changed" in run_cli(env, "uninstall-hooks", "--global").stdout


def test_global_install_over_a_global_hooks_path_chains_it(tmp_path: Path, env: dict) -> None:
    team = tmp_path / "team-hooks"
    team.mkdir()
    (team / "commit-msg").write_text('#!/bin/sh\necho team-hook-ran >> "$PWD/team.out"\n')
    (team / "commit-msg").chmod(0o755)
    subprocess.run(["git", "config", "--global", "core.hooksPath", str(team)], env=env, check=True)
    before = global_config(env)
    assert "team-hooks" in run_cli(env, "install-hooks", "--global").stdout
    repo = GitRepo.init(tmp_path / "r", env)
    sha = repo.commit("agent", {"a.py": "x = 1\n"}, agent="claude")
    assert f"\tcommit\t{sha}\tclaude\t" in repo.journal.read_text()
    assert (repo.path / "team.out").read_text() == "team-hook-ran\n"
    run_cli(env, "uninstall-hooks", "--global")
    assert global_config(env) == before
    assert sorted(p.name for p in team.iterdir()) == ["commit-msg"]


def test_global_and_per_repository_install_capture_once(tmp_path: Path, env: dict) -> None:
    repo = GitRepo.init(tmp_path / "r", env)
    repo.cli("install-hooks")  # before the global install: its own hooks folder has ours
    run_cli(env, "install-hooks", "--global")
    sha = repo.commit("agent", {"a.py": "x = 1\n"}, agent="claude")
    assert repo.journal.read_text().count(f"\tcommit\t{sha}\t") == 1
    run_cli(env, "uninstall-hooks", "--global")
