"""Whatever state capture is in, git commands succeed; errors land in errors.log."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from selfware_git.hooks.journal import CommitRecord, parse_line
from tests.gitrepo import GitRepo, git_bin_dir


def test_journal_on_a_full_disk(hooked: GitRepo) -> None:
    hooked.journal.unlink()
    os.symlink("/dev/full", hooked.journal)
    sha = hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude", task="t")
    assert hooked.head() == sha
    assert "I/O error" in (hooked.path / ".git/selfware/errors.log").read_text()
    assert hooked.git("rev-parse", f"refs/selfware/agent/{sha}").stdout.strip() == sha


def test_journal_that_is_a_directory(hooked: GitRepo) -> None:
    hooked.journal.unlink()
    hooked.journal.mkdir()
    hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude", task="t")
    hooked.commit("fix", {"app.py": "x = 2\n"}, amend=True)
    assert (hooked.path / ".git/selfware/errors.log").read_text().strip()


def test_store_that_is_a_file_not_a_folder(hooked: GitRepo) -> None:
    store = hooked.path / ".git" / "selfware"
    shutil.rmtree(store)
    store.write_text("not a folder")
    hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude")
    hooked.git("reset", "-q", "--hard", "HEAD~1")
    assert store.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only modes")
def test_read_only_store(hooked: GitRepo) -> None:
    store = hooked.path / ".git" / "selfware"
    store.chmod(0o500)
    (store / "journal").chmod(0o400)
    try:
        hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude")
    finally:
        store.chmod(0o700)


def test_selfware_git_not_on_path(hooked: GitRepo) -> None:
    bare_path = {"PATH": f"{git_bin_dir()}:/usr/bin:/bin"}
    sha = hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude", env=bare_path)
    hooked.commit("fix", {"app.py": "x = 2\n"}, amend=True, env=bare_path)
    journal = hooked.journal.read_text()
    assert f"\tcommit\t{sha}\tclaude\t" in journal
    assert f"\trewrite\tamend\t{sha}\t" in journal


def test_garbage_in_the_journal(hooked: GitRepo) -> None:
    with hooked.journal.open("ab") as handle:
        handle.write(b"\x00\xff garbage\nv1\tref\ttorn-li")
    hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude")
    hooked.commit("fix", {"app.py": "x = 2\n"}, amend=True)
    report = json.loads(hooked.cli("status", "--json").stdout)
    assert report["journal"]["unreadable_lines"] >= 2
    assert report["corrections"] == {"amend": 1}


def test_commits_in_the_middle_of_a_rebase(hooked: GitRepo) -> None:
    base = hooked.head()
    hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude")
    hooked.git("checkout", "-q", "-b", "other", base)
    hooked.commit("person", {"app.py": "x = 2\n"})
    proc = hooked.git("rebase", "main", check=False)
    assert proc.returncode != 0  # a conflict stops the rebase
    hooked.write("app.py", "x = 3\n")
    hooked.git("add", "app.py")
    hooked.git("-c", "core.editor=true", "rebase", "--continue")
    assert hooked.git("status", "--porcelain").stdout == ""
    assert json.loads(hooked.cli("status", "--json").stdout)["agent_commits"] == 1


def test_agent_name_cannot_forge_journal_lines(hooked: GitRepo) -> None:
    forged = "0" * 40
    agent = f"evil\tagent\nv1\tcommit\t{forged}\tforged\t-\t{forged}\r"
    sha = hooked.commit("agent", {"app.py": "x = 1\n"}, agent=agent)
    records = [parse_line(line) for line in hooked.journal_lines()]
    assert None not in records
    commits = [r for r in records if isinstance(r, CommitRecord)]
    assert [r.sha for r in commits] == [sha]
    assert "\t" not in commits[0].agent and "\n" not in commits[0].agent
    assert json.loads(hooked.cli("status", "--json").stdout)["agent_commits"] == 1
    assert (
        "SELFWARE_AGENT holds a tab, line break"
        in (hooked.path / ".git/selfware/errors.log").read_text()
    )


def test_nothing_of_ours_reaches_the_terminal(hooked: GitRepo) -> None:
    """Even when neither the journal nor the error log can be written."""
    store = hooked.path / ".git" / "selfware"
    for name in ("journal", "errors.log"):
        (store / name).unlink()
        (store / name).mkdir()
    hooked.commit("agent", {"app.py": "x = 1\n"}, agent="claude", task="t")
    hooked.git("branch", "gone")
    for args in (
        ["commit", "-q", "--amend", "-m", "fixed"],
        ["reset", "-q", "--hard", "HEAD~1"],
        ["branch", "-q", "-D", "gone"],
    ):
        proc = hooked.git(*args)
        assert proc.stdout == proc.stderr == "", args
