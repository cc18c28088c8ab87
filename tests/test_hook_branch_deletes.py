"""Deleting branches, one or thousands at once, loose or packed: every commit that loses its
last branch is pinned, in a few git calls, and nothing of ours reaches the terminal."""

from __future__ import annotations

import json

import pytest

from selfware_git.hooks.journal import RefRecord, parse_line
from tests.gitrepo import GitRepo


def make_branches(repo: GitRepo, count: int, distinct: bool) -> dict[str, str]:
    """`count` branches, each on its own new commit (or all on HEAD), made in one git call."""
    shas, base = {}, repo.head()
    tree = repo.git("rev-parse", "HEAD^{tree}").stdout.strip()
    for i in range(count):
        if distinct:
            shas[f"b{i}"] = repo.git("commit-tree", tree, "-p", base, "-m", f"c{i}").stdout.strip()
        else:
            shas[f"b{i}"] = base
    commands = "".join(f"create refs/heads/{name} {sha}\n" for name, sha in shas.items())
    repo.git("update-ref", "--stdin", input=commands, env={"SELFWARE_INTERNAL": "1"})
    return shas


def pins(repo: GitRepo) -> set[str]:
    out = repo.git("for-each-ref", "--format=%(objectname)", "refs/selfware/pin").stdout
    return set(out.split())


def errors_log(repo: GitRepo) -> str:
    return (repo.path / ".git" / "selfware" / "errors.log").read_text()


@pytest.mark.parametrize("packed", [False, True], ids=["loose", "packed"])
def test_two_branches_on_one_commit(hooked: GitRepo, packed: bool) -> None:
    tip = hooked.commit("work", {"app.py": "x = 1\n"})
    hooked.git("branch", "a")
    hooked.git("branch", "b")
    hooked.git("reset", "-q", "--keep", "HEAD~1")
    for ref in pins(hooked):
        hooked.git("update-ref", "-d", f"refs/selfware/pin/{ref}", env={"SELFWARE_INTERNAL": "1"})
    if packed:
        hooked.git("pack-refs", "--all")
    proc = hooked.git("branch", "-D", "a", "b")
    assert proc.stderr == ""
    assert proc.stdout.count("Deleted branch") == 2 and "pin" not in proc.stdout
    assert pins(hooked) == {tip}
    assert errors_log(hooked) == ""
    assert json.loads(hooked.cli("status", "--json").stdout)["last_error"] is None
    deleted = [
        r
        for r in map(parse_line, hooked.journal_lines())
        if isinstance(r, RefRecord) and r.ref in ("refs/heads/a", "refs/heads/b") and r.old == tip
    ]
    assert {r.ref for r in deleted} == {"refs/heads/a", "refs/heads/b"}


@pytest.mark.parametrize("packed", [False, True], ids=["loose", "packed"])
def test_many_branches_on_many_commits_are_all_pinned(hooked: GitRepo, packed: bool) -> None:
    shas = make_branches(hooked, 60, distinct=True)
    if packed:
        hooked.git("pack-refs", "--all")
    hooked.git("branch", "-q", "-D", *shas)
    assert pins(hooked) >= set(shas.values())
    assert errors_log(hooked) == ""
    hooked.git("gc", "-q", "--prune=now")
    for sha in shas.values():
        assert hooked.git("cat-file", "-t", sha).stdout.strip() == "commit"


def test_single_packed_branch_deleted_by_update_ref(hooked: GitRepo) -> None:
    tip = make_branches(hooked, 1, distinct=True)["b0"]
    hooked.git("pack-refs", "--all")
    hooked.git("update-ref", "-d", "refs/heads/b0")
    assert tip in pins(hooked)


@pytest.mark.parametrize("packed", [False, True], ids=["loose", "packed"])
def test_a_mass_delete_pins_every_tip_silently(hooked: GitRepo, packed: bool) -> None:
    """Git before 2.44 calls reference-transaction about three times per deleted branch; every
    deleted tip is still pinned, with nothing on the terminal and nothing in errors.log (how
    long it takes is benchmarks/hook_overhead.py's business)."""
    branches = make_branches(hooked, 150, distinct=True)
    names, tips = list(branches), set(branches.values())
    if packed:
        hooked.git("pack-refs", "--all")
    proc = hooked.git("branch", "-q", "-D", *names)
    assert proc.stderr == "" and proc.stdout == ""
    assert tips <= set(pins(hooked))
    assert errors_log(hooked) == ""
