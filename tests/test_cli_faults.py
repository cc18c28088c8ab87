"""Odd conditions through the real CLI: a clear one-line error and a non-zero exit, never a
traceback, and never silent success on nonsense. Faults are made for real: files in the
way, and `chattr +i` where the machine allows it (skipped, with the reason, where not)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gitrepo import CLI, GitRepo
from tests.scenario import agent, person, py


def run_cli(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, cwd=cwd)


def assert_clear_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: "), proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """A folder nobody may write, root included: `chattr +i` as root, a mode otherwise."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root, and chattr (e2fsprogs) is not installed")
    proc = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"running as root, and chattr +i is refused here: {proc.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_install_hooks_into_a_folder_that_cannot_be_written(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    with unwritable(hooks):
        proc = repo.cli("install-hooks", check=False)
    assert_clear_error(proc, "cannot install the hooks", str(hooks))
    assert "hint:" in proc.stderr


@pytest.mark.parametrize("command", ["status", "mine", "report", "install-hooks"])
def test_journal_replaced_by_a_folder(hooked: GitRepo, command: str) -> None:
    hooked.journal.unlink()
    hooked.journal.mkdir()
    proc = hooked.cli(command, check=False)
    assert_clear_error(proc, f"{hooked.journal} is a folder, not a file", "mv ")


@pytest.mark.parametrize("command", ["status", "mine", "report", "install-hooks"])
def test_selfware_folder_replaced_by_a_file(hooked: GitRepo, command: str) -> None:
    folder = hooked.path / ".git" / "selfware"
    shutil.rmtree(folder)
    folder.write_text("in the way\n")
    proc = hooked.cli(command, check=False)
    assert_clear_error(proc, f"{folder} is not a folder")
    assert folder.read_text() == "in the way\n"


def test_uninstall_still_works_with_a_broken_selfware_folder(hooked: GitRepo) -> None:
    folder = hooked.path / ".git" / "selfware"
    shutil.rmtree(folder)
    folder.write_text("in the way\n")
    assert "Removed" in hooked.cli("uninstall-hooks").stdout


def test_store_under_a_regular_file(hooked: GitRepo, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x\n")
    proc = hooked.cli("mine", "--store", str(blocker / "prefs.jsonl"), check=False)
    assert_clear_error(proc, f"{blocker} is a file")
    for command in (["export"], ["report", "--out", str(blocker / "r.html")]):
        proc = hooked.cli(*command, check=False, env={"SELFWARE_HOME": str(blocker)})
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr


def test_selfware_home_pointing_at_a_file(hooked: GitRepo, tmp_path: Path) -> None:
    blocker = tmp_path / "home-file"
    blocker.write_text("x\n")
    proc = hooked.cli("mine", check=False, env={"SELFWARE_HOME": str(blocker)})
    assert_clear_error(proc, f"{blocker} is a file", "SELFWARE_HOME")
    assert blocker.read_text() == "x\n"


def test_mine_refuses_a_file_that_is_not_a_store(repo: GitRepo, tmp_path: Path) -> None:
    repo.cli("install-hooks")
    person(repo, {"README.md": "x\n"}, "base")
    agent(repo, {"a.py": py("f", "return 1")})
    person(repo, {"a.py": py("f", "return 2")})
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\nline two\n")
    proc = repo.cli("mine", "--store", str(notes), check=False)
    assert_clear_error(proc, "is not a selfware-git pairs file")
    assert notes.read_text() == "my notes\nline two\n"
    good = tmp_path / "good.jsonl"
    repo.cli("mine", "--store", str(good))
    assert repo.cli("mine", "--store", str(good), "--rebuild").returncode == 0


@pytest.mark.parametrize("command", ["mine", "report"])
def test_not_a_repository_says_so_and_writes_nothing(
    tmp_path: Path, env: dict, command: str
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    proc = run_cli(env, command, cwd=plain)
    assert_clear_error(proc, "is not inside a git repository")
    assert "Added 0" not in proc.stdout and "--repo" not in proc.stderr
    assert not (Path(env["SELFWARE_HOME"]) / "feedback" / "preferences.jsonl").exists()


def test_a_repository_with_no_pairs_says_nothing_was_written(repo: GitRepo) -> None:
    repo.commit("base", {"a.py": "x = 1\n"})
    out = repo.cli("mine").stdout
    assert "nothing was written" in out and "Added 0" not in out


def test_stats_of_a_store_of_garbage(tmp_path: Path, env: dict) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text('not json\n{"a": 1}\n[1, 2]\n')
    proc = run_cli(env, "stats", "--store", str(garbage))
    assert_clear_error(proc, "none of its 3 line(s) is a pair")


def test_garbage_lines_in_a_good_store_are_counted(demo_store: Path, tmp_path: Path, env) -> None:
    store = tmp_path / "mixed.jsonl"
    store.write_text(demo_store.read_text() + 'torn {"prompt\n\ngarbage\n')
    proc = run_cli(env, "stats", "--store", str(store))
    assert proc.returncode == 0
    assert f"warning: 2 unreadable line(s) in {store} skipped" in proc.stdout
    stats = json.loads(run_cli(env, "stats", "--store", str(store), "--json").stdout)
    assert stats["unreadable_lines"] == {str(store): 2}
    proc = run_cli(env, "export", "--store", str(store), "--out", str(tmp_path / "ds"))
    assert "2 unreadable line(s) in the store skipped" in proc.stderr
    proc = run_cli(env, "pairs", "--store", str(store))
    assert "2 unreadable line(s)" in proc.stderr


def test_a_small_export_says_it_has_no_test_split(demo_store: Path, tmp_path: Path, env) -> None:
    out = tmp_path / "ds"
    proc = run_cli(
        env, "export", "--store", str(demo_store), "--out", str(out), "--test-split", "0.01"
    )
    assert proc.returncode == 0, proc.stderr
    assert not (out / "test.parquet").exists()
    assert "note: no test split" in proc.stderr
    proc = run_cli(
        env, "export", "--store", str(demo_store), "--out", str(out), "--test-split", "0"
    )
    assert "no test split" not in proc.stderr


def test_no_lock_files_are_left_behind(demo_store: Path, tmp_path: Path, env, repo) -> None:
    store = tmp_path / "store" / "preferences.jsonl"
    store.parent.mkdir()
    store.write_bytes(demo_store.read_bytes())
    repo.commit("base", {"a.py": "x = 1\n"})
    repo.cli("mine", "--store", str(store))
    run_cli(env, "export", "--store", str(store))
    run_cli(env, "forget", "--path", "nothing-matches", "--store", str(store))
    assert not list(store.parent.rglob("*.lock"))
    assert (store.parent / "dataset-standard" / "train.parquet").exists()


def test_a_repository_git_cannot_read_is_its_own_error_not_the_whole_runs(
    tmp_path: Path, env: dict
) -> None:
    """A history with an object missing: that repository is reported as an error, the
    others are still mined and stored."""
    good = GitRepo.init(tmp_path / "good", env)
    person(good, {"app.py": py("f", "return 0")})
    good.commit(
        "agent: parse\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
        {"app.py": py("f", "return int(x)")},
    )
    person(good, {"app.py": py("f", "return float(x)")})
    broken = GitRepo.init(tmp_path / "broken", env)
    person(broken, {"lib.py": py("g", "return 0")})
    person(broken, {"lib.py": py("g", "return 1")})
    tree = broken.git("rev-parse", "HEAD~1^{tree}").stdout.strip()
    (broken.path / ".git/objects" / tree[:2] / tree[2:]).unlink()
    proc = run_cli(env, "mine", "--json", str(good.path), str(broken.path))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1  # an error to report, after the good one is stored
    reports = {r["repo"]: r for r in json.loads(proc.stdout)["repositories"]}
    assert reports["good"]["status"] == "mined" and reports["good"]["pairs"] == 1
    assert reports["broken"]["status"] == "error"
    assert "could not read" in reports["broken"]["message"]
