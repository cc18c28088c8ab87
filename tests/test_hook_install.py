"""Installing next to hooks that are already there, and leaving exactly what was there."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.gitrepo import GitRepo


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's bytes (hashed) and mode: what 'byte for byte' means for a hooks folder."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode)
        for p in sorted(folder.iterdir())
    }


def add_hook(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)


def test_existing_hook_keeps_its_output_and_input(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    add_hook(hooks, "reference-transaction", 'echo "user-hook-ran $1"\ncat >> refs.out\n')
    add_hook(hooks, "post-rewrite", 'echo "user-rewrite $1 $(cat)" > rewrite.out\n')
    repo.cli("install-hooks")
    proc = repo.git("commit", "-q", "--allow-empty", "-m", "one")
    assert "user-hook-ran committed" in proc.stdout + proc.stderr
    assert "refs/heads/main" in (repo.path / "refs.out").read_text()
    first = repo.head()
    repo.git("commit", "-q", "--allow-empty", "--amend", "-m", "two")
    assert (repo.path / "rewrite.out").read_text().split() == [
        "user-rewrite",
        "amend",
        first,
        repo.head(),
    ]
    assert "\trewrite\tamend\t" in repo.journal.read_text()


def test_existing_reference_transaction_hook_still_decides(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    add_hook(hooks, "reference-transaction", '[ "$1" = prepared ] && exit 1\nexit 0\n')
    repo.cli("install-hooks")
    proc = repo.git("commit", "-q", "--allow-empty", "-m", "refused", check=False)
    assert proc.returncode != 0
    assert repo.git("rev-parse", "-q", "--verify", "HEAD", check=False).returncode != 0


def test_core_hooks_path_is_honoured(repo: GitRepo) -> None:
    husky = repo.path / ".husky" / "_"
    add_hook(husky, "reference-transaction", 'echo "husky-ran $1"\n')
    repo.git("config", "core.hooksPath", ".husky/_")
    repo.cli("install-hooks")
    assert (husky / "reference-transaction.selfware-chained").exists()
    assert not (repo.path / ".git" / "hooks" / "reference-transaction").exists()
    proc = repo.git("commit", "-q", "--allow-empty", "-m", "one", env={"SELFWARE_AGENT": "aider"})
    assert "husky-ran committed" in proc.stdout + proc.stderr
    assert "\tcommit\t" in repo.journal.read_text()


def test_uninstall_restores_byte_for_byte(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    add_hook(hooks, "reference-transaction", "echo mine\n")
    add_hook(hooks, "post-rewrite", "exit 0\n")
    (hooks / "post-rewrite").chmod(0o700)
    before = snapshot(hooks)
    repo.cli("install-hooks")
    assert snapshot(hooks) != before
    out = repo.cli("uninstall-hooks").stdout
    assert "restored your own reference-transaction hook" in out
    assert snapshot(hooks) == before


def test_uninstall_removes_a_hooks_dir_it_created(repo: GitRepo) -> None:
    repo.git("config", "core.hooksPath", "githooks")
    repo.cli("install-hooks")
    assert (repo.path / "githooks" / "post-rewrite").exists()
    repo.cli("uninstall-hooks")
    assert not (repo.path / "githooks").exists()


def test_install_twice_is_a_no_op(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    add_hook(hooks, "post-rewrite", "echo mine\n")
    repo.cli("install-hooks")
    once = snapshot(hooks)
    out = repo.cli("install-hooks").stdout
    assert "nothing changed" in out
    assert snapshot(hooks) == once
    assert not (hooks / "post-rewrite.selfware-chained.selfware-chained").exists()


def test_store_is_private(repo: GitRepo) -> None:
    repo.cli("install-hooks")
    store = repo.path / ".git" / "selfware"
    assert store.stat().st_mode & 0o777 == 0o700
    assert (store / "journal").stat().st_mode & 0o777 == 0o600


def test_install_outside_a_repository_is_a_clear_error(tmp_path: Path, env: dict) -> None:
    outside = GitRepo(tmp_path / "plain", env)
    outside.path.mkdir()
    proc = outside.cli("install-hooks", check=False)
    assert proc.returncode == 1
    assert "not inside a git repository" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_status_before_install(repo: GitRepo) -> None:
    out = repo.cli("status").stdout
    assert "not installed" in out
    assert os.path.basename(str(repo.path)) in out


def test_hooks_dir_shared_by_several_repositories(tmp_path: Path, env: dict) -> None:
    shared = tmp_path / "team-hooks"
    shared.mkdir()
    gitconfig = Path(env["GIT_CONFIG_GLOBAL"])
    gitconfig.write_text(gitconfig.read_text() + f"[core]\n\thooksPath = {shared}\n")
    one, two = GitRepo.init(tmp_path / "one", env), GitRepo.init(tmp_path / "two", env)
    assert "shared with other repositories" in one.cli("install-hooks").stdout
    sha_one = one.commit("a", {"a.py": "x = 1\n"}, agent="claude")
    sha_two = two.commit("b", {"b.py": "x = 2\n"}, agent="aider")
    assert f"\tcommit\t{sha_one}\tclaude" in one.journal.read_text()
    assert f"\tcommit\t{sha_two}\taider" in two.journal.read_text()
    assert sha_two not in one.journal.read_text()
