"""The walk's one `git log --raw` stream gives, for every commit, exactly the file changes a
tree diff against its first parent gives (merges, deletions, a file turned symlink, a
submodule, odd names), in the walk's own order, whatever GIT_DIR says; a history git cannot read is
one clear error."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pygit2
import pytest

from selfware_git.hooks.errors import UserError
from selfware_git.miner.history import branch_tips
from selfware_git.miner.raw_log import commits_with_changes
from selfware_git.miner.sources import file_changes
from tests.gitrepo import GitRepo


def _history(repo: GitRepo) -> None:
    repo.commit("root", {"a.py": "a = 1\n", "b.py": "b = 1\n", "odd name\twith tab.py": "x\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("side", {"c.py": "c = 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("main", {"a.py": "a = 2\n"})
    with open(os.fsencode(str(repo.path)) + b"/latin-\xe9.py", "wb") as handle:
        handle.write(b"e = 1\n")  # a name that is no UTF-8
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "latin-1 name")
    repo.git("merge", "-q", "--no-edit", "side")
    (repo.path / "b.py").unlink()
    os.symlink("a.py", repo.path / "link.py")
    repo.write("d.py", "d = 1\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "delete b, add a link")
    (repo.path / "d.py").unlink()
    os.symlink("a.py", repo.path / "d.py")  # a file turned symlink: git calls it a typechange
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "d becomes a link")
    head = repo.head()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},vendor/sub")
    repo.git("commit", "-q", "-m", "a submodule entry")


def test_the_stream_equals_a_tree_diff_per_commit(repo: GitRepo, monkeypatch) -> None:
    _history(repo)
    monkeypatch.setenv("GIT_DIR", str(repo.path / "nowhere"))  # hostile: ignored
    git = pygit2.Repository(str(repo.path))
    streamed_skips, diffed_skips = Counter(), Counter()
    walker = git.walk(git.head.target, pygit2.enums.SortMode.TOPOLOGICAL)
    for tip in branch_tips(git):
        walker.push(tip)
    order = [str(commit.id) for commit in walker]
    walk = list(commits_with_changes(Path(git.path), order, streamed_skips))
    assert [sha for sha, _ in walk] == order  # in the walk's order, not git's
    assert len(walk) == int(repo.git("rev-list", "--count", "--all").stdout)
    for sha, changes in walk:
        commit = git[sha]
        assert changes == file_changes(commit, diffed_skips), commit.message
    assert streamed_skips == diffed_skips == Counter(submodule=1)
    kinds = {(old is None, new is None) for _, changes in walk for _, old, new in changes}
    assert kinds == {(True, False), (False, True), (False, False)}  # added, deleted, modified
    paths = {path for _, changes in walk for path, _, _ in changes}
    assert "odd name\twith tab.py" in paths and os.fsdecode(b"latin-\xe9.py") in paths
    typechange = [c for _, c in walk if [p for p, _, _ in c] == ["d.py", "d.py"]]
    assert len(typechange) == 1  # the file turned symlink: a deletion and an addition


def test_a_history_git_cannot_read_is_a_clear_error(repo: GitRepo) -> None:
    repo.commit("root", {"a.py": "a = 1\n"})
    git = pygit2.Repository(str(repo.path))
    with pytest.raises(UserError, match="git log could not read the history"):
        list(commits_with_changes(Path(git.path), ["1" * 40], Counter()))
